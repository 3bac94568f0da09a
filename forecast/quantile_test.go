package forecast

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// sortedQuantile is the type 7 quantile by a full sort, with the same
// arithmetic as the quantiler, so the two must agree bit for bit.
func sortedQuantile(s []float32, p float64) float64 {
	h := p * float64(len(s)-1)
	k := int(h)
	v := float64(s[k])
	if f := h - float64(k); f > 0 {
		v += f * (float64(s[k+1]) - v)
	}
	return v
}

// TestQuantilerReuse runs one quantiler over inputs of changing sizes and
// shapes (ties, outliers, negative values) and compares every percentile
// exactly with a full sort.
func TestQuantilerReuse(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var qt quantiler
	for _, n := range []int{1000, 16, 17, 999, 200, 2000, 1001, 50} {
		for shape := 0; shape < 4; shape++ {
			x := make([]float32, n)
			for i := range x {
				switch shape {
				case 0:
					x[i] = float32(rng.NormFloat64() * 100)
				case 1: // few distinct values
					x[i] = float32(rng.IntN(5))
				case 2: // a far outlier squeezes the rest into one bucket
					x[i] = 1000 + float32(rng.Float64())
				default:
					x[i] = float32(rng.ExpFloat64())
				}
			}
			if shape == 2 {
				x[rng.IntN(n)] = 1e9
			}
			s := slices.Clone(x)
			slices.Sort(s)
			got := qt.of(slices.Clone(x))
			want := Quantiles{sortedQuantile(s, 0.1), sortedQuantile(s, 0.5), sortedQuantile(s, 0.9)}
			if got != want {
				t.Errorf("n=%d shape %d: %+v, want %+v", n, shape, got, want)
			}
		}
	}
}

func BenchmarkQuantiler(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, 1000)
	for i := range x {
		x[i] = float32(rng.NormFloat64()*30 + 400)
	}
	buf := make([]float32, len(x))
	var qt quantiler
	b.ReportAllocs()
	for b.Loop() {
		copy(buf, x)
		qt.of(buf)
	}
}

// TestMinMaxSignedZero checks that the split running minimum keeps the
// builtin's rule that −0 is below +0, whatever the position of the zeros.
func TestMinMaxSignedZero(t *testing.T) {
	negZero := float32(math.Copysign(0, -1))
	for n := 4; n <= 11; n++ {
		for at := 0; at < n; at++ {
			x := make([]float32, n)
			x[at] = negZero
			lo, hi := minMax(x)
			if !math.Signbit(float64(lo)) || math.Signbit(float64(hi)) {
				t.Errorf("n=%d, −0 at %d: min %v (sign %v), max %v", n, at, lo, math.Signbit(float64(lo)), hi)
			}
			x[at] = -3
			x[(at+1)%n] = 7
			if lo, hi := minMax(x); lo != -3 || hi != 7 {
				t.Errorf("n=%d: minMax = %v, %v, want -3, 7", n, lo, hi)
			}
		}
	}
}
