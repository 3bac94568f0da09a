package forecast

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/seatplan/seatplan/data"
)

// TestFeedersExplain checks the rule that chooses a middle school's entry
// base: its zoned feeders' weighted last grade of the year before must be at
// least half of its entrants in the last year with entrants.
func TestFeedersExplain(t *testing.T) {
	nan := math.NaN()
	g7, g6 := gradeIndex(7), gradeIndex(6)
	// build makes a two-school model: school 0 the middle school with
	// entrants e (by year), school 1 a primary with last grade p.
	build := func(e, p []float64, w float64) *model {
		m := &model{schools: make([]schoolModel, 2)}
		for i := range m.schools {
			m.schools[i].hist = make([][nGrade]float64, len(e))
			for y := range e {
				for g := range nGrade {
					m.schools[i].hist[y][g] = nan
				}
			}
		}
		for y := range e {
			m.schools[0].hist[y][g7] = e[y]
			m.schools[1].hist[y][g6] = p[y]
		}
		if w > 0 {
			m.schools[0].feeders = []feeder{{school: 1, gi: int8(g6), w: w}}
		}
		return m
	}
	for _, c := range []struct {
		name string
		e, p []float64
		w    float64
		want bool
	}{
		// 2024: 300 entrants, the feeder's 2023 grade 6 is 320 × 0.5 = 160 ≥ 150.
		{"feeders explain more than half", []float64{280, 290, 300}, []float64{300, 320, 310}, 0.5, true},
		// 160 × 0.5 = 80 < 150: the zones explain a quarter.
		{"feeders explain a quarter", []float64{280, 290, 300}, []float64{150, 160, 170}, 0.5, false},
		// A zone redrawn to a primary opened since: no grade 6 yet.
		{"new feeder without a last grade", []float64{350, 376, 326}, []float64{nan, 0, 0}, 1, false},
		// No entrants in the last year: the year before decides (290 vs 300).
		{"last year empty", []float64{280, 290, 0}, []float64{300, 300, 300}, 1, true},
		{"no entrants at all", []float64{nan, nan, nan}, []float64{300, 300, 300}, 1, false},
		{"no feeders", []float64{280, 290, 300}, []float64{300, 320, 310}, 0, false},
	} {
		m := build(c.e, c.p, c.w)
		if got := m.feedersExplain(&m.schools[0], g7); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestMiddleEntryFromNewFeeders rezones both areas of the tiny county to a
// primary opened in 2022, which has no grade 6 yet. The middle school's
// entrants (about 0.95 × 0.99⁵ of a birth cohort, 420 or so a year) must
// still come: from its share of the county's grade-6 leavers, not zero.
func TestMiddleEntryFromNewFeeders(t *testing.T) {
	ds := tinyDataset()
	ds.Schools = append(ds.Schools, data.School{ID: "P2", Name: "城关新区小学", County: "东县", Township: "城关镇",
		Lon: 116.02, Lat: 36.45, Type: data.Primary, Public: true, Classrooms: 12, MaxClassrooms: 24})
	for y := 2022; y <= 2024; y++ {
		for g := data.Grade(1); g <= data.Grade(y-2021); g++ {
			ds.Enrolment = append(ds.Enrolment, data.EnrolmentRow{SchoolID: "P2", Year: y, Grade: g, Students: 40, Classes: 1})
		}
	}
	for i, z := range ds.Zones {
		if z.Level == data.LevelPrimary {
			ds.Zones[i].SchoolID = "P2"
		}
	}
	sc := Default()
	sc.Draws = 50
	sc.Horizon = 2028
	res, err := Run(context.Background(), ds, sc, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m1 := res.School("M1")
	if m1 == nil {
		t.Fatal("no forecast for M1")
	}
	for _, y := range m1.Years {
		// By 2027 every grade has entered after the origin.
		if y.Year >= 2027 && (y.Pupils.P50 < 0.8*m1.BasePupils || y.Pupils.P50 > 1.2*m1.BasePupils) {
			t.Errorf("M1 %d: %.0f pupils (base %.0f); expected within 20 %% of the base", y.Year, y.Pupils.P50, m1.BasePupils)
		}
	}
}

// TestEntryBreakAtNewSchool opens a second primary in 城关镇 in 2022 that
// takes half of P1's entrants from then on, its zone a new area holding
// half of the town's children. Fitted across the 2022 step, P1's entry
// ratio would trend on down to zero; fitted from 2022, both schools take
// about the same entrants, so by 2031 (every grade entered after the
// origin) their pupils are within a quarter of each other.
func TestEntryBreakAtNewSchool(t *testing.T) {
	ds := tinyDataset()
	ds.Areas = append(ds.Areas, data.Area{ID: "A3", Name: "新区", County: "东县", Township: "城关镇", Lon: 116.02, Lat: 36.45, Urban: true, Residents: 30000})
	ds.Schools = append(ds.Schools, data.School{ID: "P2", Name: "城关新区小学", County: "东县", Township: "城关镇",
		Lon: 116.02, Lat: 36.45, Type: data.Primary, Public: true, Classrooms: 18, MaxClassrooms: 24})
	ds.Zones = append(ds.Zones,
		data.Zone{AreaID: "A3", Level: data.LevelPrimary, SchoolID: "P2"},
		data.Zone{AreaID: "A3", Level: data.LevelMiddle, SchoolID: "M1"},
		data.Zone{AreaID: "A3", Level: data.LevelKindergarten, SchoolID: "K1"})
	n := len(ds.Enrolment)
	for i := 0; i < n; i++ {
		r := &ds.Enrolment[i]
		if r.SchoolID != "P1" || r.Year < 2022 || int(r.Grade) > r.Year-2021 {
			continue
		}
		half := r.Students / 2
		ds.Enrolment = append(ds.Enrolment, data.EnrolmentRow{SchoolID: "P2", Year: r.Year, Grade: r.Grade, Students: half, Classes: half/45 + 1})
		r.Students -= half
		r.Classes = r.Students/45 + 1
	}
	sc := Default()
	sc.Draws = 50
	sc.Horizon = 2031
	res, err := Run(context.Background(), ds, sc, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p1, p2 := res.School("P1"), res.School("P2")
	last := len(p1.Years) - 1
	a, b := p1.Years[last].Pupils.P50, p2.Years[last].Pupils.P50
	for i := range p1.Years {
		t.Logf("%d P1 %.0f P2 %.0f", p1.Years[i].Year, p1.Years[i].Pupils.P50, p2.Years[i].Pupils.P50)
	}
	if b <= 0 || a/b < 0.75 || a/b > 1.25 {
		t.Errorf("2031 pupils P1 %.0f, P2 %.0f; expected within 25 %% of each other", a, b)
	}
	found := false
	for _, note := range res.Notes {
		if strings.Contains(note, "fitted from that year on") {
			found = true
		}
	}
	if !found {
		t.Errorf("no note on the refitted entry ratios: %q", res.Notes)
	}
}
