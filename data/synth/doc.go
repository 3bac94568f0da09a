// Package synth generates deterministic synthetic datasets in the shape of
// the seatplan data contract: a city scaled to the public 2020 census and
// 2017 birth totals of Liaocheng, Shandong (eight counties and districts plus
// three functional zones), or a province of about 100 million residents in a
// Shandong-sized box for benchmarks. Every number is invented — areas,
// townships, schools and their names are generic — but births follow the
// real rise to the 2016–2017 peak and the fall after it, population ages
// forward from those births, entrants follow ⅓·B(t−7) + ⅔·B(t−6), pupils
// progress grade by grade and drift from villages toward county seats, and
// class sizes, classrooms and teachers follow the planning standards. The
// same configuration always yields the same dataset: each county draws from
// its own seeded PCG streams, so neither map order nor parallelism changes a
// number.
package synth
