package forecast

import "slices"

// Quantiles holds the 10th, 50th and 90th percentiles of a quantity over
// the Monte Carlo draws.
type Quantiles struct {
	P10 float64 `json:"p10"`
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
}

// Scale returns q with every percentile multiplied by f ≥ 0.
func (q Quantiles) Scale(f float64) Quantiles { return Quantiles{q.P10 * f, q.P50 * f, q.P90 * f} }

// Contains reports whether v lies in [P10, P90].
func (q Quantiles) Contains(v float64) bool { return v >= q.P10 && v <= q.P90 }

// Quantile returns the p-quantile of x (0 ≤ p ≤ 1) by linear interpolation
// between order statistics at rank p·(n−1) (Hyndman and Fan's type 7, the
// default of R and NumPy). It reorders x. It panics on an empty x.
func Quantile(x []float32, p float64) float64 {
	if len(x) == 0 {
		panic("forecast: quantile of no values")
	}
	if !(p >= 0 && p <= 1) {
		panic("forecast: quantile probability out of [0, 1]")
	}
	h := p * float64(len(x)-1)
	lo := int(h)
	v := float64(selectK(x, lo))
	if lo+1 < len(x) && h > float64(lo) {
		// After selection everything right of lo is ≥ x[lo]; the next
		// order statistic is their minimum.
		next := x[lo+1]
		for _, y := range x[lo+2:] {
			if y < next {
				next = y
			}
		}
		v += (h - float64(lo)) * (float64(next) - v)
	}
	return v
}

// quantiles returns P10, P50 and P90 of x (type 7, as Quantile), reordering
// x.
func quantiles(x []float32) Quantiles {
	var q quantiler
	return q.of(x)
}

// quantiler computes P10/P50/P90 by bucket selection: one pass for the
// range, one to count the values in 256 equal-width buckets, one to gather
// the values of the buckets holding the needed order statistics, which
// alone are sorted. Its scratch space is reused between calls.
type quantiler struct {
	counts   [256]int32
	bucketOf []uint8 // bucket of each value
	scratch  []float32
}

func (qt *quantiler) of(x []float32) Quantiles {
	n := len(x)
	if n < 16 {
		return Quantiles{P10: Quantile(x, 0.1), P50: Quantile(x, 0.5), P90: Quantile(x, 0.9)}
	}
	lo, hi := minMax(x)
	if lo == hi {
		return Quantiles{float64(lo), float64(lo), float64(lo)}
	}
	const nb = len(quantiler{}.counts)
	scale := float64(nb) / (float64(hi) - float64(lo))
	flo := float64(lo)
	if cap(qt.bucketOf) < n {
		qt.bucketOf = make([]uint8, n)
		qt.scratch = make([]float32, n)
	}
	bucketOf := qt.bucketOf[:n]
	clear(qt.counts[:])
	for i, v := range x {
		b := min(nb-1, int((float64(v)-flo)*scale))
		qt.counts[b]++
		bucketOf[i] = uint8(b)
	}
	// start[b] is the rank of bucket b's first value.
	var start [nb + 1]int32
	for b := 0; b < nb; b++ {
		start[b+1] = start[b] + qt.counts[b]
	}
	bucketOfRank := func(k int) int {
		b := 0
		for int(start[b+1]) <= k {
			b++
		}
		return b
	}
	// The ranks type 7 interpolates between for P10, P50 and P90.
	var ranks [6]int
	for i, p := range [3]float64{0.1, 0.5, 0.9} {
		k := int(p * float64(n-1))
		ranks[2*i], ranks[2*i+1] = k, min(k+1, n-1)
	}
	// Gather the needed buckets' values, each bucket at its ranks'
	// positions in scratch, then sort each of them.
	var next [nb]int32
	for b := range next {
		next[b] = -1
	}
	for _, k := range ranks {
		b := bucketOfRank(k)
		next[b] = start[b]
	}
	sorted := qt.scratch[:n]
	for i, b := range bucketOf {
		if p := next[b]; p >= 0 {
			sorted[p] = x[i]
			next[b] = p + 1
		}
	}
	done := [nb]bool{}
	for _, k := range ranks {
		b := bucketOfRank(k)
		if !done[b] {
			slices.Sort(sorted[start[b]:start[b+1]])
			done[b] = true
		}
	}
	at := func(p float64) float64 {
		h := p * float64(n-1)
		k := int(h)
		v := float64(sorted[k])
		if f := h - float64(k); f > 0 {
			v += f * (float64(sorted[k+1]) - v)
		}
		return v
	}
	return Quantiles{P10: at(0.1), P50: at(0.5), P90: at(0.9)}
}

// minMax returns the smallest and largest of x (len(x) ≥ 4) with four
// independent running pairs, which do not wait on each other. The builtin
// min and max give the same result in any order (a NaN wins, −0 is below
// +0), so the split changes nothing.
func minMax(x []float32) (lo, hi float32) {
	l0, l1, l2, l3 := x[0], x[1], x[2], x[3]
	h0, h1, h2, h3 := l0, l1, l2, l3
	i := 4
	for ; i+4 <= len(x); i += 4 {
		l0, h0 = min(l0, x[i]), max(h0, x[i])
		l1, h1 = min(l1, x[i+1]), max(h1, x[i+1])
		l2, h2 = min(l2, x[i+2]), max(h2, x[i+2])
		l3, h3 = min(l3, x[i+3]), max(h3, x[i+3])
	}
	for ; i < len(x); i++ {
		l0, h0 = min(l0, x[i]), max(h0, x[i])
	}
	return min(min(l0, l1), min(l2, l3)), max(max(h0, h1), max(h2, h3))
}

// selectK reorders x so that x[k] is the k-th smallest value, everything
// before it is ≤ and everything after it ≥ (Hoare's selection with a
// median-of-three pivot).
func selectK(x []float32, k int) float32 {
	lo, hi := 0, len(x)-1
	for hi > lo {
		mid := lo + (hi-lo)/2
		if x[mid] < x[lo] {
			x[mid], x[lo] = x[lo], x[mid]
		}
		if x[hi] < x[lo] {
			x[hi], x[lo] = x[lo], x[hi]
		}
		if x[hi] < x[mid] {
			x[hi], x[mid] = x[mid], x[hi]
		}
		pivot := x[mid]
		i, j := lo, hi
		for i <= j {
			for x[i] < pivot {
				i++
			}
			for x[j] > pivot {
				j--
			}
			if i <= j {
				x[i], x[j] = x[j], x[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return x[k]
		}
	}
	return x[k]
}
