package optimize

import (
	"github.com/seatplan/seatplan/data"
)

// CarryForward returns a stand-in forecast for a layout run without a real
// one: every school keeps its base-year enrolment by grade in every year
// (P50 = P90), and every area's demand per level is its child count of the
// level's age band (kids_3_5, kids_6_11, kids_12_14, kids_15_17, or its
// residents where the areas file gives no child counts) scaled so that each
// county's areas add up to its schools' base-year pupils of that level. It
// is a baseline for examples, tests and a first look, not a forecast.
func CarryForward(ds *data.Dataset, baseYear int, years []int) (map[string]map[int]GradePupils, map[string]map[int]LevelPupils) {
	py := make(map[string]int, len(ds.Schools))
	county := make(map[string]string, len(ds.Schools))
	for _, s := range ds.Schools {
		py[s.ID] = s.PrimaryYears
		county[s.ID] = s.County
	}
	base := map[string]*GradePupils{}
	pupils := map[string]*[4]float64{} // county → pupils per level
	for _, e := range ds.Enrolment {
		if e.Year != baseYear || !e.Grade.Valid() {
			continue
		}
		gp := base[e.SchoolID]
		if gp == nil {
			gp = &GradePupils{}
			base[e.SchoolID] = gp
		}
		v := float64(e.Students)
		gp.Set(e.Grade, gp.At(e.Grade).add(Estimate{v, v}))
		c := county[e.SchoolID]
		if pupils[c] == nil {
			pupils[c] = &[4]float64{}
		}
		pupils[c][layLevelIndex(e.Grade.Level(py[e.SchoolID]))] += v
	}
	schools := make(map[string]map[int]GradePupils, len(base))
	for id, gp := range base {
		byYear := make(map[int]GradePupils, len(years))
		for _, y := range years {
			byYear[y] = *gp
		}
		schools[id] = byYear
	}
	weight := func(a *data.Area, l int) float64 {
		if a.HasKids {
			return float64(a.Kids[l+1])
		}
		return float64(a.Residents)
	}
	sums := map[string]*[4]float64{}
	for i := range ds.Areas {
		a := &ds.Areas[i]
		if sums[a.County] == nil {
			sums[a.County] = &[4]float64{}
		}
		for l := range 4 {
			sums[a.County][l] += weight(a, l)
		}
	}
	areas := make(map[string]map[int]LevelPupils, len(ds.Areas))
	for i := range ds.Areas {
		a := &ds.Areas[i]
		var lp LevelPupils
		for l := range 4 {
			if s := sums[a.County][l]; s > 0 && pupils[a.County] != nil {
				v := weight(a, l) / s * pupils[a.County][l]
				lp[l] = Estimate{v, v}
			}
		}
		byYear := make(map[int]LevelPupils, len(years))
		for _, y := range years {
			byYear[y] = lp
		}
		areas[a.ID] = byYear
	}
	return schools, areas
}
