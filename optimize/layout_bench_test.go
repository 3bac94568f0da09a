package optimize

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/data/synth"
)

// BenchmarkProposeLayoutProvince plans the generated province-size dataset
// (about 70,000 areas) with the carry-forward stand-in forecast and checks
// the plan's invariants once.
func BenchmarkProposeLayoutProvince(b *testing.B) {
	ds, err := synth.Generate(synth.Config{Scale: synth.Province, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	last := 0
	for _, e := range ds.Enrolment {
		last = max(last, e.Year)
	}
	in := carryInput(ds, last, 2035)
	b.ReportAllocs()
	b.ResetTimer()
	var lay *Layout
	for b.Loop() {
		start := time.Now()
		lay, err = ProposeLayout(context.Background(), in, LayoutOptions{}, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(start).Seconds(), "s/plan")
	}
	b.StopTimer()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.Sys)/(1<<30), "GB-sys")
	if err := lay.Verify(&in); err != nil {
		b.Errorf("invariants:\n%v", err)
	}
	mp := lay.Merges
	b.Logf("%d areas, %d schools: %d candidates, %d closed; gap %.2f%%, saving gap %.3f%%, bound ≤ cost: %v",
		len(ds.Areas), len(ds.Schools), mp.Candidates, len(mp.Proposals), 100*mp.Gap, 100*mp.SavingGap, mp.LowerBound <= mp.Cost)
	kinds := map[data.SchoolType]int{}
	for _, n := range lay.NewSchools {
		kinds[n.Type]++
	}
	b.Logf("new schools by type %v", kinds)
	for _, r := range lay.Reallocation {
		b.Logf("%s: %d pupils, %d unmet", r.Level, r.Pupils, r.Unmet)
	}
}
