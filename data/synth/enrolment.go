package synth

import (
	"math"
	"math/rand/v2"

	"github.com/seatplan/seatplan/data"
)

// simulation moves pupils through a county's schools year by year: children
// born in the county enter kindergarten and grade 1 of their zoned school,
// part of them drifting to township centres and the county seat; cohorts
// progress grade by grade; grade-6 leavers go to their middle school and
// grade-9 leavers partly to high school.
type simulation struct {
	cp      *countyPlan
	tws     []township
	areas   []area
	schools []school
	r       *rand.Rand

	centralPrimary, centralKinder []int     // per township
	privateKinders                [][]int   // per township
	streetMiddles                 [][]int   // public middle-level schools per street
	privateShare                  []float64 // per township
	pooled                        [3][]int  // schools that take the seat's drift, per level
	high                          []int     // schools with grade 10
	pool                          [3]float64
}

// Drift toward the township centre and the county seat grows every year as
// families move to towns and send children to better-equipped schools.
func seatDrift(y int) float64   { return clamp(0.04+0.014*float64(y-2008), 0.02, 0.26) }
func localDrift(y int) float64  { return clamp(0.06+0.018*float64(y-2008), 0.04, 0.40) }
func middleDrift(y int) float64 { return clamp(0.06+0.015*float64(y-2008), 0.03, 0.26) }

// kinderRate is the share of 3-year-olds entering kindergarten.
func kinderRate(y int) float64 {
	switch {
	case y < 2010:
		return 0.62 + 0.13*float64(y-2003)/7
	case y < 2015:
		return 0.75 + 0.13*float64(y-2010)/5
	case y < 2020:
		return 0.88 + 0.05*float64(y-2015)/5
	}
	return 0.93 + 0.005*float64(y-2020)
}

// highRate is the share of grade-9 leavers entering general high school.
func highRate(y int) float64 { return clamp(0.55+0.006*float64(y-2008), 0.5, 0.65) }

// Staffing ratios (pupils per teacher) by level, DESIGN.md §7.
var pupilsPerTeacher = [4]float64{7, 19, 13.5, 12.5}

// Teachers a class needs at least, by level: small schools cannot go below
// this however few their pupils.
var teachersPerClass = [4]float64{1.1, 1.3, 2.2, 2.5}

func levelIndex(l data.Level) int {
	switch l {
	case data.LevelKindergarten:
		return 0
	case data.LevelPrimary:
		return 1
	case data.LevelMiddle:
		return 2
	}
	return 3
}

var levelOf = [4]data.Level{data.LevelKindergarten, data.LevelPrimary, data.LevelMiddle, data.LevelHigh}

func (sim *simulation) setup() {
	n := len(sim.tws)
	sim.centralPrimary = make([]int, n)
	sim.centralKinder = make([]int, n)
	sim.privateKinders = make([][]int, n)
	sim.privateShare = make([]float64, n)
	sim.streetMiddles = make([][]int, n)
	for i := range sim.centralPrimary {
		sim.centralPrimary[i], sim.centralKinder[i] = -1, -1
	}
	for i := range sim.schools {
		s := &sim.schools[i]
		switch {
		case s.role == roleCentral && s.out.Type == data.Kindergarten:
			sim.centralKinder[s.township] = i
		case s.role == roleCentral && s.lo == giG1:
			sim.centralPrimary[s.township] = i
		case s.role == rolePrivate && s.out.Type == data.Kindergarten:
			sim.privateKinders[s.township] = append(sim.privateKinders[s.township], i)
		}
		if sim.tws[s.township].street && s.zoneable(lvMiddle) && s.seatW[lvMiddle] > 0 {
			sim.streetMiddles[s.township] = append(sim.streetMiddles[s.township], i)
		}
		for lv := range 3 {
			if s.seatW[lv] > 0 {
				sim.pooled[lv] = append(sim.pooled[lv], i)
			}
		}
		if s.hi >= giG10 {
			sim.high = append(sim.high, i)
		}
	}
	for ti := range sim.tws {
		if sim.tws[ti].street {
			sim.privateShare[ti] = 0.35 + 0.15*sim.r.Float64()
		} else {
			sim.privateShare[ti] = 0.2 + 0.15*sim.r.Float64()
		}
	}
}

func (sim *simulation) run(out *countyOut) {
	sim.setup()
	rows, teacherRows := 0, 0
	for i := range sim.schools {
		s := &sim.schools[i]
		years := LastYear - max(FirstEnrolmentYear, s.open) + 1
		rows += years * (s.hi - s.lo + 1)
		teacherRows += years * 3
	}
	out.enrolment = make([]data.EnrolmentRow, 0, rows)
	out.teachers = make([]data.TeacherRow, 0, teacherRows)
	rc := clamp(1+0.035*sim.r.NormFloat64(), 0.94, 1.08)
	for y := simFrom; y <= LastYear; y++ {
		for i := range sim.schools {
			s := &sim.schools[i]
			s.prev, s.cur = s.cur, [gradeLen]float64{}
		}
		sim.progress(y)
		ry := rc * (1 + 0.015*sim.r.NormFloat64())
		b := sim.cp.birthsIn
		g1 := ry * (b(y-7)/3 + 2*b(y-6)/3)
		k1 := ry * 0.99 * kinderRate(y) * (b(y-4)/3 + 2*b(y-3)/3)
		sim.pool = [3]float64{}
		for ai := range sim.areas {
			a := &sim.areas[ai]
			sim.enterPrimary(a, g1*a.birthShare, y)
			sim.enterKinder(a, k1*a.birthShare, y)
		}
		sim.enterMiddle(y)
		sim.enterHigh(y)
		sim.spreadPools(y)
		for i := range sim.schools {
			s := &sim.schools[i]
			if s.open > y {
				continue
			}
			for _, gi := range [4]int{giK1, giG1, s.entry, giG10} {
				if gi >= s.lo && gi <= s.hi {
					s.cur[gi] *= math.Max(0, 1+0.03*sim.r.NormFloat64())
				}
			}
		}
		if y >= 2010 {
			sim.record(out, y)
		}
	}
	sim.buildings()
}

// progress moves last year's pupils up one grade.
func (sim *simulation) progress(y int) {
	for i := range sim.schools {
		s := &sim.schools[i]
		if s.open > y {
			continue
		}
		for gi := s.lo + 1; gi <= s.hi; gi++ {
			if gi == s.entry || gi == giG10 || gi == giG1 {
				continue
			}
			s.cur[gi] = s.prev[gi-1] * s.ratio * (1 + 0.012*sim.r.NormFloat64())
		}
		if s.parent >= 0 {
			sim.schools[s.parent].cur[giG1+3] += s.prev[giG1+2] * 0.98
		}
	}
}

// zoned returns an area's school of level lv in year y.
func (sim *simulation) zoned(a *area, lv, y int) int {
	if z := a.zone[lv]; sim.schools[z].open <= y {
		return z
	}
	return a.zoneOld[lv]
}

func (sim *simulation) enterPrimary(a *area, e float64, y int) {
	z := sim.zoned(a, lvPrimary, y)
	t := &sim.tws[a.township]
	switch {
	case t.street:
		sim.schools[z].cur[giG1] += e * 0.93
		sim.pool[lvPrimary] += e * 0.07
	case a.seat:
		ds := 0.7 * seatDrift(y)
		sim.schools[z].cur[giG1] += e * (1 - ds)
		sim.pool[lvPrimary] += e * ds
	default:
		ds, dl := seatDrift(y), 0.0
		c := sim.centralPrimary[a.township]
		if c >= 0 && c != z {
			dl = math.Min(0.5, localDrift(y)*sim.schools[z].localPull)
			dl = math.Min(dl, 0.85-ds)
			sim.schools[c].cur[giG1] += e * dl
		}
		stay := e * (1 - ds - dl)
		if tp := a.teachingPoint; tp >= 0 {
			sim.schools[tp].cur[giG1] += 0.65 * stay
			stay *= 0.35
		}
		sim.schools[z].cur[giG1] += stay
		sim.pool[lvPrimary] += e * ds
	}
}

func (sim *simulation) enterKinder(a *area, k float64, y int) {
	z := sim.zoned(a, lvKinder, y)
	t := &sim.tws[a.township]
	var priv []int
	for _, i := range sim.privateKinders[a.township] {
		if sim.schools[i].open <= y {
			priv = append(priv, i)
		}
	}
	ps := 0.0
	if len(priv) > 0 {
		ps = sim.privateShare[a.township]
		if !a.seat {
			ps *= 0.6
		}
		for _, i := range priv {
			sim.schools[i].cur[giK1] += k * ps / float64(len(priv))
		}
	}
	var ds, dl float64
	switch {
	case t.street:
		ds = 0.05
	case a.seat:
		ds = 0.5 * seatDrift(y)
	default:
		ds = 0.6 * seatDrift(y)
		if c := sim.centralKinder[a.township]; c >= 0 && c != z {
			dl = math.Min(0.4, 0.5*localDrift(y)*sim.schools[z].localPull)
			sim.schools[c].cur[giK1] += k * dl
		}
	}
	sim.schools[z].cur[giK1] += k * (1 - ps - ds - dl)
	sim.pool[lvKinder] += k * ds
}

// enterMiddle sends last year's top primary grade to middle school.
func (sim *simulation) enterMiddle(y int) {
	for i := range sim.schools {
		s := &sim.schools[i]
		if s.open > y-1 || !s.teachesLevel(lvPrimary) || s.out.Type == data.TeachingPoint {
			continue
		}
		g := s.prev[s.entry-1] * 0.995
		if g == 0 {
			continue
		}
		if s.teachesLevel(lvMiddle) {
			stay := 0.9
			switch {
			case s.out.Type == data.TwelveYear:
				stay = 0.95
			case s.role == roleCentral:
				stay = 1 - middleDrift(y)
			}
			s.cur[s.entry] += g * stay
			sim.pool[lvMiddle] += g * (1 - stay)
			continue
		}
		var d float64
		switch s.role {
		case roleVillage, roleCentral:
			d = middleDrift(y)
		case rolePrivate:
			d = 0.5
		default:
			d = 0.08
		}
		sim.pool[lvMiddle] += g * d
		// In a street, leavers spread over the street's middle schools.
		if ms := sim.streetMiddles[s.township]; s.role == roleUrban && len(ms) > 1 {
			var w float64
			for _, i := range ms {
				w += sim.schools[i].seatW[lvMiddle]
			}
			for _, i := range ms {
				m := &sim.schools[i]
				m.cur[m.entry] += g * (1 - d) * m.seatW[lvMiddle] / w
			}
			continue
		}
		m := &sim.schools[s.middleTo]
		m.cur[m.entry] += g * (1 - d)
	}
}

// enterHigh admits grade-9 leavers to the county's high schools.
func (sim *simulation) enterHigh(y int) {
	var leavers float64
	for i := range sim.schools {
		s := &sim.schools[i]
		if s.lo <= giG1+8 && s.hi >= giG1+8 {
			leavers += s.prev[giG1+8]
		}
	}
	var w float64
	for _, i := range sim.high {
		w += sim.schools[i].highW
	}
	if w == 0 {
		return
	}
	for _, i := range sim.high {
		sim.schools[i].cur[giG10] += leavers * highRate(y) * sim.schools[i].highW / w
	}
}

// spreadPools hands the pupils drifting to the county seat to its schools.
func (sim *simulation) spreadPools(y int) {
	for lv := range 3 {
		var w float64
		for _, i := range sim.pooled[lv] {
			if s := &sim.schools[i]; s.open <= y {
				w += s.seatW[lv] * ramp(s.open, y)
			}
		}
		if w == 0 {
			continue
		}
		for _, i := range sim.pooled[lv] {
			s := &sim.schools[i]
			if s.open > y {
				continue
			}
			gi := giG1
			switch lv {
			case lvKinder:
				gi = giK1
			case lvMiddle:
				gi = s.entry
			}
			s.cur[gi] += sim.pool[lv] * s.seatW[lv] * ramp(s.open, y) / w
		}
	}
}

// ramp lets a new school's pull grow over its first three years.
func ramp(open, y int) float64 {
	if open == 0 {
		return 1
	}
	return math.Min(1, float64(y-open+1)/3)
}

// classSize is the class size a school aims at for grade index gi in year y.
func (s *school) classSize(gi, y int) float64 {
	var std float64
	switch {
	case gi <= giK3:
		std = [3]float64{25, 30, 35}[gi]
	case gi < s.entry:
		std = 45
	default:
		std = 50
	}
	c := s.crowd
	if y > 2017 {
		t := math.Min(1, float64(y-2017)/4)
		c = c*(1-t) + c*s.keepCrowd*t
	}
	if gi <= giK3 {
		c *= 0.6
	}
	return std + c
}

// record writes a year's enrolment (from FirstEnrolmentYear) and updates and
// writes its teachers.
func (sim *simulation) record(out *countyOut, y int) {
	emit := y >= FirstEnrolmentYear
	for i := range sim.schools {
		s := &sim.schools[i]
		if s.open > y {
			continue
		}
		var pupils, classes [4]int
		total := 0
		for gi := s.lo; gi <= s.hi; gi++ {
			n := int(math.Round(s.cur[gi]))
			c := 0
			if n > 0 {
				c = int(math.Ceil(float64(n) / s.classSize(gi, y)))
			}
			g := data.Grade(gi - 2)
			l := levelIndex(g.Level(s.out.PrimaryYears))
			pupils[l] += n
			classes[l] += c
			total += c
			if emit {
				out.enrolment = append(out.enrolment, data.EnrolmentRow{SchoolID: s.out.ID, Year: y, Grade: g, Students: n, Classes: c})
			}
		}
		if emit {
			s.maxClasses = max(s.maxClasses, total)
			if y == LastYear {
				s.out.Classrooms = total
			}
		}
		for l := range 4 {
			if !sim.teachesAny(s, l) {
				continue
			}
			want := float64(pupils[l]) / pupilsPerTeacher[l] * s.staffing
			if s.crowd > 8 {
				want *= 0.9
			}
			if s.role == roleVillage || s.role == roleCentral {
				want = math.Max(want, float64(classes[l])*teachersPerClass[l])
			}
			if pupils[l] > 0 {
				want = math.Max(want, 1)
			}
			// Public teachers hold posts: staff shrink slowly when pupils
			// go, which leaves declining schools over-staffed.
			keep := 0.96
			if !s.out.Public || l == 0 {
				keep = 0.9
			}
			if prev := s.teachers[l]; prev > 0 && want < keep*prev {
				want = keep * prev
			}
			s.teachers[l] = want * (1 + 0.02*sim.r.NormFloat64())
			if emit {
				out.teachers = append(out.teachers, data.TeacherRow{SchoolID: s.out.ID, Year: y, Level: levelOf[l], Teachers: int(math.Round(s.teachers[l]))})
			}
		}
	}
}

// teachesAny reports whether s teaches any grade of level index l.
func (sim *simulation) teachesAny(s *school, l int) bool {
	for gi := s.lo; gi <= s.hi; gi++ {
		if levelIndex(data.Grade(gi-2).Level(s.out.PrimaryYears)) == l {
			return true
		}
	}
	return false
}

// buildings sizes every school's classrooms, site and floor area from its
// classes: rural schools keep the rooms of fuller years, urban ones are
// full, and sites in town have little room to grow.
func (sim *simulation) buildings() {
	r := sim.r
	for i := range sim.schools {
		s := &sim.schools[i]
		last := s.out.Classrooms
		rooms := last
		switch s.role {
		case roleVillage, roleCentral:
			rooms = max(last, int(math.Round(float64(s.maxClasses)*(0.9+0.15*r.Float64()))))
		default:
			rooms = last + r.IntN(3)
		}
		rooms = max(rooms, 1)
		extra := 0
		switch s.role {
		case roleUrban:
			if r.Float64() < 0.7 {
				extra = r.IntN(5)
			}
		case roleVillage, roleCentral:
			extra = 2 + r.IntN(9)
		default:
			extra = r.IntN(10)
		}
		s.out.Classrooms = rooms
		s.out.MaxClassrooms = rooms + extra
		var std, site, floor float64
		switch s.out.Type {
		case data.Kindergarten:
			std, site, floor = 30, 420, 260
		case data.Middle, data.CompleteMiddle:
			std, site, floor = 50, 1000, 380
		case data.High:
			std, site, floor = 50, 1300, 450
		default:
			std, site, floor = 45, 850, 330
		}
		if s.role == roleUrban || s.role == rolePrivate {
			site *= 0.7
		}
		if !s.out.Public {
			s.out.Capacity = int(float64(rooms) * std)
		}
		s.out.SiteAreaM2 = math.Round(float64(rooms)*site*(0.85+0.3*r.Float64())/10) * 10
		s.out.FloorAreaM2 = math.Round(float64(rooms)*floor*(0.85+0.3*r.Float64())/10) * 10
	}
}
