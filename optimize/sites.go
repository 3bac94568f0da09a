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

// NewSchool is a proposed new school, planned as a nine-year school
// (九年一贯制) to take demand the existing schools cannot.
type NewSchool struct {
	SiteID string  `json:"site_id"`
	Name   string  `json:"name"`
	County string  `json:"county"`
	Lon    float64 `json:"lon"`
	Lat    float64 `json:"lat"`
	// Generated is true for a site generated on a grid over the unmet
	// demand rather than taken from the candidate sites.
	Generated bool `json:"generated"`
	// PrimaryPupils and MiddlePupils are the target-year pupils it takes.
	PrimaryPupils int `json:"primary_pupils"`
	MiddlePupils  int `json:"middle_pupils"`
	// PrimaryClassrooms + MiddleClassrooms = Classrooms, a standard
	// nine-year size (18, 27, 36 or 45 classes).
	PrimaryClassrooms int `json:"primary_classrooms"`
	MiddleClassrooms  int `json:"middle_classrooms"`
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

// laySite is a possible site for a new school.
type laySite struct {
	id, name, county string
	pt               orb.Point
	generated        bool
	cost             float64
	maxRooms         int
}

// proposeSites chooses new nine-year schools for the primary and middle
// demand the allocation left unmet: the fewest sites covering every
// coverable area (set coverage), then their best positions under capacity
// (capacitated p-median), among the dataset's candidate sites or, for
// areas no candidate reaches, sites generated on a grid.
func (m *layModel) proposeSites(ctx context.Context, al *layAlloc) ([]NewSchool, error) {
	pi, mi := layLevelIndex(data.LevelPrimary), layLevelIndex(data.LevelMiddle)
	var areas []int
	for a := range m.areas {
		if (al.unmet[pi] != nil && al.unmet[pi][a] > 0) || (al.unmet[mi] != nil && al.unmet[mi][a] > 0) {
			areas = append(areas, a)
		}
	}
	if len(areas) == 0 {
		return []NewSchool{}, nil
	}
	unmet := func(a int) (p, q int) {
		if al.unmet[pi] != nil {
			p = al.unmet[pi][a]
		}
		if al.unmet[mi] != nil {
			q = al.unmet[mi][a]
		}
		return p, q
	}
	limit := m.areaLimit(data.LevelPrimary)
	pts := make([]orb.Point, len(areas))
	for k, a := range areas {
		pts[k] = orb.Point{m.areas[a].Lon, m.areas[a].Lat}
	}
	var sites []laySite
	for _, c := range m.ds.Candidates {
		sites = append(sites, laySite{id: c.ID, name: c.Name, county: c.County, pt: orb.Point{c.Lon, c.Lat}, cost: c.Cost, maxRooms: c.MaxClassrooms})
	}
	reach := func(sites []laySite) ([][]Reach, error) {
		sp := make([]orb.Point, len(sites))
		for k, s := range sites {
			sp[k] = s.pt
		}
		lists := make([][]Reach, len(areas))
		if len(sites) == 0 {
			return lists, nil
		}
		pairs, err := geo.Generate(ctx, pts, sp, geo.Limit{Metres: m.st.limitMetres(limit, geo.Bus)}, m.pairOptions())
		if err != nil {
			return nil, fmt.Errorf("optimize: new sites: %w", err)
		}
		for k, a := range areas {
			mode := m.st.mode(data.LevelPrimary, m.areas[a].Urban)
			tos, metres, _ := pairs.Row(k)
			for j, t := range tos {
				if m.minutes(metres[j], mode) <= limit {
					lists[k] = append(lists[k], Reach{Site: int(t), Dist: metres[j]})
				}
			}
		}
		return lists, nil
	}
	lists, err := reach(sites)
	if err != nil {
		return nil, err
	}
	// Grid sites for areas no candidate reaches: one per grid cell, at the
	// demand-weighted centre of the cell's areas.
	type cell struct{ x, y int }
	cells := map[cell]*[3]float64{}
	var order []cell
	step := m.opt.NewSiteGridMetres / geo.EarthRadius * 180 / math.Pi
	for k, a := range areas {
		if len(lists[k]) > 0 {
			continue
		}
		p, q := unmet(a)
		w := float64(p + q)
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
	if len(order) > 0 {
		slices.SortFunc(order, func(a, b cell) int {
			if c := cmp.Compare(a.y, b.y); c != 0 {
				return c
			}
			return cmp.Compare(a.x, b.x)
		})
		for _, c := range order {
			acc := cells[c]
			pt := orb.Point{acc[0] / acc[2], acc[1] / acc[2]}
			sites = append(sites, laySite{id: fmt.Sprintf("G%d_%d", c.x, c.y), name: "规划新校址", pt: pt, generated: true})
		}
		lists, err = reach(sites)
		if err != nil {
			return nil, err
		}
	}
	weights := make([]float64, len(areas))
	total := 0.0
	for k, a := range areas {
		p, q := unmet(a)
		weights[k] = float64(p + q)
		if len(lists[k]) > 0 {
			total += weights[k]
		}
		SortReaches(lists[k])
	}
	prob := &LocationProblem{Sites: len(sites), Clients: lists, Weights: weights}
	lopt := LocationOptions{Seed: m.opt.Seed, Workers: m.opt.Workers, Starts: 8}
	cov, err := SetCoverage(ctx, prob, math.Inf(1), lopt)
	if err != nil {
		return nil, fmt.Errorf("optimize: new sites: %w", err)
	}
	capacity := float64(min(m.st.MaxPupilsThrough, m.st.MaxClasses.Through*m.st.ClassSize.At(data.LevelPrimary)))
	p := max(len(cov.Open), int(math.Ceil(total/capacity)))
	p = min(p, len(sites))
	if p == 0 {
		return []NewSchool{}, nil
	}
	prob.P = p
	prob.Capacity = make([]float64, len(sites))
	for k := range prob.Capacity {
		prob.Capacity[k] = capacity
	}
	res, err := PMedian(ctx, prob, lopt)
	if err != nil {
		return nil, fmt.Errorf("optimize: new sites: %w", err)
	}
	byPrimary := make([]float64, len(sites))
	byMiddle := make([]float64, len(sites))
	served := make([][]string, len(sites))
	for _, a := range res.Allocations {
		ar := areas[a.Client]
		pp, qq := unmet(ar)
		share := a.Amount / weights[a.Client]
		byPrimary[a.Site] += share * float64(pp)
		byMiddle[a.Site] += share * float64(qq)
		served[a.Site] = append(served[a.Site], m.areas[ar].ID)
	}
	out := []NewSchool{}
	for _, k := range res.Open {
		s := &sites[k]
		np, nm := int(math.Round(byPrimary[k])), int(math.Round(byMiddle[k]))
		if np+nm == 0 {
			continue
		}
		pc := layCeilDiv(np, m.st.ClassSize.At(data.LevelPrimary))
		mc := layCeilDiv(nm, m.st.ClassSize.At(data.LevelMiddle))
		size := layNineYearSizes[len(layNineYearSizes)-1]
		for _, z := range layNineYearSizes {
			if z >= pc+mc {
				size = z
				break
			}
		}
		if s.maxRooms > 0 && size > s.maxRooms {
			size = max(s.maxRooms, min(pc+mc, size))
		}
		// Spread spare classrooms in proportion to the classes needed.
		spare := max(0, size-pc-mc)
		extraP := 0
		if pc+mc > 0 {
			extraP = int(math.Round(float64(spare) * float64(pc) / float64(pc+mc)))
		}
		ns := NewSchool{SiteID: s.id, Name: s.name, County: s.county, Lon: s.pt[0], Lat: s.pt[1], Generated: s.generated,
			PrimaryPupils: np, MiddlePupils: nm, PrimaryClassrooms: pc + extraP, MiddleClassrooms: size - pc - extraP,
			Classrooms: size, Cost: s.cost}
		if ns.MiddleClassrooms < mc {
			ns.MiddleClassrooms = mc
			ns.PrimaryClassrooms = size - mc
		}
		ns.Areas = served[k]
		slices.Sort(ns.Areas)
		if ns.County == "" && len(ns.Areas) > 0 {
			ns.County = m.areas[m.areaByID[ns.Areas[0]]].County
		}
		src, srcZH := "candidate site", "候选校址"
		if s.generated {
			src, srcZH = "generated site", "按网格生成的校址"
		}
		ns.Reason = fmt.Sprintf("%d primary and %d middle pupils in %d areas have no seat within %g minutes in %d; a %d-class nine-year school at this %s "+
			"(%d primary, %d middle classrooms) takes them", np, nm, len(ns.Areas), limit, m.target, size, src, ns.PrimaryClassrooms, ns.MiddleClassrooms)
		ns.ReasonZH = fmt.Sprintf("%d年%d个片区有小学%d人、初中%d人在%g分钟内无学位；在此%s新建%d班九年一贯制学校（小学%d班、初中%d班）", m.target,
			len(ns.Areas), np, nm, limit, srcZH, size, ns.PrimaryClassrooms, ns.MiddleClassrooms)
		out = append(out, ns)
	}
	slices.SortFunc(out, func(a, b NewSchool) int { return cmp.Compare(a.SiteID, b.SiteID) })
	return out, nil
}
