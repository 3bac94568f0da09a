package optimize

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/geo"
)

// NewSchool is a proposed new school to take demand the existing schools
// cannot: a nine-year school (九年一贯制) for primary and middle pupils, a
// high school (普通高中) for high-school pupils, a kindergarten for
// kindergarten children.
type NewSchool struct {
	SiteID string `json:"site_id"`
	Name   string `json:"name"`
	County string `json:"county"`
	// Type is data.NineYear, data.High or data.Kindergarten.
	Type data.SchoolType `json:"type"`
	Lon  float64         `json:"lon"`
	Lat  float64         `json:"lat"`
	// Generated is true for a site generated on a grid over the unmet
	// demand rather than taken from the candidate sites.
	Generated bool `json:"generated"`
	// KinderPupils, PrimaryPupils, MiddlePupils and HighPupils are the
	// target-year pupils it takes.
	KinderPupils  int `json:"kindergarten_pupils"`
	PrimaryPupils int `json:"primary_pupils"`
	MiddlePupils  int `json:"middle_pupils"`
	HighPupils    int `json:"high_pupils"`
	// KinderClassrooms + PrimaryClassrooms + MiddleClassrooms +
	// HighClassrooms = Classrooms, a standard size: 18, 27, 36 or 45
	// classes for a nine-year school, 18, 24, 30 or 36 (6 to 12 a grade)
	// for a high school, 3, 6, 9 or 12 for a kindergarten.
	KinderClassrooms  int `json:"kindergarten_classrooms"`
	PrimaryClassrooms int `json:"primary_classrooms"`
	MiddleClassrooms  int `json:"middle_classrooms"`
	HighClassrooms    int `json:"high_classrooms"`
	Classrooms        int `json:"classrooms"`
	// Areas lists the areas it serves.
	Areas []string `json:"areas"`
	// Cost is the candidate site's cost from the dataset (0 when unknown).
	Cost     float64 `json:"cost"`
	Reason   string  `json:"reason"`
	ReasonZH string  `json:"reason_zh"`
}

// layNineYearSizes are the standard nine-year school sizes in classes.
var layNineYearSizes = []int{18, 27, 36, 45}

// layKinderSizes are the kindergarten sizes in classes: 3 for a small
// (village) kindergarten, else 6, 9 or 12, one to four classes for each
// of the three years.
var layKinderSizes = []int{3, 6, 9, 12}

// maxSiteRuns bounds the p-median runs of a round of new sites: more
// sites are opened, or generated, between runs while demand is left
// unserved.
const maxSiteRuns = 4

// layHighSizes are the sizes of a new high school in classes: 6, 8, 10 or
// 12 classes a grade.
var layHighSizes = []int{18, 24, 30, 36}

// laySize returns the smallest of sizes holding classes, the largest when
// none does.
func laySize(sizes []int, classes int) int {
	for _, z := range sizes {
		if z >= classes {
			return z
		}
	}
	return sizes[len(sizes)-1]
}

// laySite is a possible site for a new school.
type laySite struct {
	id, name, county string
	pt               orb.Point
	generated        bool
	cost             float64
	maxRooms         int
}

// siteDemand is what a round of new sites is for: the levels whose unmet
// demand the sites take, the level whose travel limit applies, the pupils a
// site may take, the prefix of generated site IDs, candidate sites already
// taken, and whether demand is gathered by township (for schools that
// serve a wide catchment) rather than taken area by area.
type siteDemand struct {
	levels     []data.Level
	travel     data.Level
	capacity   float64
	prefix     string
	taken      map[string]bool
	byTownship bool
}

// proposeSites chooses new nine-year schools for the primary and middle
// demand the allocation left unmet: the fewest sites covering every
// coverable area (set coverage), then their best positions under capacity
// (capacitated p-median), among the dataset's candidate sites or, for
// areas no candidate reaches, sites generated on a grid.
func (m *layModel) proposeSites(ctx context.Context, al *layAlloc) ([]NewSchool, error) {
	d := siteDemand{levels: []data.Level{data.LevelPrimary, data.LevelMiddle}, travel: data.LevelPrimary,
		capacity: float64(min(m.st.MaxPupilsThrough, m.st.MaxClasses.Through*m.st.ClassSize.At(data.LevelPrimary))), prefix: "G"}
	return m.placeSites(ctx, al, d, m.nineYearSchool)
}

// proposeHighSites chooses new high schools, the same way, for the
// high-school demand the allocation left unmet, on candidate sites the
// nine-year schools in news do not take.
func (m *layModel) proposeHighSites(ctx context.Context, al *layAlloc, news []NewSchool) ([]NewSchool, error) {
	taken := map[string]bool{}
	for _, n := range news {
		taken[n.SiteID] = true
	}
	size := m.st.ClassSize.At(data.LevelHigh)
	top := min(layHighSizes[len(layHighSizes)-1], m.st.MaxClasses.High, m.st.MaxPupils/size)
	d := siteDemand{levels: []data.Level{data.LevelHigh}, travel: data.LevelHigh, capacity: float64(top * size), prefix: "GH", taken: taken, byTownship: true}
	return m.placeSites(ctx, al, d, m.highSchool)
}

// siteClient is a demand point of a round of new sites: one area, or the
// areas of one township.
type siteClient struct {
	pt    orb.Point
	urban bool
	unmet []int // unmet pupils by level of the round
	areas []int
}

// siteClients returns the demand points of the areas with unmet demand of
// d's levels: each area, or with d.byTownship the areas of a township
// merged at their demand-weighted centre.
func (m *layModel) siteClients(al *layAlloc, d siteDemand) []siteClient {
	var out []siteClient
	index := map[[2]string]int{}
	for a := range m.areas {
		ar := &m.areas[a]
		unmet := make([]int, len(d.levels))
		n := 0
		for k, l := range d.levels {
			if u := al.unmet[layLevelIndex(l)]; u != nil {
				unmet[k] = u[a]
				n += u[a]
			}
		}
		if n == 0 {
			continue
		}
		pt := orb.Point{ar.Lon, ar.Lat}
		if !d.byTownship {
			out = append(out, siteClient{pt: pt, urban: ar.Urban, unmet: unmet, areas: []int{a}})
			continue
		}
		key := [2]string{ar.County, ar.Township}
		c, ok := index[key]
		if !ok {
			c = len(out)
			index[key] = c
			out = append(out, siteClient{unmet: make([]int, len(d.levels)), urban: ar.Urban})
		}
		cl := &out[c]
		old := float64(siteSum(cl.unmet))
		w := float64(n)
		cl.pt = orb.Point{(cl.pt[0]*old + pt[0]*w) / (old + w), (cl.pt[1]*old + pt[1]*w) / (old + w)}
		for k := range unmet {
			cl.unmet[k] += unmet[k]
		}
		cl.areas = append(cl.areas, a)
	}
	return out
}

// siteSum returns the sum of v.
func siteSum(v []int) int {
	t := 0
	for _, x := range v {
		t += x
	}
	return t
}

// proposeKinderSites chooses new kindergartens, the same way, for the
// kindergarten deficit left by area after the reuse of closed buildings,
// on candidate sites the schools in news do not take.
func (m *layModel) proposeKinderSites(ctx context.Context, deficit []int, news []NewSchool) ([]NewSchool, error) {
	if deficit == nil {
		return []NewSchool{}, nil
	}
	taken := map[string]bool{}
	for _, n := range news {
		taken[n.SiteID] = true
	}
	al := &layAlloc{}
	al.unmet[layLevelIndex(data.LevelKindergarten)] = deficit
	top := min(layKinderSizes[len(layKinderSizes)-1], m.st.MaxClasses.Kindergarten)
	d := siteDemand{levels: []data.Level{data.LevelKindergarten}, travel: data.LevelKindergarten,
		capacity: float64(top * m.st.ClassSize.At(data.LevelKindergarten)), prefix: "GK", taken: taken}
	return m.placeSites(ctx, al, d, m.kindergarten)
}

// placeSites opens sites for the demand d describes and has build turn
// each open site, with the target-year pupils it takes per level of d and
// the areas it serves, into a proposal.
func (m *layModel) placeSites(ctx context.Context, al *layAlloc, d siteDemand,
	build func(s *laySite, pupils []int, areas []string, limit float64) NewSchool) ([]NewSchool, error) {
	clients := m.siteClients(al, d)
	if len(clients) == 0 {
		return []NewSchool{}, nil
	}
	limit := m.areaLimit(d.travel)
	pts := make([]orb.Point, len(clients))
	for k, c := range clients {
		pts[k] = c.pt
	}
	var sites []laySite
	for _, c := range m.ds.Candidates {
		if d.taken[c.ID] {
			continue
		}
		sites = append(sites, laySite{id: c.ID, name: c.Name, county: c.County, pt: orb.Point{c.Lon, c.Lat}, cost: c.Cost, maxRooms: c.MaxClassrooms})
	}
	reach := func(sites []laySite) ([][]Reach, error) {
		sp := make([]orb.Point, len(sites))
		for k, s := range sites {
			sp[k] = s.pt
		}
		lists := make([][]Reach, len(clients))
		if len(sites) == 0 {
			return lists, nil
		}
		pairs, err := geo.Generate(ctx, pts, sp, geo.Limit{Metres: m.st.limitMetres(limit, geo.Bus)}, m.pairOptions())
		if err != nil {
			return nil, fmt.Errorf("optimize: new sites: %w", err)
		}
		for k, c := range clients {
			mode := m.st.mode(d.travel, c.urban)
			tos, metres, _ := pairs.Row(k)
			for j, t := range tos {
				if m.minutes(metres[j], mode) <= limit {
					lists[k] = append(lists[k], Reach{Site: int(t), Dist: metres[j]})
				}
			}
			SortReaches(lists[k])
		}
		return lists, nil
	}
	lists, err := reach(sites)
	if err != nil {
		return nil, err
	}
	// addGrid adds a generated site per grid cell of the clients with a
	// positive weight, at the weighted centre of the cell's clients, and
	// recomputes the reach lists; it reports whether it added any.
	type cell struct{ x, y int }
	step := m.opt.NewSiteGridMetres / geo.EarthRadius * 180 / math.Pi
	addGrid := func(weight func(k int) float64, prefix string) (bool, error) {
		cells := map[cell]*[3]float64{}
		var order []cell
		for k := range clients {
			w := weight(k)
			if w <= 0 {
				continue
			}
			c := cell{int(math.Floor(pts[k][0] / step)), int(math.Floor(pts[k][1] / step))}
			acc := cells[c]
			if acc == nil {
				acc = &[3]float64{}
				cells[c] = acc
				order = append(order, c)
			}
			acc[0] += w * pts[k][0]
			acc[1] += w * pts[k][1]
			acc[2] += w
		}
		if len(order) == 0 {
			return false, nil
		}
		slices.SortFunc(order, func(a, b cell) int {
			if c := cmp.Compare(a.y, b.y); c != 0 {
				return c
			}
			return cmp.Compare(a.x, b.x)
		})
		for _, c := range order {
			acc := cells[c]
			pt := orb.Point{acc[0] / acc[2], acc[1] / acc[2]}
			sites = append(sites, laySite{id: fmt.Sprintf("%s%d_%d", prefix, c.x, c.y), name: "规划新校址", pt: pt, generated: true})
		}
		lists, err = reach(sites)
		return err == nil, err
	}
	weights := make([]float64, len(clients))
	for k, c := range clients {
		weights[k] = float64(siteSum(c.unmet))
	}
	// Grid sites for clients no candidate reaches.
	if _, err := addGrid(func(k int) float64 {
		if len(lists[k]) > 0 {
			return 0
		}
		return weights[k]
	}, d.prefix); err != nil {
		return nil, err
	}
	total := 0.0
	for k := range clients {
		if len(lists[k]) > 0 {
			total += weights[k]
		}
	}
	prob := &LocationProblem{Sites: len(sites), Clients: lists, Weights: weights}
	lopt := LocationOptions{Seed: m.opt.Seed, Workers: m.opt.Workers, Starts: 8}
	cov, err := SetCoverage(ctx, prob, math.Inf(1), lopt)
	if err != nil {
		return nil, fmt.Errorf("optimize: new sites: %w", err)
	}
	p := max(len(cov.Open), int(math.Ceil(total/d.capacity)))
	p = min(p, len(sites))
	if p == 0 {
		return []NewSchool{}, nil
	}
	prob.P = p
	// Capacity counted over the whole demand may still leave some of it
	// unserved where the sites in reach are too few: open more sites, and
	// once every site is open, add grid sites over the demand left, until
	// all is served or the p-median has run maxSiteRuns times.
	var res *PMedianResult
	for run := 1; ; run++ {
		prob.Capacity = make([]float64, len(sites))
		for k := range prob.Capacity {
			prob.Capacity[k] = d.capacity
		}
		res, err = PMedian(ctx, prob, lopt)
		if err != nil {
			return nil, fmt.Errorf("optimize: new sites: %w", err)
		}
		if res.UnservedWeight < 0.5 || run == maxSiteRuns {
			break
		}
		more := int(math.Ceil(res.UnservedWeight / d.capacity))
		if prob.P < len(sites) {
			prob.P = min(len(sites), prob.P+more)
			continue
		}
		got := make([]float64, len(clients))
		for _, a := range res.Allocations {
			got[a.Client] += a.Amount
		}
		added, err := addGrid(func(k int) float64 {
			if len(lists[k]) == 0 {
				return 0
			}
			return weights[k] - got[k]
		}, fmt.Sprintf("%sr%d-", d.prefix, run))
		if err != nil {
			return nil, err
		}
		if !added {
			break
		}
		prob.Sites, prob.Clients = len(sites), lists
		prob.P = min(len(sites), prob.P+more)
	}
	byLevel := make([][]float64, len(sites))
	served := make([][]string, len(sites))
	for _, a := range res.Allocations {
		c := &clients[a.Client]
		share := a.Amount / weights[a.Client]
		if byLevel[a.Site] == nil {
			byLevel[a.Site] = make([]float64, len(d.levels))
		}
		for k, n := range c.unmet {
			byLevel[a.Site][k] += share * float64(n)
		}
		for _, ar := range c.areas {
			served[a.Site] = append(served[a.Site], m.areas[ar].ID)
		}
	}
	out := []NewSchool{}
	for _, k := range res.Open {
		pupils := make([]int, len(d.levels))
		for j := range pupils {
			if byLevel[k] != nil {
				pupils[j] = int(math.Round(byLevel[k][j]))
			}
		}
		if siteSum(pupils) == 0 {
			continue
		}
		slices.Sort(served[k])
		ns := build(&sites[k], pupils, served[k], limit)
		if ns.County == "" && len(ns.Areas) > 0 {
			ns.County = m.areas[m.areaByID[ns.Areas[0]]].County
		}
		out = append(out, ns)
	}
	slices.SortFunc(out, func(a, b NewSchool) int { return cmp.Compare(a.SiteID, b.SiteID) })
	return out, nil
}

// siteAreas says how many areas in English: "1 area", "3 areas".
func siteAreas(n int) string {
	if n == 1 {
		return "1 area"
	}
	return fmt.Sprintf("%d areas", n)
}

// size returns the classrooms of a school needing classes on site s: the
// smallest of sizes holding them, at most top, and no more than the site
// allows unless the classes themselves need more.
func (s *laySite) size(sizes []int, classes, top int) int {
	size := min(laySize(sizes, classes), top)
	if s.maxRooms > 0 && size > s.maxRooms {
		size = max(s.maxRooms, min(classes, size))
	}
	return size
}

// proposal returns the new school of type typ on site s serving areas.
func (s *laySite) proposal(typ data.SchoolType, areas []string) NewSchool {
	return NewSchool{SiteID: s.id, Name: s.name, County: s.county, Type: typ, Lon: s.pt[0], Lat: s.pt[1], Generated: s.generated,
		Cost: s.cost, Areas: areas}
}

// siteSource names where a site comes from.
func siteSource(s *laySite) (en, zh string) {
	if s.generated {
		return "generated site", "按网格生成的校址"
	}
	return "candidate site", "候选校址"
}

// nineYearSchool plans site s as a nine-year school for pupils (primary,
// middle) from areas.
func (m *layModel) nineYearSchool(s *laySite, pupils []int, areas []string, limit float64) NewSchool {
	np, nm := pupils[0], pupils[1]
	pc := layCeilDiv(np, m.st.ClassSize.At(data.LevelPrimary))
	mc := layCeilDiv(nm, m.st.ClassSize.At(data.LevelMiddle))
	size := s.size(layNineYearSizes, pc+mc, math.MaxInt)
	// Spread spare classrooms in proportion to the classes needed.
	spare := max(0, size-pc-mc)
	extraP := 0
	if pc+mc > 0 {
		extraP = int(math.Round(float64(spare) * float64(pc) / float64(pc+mc)))
	}
	ns := s.proposal(data.NineYear, areas)
	ns.PrimaryPupils, ns.MiddlePupils = np, nm
	ns.PrimaryClassrooms, ns.MiddleClassrooms, ns.Classrooms = pc+extraP, size-pc-extraP, size
	if ns.MiddleClassrooms < mc {
		ns.MiddleClassrooms = mc
		ns.PrimaryClassrooms = size - mc
	}
	src, srcZH := siteSource(s)
	ns.Reason = fmt.Sprintf("%d primary and %d middle pupils in %s have no seat within %g minutes in %d; a %d-class nine-year school at this %s "+
		"(%d primary, %d middle classrooms) takes them", np, nm, siteAreas(len(ns.Areas)), limit, m.target, size, src, ns.PrimaryClassrooms, ns.MiddleClassrooms)
	ns.ReasonZH = fmt.Sprintf("%d年%d个片区有小学%d人、初中%d人在%g分钟内无学位；在此%s新建%d班九年一贯制学校（小学%d班、初中%d班）", m.target,
		len(ns.Areas), np, nm, limit, srcZH, size, ns.PrimaryClassrooms, ns.MiddleClassrooms)
	return ns
}

// kindergarten plans site s as a kindergarten for pupils (kindergarten)
// from areas.
func (m *layModel) kindergarten(s *laySite, pupils []int, areas []string, limit float64) NewSchool {
	nk := pupils[0]
	kc := layCeilDiv(nk, m.st.ClassSize.At(data.LevelKindergarten))
	size := s.size(layKinderSizes, kc, m.st.MaxClasses.Kindergarten)
	ns := s.proposal(data.Kindergarten, areas)
	ns.KinderPupils, ns.KinderClassrooms, ns.Classrooms = nk, size, size
	src, srcZH := siteSource(s)
	ns.Reason = fmt.Sprintf("%d kindergarten children in %s have no place within %g minutes in %d, nor in a reused building; "+
		"a %d-class kindergarten at this %s takes them", nk, siteAreas(len(areas)), limit, m.target, size, src)
	ns.ReasonZH = fmt.Sprintf("%d年%d个片区有幼儿%d人在%g分钟内无学位，也无闲置校舍可改建；在此%s新建%d班幼儿园", m.target,
		len(areas), nk, limit, srcZH, size)
	return ns
}

// highSchool plans site s as a high school for pupils (high) from areas.
func (m *layModel) highSchool(s *laySite, pupils []int, areas []string, limit float64) NewSchool {
	nh := pupils[0]
	hc := layCeilDiv(nh, m.st.ClassSize.At(data.LevelHigh))
	size := s.size(layHighSizes, hc, math.MaxInt)
	ns := s.proposal(data.High, areas)
	ns.HighPupils, ns.HighClassrooms, ns.Classrooms = nh, size, size
	src, srcZH := siteSource(s)
	ns.Reason = fmt.Sprintf("%d high-school pupils in %s have no seat within %g minutes in %d, the high schools in reach being full after the "+
		"expansions allowed; a %d-class high school (%d a grade) at this %s takes them", nh, siteAreas(len(areas)), limit, m.target, size, size/3, src)
	ns.ReasonZH = fmt.Sprintf("%d年%d个片区有高中学生%d人在%g分钟内无学位（可达高中扩建后仍满员）；在此%s新建%d班普通高中（每年级%d班）", m.target,
		len(areas), nh, limit, srcZH, size, size/3)
	return ns
}
