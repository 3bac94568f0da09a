package forecast

import (
	"math"
	"math/rand/v2"
)

// minTrendFit is the shortest log-TFR history a damped trend is fitted to;
// shorter histories fall back to the last value.
const minTrendFit = 6

// tfrSigmaFloor is the smallest yearly s.d. of log TFR used: no history is
// assumed to pin fertility down more closely.
const tfrSigmaFloor = 0.02

// minErrors is the fewest in-sample errors an h-step error s.d. is
// estimated from; longer steps are extrapolated.
const minErrors = 3

// TFRPoint returns the point forecasts 1..h steps after the end of the log
// TFR history y by method: TFRLast holds the last value (a random walk),
// TFRTrend extrapolates a damped trend and TFRCombined averages the two
// (an equal-weight forecast combination). The trend needs minTrendFit
// values; with fewer, or when its fit fails, the last value is used.
func TFRPoint(y []float64, method string, h int) []float64 {
	out := make([]float64, h)
	if len(y) == 0 || h < 1 {
		return out
	}
	last := y[len(y)-1]
	var trend DampedTrend
	haveTrend := false
	if method != TFRLast && len(y) >= minTrendFit {
		if t, err := FitDampedDrift(y); err == nil {
			trend, haveTrend = t, true
		}
	}
	for i := range out {
		switch {
		case !haveTrend:
			out[i] = last
		case method == TFRTrend:
			out[i] = trend.Forecast(i + 1)
		default:
			out[i] = (last + trend.Forecast(i+1)) / 2
		}
	}
	return out
}

// TFRErrorSD returns the root mean square of the h-step errors, h = 1..n, of
// method's forecasts of the log TFR history y made from each earlier origin
// of the history (for the trend methods, origins with at least minTrendFit
// values), so only values up to the forecast origin enter. Steps with fewer
// than minErrors errors grow from the longest estimated step as √h (a
// random walk); the result never falls with h nor below floor·√h. Without
// any estimate it is floor·√h.
func TFRErrorSD(y []float64, method string, n int, floor float64) []float64 {
	sd, _ := tfrErrorSD(y, method, n, floor)
	return sd
}

// tfrErrorSD is TFRErrorSD that also returns the number of one-step errors
// the s.d.s rest on.
func tfrErrorSD(y []float64, method string, n int, floor float64) ([]float64, int) {
	sd := make([]float64, n)
	if n < 1 {
		return sd, 0
	}
	first := 1
	if method != TFRLast {
		first = minTrendFit
	}
	ss := make([]float64, n)
	cnt := make([]int, n)
	for t := first; t < len(y); t++ {
		f := TFRPoint(y[:t], method, min(n, len(y)-t))
		for i, v := range f {
			e := y[t+i] - v
			ss[i] += e * e
			cnt[i]++
		}
	}
	known := 0 // steps 1..known have enough errors
	for known < n && cnt[known] >= minErrors {
		known++
	}
	for i := range sd {
		h := float64(i + 1)
		switch {
		case i < known:
			sd[i] = math.Sqrt(ss[i] / float64(cnt[i]))
		}
		// At least a random walk's growth from every shorter step.
		for k := 0; k < min(i, known); k++ {
			sd[i] = math.Max(sd[i], sd[k]*math.Sqrt(h/float64(k+1)))
		}
		sd[i] = math.Max(sd[i], floor*math.Sqrt(h))
		if i > 0 {
			sd[i] = math.Max(sd[i], sd[i-1])
		}
	}
	if known == 0 {
		return sd, 0
	}
	return sd, cnt[0]
}

// sdScale draws the factor √(ν/χ²_ν) by which a draw multiplies an s.d.
// estimated from ν errors, so the draws follow the predictive Student t
// distribution rather than a normal that takes the estimate as exact.
// ν = 0 gives 1.
func sdScale(rng *rand.Rand, nu int) float64 {
	if nu <= 0 {
		return 1
	}
	chi := 0.0
	for range nu {
		z := rng.NormFloat64()
		chi += z * z
	}
	return math.Sqrt(float64(nu) / chi)
}

// stepSD turns the s.d. of the h-step errors (h = 1, 2, …) into the s.d. of
// independent yearly increments whose sums have those s.d.s.
func stepSD(sd []float64) []float64 {
	out := make([]float64, len(sd))
	prev := 0.0
	for i, s := range sd {
		out[i] = math.Sqrt(math.Max(0, s*s-prev*prev))
		prev = math.Max(prev, s)
	}
	return out
}
