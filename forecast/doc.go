// Package forecast projects school-seat demand: resident population by
// township, single year of age and sex (cohort-component with fertility,
// survival and Hamilton–Perry net migration, townships raked to their
// county); pupils by school and grade (entrants from the two-birth-year
// blend of the catchment's births, grade-progression ratios smoothed
// exponentially as NCES does, middle-school entry from the feeder
// primaries, county totals controlled to county entry ratios with damped
// trends); classes, seats, utilisation and teachers against the planning
// standards; and early warnings (seat shortage, oversized classes,
// under-use, small schools, teacher shortage or surplus). Every quantity is
// reported as P10/P50/P90 over seeded Monte Carlo draws, and Backtest
// measures accuracy by lead time on a dataset's own history. The package is
// pure computation on data.Dataset: it reads no files and draws nothing.
package forecast
