package optimize

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/geo"
)

// layModel is the prepared state of one layout run: schools and areas with
// their forecasts, standards, and the decisions taken so far.
type layModel struct {
	in     *LayoutInput
	ds     *data.Dataset
	st     Standards
	opt    LayoutOptions
	base   int
	target int
	years  []int // forecast years, increasing, ending at target

	schools    []laySchool
	areas      []layArea
	schoolByID map[string]int
	areaByID   map[string]int
	roads      *geo.Network
	warnings   []string

	// Decisions of the merge step.
	closed    []bool
	mergeRoom []int // classrooms the merge plan adds per school
	mergeIn   []int // pupils the merge plan sends to each school
	// mergeFrom lists, per receiving school, the closed schools sending
	// it pupils and the share of each grade they send.
	mergeFrom [][]mergeShare

	primaryClasses []int // base-year primary classes per school, lazily
}

// laySchool is a school with what the planner needs to know about it.
type laySchool struct {
	*data.School
	span     data.GradeRange
	py       int     // primary years, 6 or 5
	levels   [4]bool // levels taught
	rooms    int
	maxRooms int // most classrooms after expansion, within the class cap
	pupilCap int
	urban    bool
	teachers float64 // staff of the latest teacher year, 0 when unknown
	fc       map[int]GradePupils
	// whole holds fc under the planning figure in whole pupils, rounded
	// per level so each level's grades add up to its rounded total.
	whole map[int]*[16]int32
}

// layArea is an area with its demand.
type layArea struct {
	*data.Area
	demand map[int]LevelPupils
}

func newLayModel(ctx context.Context, in *LayoutInput, opt LayoutOptions) (*layModel, error) {
	if in.Dataset == nil {
		return nil, fmt.Errorf("optimize: layout: no dataset")
	}
	if in.BaseYear <= 0 || in.TargetYear <= in.BaseYear {
		return nil, fmt.Errorf("optimize: layout: base year %d and target year %d: want base < target", in.BaseYear, in.TargetYear)
	}
	m := &layModel{in: in, ds: in.Dataset, opt: opt, base: in.BaseYear, target: in.TargetYear}
	m.st = in.Standards
	if m.st.ClassSize == (LevelInts{}) {
		m.st = DefaultStandards()
	}
	if m.st.Metric == (geo.Metric{}) {
		m.st.Metric = geo.DefaultMetric()
	}
	m.st.fillMergeDefaults()
	if err := m.st.Validate(); err != nil {
		return nil, err
	}
	m.years = slices.Clone(in.Years)
	if m.years == nil {
		for y := in.BaseYear + 1; y <= in.TargetYear; y++ {
			m.years = append(m.years, y)
		}
	}
	if len(m.years) == 0 {
		return nil, ErrNoForecast
	}
	if !slices.IsSorted(m.years) || m.years[len(m.years)-1] != in.TargetYear || m.years[0] <= in.BaseYear {
		return nil, fmt.Errorf("optimize: layout: years %v: want increasing years after %d ending at %d", m.years, in.BaseYear, in.TargetYear)
	}
	if len(m.ds.Roads) > 0 {
		nw, err := geo.ReadRoads(bytes.NewReader(m.ds.Roads))
		if err != nil {
			m.warn("roads.geojson unusable (%v); distances are great-circle × %.2f", err, m.st.Metric.Circuity)
		} else {
			m.roads = nw
		}
	}
	m.prepareAreas()
	if err := m.prepareSchools(ctx); err != nil {
		return nil, err
	}
	m.closed = make([]bool, len(m.schools))
	m.mergeRoom = make([]int, len(m.schools))
	m.mergeIn = make([]int, len(m.schools))
	m.mergeFrom = make([][]mergeShare, len(m.schools))
	return m, nil
}

func (m *layModel) warn(format string, args ...any) {
	m.warnings = append(m.warnings, fmt.Sprintf(format, args...))
}

func (m *layModel) prepareAreas() {
	m.areas = make([]layArea, len(m.ds.Areas))
	m.areaByID = make(map[string]int, len(m.ds.Areas))
	missing := 0
	for i := range m.ds.Areas {
		a := &m.ds.Areas[i]
		m.areas[i] = layArea{Area: a, demand: m.in.AreaDemand[a.ID]}
		m.areaByID[a.ID] = i
		if m.areas[i].demand == nil {
			missing++
		}
	}
	if missing > 0 && len(m.in.AreaDemand) > 0 {
		m.warn("%d areas have no demand forecast and are left out of seat allocation", missing)
	}
}

func (m *layModel) prepareSchools(ctx context.Context) error {
	ds := m.ds
	m.schools = make([]laySchool, len(ds.Schools))
	m.schoolByID = make(map[string]int, len(ds.Schools))
	for i := range ds.Schools {
		s := &ds.Schools[i]
		ls := laySchool{School: s, span: s.GradeSpan(), py: s.PrimaryYears}
		if ls.py != 5 {
			ls.py = 6
		}
		for g := ls.span.Lo; g <= ls.span.Hi; g++ {
			ls.levels[layLevelIndex(g.Level(ls.py))] = true
		}
		ls.rooms = max(s.Classrooms, 0)
		ls.maxRooms = max(s.MaxClassrooms, ls.rooms)
		if c := m.st.classCap(s.Type); ls.maxRooms > c {
			ls.maxRooms = max(c, ls.rooms)
		}
		ls.pupilCap = m.st.pupilCap(s.Type)
		m.schools[i] = ls
		m.schoolByID[s.ID] = i
	}
	// Base-year enrolment, the fallback forecast.
	baseRows := make([]GradePupils, len(m.schools))
	hasBase := make([]bool, len(m.schools))
	for _, e := range ds.Enrolment {
		if e.Year != m.base {
			continue
		}
		if i, ok := m.schoolByID[e.SchoolID]; ok && e.Grade.Valid() {
			v := float64(e.Students)
			baseRows[i].Set(e.Grade, baseRows[i].At(e.Grade).add(Estimate{v, v}))
			hasBase[i] = true
		}
	}
	filled, noRooms := 0, 0
	for i := range m.schools {
		s := &m.schools[i]
		fc := make(map[int]GradePupils, len(m.years)+1)
		given := m.in.SchoolForecast[s.ID]
		fc[m.base] = baseRows[i]
		if g, ok := given[m.base]; ok && !hasBase[i] {
			fc[m.base] = g
		}
		for _, y := range m.years {
			if g, ok := given[y]; ok {
				fc[y] = g
			} else {
				fc[y] = baseRows[i]
				filled++
			}
		}
		s.fc = fc
		s.whole = make(map[int]*[16]int32, len(fc))
		for y, g := range fc {
			s.whole[y] = wholePupils(&g, s.py, m.q)
		}
		if s.rooms == 0 {
			noRooms++
		}
	}
	if filled > 0 {
		m.warn("%d school-years had no forecast; the school's %d enrolment was carried forward", filled, m.base)
	}
	if noRooms > 0 {
		m.warn("%d schools have no classrooms recorded and offer no seats", noRooms)
	}
	// Teachers of the latest year per school.
	lastYear := make([]int, len(m.schools))
	for _, t := range ds.Teachers {
		i, ok := m.schoolByID[t.SchoolID]
		if !ok || t.Year > m.base {
			continue
		}
		switch {
		case t.Year > lastYear[i]:
			lastYear[i] = t.Year
			m.schools[i].teachers = float64(t.Teachers)
		case t.Year == lastYear[i]:
			m.schools[i].teachers += float64(t.Teachers)
		}
	}
	// A school is urban when its nearest area is.
	if len(m.areas) > 0 && len(m.schools) > 0 {
		pts := make([]orb.Point, len(m.areas))
		for i, a := range m.areas {
			pts[i] = orb.Point{a.Lon, a.Lat}
		}
		ix, err := geo.NewIndex(pts)
		if err != nil {
			return fmt.Errorf("optimize: layout: areas: %w", err)
		}
		var buf []geo.Neighbor
		for i := range m.schools {
			if i&1023 == 0 && ctx.Err() != nil {
				return fmt.Errorf("optimize: layout: %w", ctx.Err())
			}
			s := &m.schools[i]
			buf = ix.Nearest(buf, orb.Point{s.Lon, s.Lat}, 1)
			if len(buf) > 0 {
				s.urban = m.areas[buf[0].Index].Urban
			}
		}
	}
	return nil
}

// q picks the planning figure of an estimate.
func (m *layModel) q(e Estimate) float64 {
	if m.opt.Safe {
		return e.P90
	}
	return e.P50
}

// pupils returns the school's pupils of grade g in year y in whole
// pupils: the grades of a level add up to the level's rounded total.
func (m *layModel) pupils(i, y int, g data.Grade) int {
	w := m.schools[i].whole[y]
	if w == nil || !g.Valid() {
		return 0
	}
	return int(w[g-data.GradeK0])
}

// wholePupils rounds a school-year's grade pupils under the planning
// figure q to whole pupils by the largest-remainder rule within each level
// (py primary years), so a level's grades add up to its rounded total
// instead of gaining a pupil from each grade rounded up.
func wholePupils(fc *GradePupils, py int, q func(Estimate) float64) *[16]int32 {
	var out [16]int32
	var frac [16]float64
	var total [4]float64
	var floors [4]int
	for k := range fc {
		v := math.Max(0, q(fc[k]))
		f := math.Floor(v)
		out[k] = int32(f)
		frac[k] = v - f
		l := layLevelIndex((data.GradeK0 + data.Grade(k)).Level(py))
		total[l] += v
		floors[l] += int(f)
	}
	for l := range total {
		left := int(math.Round(total[l])) - floors[l]
		for ; left > 0; left-- {
			best := -1
			for k := range fc {
				if layLevelIndex((data.GradeK0+data.Grade(k)).Level(py)) != l || frac[k] < 0 {
					continue
				}
				if best < 0 || frac[k] > frac[best] {
					best = k
				}
			}
			if best < 0 {
				break
			}
			out[best]++
			frac[best] = -1
		}
	}
	return &out
}

// total returns the school's pupils in year y under the planning figure.
func (m *layModel) total(i, y int) int {
	s := &m.schools[i]
	n := 0
	for g := s.span.Lo; g <= s.span.Hi; g++ {
		n += m.pupils(i, y, g)
	}
	return n
}

// estimateTotal returns the school's P50 and P90 pupils in year y.
func (m *layModel) estimateTotal(i, y int) Estimate {
	s := &m.schools[i]
	fc := s.fc[y]
	var e Estimate
	for g := s.span.Lo; g <= s.span.Hi; g++ {
		e = e.add(fc.At(g))
	}
	return e
}

// classSize returns the standard class size of grade g at school i.
func (m *layModel) classSize(i int, g data.Grade) int {
	return m.st.ClassSize.At(g.Level(m.schools[i].py))
}

// layCeilDiv returns ⌈a/b⌉ for a ≥ 0, b > 0.
func layCeilDiv(a, b int) int { return (a + b - 1) / b }

// levelClasses returns the classes each level of school i needs in year y
// when grade g has pupils(g) pupils.
func (m *layModel) levelClasses(i int, pupils func(g data.Grade) int) [4]int {
	s := &m.schools[i]
	var c [4]int
	for g := s.span.Lo; g <= s.span.Hi; g++ {
		l := g.Level(s.py)
		c[layLevelIndex(l)] += layCeilDiv(pupils(g), m.st.ClassSize.At(l))
	}
	return c
}

// splitRooms divides rooms among the levels school i teaches in proportion
// to the classes each needs (largest remainder), or evenly when it needs
// none.
func (m *layModel) splitRooms(i, rooms int, need [4]int) [4]int {
	s := &m.schools[i]
	var out [4]int
	taught := 0
	total := 0
	for l := range 4 {
		if s.levels[l] {
			taught++
			total += need[l]
		}
	}
	if taught == 0 || rooms <= 0 {
		return out
	}
	share := func(l int) float64 {
		if total == 0 {
			return float64(rooms) / float64(taught)
		}
		return float64(rooms) * float64(need[l]) / float64(total)
	}
	given := 0
	var rem [4]float64
	for l := range 4 {
		if s.levels[l] {
			f := share(l)
			out[l] = int(math.Floor(f))
			rem[l] = f - math.Floor(f)
			given += out[l]
		}
	}
	for given < rooms {
		best := -1
		for l := range 4 {
			if s.levels[l] && (best < 0 || rem[l] > rem[best]) {
				best = l
			}
		}
		out[best]++
		rem[best] = -1
		given++
	}
	return out
}

// schoolPoint returns the location of school i.
func (m *layModel) schoolPoint(i int) orb.Point {
	return orb.Point{m.schools[i].Lon, m.schools[i].Lat}
}

// pairOptions returns the geo options of the run.
func (m *layModel) pairOptions() geo.Options {
	return geo.Options{Metric: m.st.Metric, Roads: m.roads, Workers: m.opt.Workers}
}

// minutes returns the travel time in minutes of metres by mode.
func (m *layModel) minutes(metres float64, mode geo.Mode) float64 {
	return metres / m.st.Metric.Speed(mode) / 60
}
