package optimize

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/paulmach/orb"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/geo"
)

// Reallocation is the target-year seat allocation of one level
// (跨学区学位调剂): each area's pupils sent to schools within the level's
// travel limit, within capacities, at least total travel (an exact min-cost
// flow), with the demand left unmet and why, and how it differs from
// today's zones.
type Reallocation struct {
	Level data.Level `json:"level"`
	Year  int        `json:"year"`
	// Pupils is the demand; Assigned + Unmet = Pupils.
	Pupils   int `json:"pupils"`
	Assigned int `json:"assigned"`
	Unmet    int `json:"unmet"`
	// PupilKm is the total one-way travel of the assigned pupils.
	PupilKm float64          `json:"pupil_km"`
	Flows   []SeatFlow       `json:"flows"`
	Short   []UnmetDemand    `json:"unmet_areas"`
	Moves   []ZoneChange     `json:"zone_changes"`
	Schools []SchoolCapacity `json:"schools"`
}

// SeatFlow is pupils of an area assigned to a school.
type SeatFlow struct {
	AreaID   string  `json:"area_id"`
	SchoolID string  `json:"school_id"`
	Pupils   int     `json:"pupils"`
	Km       float64 `json:"km"`
	Minutes  float64 `json:"minutes"`
}

// UnmetDemand is demand of an area no school could take.
type UnmetDemand struct {
	AreaID string `json:"area_id"`
	Name   string `json:"name"`
	County string `json:"county"`
	Pupils int    `json:"pupils"`
	// NoSchoolInReach is true when no school of the level is within the
	// travel limit; otherwise the schools in reach are full.
	NoSchoolInReach bool   `json:"no_school_in_reach"`
	Reason          string `json:"reason"`
	ReasonZH        string `json:"reason_zh"`
}

// ZoneChange says that pupils of an area should go to another school than
// today's zone (or nearest) school.
type ZoneChange struct {
	AreaID   string `json:"area_id"`
	AreaName string `json:"area_name"`
	From     string `json:"from_school_id"`
	To       string `json:"to_school_id"`
	Pupils   int    `json:"pupils"`
	Reason   string `json:"reason"`
	ReasonZH string `json:"reason_zh"`
}

// SchoolCapacity is a school's load of one level under the plan.
type SchoolCapacity struct {
	SchoolID string `json:"school_id"`
	Pupils   int    `json:"pupils"`
	// Seats is Classrooms × the standard class size, within the pupil cap.
	Seats int `json:"seats"`
	// Classrooms is the classrooms the level has after the plan's
	// expansions; ClassesNeeded is ⌈Pupils / class size⌉.
	Classrooms    int  `json:"classrooms"`
	ClassesNeeded int  `json:"classes_needed"`
	New           bool `json:"new"`
}

// Expansion is classrooms to add at a school.
type Expansion struct {
	SchoolID string `json:"school_id"`
	Name     string `json:"name"`
	County   string `json:"county"`
	// Classrooms is the total to add: ForMerges for pupils of closed
	// schools, ForDemand for the allocation's demand.
	Classrooms int    `json:"classrooms"`
	ForMerges  int    `json:"for_merges"`
	ForDemand  int    `json:"for_demand"`
	RoomsNow   int    `json:"rooms_now"`
	RoomsAfter int    `json:"rooms_after"`
	Reason     string `json:"reason"`
	ReasonZH   string `json:"reason_zh"`
}

// layFacility is a school (existing or new) offering seats of one level.
type layFacility struct {
	school int // index in m.schools, or -1 for a new school
	newIdx int // index in the new schools, or -1
	id     string
	pt     orb.Point
	rooms  int // classrooms of the level before expansion
	extra  int // classrooms the level may add
	size   int
	cap    int // most pupils of the level
}

// layAlloc is the result of reallocation over all levels.
type layAlloc struct {
	levels []Reallocation
	// unmet[l][a] is the unmet demand of area a at level l; reach[l][a]
	// tells whether any school was in reach.
	unmet [4][]int
	reach [4][]bool
	// added[l] maps a school index to classrooms the level adds.
	added [4]map[int]int
	// pairs of every area flow, for metrics.
	trips [4][]layTrip
}

// layTrip is pupils travelling from an area to a school.
type layTrip struct {
	area    int
	pupils  int
	metres  float64
	minutes float64
}

// reallocLevels are the levels seat allocation covers.
var reallocLevels = []data.Level{data.LevelKindergarten, data.LevelPrimary, data.LevelMiddle, data.LevelHigh}

// areaDemand returns the planning figure of an area's demand of level l in
// the target year.
func (m *layModel) areaDemand(a int, l data.Level) int {
	d, ok := m.areas[a].demand[m.target]
	if !ok {
		return 0
	}
	return int(math.Round(m.q(d.At(l))))
}

// areaLimit returns the longest journey of level l in minutes; primary is
// bounded by the limit of grades 1–3.
func (m *layModel) areaLimit(l data.Level) float64 {
	lim := m.st.Minutes.At(l)
	if l == data.LevelPrimary {
		lim = math.Min(lim, m.st.LowerPrimaryMinutes)
	}
	return lim
}

// facilities returns the schools offering seats of level l after the merge
// decisions, plus the new schools.
func (m *layModel) facilities(l data.Level, news []NewSchool) []layFacility {
	li := layLevelIndex(l)
	size := m.st.ClassSize.At(l)
	var out []layFacility
	for i := range m.schools {
		s := &m.schools[i]
		if m.closed[i] || !s.levels[li] {
			continue
		}
		need := m.levelClasses(i, func(g data.Grade) int { return m.pupils(i, m.target, g) })
		rooms := s.rooms + m.mergeRoom[i]
		maxRooms := max(s.maxRooms, rooms)
		rl := m.splitRooms(i, rooms, need)[li]
		el := m.splitRooms(i, maxRooms-rooms, need)[li]
		capL := s.pupilCap
		if rooms > 0 {
			capL = int(float64(s.pupilCap) * float64(rl+max(el, 0)) / float64(maxRooms))
		}
		if s.Capacity > 0 && s.rooms > 0 {
			capL = min(capL, int(float64(s.Capacity)*float64(rl+max(el, 0))/float64(s.rooms)))
		}
		out = append(out, layFacility{school: i, newIdx: -1, id: s.ID, pt: m.schoolPoint(i), rooms: rl, extra: max(el, 0), size: size, cap: capL})
	}
	for k, ns := range news {
		var rooms int
		switch l {
		case data.LevelPrimary:
			rooms = ns.PrimaryClassrooms
		case data.LevelMiddle:
			rooms = ns.MiddleClassrooms
		case data.LevelHigh:
			rooms = ns.HighClassrooms
		case data.LevelKindergarten:
			rooms = ns.KinderClassrooms
		}
		if rooms == 0 {
			continue
		}
		out = append(out, layFacility{school: -1, newIdx: k, id: ns.SiteID, pt: orb.Point{ns.Lon, ns.Lat}, rooms: rooms, size: size, cap: rooms * size})
	}
	return out
}

// reallocate solves the seat allocation of the given levels (all when
// nil) in the target year, levels in parallel; levels not solved are
// copied from prev.
func (m *layModel) reallocate(ctx context.Context, news []NewSchool, only []data.Level, prev *layAlloc) (*layAlloc, error) {
	al := &layAlloc{}
	res := make([]*Reallocation, len(reallocLevels))
	errs := make([]error, len(reallocLevels))
	parts := make([]layAlloc, len(reallocLevels))
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(1, m.opt.Workers))
	for k, l := range reallocLevels {
		li := layLevelIndex(l)
		if only != nil && !slices.Contains(only, l) {
			al.unmet[li], al.reach[li], al.added[li], al.trips[li] = prev.unmet[li], prev.reach[li], prev.added[li], prev.trips[li]
			for _, r := range prev.levels {
				if r.Level == l {
					res[k] = &r
				}
			}
			continue
		}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			res[k], errs[k] = m.reallocLevel(ctx, l, news, &parts[k])
		})
	}
	wg.Wait()
	for k, l := range reallocLevels {
		if errs[k] != nil {
			return nil, errs[k]
		}
		li := layLevelIndex(l)
		if only == nil || slices.Contains(only, l) {
			al.unmet[li], al.reach[li], al.added[li], al.trips[li] = parts[k].unmet[li], parts[k].reach[li], parts[k].added[li], parts[k].trips[li]
		}
		if r := res[k]; r != nil && (r.Pupils > 0 || len(r.Schools) > 0) {
			al.levels = append(al.levels, *r)
		}
	}
	return al, nil
}

// layMetresPerCNY converts money into the flow's cost unit, metres of pupil
// travel: one CNY a year buys 1000/PupilKmCost metres.
func (m *layModel) metresPerCNY() float64 {
	if m.st.PupilKmCost <= 0 {
		return 0
	}
	return 1000 / m.st.PupilKmCost
}

// layUnmetPenalty is the cost of leaving a pupil unplaced, above any
// journey, in metres.
const layUnmetPenalty = 10_000_000

func (m *layModel) reallocLevel(ctx context.Context, l data.Level, news []NewSchool, al *layAlloc) (*Reallocation, error) {
	li := layLevelIndex(l)
	out := &Reallocation{Level: l, Year: m.target, Flows: []SeatFlow{}, Short: []UnmetDemand{}, Moves: []ZoneChange{}, Schools: []SchoolCapacity{}}
	fac := m.facilities(l, news)
	al.unmet[li] = make([]int, len(m.areas))
	al.reach[li] = make([]bool, len(m.areas))
	al.added[li] = map[int]int{}
	var areas []int
	var from []orb.Point
	for a := range m.areas {
		if d := m.areaDemand(a, l); d > 0 {
			areas = append(areas, a)
			from = append(from, orb.Point{m.areas[a].Lon, m.areas[a].Lat})
			out.Pupils += d
		}
	}
	if len(areas) == 0 || len(fac) == 0 {
		for _, a := range areas {
			al.unmet[li][a] = m.areaDemand(a, l)
		}
		out.Unmet = out.Pupils
		m.explainUnmet(out, l, areas, al)
		return out, nil
	}
	to := make([]orb.Point, len(fac))
	for k, f := range fac {
		to[k] = f.pt
	}
	limit := m.areaLimit(l)
	pairs, err := geo.Generate(ctx, from, to, geo.Limit{Metres: m.st.limitMetres(limit, geo.Bus)}, m.pairOptions())
	if err != nil {
		return nil, fmt.Errorf("optimize: reallocation %s: %w", l, err)
	}
	full := make([]bool, len(areas)) // areas offered every school in reach
	cur := m.currentSchools(l)       // each area's school today
	var sol *layFlowSolution
	for round := 0; round < 2; round++ {
		sol, err = m.solveAllocation(ctx, l, areas, fac, pairs, full, cur)
		if err != nil {
			return nil, err
		}
		again := false
		for k := range areas {
			if sol.unmet[k] > 0 && !full[k] && sol.truncated[k] {
				full[k] = true
				again = true
			}
		}
		if !again {
			break
		}
	}
	// Results.
	load := make([]int, len(fac))
	for _, f := range sol.flows {
		a := areas[f.area]
		fc := &fac[f.fac]
		load[f.fac] += f.pupils
		km := f.metres / 1000
		out.Flows = append(out.Flows, SeatFlow{AreaID: m.areas[a].ID, SchoolID: fc.id, Pupils: f.pupils, Km: km, Minutes: f.minutes})
		out.Assigned += f.pupils
		out.PupilKm += float64(f.pupils) * km
		al.trips[li] = append(al.trips[li], layTrip{area: a, pupils: f.pupils, metres: f.metres, minutes: f.minutes})
	}
	for k, a := range areas {
		al.unmet[li][a] = sol.unmet[k]
		al.reach[li][a] = sol.reachable[k]
		out.Unmet += sol.unmet[k]
	}
	for k, fc := range fac {
		need := layCeilDiv(load[k], fc.size)
		add := max(0, need-fc.rooms)
		if fc.school >= 0 && add > 0 {
			al.added[li][fc.school] = add
		}
		out.Schools = append(out.Schools, SchoolCapacity{SchoolID: fc.id, Pupils: load[k], Seats: min((fc.rooms+add)*fc.size, fc.cap),
			Classrooms: fc.rooms + add, ClassesNeeded: need, New: fc.school < 0})
	}
	slices.SortFunc(out.Flows, func(a, b SeatFlow) int {
		if c := cmp.Compare(a.AreaID, b.AreaID); c != 0 {
			return c
		}
		return cmp.Compare(a.SchoolID, b.SchoolID)
	})
	slices.SortFunc(out.Schools, func(a, b SchoolCapacity) int { return cmp.Compare(a.SchoolID, b.SchoolID) })
	m.explainUnmet(out, l, areas, al)
	m.zoneChanges(out, l, areas, sol, fac, cur)
	return out, nil
}

// layFlowSolution is the solved allocation of one level.
type layFlowSolution struct {
	flows     []layArcFlow
	unmet     []int
	reachable []bool
	truncated []bool
}

type layArcFlow struct {
	area, fac int
	pupils    int
	metres    float64
	minutes   float64
}

// solveAllocation builds and solves the flow network: area → school (travel
// metres), school → sink within its seats, school → sink within the seats
// it may add (at the classroom cost in metre-equivalents), area → sink at
// the unmet penalty; every school but an area's current one (cur, by
// area) costs the zone-stay preference on top.
func (m *layModel) solveAllocation(ctx context.Context, l data.Level, areas []int, fac []layFacility, pairs *geo.Pairs, full []bool, cur []int) (*layFlowSolution, error) {
	n := len(areas)
	g := NewFlowNetwork(0)
	sink := g.AddNode(0)
	facNode := make([]int, len(fac))
	seatCost := int64(math.Round(m.st.ClassroomAnnualCost() * m.metresPerCNY()))
	for k, f := range fac {
		facNode[k] = g.AddNode(0)
		seats := min(f.rooms*f.size, f.cap)
		if seats > 0 {
			g.AddArc(facNode[k], sink, int64(seats), 0)
		}
		if more := min((f.rooms+f.extra)*f.size, f.cap) - seats; more > 0 {
			g.AddArc(facNode[k], sink, int64(more), seatCost/int64(f.size))
		}
	}
	sol := &layFlowSolution{unmet: make([]int, n), reachable: make([]bool, n), truncated: make([]bool, n)}
	type arcRef struct {
		arc, area, fac int
		metres, mins   float64
	}
	// Size the network and the arc list once: appending grew them
	// repeatedly on large datasets.
	offers := 0
	for k := range areas {
		tos, _, _ := pairs.Row(k)
		if full[k] {
			offers += len(tos)
		} else {
			offers += min(len(tos), m.opt.MaxOptions)
		}
	}
	g.Grow(n, offers+n)
	refs := make([]arcRef, 0, offers)
	unmetArc := make([]int, n)
	var total int64
	limit := m.areaLimit(l)
	stay := int64(math.Round(m.opt.ZoneStayMetres))
	for k, a := range areas {
		d := int64(m.areaDemand(a, l))
		u := g.AddNode(d)
		total += d
		mode := m.st.mode(l, m.areas[a].Urban)
		tos, metres, _ := pairs.Row(k)
		offered := 0
		for j, t := range tos {
			mins := m.minutes(metres[j], mode)
			if mins > limit {
				continue
			}
			sol.reachable[k] = true
			if offered == m.opt.MaxOptions && !full[k] {
				sol.truncated[k] = true
				break
			}
			offered++
			// Every school but the area's current one costs the stay
			// preference on top of the journey.
			cost := int64(math.Round(metres[j]))
			if c := fac[t].school; c < 0 || c != cur[a] {
				cost += stay
			}
			arc := g.AddArc(u, facNode[t], d, cost)
			refs = append(refs, arcRef{arc, k, int(t), metres[j], mins})
		}
		unmetArc[k] = g.AddArc(u, sink, d, layUnmetPenalty)
	}
	g.SetSupply(sink, -total)
	fs, err := MinCostFlow(ctx, g, nil)
	if err != nil {
		return nil, fmt.Errorf("optimize: reallocation %s: %w", l, err)
	}
	for _, r := range refs {
		if f := fs.Flow[r.arc]; f > 0 {
			sol.flows = append(sol.flows, layArcFlow{area: r.area, fac: r.fac, pupils: int(f), metres: r.metres, minutes: r.mins})
		}
	}
	for k := range areas {
		sol.unmet[k] = int(fs.Flow[unmetArc[k]])
	}
	return sol, nil
}

// explainUnmet lists the areas with unmet demand and why.
func (m *layModel) explainUnmet(out *Reallocation, l data.Level, areas []int, al *layAlloc) {
	li := layLevelIndex(l)
	limit := m.areaLimit(l)
	for _, a := range areas {
		u := al.unmet[li][a]
		if u == 0 {
			continue
		}
		ar := m.areas[a]
		d := UnmetDemand{AreaID: ar.ID, Name: ar.Name, County: ar.County, Pupils: u, NoSchoolInReach: !al.reach[li][a]}
		if d.NoSchoolInReach {
			d.Reason = fmt.Sprintf("no %s school within %g minutes", l, limit)
			d.ReasonZH = fmt.Sprintf("%g分钟内无%s学校", limit, l.Label())
		} else {
			d.Reason = fmt.Sprintf("%s schools within %g minutes are full even after allowed expansion", l, limit)
			d.ReasonZH = fmt.Sprintf("%g分钟内%s学校扩建后仍学位不足", limit, l.Label())
		}
		out.Short = append(out.Short, d)
	}
	slices.SortFunc(out.Short, func(a, b UnmetDemand) int { return cmp.Compare(a.AreaID, b.AreaID) })
}

// currentSchool returns, per area, today's school of level l: the zone
// school when the zones file names one that teaches the level, else the
// nearest school teaching it (-1 when there is none).
func (m *layModel) currentSchools(l data.Level) []int {
	li := layLevelIndex(l)
	cur := make([]int, len(m.areas))
	for a := range cur {
		cur[a] = -1
	}
	for _, z := range m.ds.Zones {
		if z.Level != l {
			continue
		}
		a, ok := m.areaByID[z.AreaID]
		i, ok2 := m.schoolByID[z.SchoolID]
		if ok && ok2 && m.schools[i].levels[li] {
			cur[a] = i
		}
	}
	var idx []int
	var pts []orb.Point
	for i := range m.schools {
		if m.schools[i].levels[li] {
			idx = append(idx, i)
			pts = append(pts, m.schoolPoint(i))
		}
	}
	if len(idx) == 0 {
		return cur
	}
	ix, err := geo.NewIndex(pts)
	if err != nil {
		return cur
	}
	var buf []geo.Neighbor
	for a := range m.areas {
		if cur[a] >= 0 {
			continue
		}
		buf = ix.Nearest(buf, orb.Point{m.areas[a].Lon, m.areas[a].Lat}, 1)
		if len(buf) > 0 {
			cur[a] = idx[buf[0].Index]
		}
	}
	return cur
}

// zoneChanges lists flows to another school than today's.
func (m *layModel) zoneChanges(out *Reallocation, l data.Level, areas []int, sol *layFlowSolution, fac []layFacility, cur []int) {
	// Whether each school's seats, expansions included, are all taken.
	load := make([]int, len(fac))
	for _, f := range sol.flows {
		load[f.fac] += f.pupils
	}
	full := map[int]bool{}
	for k, f := range fac {
		if f.school >= 0 {
			full[f.school] = load[k] >= min((f.rooms+f.extra)*f.size, f.cap)
		}
	}
	for _, f := range sol.flows {
		a := areas[f.area]
		c := cur[a]
		fc := &fac[f.fac]
		if c >= 0 && fc.school == c {
			continue
		}
		z := ZoneChange{AreaID: m.areas[a].ID, AreaName: m.areas[a].Name, To: fc.id, Pupils: f.pupils}
		why, whyZH := "", ""
		switch {
		case c < 0:
			why, whyZH = "no current school", "原无对口学校"
		case m.closed[c]:
			z.From = m.schools[c].ID
			why, whyZH = "current school closes in the merge plan", "原对口学校撤并"
		case full[c]:
			z.From = m.schools[c].ID
			why, whyZH = "current school is full", "原对口学校学位不足"
		default:
			z.From = m.schools[c].ID
			why, whyZH = fmt.Sprintf("a nearer school has room (the move saves over %.1f km of travel in all)", m.opt.ZoneStayMetres/1000),
				fmt.Sprintf("有更近学校有余位（调剂后总路程节省超过%.1f公里）", m.opt.ZoneStayMetres/1000)
		}
		if fc.school < 0 {
			why += "; new school"
			whyZH += "；新建学校"
		}
		z.Reason = fmt.Sprintf("%d %s pupils to %s (%.1f km, %.0f min): %s", f.pupils, l, fc.id, f.metres/1000, f.minutes, why)
		z.ReasonZH = fmt.Sprintf("%d名%s学生调剂至%s（%.1f公里，%.0f分钟）：%s", f.pupils, l.Label(), fc.id, f.metres/1000, f.minutes, whyZH)
		out.Moves = append(out.Moves, z)
	}
	slices.SortFunc(out.Moves, func(a, b ZoneChange) int {
		if c := cmp.Compare(a.AreaID, b.AreaID); c != 0 {
			return c
		}
		return cmp.Compare(a.To, b.To)
	})
}

// expansions lists the classrooms the plan adds per school.
func (m *layModel) expansions(plan *MergePlan, al *layAlloc) []Expansion {
	out := []Expansion{}
	for i := range m.schools {
		demand := 0
		for li := range 4 {
			demand += al.added[li][i]
		}
		merge := m.mergeRoom[i]
		if demand+merge == 0 {
			continue
		}
		s := &m.schools[i]
		e := Expansion{SchoolID: s.ID, Name: s.Name, County: s.County, Classrooms: demand + merge, ForMerges: merge, ForDemand: demand,
			RoomsNow: s.rooms, RoomsAfter: s.rooms + merge + demand}
		e.Reason = fmt.Sprintf("add %d classrooms (%d for pupils of merged schools, %d for %d demand) within the limit of %d",
			e.Classrooms, merge, demand, m.target, s.maxRooms)
		e.ReasonZH = fmt.Sprintf("新增教室%d间（撤并接收%d间，%d年学位需求%d间），不超过规划上限%d间", e.Classrooms, merge, m.target, demand, s.maxRooms)
		out = append(out, e)
	}
	return out
}
