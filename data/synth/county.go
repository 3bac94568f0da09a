package synth

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/seatplan/seatplan/data"
)

// simFrom is the first autumn simulated: by FirstEnrolmentYear every grade
// up to 12 holds cohorts that entered under the model.
const simFrom = 2003

// buildCounty generates everything of county ci.
func buildCounty(plans []*countyPlan, ci int, p *params, seed uint64) *countyOut {
	cp := plans[ci]
	out := &countyOut{}
	tws := buildTownships(plans, ci, seed)
	var areas []area
	for ti := range tws {
		tws[ti].firstArea = len(areas)
		as := buildAreas(cp, &tws[ti], ti, p, seed)
		tws[ti].areas = len(as)
		areas = append(areas, as...)
	}

	lt := newLifeTable()
	out.population = make([]data.PopulationRow, 0, len(tws)*len(pyramid{})*2*101)
	for ti := range tws {
		t := &tws[ti]
		pyr := buildPopulation(cp, t, lt, newRand(seed, cp.index, streamPopulation, t.index))
		out.population = pyr.rows(out.population, cp.name, t.name)
		bands := pyr.bands()
		var wsum float64
		for ai := t.firstArea; ai < t.firstArea+t.areas; ai++ {
			wsum += float64(areas[ai].residents) * areas[ai].kidWeight
		}
		for ai := t.firstArea; ai < t.firstArea+t.areas; ai++ {
			a := &areas[ai]
			f := float64(a.residents) * a.kidWeight / wsum
			for b := range bands {
				a.kids[b] = int(math.Round(bands[b] * f))
			}
		}
	}
	for y := FirstBirthYear; y <= LastYear; y++ {
		out.births = append(out.births, data.BirthRow{County: cp.name, Year: y, Births: int(math.Round(cp.birthsIn(y)))})
	}

	pl := &placer{cp: cp, p: p, tws: tws, areas: areas}
	pl.placeSchools(seed)
	pl.zone()
	sim := &simulation{cp: cp, tws: tws, areas: areas, schools: pl.schools, r: newRand(seed, cp.index, streamEnrolment, 0)}
	sim.run(out)

	out.areas = make([]data.Area, len(areas))
	for i, a := range areas {
		out.areas[i] = data.Area{
			ID: a.id, Name: a.name, County: cp.name, Township: tws[a.township].name,
			Lon: a.lon, Lat: a.lat, Urban: a.urban, Residents: a.residents,
			Kids: a.kids, HasKids: true,
		}
		for lv, l := range []data.Level{data.LevelKindergarten, data.LevelPrimary, data.LevelMiddle} {
			out.zones = append(out.zones, data.Zone{AreaID: a.id, Level: l, SchoolID: pl.schools[a.zone[lv]].out.ID})
		}
	}
	out.schools = make([]data.School, len(pl.schools))
	for i := range pl.schools {
		out.schools[i] = pl.schools[i].out
	}
	out.candidates = candidates(cp, tws, p, newRand(seed, cp.index, streamCandidates, 0))
	return out
}

// candidates proposes new-school sites on the growing edge of the seat's
// streets.
func candidates(cp *countyPlan, tws []township, p *params, r *rand.Rand) []data.Candidate {
	n := int(math.Floor(p.candidates + r.Float64()))
	if cp.core {
		n++
	}
	var out []data.Candidate
	for k := range n {
		t := &tws[r.IntN(cp.streets)]
		a := math.Atan2(t.lat-cp.lat, t.lon-cp.lon)
		if t.index == 1 {
			a = 2 * math.Pi * r.Float64()
		}
		d := 1.5 + 2*r.Float64()
		lon, lat := p.inBox(offsetKm(t.lon, t.lat, d*math.Cos(a), d*math.Sin(a)))
		mc := 24 + 6*r.IntN(5)
		out = append(out, data.Candidate{
			ID:            fmt.Sprintf("C%03d%02d", cp.index, k+1),
			Name:          stem(t.name) + "片区新建学校预留用地" + chineseNumber(k+1) + "号",
			County:        cp.name,
			Lon:           round6(lon),
			Lat:           round6(lat),
			MaxClassrooms: mc,
			Cost:          math.Round(float64(mc)*(220+100*r.Float64())/10) * 10,
		})
	}
	return out
}
