package optimize

import (
	"context"
	"testing"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/data/sample"
	"github.com/seatplan/seatplan/forecast"
)

// TestSampleScheduleFollowsCohorts runs the real forecast on the sample and
// plans on it: the large 2016–2017 birth cohorts leave primary school and
// fill middle schools until about 2030, so through-schools must hand
// classrooms from their primary to their middle section in those years,
// and the merge plan must still state a gap within 1 %.
func TestSampleScheduleFollowsCohorts(t *testing.T) {
	if testing.Short() {
		t.Skip("forecast and layout of the sample take about 20 s")
	}
	ds, _, err := sample.Load()
	if err != nil {
		t.Fatal(err)
	}
	sc, err := forecast.Builtin(forecast.Medium)
	if err != nil {
		t.Fatal(err)
	}
	sc.Draws = 60
	res, err := forecast.Run(context.Background(), ds, sc, forecast.Options{Areas: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	in, err := InputFromForecast(ds, res, 2035, DefaultStandards())
	if err != nil {
		t.Fatal(err)
	}
	lay, err := ProposeLayout(context.Background(), in, LayoutOptions{Seed: sc.Seed}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := lay.Verify(&in); err != nil {
		t.Errorf("invariants:\n%v", err)
	}
	if g := lay.Merges.Gap; g > 0.01 || lay.Merges.LowerBound > lay.Merges.Cost {
		t.Errorf("merge gap %.3f%% (cost %.0f, bound %.0f), want ≤ 1%%", 100*g, lay.Merges.Cost, lay.Merges.LowerBound)
	}
	// City totals of the through-schools' needs: primary classes fall,
	// middle classes rise to a peak near 2030 and fall after it.
	primary, middle := map[int]float64{}, map[int]float64{}
	toMiddle, toPrimary := 0, 0
	for _, s := range lay.Schedules {
		if s.Source != "existing" {
			continue
		}
		for _, y := range s.Years {
			primary[y.Year] += y.PrimaryClasses.P50
			middle[y.Year] += y.MiddleClasses.P50
		}
		for _, m := range s.Moves {
			if m.Year > 2031 {
				continue
			}
			switch {
			case m.From == data.LevelPrimary && m.To == data.LevelMiddle:
				toMiddle += m.Classrooms
			case m.From == data.LevelMiddle && m.To == data.LevelPrimary:
				toPrimary += m.Classrooms
			}
		}
	}
	t.Logf("through-schools: primary classes 2025 %.0f, 2030 %.0f, 2035 %.0f; middle 2025 %.0f, 2030 %.0f, 2035 %.0f; classrooms primary→middle to 2031: %d, middle→primary: %d",
		primary[2025], primary[2030], primary[2035], middle[2025], middle[2030], middle[2035], toMiddle, toPrimary)
	if !(primary[2030] < primary[2025] && primary[2035] <= primary[2030]) {
		t.Errorf("primary classes do not fall: 2025 %.0f, 2030 %.0f, 2035 %.0f", primary[2025], primary[2030], primary[2035])
	}
	peak := 2025
	for y := 2025; y <= 2035; y++ {
		if middle[y] > middle[peak] {
			peak = y
		}
	}
	if peak < 2028 || peak > 2032 || middle[peak] <= middle[2025] {
		t.Errorf("middle classes peak in %d (%.0f, 2025 %.0f); want a rise to a peak in 2028–2032", peak, middle[peak], middle[2025])
	}
	if toMiddle == 0 || toMiddle <= toPrimary {
		t.Errorf("classrooms moved primary→middle to 2031: %d, middle→primary: %d; want a net shift to middle", toMiddle, toPrimary)
	}
}
