package optimize

import (
	"math"
	"testing"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/forecast"
)

func TestInputFromForecast(t *testing.T) {
	ds := &data.Dataset{
		Areas:   []data.Area{{ID: "A1", County: "C", Township: "T", Lon: 116, Lat: 36, Residents: 1000}},
		Schools: []data.School{{ID: "S1", County: "C", Township: "T", Lon: 116, Lat: 36, Type: data.NineYear, Classrooms: 18, MaxClassrooms: 18, PrimaryYears: 6}},
	}
	// Base year 2024: primary grades 1–6 hold 10, 20, 30, 40, 50, 50
	// (total 200); middle grade 7 only (grades 8, 9 empty).
	for g, n := range []int{10, 20, 30, 40, 50, 50, 90} {
		ds.Enrolment = append(ds.Enrolment, data.EnrolmentRow{SchoolID: "S1", Year: 2024, Grade: data.Grade(g + 1), Students: n, Classes: 1})
	}
	q := func(p50, p90 float64) forecast.Quantiles { return forecast.Quantiles{P10: p50 / 2, P50: p50, P90: p90} }
	res := &forecast.Result{BaseYear: 2024, Years: []int{2025, 2026},
		Schools: []forecast.SchoolForecast{{SchoolID: "S1", Years: []forecast.SchoolYear{
			{Year: 2025, Sections: []forecast.SectionYear{{Level: data.LevelPrimary, Pupils: q(400, 440)}, {Level: data.LevelMiddle, Pupils: q(100, 120)}}},
			{Year: 2026, Sections: []forecast.SectionYear{{Level: data.LevelPrimary, Pupils: q(300, 330)}, {Level: data.LevelMiddle, Pupils: q(150, 180)}}},
		}}},
		Areas: []forecast.AreaForecast{{AreaID: "A1", Years: []forecast.AreaYear{
			{Year: 2025, Demand: forecast.Demand{Primary: q(380, 420), Middle: q(90, 110)}},
			{Year: 2026, Demand: forecast.Demand{Primary: q(280, 310), Middle: q(140, 170)}},
		}}},
	}
	in, err := InputFromForecast(ds, res, 2026, DefaultStandards())
	if err != nil {
		t.Fatal(err)
	}
	if in.BaseYear != 2024 || in.TargetYear != 2026 || len(in.Years) != 2 {
		t.Fatalf("years: base %d target %d %v", in.BaseYear, in.TargetYear, in.Years)
	}
	gp := in.SchoolForecast["S1"][2025]
	checks := []struct {
		g        data.Grade
		p50, p90 float64
	}{
		{1, 400 * 10 / 200.0, 440 * 10 / 200.0}, // 20, 22
		{5, 400 * 50 / 200.0, 440 * 50 / 200.0}, // 100, 110
		{7, 100, 120},                           // all middle pupils in grade 7, as in the base year
		{8, 0, 0},
	}
	for _, c := range checks {
		if e := gp.At(c.g); math.Abs(e.P50-c.p50) > 1e-9 || math.Abs(e.P90-c.p90) > 1e-9 {
			t.Errorf("2025 grade %s = %+v, want P50 %g P90 %g", c.g, e, c.p50, c.p90)
		}
	}
	lp := in.AreaDemand["A1"][2026]
	if d := lp.At(data.LevelMiddle); d.P50 != 140 || d.P90 != 170 {
		t.Errorf("area demand 2026 middle = %+v, want 140/170", d)
	}
	if _, err := InputFromForecast(ds, res, 2030, DefaultStandards()); err == nil {
		t.Error("a target beyond the forecast should fail")
	}
	res.Areas = nil
	if _, err := InputFromForecast(ds, res, 2026, DefaultStandards()); err == nil {
		t.Error("a forecast without area demand should fail")
	}
}
