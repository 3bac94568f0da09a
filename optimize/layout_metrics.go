package optimize

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"github.com/seatplan/seatplan/data"
)

// Metrics describes one level in the target year, before or after the plan.
type Metrics struct {
	Level data.Level `json:"level"`
	// Pupils is the areas' demand; Unmet the part no school takes.
	Pupils int `json:"pupils"`
	Unmet  int `json:"unmet"`
	// WithinLimit counts pupils whose school is within the level's travel
	// limit, and WithinLimitShare their share of Pupils.
	WithinLimit      int     `json:"within_limit"`
	WithinLimitShare float64 `json:"within_limit_share"`
	// UrbanPupils and WithinWalkRadius count urban pupils and those of
	// them within the level's walking radius.
	UrbanPupils      int `json:"urban_pupils"`
	WithinWalkRadius int `json:"within_walk_radius"`
	// MeanKm and P95Km are the pupil-weighted mean and 95th percentile of
	// the one-way journey.
	MeanKm float64 `json:"mean_km"`
	P95Km  float64 `json:"p95_km"`
	// Schools counts the schools teaching the level; SchoolsUnder100 those
	// (primary or middle) with fewer compulsory pupils than the
	// small-school size.
	Schools         int `json:"schools"`
	SchoolsUnder100 int `json:"schools_under_100"`
	// OversizedClasses counts classes above the standard class size when
	// the level's pupils must fit its classrooms; ClassroomsShort the
	// classrooms missing for standard classes.
	OversizedClasses int `json:"oversized_classes"`
	ClassroomsShort  int `json:"classrooms_short"`
	// Utilisation is pupils over standard seats.
	Utilisation float64 `json:"utilisation"`
}

// tripStats fills the travel fields of mt from trips.
func (m *layModel) tripStats(mt *Metrics, trips []layTrip, l data.Level) {
	limit := m.areaLimit(l)
	walk := m.st.WalkRadius.At(l)
	sorted := slices.Clone(trips)
	slices.SortFunc(sorted, func(a, b layTrip) int { return cmp.Compare(a.metres, b.metres) })
	total, sum := 0, 0.0
	for _, t := range sorted {
		total += t.pupils
		sum += float64(t.pupils) * t.metres
		if t.minutes <= limit {
			mt.WithinLimit += t.pupils
		}
		if m.areas[t.area].Urban {
			mt.UrbanPupils += t.pupils
			if walk > 0 && t.metres <= walk {
				mt.WithinWalkRadius += t.pupils
			}
		}
	}
	if mt.Pupils > 0 {
		mt.WithinLimitShare = float64(mt.WithinLimit) / float64(mt.Pupils)
	}
	if total == 0 {
		return
	}
	mt.MeanKm = sum / float64(total) / 1000
	at := int(math.Ceil(0.95 * float64(total)))
	run := 0
	for _, t := range sorted {
		run += t.pupils
		if run >= at {
			mt.P95Km = t.metres / 1000
			break
		}
	}
}

// beforeMetrics measures the target year under today's schools and zones,
// with no capacity limit: each area goes to its zone (or nearest) school.
func (m *layModel) beforeMetrics() []Metrics {
	var out []Metrics
	for _, l := range reallocLevels {
		li := layLevelIndex(l)
		mt := Metrics{Level: l}
		cur := m.currentSchools(l)
		var trips []layTrip
		for a := range m.areas {
			d := m.areaDemand(a, l)
			if d == 0 {
				continue
			}
			mt.Pupils += d
			if cur[a] < 0 {
				mt.Unmet += d
				continue
			}
			pa := orb.Point{m.areas[a].Lon, m.areas[a].Lat}
			metres := m.distance(pa, m.schoolPoint(cur[a]))
			trips = append(trips, layTrip{area: a, pupils: d, metres: metres, minutes: m.minutes(metres, m.st.mode(l, m.areas[a].Urban))})
		}
		m.tripStats(&mt, trips, l)
		seats := 0
		pupils := 0
		for i := range m.schools {
			s := &m.schools[i]
			if !s.levels[li] {
				continue
			}
			mt.Schools++
			if (l == data.LevelPrimary || l == data.LevelMiddle) && m.teachesCompulsory(i) && m.compulsoryPupils(i, m.target) < m.st.SmallSchool {
				mt.SchoolsUnder100++
			}
			need := m.levelClasses(i, func(g data.Grade) int { return m.pupils(i, m.target, g) })
			rooms := m.splitRooms(i, s.rooms, need)[li]
			var gp []int
			for g := s.span.Lo; g <= s.span.Hi; g++ {
				if g.Level(s.py) == l {
					gp = append(gp, m.pupils(i, m.target, g))
					pupils += gp[len(gp)-1]
				}
			}
			size := m.st.ClassSize.At(l)
			mt.OversizedClasses += layOversized(gp, size, rooms)
			mt.ClassroomsShort += max(0, need[li]-rooms)
			seats += rooms * size
		}
		if seats > 0 {
			mt.Utilisation = float64(pupils) / float64(seats)
		}
		if mt.Pupils > 0 || mt.Schools > 0 {
			out = append(out, mt)
		}
	}
	return out
}

// afterMetrics measures the target year under the plan: the allocation's
// journeys and loads, and the schools left open.
func (m *layModel) afterMetrics(al *layAlloc) []Metrics {
	var out []Metrics
	for _, r := range al.levels {
		l := r.Level
		li := layLevelIndex(l)
		mt := Metrics{Level: l, Pupils: r.Pupils, Unmet: r.Unmet}
		m.tripStats(&mt, al.trips[li], l)
		seats, pupils := 0, 0
		size := m.st.ClassSize.At(l)
		for _, sc := range r.Schools {
			mt.Schools++
			if !sc.New && (l == data.LevelPrimary || l == data.LevelMiddle) {
				i := m.schoolByID[sc.SchoolID]
				if m.teachesCompulsory(i) && m.compulsoryPupils(i, m.target)+m.mergeIn[i] < m.st.SmallSchool {
					mt.SchoolsUnder100++
				}
			}
			mt.ClassroomsShort += max(0, sc.ClassesNeeded-sc.Classrooms)
			mt.OversizedClasses += layOversized([]int{sc.Pupils}, size, sc.Classrooms)
			seats += sc.Seats
			pupils += sc.Pupils
		}
		if seats > 0 {
			mt.Utilisation = float64(pupils) / float64(seats)
		}
		out = append(out, mt)
	}
	return out
}

// layOversized returns how many classes exceed size when grades with the
// given pupils must share rooms classrooms: each grade starts with its
// standard classes, and while they do not fit, the grade whose classes stay
// smallest after losing one gives one up (never below one class).
func layOversized(pupils []int, size, rooms int) int {
	classes := make([]int, len(pupils))
	total := 0
	for k, p := range pupils {
		if p > 0 {
			classes[k] = layCeilDiv(p, size)
			total += classes[k]
		}
	}
	for total > rooms {
		best := -1
		bestAvg := math.Inf(1)
		for k, c := range classes {
			if c > 1 {
				if avg := float64(pupils[k]) / float64(c-1); avg < bestAvg {
					best, bestAvg = k, avg
				}
			}
		}
		if best < 0 {
			break
		}
		classes[best]--
		total--
	}
	n := 0
	for k, c := range classes {
		if c > 0 && pupils[k] > c*size {
			n += c
		}
	}
	return n
}

// distance returns the travel metres between two points, by road when the
// dataset has a road network that joins them.
func (m *layModel) distance(a, b orb.Point) float64 {
	if m.roads != nil {
		if d, err := m.roads.Distance(a, b); err == nil {
			return d
		}
	}
	return m.st.Metric.Distance(a, b)
}
