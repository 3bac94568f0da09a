package optimize

import (
	"context"
	"testing"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/data/sample"
)

// sampleInput returns the embedded sample with the carry-forward stand-in
// forecast from its last enrolment year to 2035.
func sampleInput(t testing.TB) LayoutInput {
	t.Helper()
	ds, _, err := sample.Load()
	if err != nil {
		t.Fatal(err)
	}
	return carryInput(ds, 2024, 2035)
}

func carryInput(ds *data.Dataset, base, target int) LayoutInput {
	var years []int
	for y := base + 1; y <= target; y++ {
		years = append(years, y)
	}
	sf, ad := CarryForward(ds, base, years)
	return LayoutInput{Dataset: ds, BaseYear: base, TargetYear: target, Years: years, SchoolForecast: sf, AreaDemand: ad}
}

func TestProposeLayoutSample(t *testing.T) {
	if testing.Short() {
		t.Skip("sample layout takes about 15 s")
	}
	in := sampleInput(t)
	lay, err := ProposeLayout(context.Background(), in, LayoutOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := lay.Verify(&in); err != nil {
		t.Errorf("invariants:\n%v", err)
	}
	mp := lay.Merges
	t.Logf("merges: %d candidates, %d closed, %d kept; cost %.0f, base %.0f, bound %.0f: gap %.2f%%, saving gap %.3f%%, %d flow solves",
		mp.Candidates, len(mp.Proposals), len(mp.Kept), mp.Cost, mp.BaseCost, mp.LowerBound, 100*mp.Gap, 100*mp.SavingGap, mp.Evaluations)
	for k := range lay.Before {
		b, a := lay.Before[k], lay.After[k]
		t.Logf("%-12s within limit %.3f → %.3f, mean km %.2f → %.2f, P95 km %.2f → %.2f, under 100 %d → %d, oversized %d → %d, short %d → %d, utilisation %.2f → %.2f, unmet %d → %d",
			b.Level, b.WithinLimitShare, a.WithinLimitShare, b.MeanKm, a.MeanKm, b.P95Km, a.P95Km, b.SchoolsUnder100, a.SchoolsUnder100,
			b.OversizedClasses, a.OversizedClasses, b.ClassroomsShort, a.ClassroomsShort, b.Utilisation, a.Utilisation, b.Unmet, a.Unmet)
	}
	t.Logf("new schools %d, reuses %d, conversions %d, schedules %d, expansions %d", len(lay.NewSchools), len(lay.Reuses),
		len(lay.Conversions), len(lay.Schedules), len(lay.Expansions))
	if mp.LowerBound > mp.Cost {
		t.Errorf("lower bound %.0f above cost %.0f", mp.LowerBound, mp.Cost)
	}
	if mp.SavingGap > 0.01 {
		t.Errorf("saving gap %.3f%% > 1%%", 100*mp.SavingGap)
	}
	if len(mp.Proposals) == 0 {
		t.Error("no merge proposed on the sample")
	}
	for _, p := range mp.Proposals {
		if p.Reason == "" || p.ReasonZH == "" || p.RecommendedYear < 2025 || p.RecommendedYear > 2035 {
			t.Errorf("proposal %s: reason or year missing: %+v", p.SchoolID, p)
			break
		}
	}
}
