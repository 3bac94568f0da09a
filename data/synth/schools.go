package synth

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/seatplan/seatplan/data"
)

// role is where a school stands in the local hierarchy, which sets how
// pupils drift to and from it.
type role int

const (
	roleVillage role = iota // a village school, teaching point or kindergarten
	roleCentral             // the township's central school or kindergarten
	roleUrban               // a public school in a street
	roleCounty              // a public county-level school at the seat
	rolePrivate             // a private school or kindergarten
)

// Zone and pool levels.
const (
	lvKinder = iota
	lvPrimary
	lvMiddle
)

// Grade indexes: K1 = 0 … K3 = 2, grade g = g + 2.
const (
	giK1     = 0
	giK3     = 2
	giG1     = 3
	giG10    = 12
	gradeLen = 15
)

func gradeIndex(g data.Grade) int { return int(g) + 2 }

// school is a school while the county is built and simulated.
type school struct {
	out      data.School
	township int
	role     role
	lo, hi   int // grade indexes taught
	entry    int // grade index of middle-school entry (primary years + 1)
	open     int // first autumn with pupils
	ratio    float64
	// Class size above the standard, at its worst until 2017 and easing
	// toward keepCrowd × crowd by 2021 as oversized classes were cleared.
	crowd, keepCrowd float64
	staffing         float64 // teachers relative to the staffing ratio
	middleTo         int     // where graduates of the last primary grade go
	parent           int     // central school taking a teaching point's grade 3
	localPull        float64 // how strongly a village school loses pupils to the centre
	seatW            [3]float64
	highW            float64
	cur, prev        [gradeLen]float64
	teachers         [4]float64
	maxClasses       int
}

func (s *school) teachesLevel(lv int) bool {
	switch lv {
	case lvKinder:
		return s.lo <= giK3
	case lvPrimary:
		return s.lo <= giG1+s.out.PrimaryYears-1 && s.hi >= giG1
	}
	return s.entry <= s.hi && s.lo <= gradeIndex(9)
}

// zoneable reports whether areas can be zoned to s for level lv: public
// schools of that level, but no teaching points.
func (s *school) zoneable(lv int) bool {
	if !s.out.Public || s.out.Type == data.TeachingPoint || s.out.Type == data.TwelveYear {
		return false
	}
	return s.teachesLevel(lv)
}

// placer creates the schools of a county.
type placer struct {
	cp      *countyPlan
	p       *params
	tws     []township
	areas   []area
	schools []school
	seq     []int // next school number per township
	counter map[string]int
}

func (pl *placer) add(r *rand.Rand, ti int, name string, typ data.SchoolType, public bool, rl role, lon, lat float64) *school {
	pl.seq[ti]++
	py := pl.cp.primaryYears
	lon, lat = pl.p.inBox(lon, lat)
	s := school{
		out: data.School{
			ID:           fmt.Sprintf("S%03d%02d%03d", pl.cp.index, pl.tws[ti].index, pl.seq[ti]),
			Name:         name,
			County:       pl.cp.name,
			Township:     pl.tws[ti].name,
			Lon:          round6(lon),
			Lat:          round6(lat),
			Type:         typ,
			Public:       public,
			PrimaryYears: py,
		},
		township:  ti,
		role:      rl,
		middleTo:  -1,
		parent:    -1,
		localPull: 1,
		staffing:  1 + 0.07*r.NormFloat64(),
	}
	span := typ.DefaultGrades(py)
	s.lo, s.hi = gradeIndex(span.Lo), gradeIndex(span.Hi)
	s.entry = giG1 + py
	switch rl {
	case roleVillage:
		s.ratio = 0.975 + 0.015*r.Float64()
		s.localPull = lognormal(r, 0.45)
	case roleCentral:
		s.ratio = 0.995 + 0.013*r.Float64()
	case roleUrban:
		s.ratio = 1.005 + 0.015*r.Float64()
	default:
		s.ratio = 0.995 + 0.017*r.Float64()
	}
	if typ == data.Middle || typ == data.High || typ == data.CompleteMiddle {
		s.ratio -= 0.008
	}
	if !public {
		s.staffing *= 0.85
	}
	pl.schools = append(pl.schools, s)
	return &pl.schools[len(pl.schools)-1]
}

// number returns the next ordinal of a naming series in the county.
func (pl *placer) number(series string) string {
	pl.counter[series]++
	return chineseNumber(pl.counter[series])
}

// spread picks up to n areas among candidates, each as far as possible from
// the points already taken (choosing at random among the three farthest).
func spread(r *rand.Rand, areas []area, cand []int, taken [][2]float64, n int) []int {
	var out []int
	used := make([]bool, len(cand))
	for len(out) < n && len(out) < len(cand) {
		type far struct {
			k int
			d float64
		}
		var best [3]far
		for k := range best {
			best[k].k = -1
		}
		for k, ai := range cand {
			if used[k] {
				continue
			}
			d := math.Inf(1)
			for _, p := range taken {
				d = math.Min(d, distKm(areas[ai].lon, areas[ai].lat, p[0], p[1]))
			}
			for j := range best {
				if best[j].k < 0 || d > best[j].d {
					copy(best[j+1:], best[j:len(best)-1])
					best[j] = far{k, d}
					break
				}
			}
		}
		m := 0
		for m < len(best) && best[m].k >= 0 {
			m++
		}
		c := best[r.IntN(m)].k
		used[c] = true
		out = append(out, cand[c])
		taken = append(taken, [2]float64{areas[cand[c]].lon, areas[cand[c]].lat})
	}
	return out
}

// placeSchools builds every school of the county: per township, then the
// county-level schools at the seat.
func (pl *placer) placeSchools(seed uint64) {
	pl.seq = make([]int, len(pl.tws))
	pl.counter = map[string]int{}
	for ti := range pl.tws {
		r := newRand(seed, pl.cp.index, streamSchools, pl.tws[ti].index)
		if pl.tws[ti].street {
			pl.placeStreet(r, ti)
		} else {
			pl.placeTown(r, ti)
		}
	}
	pl.placeCounty(newRand(seed, pl.cp.index, streamSchools, 0))
}

func (pl *placer) placeTown(r *rand.Rand, ti int) {
	t := &pl.tws[ti]
	seat := &pl.areas[t.firstArea]
	near := func() (float64, float64) {
		return offsetKm(seat.lon, seat.lat, 0.3*r.NormFloat64(), 0.3*r.NormFloat64())
	}
	var villages []int
	for ai := t.firstArea; ai < t.firstArea+t.areas; ai++ {
		if !pl.areas[ai].seat {
			villages = append(villages, ai)
		}
	}
	nine := r.Float64() < 0.22
	lon, lat := near()
	var central *school
	if nine {
		central = pl.add(r, ti, t.name+"九年一贯制学校", data.NineYear, true, roleCentral, lon, lat)
		central.out.Boarding = r.Float64() < 0.4
	} else {
		central = pl.add(r, ti, t.name+"中心小学", data.Primary, true, roleCentral, lon, lat)
	}
	if r.Float64() < 0.4 {
		central.crowd = 3 + 11*r.Float64()
		if r.Float64() < 0.15 {
			central.keepCrowd = 1
		}
	}
	centralIdx := len(pl.schools) - 1
	if !nine {
		lon, lat = near()
		m := pl.add(r, ti, t.name+"中学", data.Middle, true, roleCentral, lon, lat)
		m.out.Boarding = r.Float64() < 0.6
	}
	seatPt := [][2]float64{{seat.lon, seat.lat}}
	nv := float64(len(villages))
	nPrim := int(clamp(math.Round(nv/pl.p.villagesPerSchool*(0.8+0.4*r.Float64())), 1, 12))
	nTP := r.IntN(3)
	sites := spread(r, pl.areas, villages, seatPt, nPrim+nTP)
	for k, ai := range sites {
		a := &pl.areas[ai]
		lon, lat := offsetKm(a.lon, a.lat, 0.15*r.NormFloat64(), 0.15*r.NormFloat64())
		if k < nPrim {
			pl.add(r, ti, stem(a.name)+"小学", data.Primary, true, roleVillage, lon, lat)
			continue
		}
		tp := pl.add(r, ti, stem(a.name)+"教学点", data.TeachingPoint, true, roleVillage, lon, lat)
		tp.parent = centralIdx
		a.teachingPoint = len(pl.schools) - 1
	}
	lon, lat = near()
	pl.add(r, ti, t.name+"中心幼儿园", data.Kindergarten, true, roleCentral, lon, lat)
	nK := int(clamp(math.Round(nv/pl.p.villagesPerKinder*(0.8+0.4*r.Float64())), 1, 16))
	for _, ai := range spread(r, pl.areas, villages, seatPt, nK) {
		a := &pl.areas[ai]
		lon, lat := offsetKm(a.lon, a.lat, 0.1*r.NormFloat64(), 0.1*r.NormFloat64())
		pl.add(r, ti, stem(a.name)+"幼儿园", data.Kindergarten, true, roleVillage, lon, lat)
	}
	brands := newNamer()
	for range 1 + r.IntN(2) {
		lon, lat = near()
		pl.add(r, ti, stem(t.name)+brands.kinderBrand(r)+"幼儿园", data.Kindergarten, false, rolePrivate, lon, lat)
	}
}

func (pl *placer) placeStreet(r *rand.Rand, ti int) {
	t := &pl.tws[ti]
	cand := make([]int, t.areas)
	for k := range cand {
		cand[k] = t.firstArea + k
	}
	count := func(per float64) int {
		return max(1, int(math.Round(float64(t.pop)/per*(0.8+0.4*r.Float64()))))
	}
	site := func(ai int) (float64, float64) {
		return offsetKm(pl.areas[ai].lon, pl.areas[ai].lat, 0.2*r.NormFloat64(), 0.2*r.NormFloat64())
	}
	nPrim := count(pl.p.streetPrimaryPop)
	for k, ai := range spread(r, pl.areas, cand, nil, nPrim) {
		lon, lat := site(ai)
		s := pl.add(r, ti, pl.cp.name+"第"+pl.number("primary")+"实验小学", data.Primary, true, roleUrban, lon, lat)
		s.seatW[lvPrimary] = 0.6 + 0.8*r.Float64()
		switch u := r.Float64(); {
		case u < 0.08:
			s.crowd = 22 + 4*r.Float64()
			s.keepCrowd = 0.3 + 0.5*r.Float64()
		case u < 0.75:
			s.crowd = 6 + 14*r.Float64()
			if r.Float64() < 0.2 {
				s.keepCrowd = 0.8 + 0.2*r.Float64()
			} else {
				s.keepCrowd = 0.3 * r.Float64()
			}
		}
		if k > 0 && nPrim > 1 && r.Float64() < 0.2 {
			s.open = 2018 + r.IntN(5)
			s.crowd, s.keepCrowd = 0, 0
		}
	}
	for _, ai := range spread(r, pl.areas, cand, nil, count(pl.p.streetMiddlePop)) {
		lon, lat := site(ai)
		s := pl.add(r, ti, pl.cp.name+"第"+pl.number("middle")+"初级中学", data.Middle, true, roleUrban, lon, lat)
		s.seatW[lvMiddle] = 0.6 + 0.8*r.Float64()
		if r.Float64() < 0.6 {
			s.crowd = 4 + 10*r.Float64()
			s.keepCrowd = 0.4 * r.Float64()
		}
	}
	if r.Float64() < 0.3 {
		lon, lat := site(cand[r.IntN(len(cand))])
		s := pl.add(r, ti, pl.cp.name+"第"+pl.number("nine")+"实验学校", data.NineYear, true, roleUrban, lon, lat)
		s.seatW[lvPrimary] = 0.3 + 0.3*r.Float64()
		s.seatW[lvMiddle] = 0.3 + 0.2*r.Float64()
		s.crowd = 4 * r.Float64()
	}
	for _, ai := range spread(r, pl.areas, cand, nil, count(pl.p.streetKinderPop)) {
		lon, lat := site(ai)
		s := pl.add(r, ti, stem(pl.areas[ai].name)+"幼儿园", data.Kindergarten, true, roleUrban, lon, lat)
		s.seatW[lvKinder] = 0.6 + 0.8*r.Float64()
		if r.Float64() < 0.5 {
			s.crowd = 3 + 5*r.Float64()
			s.keepCrowd = 0.5 * r.Float64()
		}
	}
	brands := newNamer()
	for range count(pl.p.privateKinderPop) {
		lon, lat := site(cand[r.IntN(len(cand))])
		s := pl.add(r, ti, stem(t.name)+brands.kinderBrand(r)+"幼儿园", data.Kindergarten, false, rolePrivate, lon, lat)
		s.seatW[lvKinder] = 0.4 + 0.6*r.Float64()
		if r.Float64() < 0.3 {
			s.open = 2016 + r.IntN(7)
		}
	}
}

// placeCounty adds the schools that serve the whole county from its seat:
// high schools, and where drawn a complete middle school, a private
// twelve-year school, a private primary and a private middle school.
func (pl *placer) placeCounty(r *rand.Rand) {
	t := &pl.tws[0]
	near := func() (float64, float64) {
		return offsetKm(t.lon, t.lat, 1.2*r.NormFloat64(), 1.2*r.NormFloat64())
	}
	forced := pl.cp.index == 1
	nHigh := max(1, int(math.Round(float64(pl.cp.pop)/180000)))
	for k := range nHigh {
		lon, lat := near()
		s := pl.add(r, 0, pl.cp.name+"第"+chineseNumber(k+1)+"高级中学", data.High, true, roleCounty, lon, lat)
		s.highW = 0.8 + 0.4*r.Float64()
		if k == 0 {
			s.highW *= 1.2
		}
		s.crowd = 6 * r.Float64()
		s.out.Boarding = true
	}
	if pl.cp.pop > 300000 && r.Float64() < 0.35 {
		lon, lat := near()
		s := pl.add(r, 0, pl.cp.name+"育才高级中学", data.High, false, rolePrivate, lon, lat)
		s.highW = 0.3
		s.out.Boarding = true
	}
	if pl.cp.primaryYears == 6 && (forced || r.Float64() < 0.45) {
		lon, lat := near()
		s := pl.add(r, 0, pl.cp.name+"实验中学", data.CompleteMiddle, true, roleCounty, lon, lat)
		s.seatW[lvMiddle] = 0.9
		s.highW = 0.7
		s.crowd = 6 * r.Float64()
		s.out.Boarding = r.Float64() < 0.5
	}
	if forced || r.Float64() < 0.4 {
		lon, lat := near()
		s := pl.add(r, 0, pl.cp.name+"外国语学校", data.TwelveYear, false, rolePrivate, lon, lat)
		s.seatW[lvPrimary], s.seatW[lvMiddle], s.highW = 0.5, 0.5, 0.3
		s.out.Boarding = true
	}
	if pl.cp.pop > 400000 && r.Float64() < 0.6 {
		lon, lat := near()
		s := pl.add(r, 0, pl.cp.name+"启明小学", data.Primary, false, rolePrivate, lon, lat)
		s.seatW[lvPrimary] = 0.6
	}
	if pl.cp.pop > 250000 && r.Float64() < 0.5 {
		lon, lat := near()
		s := pl.add(r, 0, pl.cp.name+"育英初级中学", data.Middle, false, rolePrivate, lon, lat)
		s.seatW[lvMiddle] = 0.7
		s.out.Boarding = true
	}
	// One remote village school in every other county must stay open.
	if pl.cp.index%2 == 1 {
		best, bestD := -1, 0.0
		for i := range pl.schools {
			s := &pl.schools[i]
			if s.role != roleVillage || s.out.Type == data.Kindergarten {
				continue
			}
			tw := &pl.tws[s.township]
			if d := distKm(s.out.Lon, s.out.Lat, tw.lon, tw.lat); d > bestD {
				best, bestD = i, d
			}
		}
		if best >= 0 {
			pl.schools[best].out.Keep = true
		}
	}
}

// zone assigns every area its nearest zoneable school of each level in its
// township (else in the county), and every primary school the middle school
// its graduates go to.
func (pl *placer) zone() {
	byTownship := make([][]int, len(pl.tws))
	for i := range pl.schools {
		byTownship[pl.schools[i].township] = append(byTownship[pl.schools[i].township], i)
	}
	all := make([]int, len(pl.schools))
	for i := range all {
		all[i] = i
	}
	nearest := func(lon, lat float64, ti, lv int, old bool) int {
		for _, set := range [][]int{byTownship[ti], all} {
			best, bestD := -1, math.Inf(1)
			for _, i := range set {
				s := &pl.schools[i]
				if !s.zoneable(lv) || (old && s.open > 0) {
					continue
				}
				if d := distKm(lon, lat, s.out.Lon, s.out.Lat); d < bestD {
					best, bestD = i, d
				}
			}
			if best >= 0 {
				return best
			}
		}
		return -1
	}
	for ai := range pl.areas {
		a := &pl.areas[ai]
		for lv := range 3 {
			a.zone[lv] = nearest(a.lon, a.lat, a.township, lv, false)
			a.zoneOld[lv] = a.zone[lv]
			if pl.schools[a.zone[lv]].open > 0 {
				a.zoneOld[lv] = nearest(a.lon, a.lat, a.township, lv, true)
			}
		}
	}
	for i := range pl.schools {
		s := &pl.schools[i]
		if s.teachesLevel(lvPrimary) && !s.teachesLevel(lvMiddle) && s.out.Type != data.TeachingPoint {
			s.middleTo = nearest(s.out.Lon, s.out.Lat, s.township, lvMiddle, false)
		}
	}
}
