package forecast

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/stat"
)

func TestCohortStep(t *testing.T) {
	// Survival 0.9 at every age, births 0.5 survive to the year's end;
	// migration +10 % at age 1, −20 % in the open group; SRB 1 splits the
	// births evenly.
	var s Survival
	for sex := 0; sex < 2; sex++ {
		for a := range s.Year[sex] {
			s.Year[sex][a] = 0.9
		}
		s.Birth[sex] = 0.5
	}
	pop := make([]float64, nCell)
	mig := make([]float64, nCell)
	pop[0] = 100        // boys aged 0
	pop[5] = 50         // boys aged 5
	pop[maxAge-1] = 10  // boys aged 99
	pop[maxAge] = 20    // boys aged 100+
	pop[female+0] = 200 // girls aged 0
	mig[1] = 0.1        // boys reaching 1
	mig[maxAge] = -0.2  // boys in the open group
	next := make([]float64, nCell)
	CohortStep(next, pop, &s, mig, 0, 40, 1)
	cases := []struct {
		name string
		got  float64
		want float64
	}{
		{"boys aged 1: 100 × 0.9 × 1.1", next[1], 99},
		{"boys aged 6: 50 × 0.9", next[6], 45},
		{"boys 100+: (10 + 20) × 0.9 × 0.8", next[maxAge], 21.6},
		{"boys born: 40 × ½ × 0.5", next[0], 10},
		{"girls born: 40 × ½ × 0.5", next[female], 10},
		{"girls aged 1: 200 × 0.9", next[female+1], 180},
		{"boys aged 2: none", next[2], 0},
	}
	for _, c := range cases {
		if !scalar.EqualWithinAbsOrRel(c.got, c.want, 1e-12, 1e-12) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	// A shift adds to every rate: boys aged 6 with shift −0.1.
	CohortStep(next, pop, &s, mig, -0.1, 40, 1)
	if got := next[6]; !scalar.EqualWithinAbsOrRel(got, 40.5, 1e-12, 1e-12) {
		t.Errorf("boys aged 6 with shift −0.1 = %v, want 40.5", got)
	}
}

func TestModelSurvival(t *testing.T) {
	s := ModelSurvival(1)
	for sex, want := range [2][2]float64{{73, 78}, {78, 84}} {
		if e := s.LifeExpectancy(sex); e < want[0] || e > want[1] {
			t.Errorf("life expectancy of sex %d = %.1f, want %v–%v", sex, e, want[0], want[1])
		}
	}
	if q0 := 1 - s.Year[0][0]; q0 < 0.003 || q0 > 0.01 {
		t.Errorf("male infant mortality %.4f, want 3–10 per 1,000", q0)
	}
	worse := ModelSurvival(2)
	if worse.LifeExpectancy(1) >= s.LifeExpectancy(1) {
		t.Error("doubling mortality did not shorten life")
	}
}

func TestFertilitySchedule(t *testing.T) {
	f := FertilitySchedule(29, 5)
	sum, mean := 0.0, 0.0
	for i, v := range f {
		sum += v
		mean += v * (15 + float64(i) + 0.5)
	}
	if !scalar.EqualWithinAbsOrRel(sum, 1, 1e-12, 1e-12) {
		t.Errorf("schedule sums to %v, want 1", sum)
	}
	if math.Abs(mean-29) > 0.5 {
		t.Errorf("mean age at birth %.2f, want about 29", mean)
	}
}

func TestRatioEstimate(t *testing.T) {
	cases := []struct {
		name string
		y, x []float64
		want float64
		ok   bool
	}{
		// (90 + 110 + 95) / (100 + 100 + 100) = 295/300.
		{"three years", []float64{90, 110, 95}, []float64{100, 100, 100}, 295.0 / 300, true},
		// The pair with x = 0 and the NaN are skipped: (50 + 30)/(100 + 60).
		{"skips gaps", []float64{50, 7, math.NaN(), 30}, []float64{100, 0, 80, 60}, 0.5, true},
		{"nothing", []float64{1}, []float64{0}, 0, false},
	}
	for _, c := range cases {
		got, ok := RatioEstimate(c.y, c.x)
		if ok != c.ok || !scalar.EqualWithinAbsOrRel(got, c.want, 1e-12, 1e-12) {
			t.Errorf("%s: RatioEstimate = %v, %v; want %v, %v", c.name, got, ok, c.want, c.ok)
		}
	}
}

func TestSmooth(t *testing.T) {
	// α = 0.4: s = 1.00; then 0.4·1.10 + 0.6·1.00 = 1.04; then
	// 0.4·0.98 + 0.6·1.04 = 1.016. Errors: 1.10 − 1.00, 0.98 − 1.04.
	resid := make([]float64, 4)
	got, ok := Smooth([]float64{1.00, math.NaN(), 1.10, 0.98}, 0.4, resid)
	if !ok || !scalar.EqualWithinAbsOrRel(got, 1.016, 1e-12, 1e-12) {
		t.Errorf("Smooth = %v, %v; want 1.016", got, ok)
	}
	want := []float64{math.NaN(), math.NaN(), 0.10, -0.06}
	for i := range want {
		if math.IsNaN(want[i]) != math.IsNaN(resid[i]) || (!math.IsNaN(want[i]) && math.Abs(resid[i]-want[i]) > 1e-12) {
			t.Errorf("resid[%d] = %v, want %v", i, resid[i], want[i])
		}
	}
}

func TestTrend(t *testing.T) {
	// A straight line is fitted exactly: level at the last point, slope
	// kept, no errors.
	r := []float64{0.50, 0.52, 0.54, 0.56}
	resid := make([]float64, len(r))
	level, trend, ok := Trend(r, 0.4, 0.3, 1, resid)
	if !ok || !scalar.EqualWithinAbsOrRel(level, 0.56, 1e-12, 1e-12) || !scalar.EqualWithinAbsOrRel(trend, 0.02, 1e-12, 1e-12) {
		t.Errorf("Trend(line) = %v, %v, %v; want 0.56, 0.02", level, trend, ok)
	}
	for i, e := range resid[1:] {
		if math.Abs(e) > 1e-12 {
			t.Errorf("resid[%d] = %v, want 0", i+1, e)
		}
	}
	// Hand computation with damping 0.5 on 1, 3, 2: the least-squares
	// line is 1.5 + 0.5·x, so ℓ₀ = 1.5, b₀ = 0.5 at x = 0. Value 3:
	// f = 1.75, e = 1.25, ℓ = 2.25, b = 0.25 + 0.4·0.3·1.25 = 0.4.
	// Value 2: f = 2.45, e = −0.45, ℓ = 2.27, b = 0.2 − 0.054 = 0.146.
	level, trend, _ = Trend([]float64{1, 3, 2}, 0.4, 0.3, 0.5, resid[:3])
	if !scalar.EqualWithinAbsOrRel(level, 2.27, 1e-12, 1e-12) || !scalar.EqualWithinAbsOrRel(trend, 0.146, 1e-12, 1e-12) {
		t.Errorf("Trend(1, 3, 2) = %v, %v; want 2.27, 0.146", level, trend)
	}
	if !scalar.EqualWithinAbsOrRel(resid[2], -0.45, 1e-12, 1e-12) {
		t.Errorf("last error %v, want −0.45", resid[2])
	}
}

func TestShrink(t *testing.T) {
	// 10 pupils at ratio 0.8 and a county prior 1.0 worth 30: (8 + 30)/40.
	if got := Shrink(0.8, 10, 1.0, 30); !scalar.EqualWithinAbsOrRel(got, 0.95, 1e-12, 1e-12) {
		t.Errorf("Shrink = %v, want 0.95", got)
	}
}

func TestEntryBlend(t *testing.T) {
	births := map[int]float64{2015: 1655, 2016: 1786, 2017: 1723}
	at := func(y int) float64 { return births[y] }
	cases := []struct {
		year int
		want float64
	}{
		// Entrants of autumn 2022 were born Sep 2015–Aug 2016.
		{2022, 1655.0/3 + 2*1786.0/3},
		{2023, 1786.0/3 + 2*1723.0/3},
	}
	for _, c := range cases {
		if got := EntryBlend(at, c.year, 6, 1.0/3); !scalar.EqualWithinAbsOrRel(got, c.want, 1e-12, 1e-12) {
			t.Errorf("EntryBlend(%d) = %v, want %v", c.year, got, c.want)
		}
	}
}

func TestRake(t *testing.T) {
	// Two townships × two cells. Start [[10 20] [30 40]]; rows target
	// 40 and 60 (already the total 100 of the columns 30 and 70).
	// Row step: row 1 ×40/30, row 2 ×60/70 → [[13.333 26.667] [25.714
	// 34.286]]. Column step: col 1 sums 39.048 → ×30/39.048, col 2 sums
	// 60.952 → ×70/60.952.
	m := []float64{10, 20, 30, 40}
	Rake(m, 2, 2, []float64{40, 60}, []float64{30, 70}, 1, make([]float64, 2))
	r1 := []float64{40.0 / 3, 80.0 / 3}
	r2 := []float64{30 * 60.0 / 70, 40 * 60.0 / 70}
	c1, c2 := r1[0]+r2[0], r1[1]+r2[1]
	want := []float64{r1[0] * 30 / c1, r1[1] * 70 / c2, r2[0] * 30 / c1, r2[1] * 70 / c2}
	for i := range want {
		if !scalar.EqualWithinAbsOrRel(m[i], want[i], 1e-12, 1e-12) {
			t.Errorf("m[%d] = %v, want %v", i, m[i], want[i])
		}
	}
	// Without row targets one cycle is the column step alone.
	m = []float64{10, 20, 30, 40}
	Rake(m, 2, 2, nil, []float64{30, 70}, 1, make([]float64, 2))
	if want := []float64{7.5, 70.0 / 3, 22.5, 140.0 / 3}; !scalar.EqualWithinAbsOrRel(m[0], want[0], 1e-12, 1e-12) || !scalar.EqualWithinAbsOrRel(m[3], want[3], 1e-12, 1e-12) {
		t.Errorf("column step = %v, want %v", m, want)
	}
	// Many cycles converge to both margins.
	m = []float64{10, 20, 30, 40}
	Rake(m, 2, 2, []float64{40, 60}, []float64{30, 70}, 50, make([]float64, 2))
	if got := m[0] + m[1]; math.Abs(got-40) > 1e-9 {
		t.Errorf("row 1 after 50 cycles = %v, want 40", got)
	}
	if got := m[0] + m[2]; math.Abs(got-30) > 1e-9 {
		t.Errorf("column 1 after 50 cycles = %v, want 30", got)
	}
}

func TestQuantile(t *testing.T) {
	cases := []struct {
		name string
		x    []float32
		p    float64
		want float64
	}{
		// Type 7: rank p·(n−1).
		{"median of 4", []float32{4, 1, 3, 2}, 0.5, 2.5},
		{"p10 of 1..11", []float32{11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, 0.1, 2},
		{"p90 of 1..5", []float32{5, 3, 1, 4, 2}, 0.9, 4.6},
		{"p10 of 1..5", []float32{5, 3, 1, 4, 2}, 0.1, 1.4},
		{"single", []float32{7}, 0.9, 7},
		{"ties", []float32{2, 2, 2, 1}, 0.5, 2},
	}
	for _, c := range cases {
		if got := Quantile(slices.Clone(c.x), c.p); !scalar.EqualWithinAbsOrRel(got, c.want, 1e-6, 1e-6) {
			t.Errorf("%s: Quantile(%v) = %v, want %v", c.name, c.p, got, c.want)
		}
	}
}

func TestQuantilesAgreeWithSorting(t *testing.T) {
	// quantiles uses nested selections; compare with gonum's empirical
	// quantile on sorted data at the order statistics (type 7 equals
	// linear interpolation between them).
	for n := 4; n <= 1000; n += 37 {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32((i*7919)%n) + float32(i%3)/4
			if n%3 == 0 {
				// Clustered values and one far outlier: one bucket
				// holds nearly everything.
				x[i] = 500 + float32(i%7)
			}
		}
		if n%3 == 0 {
			x[n/2] = 1e6
		}
		sorted := make([]float64, n)
		for i, v := range x {
			sorted[i] = float64(v)
		}
		slices.Sort(sorted)
		q := quantiles(slices.Clone(x))
		for _, pc := range []struct {
			p   float64
			got float64
		}{{0.1, q.P10}, {0.5, q.P50}, {0.9, q.P90}} {
			h := pc.p * float64(n-1)
			k := int(h)
			want := sorted[k]
			if k+1 < n {
				want += (h - float64(k)) * (sorted[k+1] - sorted[k])
			}
			if math.Abs(pc.got-want) > 1e-4 {
				t.Fatalf("n=%d p=%v: %v, want %v", n, pc.p, pc.got, want)
			}
		}
		// At the order statistics themselves gonum agrees.
		if n%2 == 1 {
			if med := stat.Quantile(0.5, stat.Empirical, sorted, nil); med != q.P50 {
				t.Errorf("n=%d: median %v, gonum %v", n, q.P50, med)
			}
		}
	}
}

func TestPath(t *testing.T) {
	p := Path{{2025, 1.0}, {2035, 1.2}}
	cases := []struct {
		year int
		want float64
	}{{2020, 1.0}, {2025, 1.0}, {2030, 1.1}, {2035, 1.2}, {2040, 1.2}}
	for _, c := range cases {
		if got := p.At(c.year, 9); !scalar.EqualWithinAbsOrRel(got, c.want, 1e-12, 1e-12) {
			t.Errorf("At(%d) = %v, want %v", c.year, got, c.want)
		}
	}
	if got := (Path{}).At(2030, 9); got != 9 {
		t.Errorf("empty path At = %v, want the default 9", got)
	}
}

func TestFitDampedTrend(t *testing.T) {
	// A series rising by 1 a year is fitted with a positive trend and
	// forecast upward; a short series is refused.
	y := []float64{10, 11, 12, 13, 14, 15, 16, 17}
	m, err := FitDampedTrend(y)
	if err != nil {
		t.Fatal(err)
	}
	if f := m.Forecast(1); f < 17.5 || f > 18.1 {
		t.Errorf("one year ahead %v, want about 18", f)
	}
	if m.Forecast(10) <= m.Forecast(1) {
		t.Error("trend not carried forward")
	}
	if _, err := FitDampedTrend(y[:3]); err == nil {
		t.Error("three values accepted")
	}
}

func TestNoiseTable(t *testing.T) {
	z := make([]float64, 101)
	for i := range z {
		z[i] = float64(i) / 100 // 0..1, mean 0.5
	}
	tab := noiseTable(z)
	if math.Abs(float64(tab[0])+0.498) > 0.003 || math.Abs(float64(tab[noiseLevels-1])-0.498) > 0.003 {
		t.Errorf("table ends %v, %v; want about ±0.498", tab[0], tab[noiseLevels-1])
	}
	var zero [noiseLevels]float32
	if noiseTable(z[:5]) != zero {
		t.Error("five errors gave noise")
	}
}

func TestTFRPointAndErrors(t *testing.T) {
	// A steady fall of 0.1 a year: the random walk holds the last value,
	// the damped drift (α = 1) learns the fall and the combination averages.
	y := []float64{1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3}
	last := TFRPoint(y, TFRLast, 2)
	if last[0] != 0.3 || last[1] != 0.3 {
		t.Errorf("last: %v", last)
	}
	tr := TFRPoint(y, TFRTrend, 2)
	if tr[0] > 0.25 || tr[1] > tr[0] {
		t.Errorf("trend does not continue the fall: %v", tr)
	}
	comb := TFRPoint(y, TFRCombined, 2)
	for i := range comb {
		if math.Abs(comb[i]-(last[i]+tr[i])/2) > 1e-12 {
			t.Errorf("combined %d: %v, expected the mean of %v and %v", i, comb[i], last[i], tr[i])
		}
	}
	// The random walk's h-step errors on this line are exactly 0.1·h.
	sd := TFRErrorSD(y, TFRLast, 3, 0.02)
	for i, want := range []float64{0.1, 0.2, 0.3} {
		if math.Abs(sd[i]-want) > 1e-12 {
			t.Errorf("random-walk error s.d. at %d: %v, expected %v", i+1, sd[i], want)
		}
	}
	// Too short for any error: the floor grows as √h.
	sd = TFRErrorSD(y[:1], TFRLast, 4, 0.02)
	if math.Abs(sd[3]-0.04) > 1e-12 {
		t.Errorf("floor at 4 steps: %v, expected 0.04", sd[3])
	}
	// Increments: √(0.1²), √(0.2²−0.1²), √(0.3²−0.2²).
	st := stepSD([]float64{0.1, 0.2, 0.3})
	for i, want := range []float64{0.1, math.Sqrt(0.03), math.Sqrt(0.05)} {
		if math.Abs(st[i]-want) > 1e-12 {
			t.Errorf("step %d: %v, expected %v", i+1, st[i], want)
		}
	}
}

func TestSDScale(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	if s := sdScale(rng, 0); s != 1 {
		t.Errorf("ν = 0: %v", s)
	}
	// E[ν/χ²_ν] = ν/(ν−2): 10/8 for ν = 10.
	sum := 0.0
	const n = 20000
	for range n {
		s := sdScale(rng, 10)
		sum += s * s
	}
	if m := sum / n; math.Abs(m-1.25) > 0.03 {
		t.Errorf("mean squared scale %v, expected 1.25", m)
	}
}
