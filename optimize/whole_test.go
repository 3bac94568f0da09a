package optimize

import (
	"testing"

	"github.com/seatplan/seatplan/data"
)

func TestWholePupilsKeepsLevelTotals(t *testing.T) {
	var fc GradePupils
	// Primary: six grades of 40/6 pupils; rounding each grade would give
	// 7 × 6 = 42. Middle: 10.4 + 10.4 + 10.4 = 31.2 → 31.
	for g := data.Grade(1); g <= 6; g++ {
		fc.Set(g, Estimate{P50: 40.0 / 6, P90: 9})
	}
	for g := data.Grade(7); g <= 9; g++ {
		fc.Set(g, Estimate{P50: 10.4, P90: 12})
	}
	p50 := func(e Estimate) float64 { return e.P50 }
	got := wholePupils(&fc, 6, p50)
	want := map[data.Grade]int32{1: 7, 2: 7, 3: 7, 4: 7, 5: 6, 6: 6, 7: 11, 8: 10, 9: 10}
	for g := data.GradeK0; g <= 12; g++ {
		if got[g-data.GradeK0] != want[g] {
			t.Errorf("grade %d: %d pupils, want %d", g, got[g-data.GradeK0], want[g])
		}
	}
	// A five-year primary counts grade 6 as middle: 40/6 × 5 = 33.3 → 33
	// primary pupils, 6.67 + 31.2 = 37.9 → 38 middle pupils.
	got = wholePupils(&fc, 5, p50)
	var prim, mid int32
	for g := data.Grade(1); g <= 5; g++ {
		prim += got[g-data.GradeK0]
	}
	for g := data.Grade(6); g <= 9; g++ {
		mid += got[g-data.GradeK0]
	}
	if prim != 33 || mid != 38 {
		t.Errorf("five-year primary: %d primary and %d middle pupils, want 33 and 38", prim, mid)
	}
}
