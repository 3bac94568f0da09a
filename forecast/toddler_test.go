package forecast

import (
	"context"
	"math"
	"strings"
	"testing"
)

// The tiny county reports no 托班 (K0) pupils. A scenario take-up of 10 %
// of two-year-olds opens it in the county's one kindergarten: in 2025 the
// two-year-olds are the blend ⅓·(born 2022) + ⅔·(born 2023) of the 2024
// population, 320/3 + 2·280/3 = 293.3, so K0 holds about 29.3 pupils in
// two classes of 20, and in 2027 (born 2024 and 2025; 2024 births 240,
// 2025 from the fertility forecast) fewer still. Without the take-up the
// forecast is unchanged.
func TestToddlerTakeUpOpensK0(t *testing.T) {
	base := Default()
	base.Draws, base.Seed = 1, 3
	with := base
	with.TwoYearOldTakeUp = Path{{Year: 2025, Value: 0.1}}
	ctx := context.Background()
	r0, err := Run(ctx, tinyDataset(), base, Options{Workers: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r1, err := Run(ctx, tinyDataset(), with, Options{Workers: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	kg := func(r *Result, year int) (pupils, classes float64) {
		for _, s := range r.Schools {
			if s.SchoolID != "K1" {
				continue
			}
			for _, y := range s.Years {
				if y.Year == year {
					return y.Pupils.P50, y.Classes.P50
				}
			}
		}
		t.Fatalf("no K1 forecast for %d", year)
		return 0, 0
	}
	p0, c0 := kg(r0, 2025)
	p1, c1 := kg(r1, 2025)
	if d := p1 - p0; math.Abs(d-29.33) > 0.6 {
		t.Errorf("2025 K0 pupils %.2f (%.2f − %.2f), want about 29.3", d, p1, p0)
	}
	if c1-c0 != 2 {
		t.Errorf("2025 classes %v → %v, want two more (K0 class size 20)", c0, c1)
	}
	d25 := p1 - p0
	q0, _ := kg(r0, 2027)
	q1, _ := kg(r1, 2027)
	if d := q1 - q0; d <= 0 || d >= d25 {
		t.Errorf("2027 K0 pupils %.2f, want fewer than 2025's %.2f but some", d, d25)
	}
	// City kindergarten pupils rise by the same amount.
	city := func(r *Result, year int) float64 {
		for _, y := range r.City.Years {
			if y.Year == year {
				return y.Levels[0].Pupils.P50
			}
		}
		return math.NaN()
	}
	if d := city(r1, 2025) - city(r0, 2025); math.Abs(d-d25) > 1e-3 {
		t.Errorf("city kindergarten rises by %.3f, school by %.3f", d, d25)
	}
	found := false
	for _, n := range r1.Notes {
		found = found || strings.Contains(n, "托班 (K0): 东县 report no K0 pupils")
	}
	if !found {
		t.Errorf("no note on the opened 托班: %q", r1.Notes)
	}
	for _, n := range r0.Notes {
		if strings.Contains(n, "托班 (K0)") {
			t.Errorf("note without a take-up: %q", n)
		}
	}
}
