package optimize

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"

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
		t.Skip("sample layout takes about 10 s")
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
	// The gap: (cost − bound)/cost.
	if gap := (mp.Cost - mp.LowerBound) / mp.Cost; gap > 0.01 || math.Abs(gap-mp.Gap) > 1e-9 {
		t.Errorf("gap %.3f%% (reported %.3f%%), want ≤ 1%%", 100*gap, 100*mp.Gap)
	}
	// A careful plan: some small schools close, many stay.
	if share := float64(len(mp.Proposals)) / float64(mp.Candidates); share < 0.2 || share > 0.85 {
		t.Errorf("%d of %d candidates closed (%.0f%%), want a share between 20%% and 85%%", len(mp.Proposals), mp.Candidates, 100*share)
	}
	for _, p := range mp.Proposals {
		if p.RecommendedYear < 2025 || p.RecommendedYear > 2035 {
			t.Errorf("proposal %s: recommended year %d", p.SchoolID, p.RecommendedYear)
		}
		// The reason names the journey (or that nobody moves) and the
		// saving.
		journey, journeyZH := " min door to door", "分钟"
		if len(p.Receivers) == 0 {
			journey, journeyZH = "so no pupils move", "无需分流学生"
		}
		for _, want := range []string{journey, "Saves ", " CNY a year", " teacher posts "} {
			if !strings.Contains(p.Reason, want) {
				t.Errorf("proposal %s: reason lacks %q: %s", p.SchoolID, want, p.Reason)
			}
		}
		for _, want := range []string{journeyZH, "每年节省", "教师编制"} {
			if !strings.Contains(p.ReasonZH, want) {
				t.Errorf("proposal %s: Chinese reason lacks %q: %s", p.SchoolID, want, p.ReasonZH)
			}
		}
		if p.AnnualSaving <= 0 {
			t.Errorf("proposal %s saves %.0f CNY a year", p.SchoolID, p.AnnualSaving)
		}
	}
	if len(mp.Proposals) > 0 {
		t.Logf("example: %s", mp.Proposals[0].Reason)
	}
	// Necessary village schools: every candidate with a grade that has no
	// school within the primary distance stays, marked necessary.
	closed := map[string]bool{}
	for _, p := range mp.Proposals {
		closed[p.SchoolID] = true
	}
	far := villageSchoolsBeyondReach(t, &in)
	if len(far) == 0 {
		t.Error("the sample has no village school beyond reach; the check below tests nothing")
	}
	kept := map[string]KeptSchool{}
	for _, k := range mp.Kept {
		kept[k.SchoolID] = k
	}
	for _, id := range far {
		k, ok := kept[id]
		switch {
		case closed[id]:
			t.Errorf("school %s has no receiver within reach but is closed", id)
		case !ok || !k.Necessary || !strings.Contains(k.Reason, "necessary village school"):
			t.Errorf("school %s has no receiver within reach but is not kept as necessary: %+v", id, k)
		}
	}
	necessary := 0
	for _, k := range mp.Kept {
		if k.Necessary {
			necessary++
		}
	}
	t.Logf("%d kept as necessary village schools (%d beyond the merge distance), e.g. %s", necessary, len(far), kept[far[0]].Reason)
}

// villageSchoolsBeyondReach returns the small schools of in with pupils in a
// grade no other school of the county teaching that grade lies within the
// merge distance of, measured independently of the merge model as
// great-circle distance × circuity (the sample has no roads).
func villageSchoolsBeyondReach(t *testing.T, in *LayoutInput) []string {
	t.Helper()
	st := DefaultStandards()
	ds := in.Dataset
	if len(ds.Roads) > 0 {
		t.Fatal("villageSchoolsBeyondReach measures without roads")
	}
	fc := in.SchoolForecast
	var out []string
	for i := range ds.Schools {
		s := &ds.Schools[i]
		if s.Keep || s.Type == data.High || s.Type == data.Kindergarten {
			continue
		}
		span, py := s.GradeSpan(), s.PrimaryYears
		if py != 5 {
			py = 6
		}
		pupils := 0
		var has [16]bool
		for g := max(span.Lo, 1); g <= min(span.Hi, 9); g++ {
			e := fc[s.ID][in.TargetYear]
			n := int(math.Round(e.At(g).P50))
			pupils += n
			has[g-data.GradeK0] = n > 0
		}
		if pupils >= st.SmallSchool && s.Type != data.TeachingPoint || pupils == 0 {
			continue
		}
		for g := max(span.Lo, 1); g <= min(span.Hi, 9); g++ {
			if !has[g-data.GradeK0] {
				continue
			}
			limit := st.MergeMiddleMetres
			if g.Level(py) == data.LevelPrimary {
				limit = st.MergePrimaryMetres
			}
			reach := false
			for j := range ds.Schools {
				o := &ds.Schools[j]
				if j == i || o.County != s.County || o.Classrooms <= 0 || !o.GradeSpan().Contains(g) {
					continue
				}
				if st.Metric.Distance(orb.Point{s.Lon, s.Lat}, orb.Point{o.Lon, o.Lat}) <= limit*0.999 {
					reach = true
					break
				}
			}
			if !reach {
				out = append(out, s.ID)
				break
			}
		}
	}
	return out
}
