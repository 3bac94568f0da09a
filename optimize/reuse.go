package optimize

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/paulmach/orb"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/geo"
)

// Reuse proposes a building the merge plan leaves empty (闲置校舍) for
// kindergarten use, where a kindergarten seat deficit is within reach.
type Reuse struct {
	SchoolID string `json:"school_id"`
	Name     string `json:"name"`
	County   string `json:"county"`
	// Classrooms is the classrooms turned into kindergarten classes (at
	// most the kindergarten class cap) and Seats their places.
	Classrooms int `json:"classrooms"`
	Seats      int `json:"seats"`
	// Deficit is the kindergarten demand within reach that has no seat;
	// Served is the part these seats take.
	Deficit int `json:"deficit"`
	Served  int `json:"served"`
	// Areas lists the areas whose deficit it serves.
	Areas []string `json:"areas"`
	// Year is the year the building empties (the merge's recommended year).
	Year     int    `json:"year"`
	Reason   string `json:"reason"`
	ReasonZH string `json:"reason_zh"`
}

// proposeReuse matches closed buildings with the kindergarten demand the
// allocation could not seat, largest deficit served first; an area's
// deficit is claimed by one building only. It also returns the deficit
// each area has left (nil when the allocation has no kindergarten demand).
func (m *layModel) proposeReuse(ctx context.Context, al *layAlloc, plan *MergePlan) ([]Reuse, []int) {
	out := []Reuse{}
	ki := layLevelIndex(data.LevelKindergarten)
	if al.unmet[ki] == nil {
		return out, nil
	}
	deficit := slices.Clone(al.unmet[ki])
	var closed []int
	for i := range m.schools {
		if m.closed[i] && m.schools[i].rooms > 0 {
			closed = append(closed, i)
		}
	}
	var areas []int
	left := map[int]int{}
	for a, u := range al.unmet[ki] {
		if u > 0 {
			areas = append(areas, a)
			left[a] = u
		}
	}
	if len(closed) == 0 || len(areas) == 0 {
		return out, deficit
	}
	year := map[string]int{}
	for _, p := range plan.Proposals {
		year[p.SchoolID] = p.RecommendedYear
	}
	from := make([]orb.Point, len(closed))
	for k, i := range closed {
		from[k] = m.schoolPoint(i)
	}
	to := make([]orb.Point, len(areas))
	for k, a := range areas {
		to[k] = orb.Point{m.areas[a].Lon, m.areas[a].Lat}
	}
	limit := m.st.Minutes.At(data.LevelKindergarten)
	pairs, err := geo.Generate(ctx, from, to, geo.Limit{Metres: m.st.limitMetres(limit, geo.Bus)}, m.pairOptions())
	if err != nil {
		m.warn("reuse of closed buildings skipped: %v", err)
		return out, deficit
	}
	// reachable[k] lists the deficit areas building k can serve, nearest first.
	reachable := make([][]int, len(closed))
	for k := range closed {
		tos, metres, _ := pairs.Row(k)
		for j, t := range tos {
			a := areas[t]
			if m.minutes(metres[j], m.st.mode(data.LevelKindergarten, m.areas[a].Urban)) <= limit {
				reachable[k] = append(reachable[k], a)
			}
		}
	}
	size := m.st.ClassSize.At(data.LevelKindergarten)
	used := make([]bool, len(closed))
	for {
		best, bestServed := -1, 0
		for k, i := range closed {
			if used[k] {
				continue
			}
			seats := min(m.schools[i].rooms, m.st.MaxClasses.Kindergarten) * size
			d := 0
			for _, a := range reachable[k] {
				d += left[a]
			}
			if s := min(seats, d); s > bestServed {
				best, bestServed = k, s
			}
		}
		if best < 0 {
			break
		}
		used[best] = true
		i := closed[best]
		s := &m.schools[i]
		rooms := min(s.rooms, m.st.MaxClasses.Kindergarten)
		r := Reuse{SchoolID: s.ID, Name: s.Name, County: s.County, Seats: rooms * size, Year: year[s.ID]}
		for _, a := range reachable[best] {
			r.Deficit += left[a]
		}
		need := bestServed
		for _, a := range reachable[best] {
			if need == 0 {
				break
			}
			take := min(left[a], need)
			if take > 0 {
				left[a] -= take
				need -= take
				r.Served += take
				r.Areas = append(r.Areas, m.areas[a].ID)
			}
		}
		r.Classrooms = min(rooms, layCeilDiv(r.Served, size))
		r.Seats = r.Classrooms * size
		slices.Sort(r.Areas)
		r.Reason = fmt.Sprintf("building empties in %d; %d kindergarten children within %g minutes have no place; %d classrooms give %d places and take %d of them",
			r.Year, r.Deficit, limit, r.Classrooms, r.Seats, r.Served)
		r.ReasonZH = fmt.Sprintf("校舍%d年起闲置；%g分钟内有%d名幼儿无学位；改建%d间幼儿园活动室，提供%d个学位，可解决%d人", r.Year, limit, r.Deficit,
			r.Classrooms, r.Seats, r.Served)
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Reuse) int {
		if c := cmp.Compare(b.Served, a.Served); c != 0 {
			return c
		}
		return cmp.Compare(a.SchoolID, b.SchoolID)
	})
	for a, n := range left {
		deficit[a] = n
	}
	return out, deficit
}
