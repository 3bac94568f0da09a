package optimize

import (
	"fmt"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/forecast"
)

// InputFromForecast builds the layout input from a forecast: each area's
// demand per level and year (the forecast must have been run with
// forecast.Options{Areas: true}), and each school's pupils by grade.
//
// The forecast reports a school's pupils per level (section); they are
// spread over the section's grades in proportion to the school's pupils of
// each grade in the base year, so that class counts and the grades 1–3
// travel rule see the school's own grade mix. A section with no base-year
// pupils is spread evenly.
func InputFromForecast(ds *data.Dataset, res *forecast.Result, target int, std Standards) (LayoutInput, error) {
	if len(res.Years) == 0 {
		return LayoutInput{}, ErrNoForecast
	}
	if target == 0 {
		target = res.Years[len(res.Years)-1]
	}
	years := make([]int, 0, len(res.Years))
	for _, y := range res.Years {
		if y <= target {
			years = append(years, y)
		}
	}
	if len(years) == 0 || years[len(years)-1] != target {
		return LayoutInput{}, fmt.Errorf("layout input: target year %d is not a forecast year (%d–%d)", target, res.Years[0], res.Years[len(res.Years)-1])
	}
	if len(res.Areas) == 0 && len(ds.Areas) > 0 {
		return LayoutInput{}, fmt.Errorf("layout input: the forecast has no area demand; run it with Areas set")
	}
	in := LayoutInput{Dataset: ds, BaseYear: res.BaseYear, TargetYear: target, Years: years, Standards: std,
		SchoolForecast: make(map[string]map[int]GradePupils, len(res.Schools)),
		AreaDemand:     make(map[string]map[int]LevelPupils, len(res.Areas))}

	schools := make(map[string]*data.School, len(ds.Schools))
	for i := range ds.Schools {
		schools[ds.Schools[i].ID] = &ds.Schools[i]
	}
	base := map[string]*[16]float64{}
	for _, e := range ds.Enrolment {
		if e.Year != res.BaseYear || !e.Grade.Valid() {
			continue
		}
		b := base[e.SchoolID]
		if b == nil {
			b = &[16]float64{}
			base[e.SchoolID] = b
		}
		b[e.Grade-data.GradeK0] += float64(e.Students)
	}
	inTarget := func(y int) bool { return y <= target }
	for _, sf := range res.Schools {
		s := schools[sf.SchoolID]
		if s == nil {
			continue
		}
		shares := gradeShares(s, base[sf.SchoolID])
		byYear := make(map[int]GradePupils, len(years))
		for _, sy := range sf.Years {
			if !inTarget(sy.Year) {
				continue
			}
			var gp GradePupils
			for _, sec := range sy.Sections {
				for g, w := range shares[layLevelIndex(sec.Level)] {
					if w > 0 {
						gp.Set(g, Estimate{sec.Pupils.P50 * w, sec.Pupils.P90 * w})
					}
				}
			}
			byYear[sy.Year] = gp
		}
		in.SchoolForecast[sf.SchoolID] = byYear
	}
	for _, af := range res.Areas {
		byYear := make(map[int]LevelPupils, len(years))
		for _, ay := range af.Years {
			if !inTarget(ay.Year) {
				continue
			}
			var lp LevelPupils
			for _, l := range data.Levels {
				q := ay.Demand.Level(l)
				lp.Set(l, Estimate{q.P50, q.P90})
			}
			byYear[ay.Year] = lp
		}
		in.AreaDemand[af.AreaID] = byYear
	}
	return in, nil
}

// gradeShares returns, per level, each grade's share of the school's
// pupils of that level in the base year (even shares where it had none).
func gradeShares(s *data.School, base *[16]float64) [4]map[data.Grade]float64 {
	var out [4]map[data.Grade]float64
	span := s.GradeSpan()
	var totals [4]float64
	var counts [4]int
	for g := span.Lo; g <= span.Hi; g++ {
		l := layLevelIndex(g.Level(s.PrimaryYears))
		counts[l]++
		if base != nil {
			totals[l] += base[g-data.GradeK0]
		}
	}
	for g := span.Lo; g <= span.Hi; g++ {
		l := layLevelIndex(g.Level(s.PrimaryYears))
		if out[l] == nil {
			out[l] = map[data.Grade]float64{}
		}
		if totals[l] > 0 {
			out[l][g] = base[g-data.GradeK0] / totals[l]
		} else {
			out[l][g] = 1 / float64(counts[l])
		}
	}
	return out
}
