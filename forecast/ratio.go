package forecast

import "math"

// RatioEstimate returns the ratio estimator Σy/Σx over the pairs where both
// are present (x > 0 and y not NaN), and false when there is none.
func RatioEstimate(y, x []float64) (float64, bool) {
	if len(y) != len(x) {
		panic("forecast: RatioEstimate slice lengths do not match")
	}
	sy, sx := 0.0, 0.0
	for i := range x {
		if x[i] > 0 && !math.IsNaN(y[i]) {
			sy += y[i]
			sx += x[i]
		}
	}
	if sx == 0 {
		return 0, false
	}
	return sy / sx, true
}

// Smooth returns the exponentially smoothed level of the series r with
// weight alpha: s₁ = r₁, sₜ = α·rₜ + (1−α)·sₜ₋₁, skipping NaN values. It also
// writes into resid (when not nil, of the same length) the one-step-ahead
// errors rₜ − sₜ₋₁, NaN where there is no earlier level or no value. ok is
// false when r has no value.
func Smooth(r []float64, alpha float64, resid []float64) (level float64, ok bool) {
	if resid != nil && len(resid) != len(r) {
		panic("forecast: Smooth slice lengths do not match")
	}
	for i, v := range r {
		if resid != nil {
			resid[i] = math.NaN()
		}
		if math.IsNaN(v) {
			continue
		}
		if !ok {
			level, ok = v, true
			continue
		}
		if resid != nil {
			resid[i] = v - level
		}
		level = alpha*v + (1-alpha)*level
	}
	return level, ok
}

// Shrink returns the weighted mean (n·own + k·prior)/(n + k), pulling a
// ratio observed on n units toward a prior worth k units.
func Shrink(own, n, prior, k float64) float64 {
	if n+k <= 0 {
		return prior
	}
	return (n*own + k*prior) / (n + k)
}

// EntryBlend returns the cohort entering a grade in autumn t at age a when
// the cut-off is 1 September: the share older of those born in year t−a−1
// plus the rest of those born in year t−a. cohort(y) gives the births (or
// cohort size) of year y.
func EntryBlend(cohort func(year int) float64, t, age int, older float64) float64 {
	return older*cohort(t-age-1) + (1-older)*cohort(t-age)
}
