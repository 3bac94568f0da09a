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

// Trend smooths the series r with Holt's damped linear trend, weights alpha
// (level) and beta (trend) and damping phi, skipping NaN values. It starts
// from the least-squares line through the values (level at the first value's
// year, trend its slope); each later value r updates f = ℓ + φb,
// ℓ = f + α(r − f), b = φb + αβ(r − f). It writes the one-step-ahead errors
// r − f into resid (when not nil, NaN where there is none) and returns the
// final level and trend; ok is false when r has no value. With beta = 0 it
// is Smooth.
func Trend(r []float64, alpha, beta, phi float64, resid []float64) (level, trend float64, ok bool) {
	if resid != nil && len(resid) != len(r) {
		panic("forecast: Trend slice lengths do not match")
	}
	if beta == 0 {
		level, ok = Smooth(r, alpha, resid)
		return level, 0, ok
	}
	// Least-squares start.
	var n, sx, sy, sxx, sxy float64
	first := -1
	for i, v := range r {
		if math.IsNaN(v) {
			continue
		}
		if first < 0 {
			first = i
		}
		x := float64(i - first)
		n++
		sx += x
		sy += v
		sxx += x * x
		sxy += x * v
	}
	if n == 0 {
		if resid != nil {
			for i := range resid {
				resid[i] = math.NaN()
			}
		}
		return 0, 0, false
	}
	if d := n*sxx - sx*sx; d > 0 {
		trend = (n*sxy - sx*sy) / d
	}
	level = (sy - trend*sx) / n
	prev := first
	for i, v := range r {
		if resid != nil {
			resid[i] = math.NaN()
		}
		if math.IsNaN(v) || i == first {
			continue
		}
		// Gaps advance the state without an update.
		for k := prev + 1; k < i; k++ {
			level += phi * trend
			trend *= phi
		}
		prev = i
		f := level + phi*trend
		e := v - f
		if resid != nil {
			resid[i] = e
		}
		level = f + alpha*e
		trend = phi*trend + alpha*beta*e
	}
	return level, trend, true
}

// ProgressionRatios returns the grade-progression ratio of each grade of a
// history enrol[t][g] of consecutive years: ratios[g] is the exponentially
// smoothed (weight alpha) series enrol[t][g] / enrol[t−1][g−1]. ratios[0]
// is NaN, and so is a grade without any ratio.
func ProgressionRatios(enrol [][]float64, alpha float64) []float64 {
	if len(enrol) == 0 {
		return nil
	}
	n := len(enrol[0])
	ratios := make([]float64, n)
	ratios[0] = math.NaN()
	r := make([]float64, len(enrol))
	for g := 1; g < n; g++ {
		r[0] = math.NaN()
		for t := 1; t < len(enrol); t++ {
			r[t] = math.NaN()
			if enrol[t-1][g-1] > 0 {
				r[t] = enrol[t][g] / enrol[t-1][g-1]
			}
		}
		lv, ok := Smooth(r, alpha, nil)
		if !ok {
			lv = math.NaN()
		}
		ratios[g] = lv
	}
	return ratios
}

// Progress moves a year's enrolment by grade one year on: dst[g] =
// ratios[g]·prev[g−1] for g ≥ 1 and dst[0] = entrants. It returns dst,
// allocating it when nil.
func Progress(dst, prev, ratios []float64, entrants float64) []float64 {
	if len(prev) != len(ratios) {
		panic("forecast: Progress slice lengths do not match")
	}
	if dst == nil {
		dst = make([]float64, len(prev))
	}
	for g := len(prev) - 1; g >= 1; g-- {
		dst[g] = ratios[g] * prev[g-1]
	}
	dst[0] = entrants
	return dst
}
