package forecast

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
// x: the median's selection splits x so the outer percentiles search halves.
func quantiles(x []float32) Quantiles {
	n := len(x)
	if n < 4 {
		return Quantiles{P10: Quantile(x, 0.1), P50: Quantile(x, 0.5), P90: Quantile(x, 0.9)}
	}
	at := func(p float64, lo, hi int) float64 {
		// x[lo:hi] holds the order statistics of ranks lo..hi−1.
		h := p * float64(n-1)
		k := int(h)
		v := float64(selectK(x[lo:hi], k-lo))
		if f := h - float64(k); f > 0 && k+1 < hi {
			next := x[k+1]
			for _, y := range x[k+2 : hi] {
				if y < next {
					next = y
				}
			}
			v += f * (float64(next) - v)
		}
		return v
	}
	k50 := int(0.5 * float64(n-1))
	k90 := int(0.9 * float64(n-1))
	p50 := at(0.5, 0, n)
	// Everything left of k50 is ≤ x[k50], everything right ≥; the ranks
	// above k50 needed by P50's interpolation were only scanned.
	p10 := at(0.1, 0, k50+1)
	p90 := at(0.9, k50+1, n)
	if k90 <= k50 {
		p90 = at(0.9, 0, n)
	}
	return Quantiles{P10: p10, P50: p50, P90: p90}
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
