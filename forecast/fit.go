package forecast

import (
	"math"
	"slices"

	"github.com/seatplan/seatplan/data"
)

// cohortAt returns the known cohort size of unit u born in year y, NaN when
// it is not known (a birth year after the data).
func (m *model) cohortAt(u, y int) float64 {
	if y < m.cohortFirst || y > m.horizon {
		return math.NaN()
	}
	return m.cohort[u*m.nCY+y-m.cohortFirst]
}

// catchmentBlend returns Σ w·blend over a catchment for entry at age in
// autumn t, reading cohort sizes through at.
func catchmentBlend(ws []weight, t, age int, older float64, at func(u, y int) float64) float64 {
	x := 0.0
	for _, w := range ws {
		u := int(w.idx)
		x += w.w * (older*at(u, t-age-1) + (1-older)*at(u, t-age))
	}
	return x
}

// fitLinks decides how every taught grade of every school is forecast and
// fits its ratio by exponential smoothing of the yearly ratios, keeping the
// one-step-ahead errors for the residual bootstrap.
func (m *model) fitLinks() {
	nE := m.enrolBase - m.enrolFirst + 1
	nC := len(m.counties)
	alpha := m.sc.Alpha
	older := m.sc.OlderBirthYearShare
	// County sums of each grade by year, for pools.
	countyGrade := make([][nGrade]float64, nC*nE)
	for i := range m.schools {
		s := &m.schools[i]
		for y := 0; y < nE; y++ {
			for gi := 0; gi < nGrade; gi++ {
				if v := s.hist[y][gi]; !math.IsNaN(v) {
					countyGrade[s.county*nE+y][gi] += v
				}
			}
		}
	}
	// Decide the kind of each link.
	for i := range m.schools {
		s := &m.schools[i]
		firstMiddle := gradeIndex(data.Grade(s.primaryYears + 1))
		for gi := s.lo; gi <= s.hi; gi++ {
			l := link{school: int32(i), gi: int8(gi), src: int8(gi - 1)}
			switch {
			case gi <= gradeIndex(data.GradeK3) && (gi == gradeIndex(data.GradeK0) || gi == gradeIndex(data.GradeK1) || gi == s.lo):
				l.kind, l.age = kindCohort, int8(gi+2)
				l.kgRate = gi == gradeIndex(data.GradeK1)
				l.takeUp = gi == gradeIndex(data.GradeK0)
			case gi == gradeIndex(1):
				l.kind, l.age = kindCohort, 6
			case gi == firstMiddle && m.feedersExplain(s, gi):
				l.kind = kindFeeder
			case gi == gradeIndex(10) || gi == s.lo:
				l.kind = kindPool
			default:
				l.kind = kindProgression
			}
			l.dst = int32(len(m.links))
			l.lvl = int8(s.levelOf(gi))
			l.county = int32(s.county)
			l.size = m.classSize(s, gi)
			l.invSize = 1 / l.size
			switch l.kind {
			case kindProgression:
				// The school's previous link is its previous grade.
				l.read = int32(len(m.links) - 1)
			case kindPool:
				l.read = int32(s.county*nGrade + gi - 1)
			}
			if gi == s.lo {
				s.firstLink = int32(len(m.links))
			}
			s.nLinks++
			s.links[gi] = int32(len(m.links))
			m.links = append(m.links, l)
		}
	}
	m.feedersOf = make([][]weight, len(m.links))
	// Yearly ratios y/x.
	ratio := make([]float64, nE)
	xs := make([]float64, nE)
	ys := make([]float64, nE)
	resid := make([]float64, nE)
	// County progression ratios: Σy / Σx by year, smoothed.
	cy := make([][nGrade][]float64, nC)
	cx := make([][nGrade][]float64, nC)
	for c := range cy {
		for gi := range cy[c] {
			cy[c][gi] = make([]float64, nE)
			cx[c][gi] = make([]float64, nE)
		}
	}
	inputs := func(l *link) {
		s := &m.schools[l.school]
		for y := 0; y < nE; y++ {
			xs[y], ys[y] = math.NaN(), s.hist[y][l.gi]
			t := m.enrolFirst + y
			switch l.kind {
			case kindCohort:
				ci := 1
				if l.gi <= int8(gradeIndex(data.GradeK3)) {
					ci = 0
				}
				xs[y] = catchmentBlend(s.catch[ci], t, int(l.age), older, m.cohortAt)
			case kindProgression:
				if y > 0 {
					xs[y] = s.hist[y-1][l.src]
				}
			case kindFeeder:
				if y > 0 {
					x, any := 0.0, false
					for _, f := range s.feeders {
						if v := m.schools[f.school].hist[y-1][f.gi]; !math.IsNaN(v) {
							x += f.w * v
							any = true
						}
					}
					if any {
						xs[y] = x
					}
				}
			case kindPool:
				if y > 0 {
					xs[y] = countyGrade[s.county*nE+y-1][l.src]
				}
			}
		}
	}
	for li := range m.links {
		l := &m.links[li]
		if l.kind != kindProgression {
			continue
		}
		inputs(l)
		c := m.schools[l.school].county
		for y := 0; y < nE; y++ {
			if xs[y] > 0 && !math.IsNaN(ys[y]) {
				cy[c][l.gi][y] += ys[y]
				cx[c][l.gi][y] += xs[y]
			}
		}
	}
	countyLevel := make([][nGrade]float64, nC)
	m.progResid = make([]float32, max(nE-1, 0)*nC*nGrade)
	cityY := [nGrade][]float64{}
	cityX := [nGrade][]float64{}
	for gi := range cityY {
		cityY[gi] = make([]float64, nE)
		cityX[gi] = make([]float64, nE)
	}
	for c := 0; c < nC; c++ {
		for gi := 0; gi < nGrade; gi++ {
			for y := 0; y < nE; y++ {
				ratio[y] = math.NaN()
				if cx[c][gi][y] > 0 {
					ratio[y] = cy[c][gi][y] / cx[c][gi][y]
				}
				cityY[gi][y] += cy[c][gi][y]
				cityX[gi][y] += cx[c][gi][y]
			}
			lv, ok := Smooth(ratio, alpha, resid)
			if !ok {
				lv = math.NaN()
			}
			countyLevel[c][gi] = lv
			// The county's one-step errors give the progression links of
			// the county a common error in the draws.
			nObs := 0
			for _, v := range ratio {
				if !math.IsNaN(v) {
					nObs++
				}
			}
			f := inflation(nObs, 1)
			for y := 1; y < nE; y++ {
				if r := resid[y]; !math.IsNaN(r) {
					m.progResid[(y-1)*nC*nGrade+c*nGrade+gi] = float32(f * r)
				}
			}
		}
	}
	for gi := 0; gi < nGrade; gi++ {
		for y := 0; y < nE; y++ {
			ratio[y] = math.NaN()
			if cityX[gi][y] > 0 {
				ratio[y] = cityY[gi][y] / cityX[gi][y]
			}
		}
		lv, ok := Smooth(ratio, alpha, nil)
		if !ok {
			lv = 1
		}
		for c := 0; c < nC; c++ {
			if math.IsNaN(countyLevel[c][gi]) {
				countyLevel[c][gi] = lv
			}
		}
	}
	noHistory := 0
	breaks := m.entryBreaks()
	rebased := 0
	// Relative one-step errors pooled by grade and kind build the noise
	// tables of the links.
	pools := make([][]float64, 2*nGrade)
	for li := range m.links {
		l := &m.links[li]
		s := &m.schools[l.school]
		inputs(l)
		from := 0
		if l.kind != kindProgression {
			from = breaks[[2]int{s.unit, int(l.gi)}]
			if from > 0 && firstPositive(s, int(l.gi)) < from {
				rebased++
			}
		}
		sumX, nX := 0.0, 0
		for y := 0; y < nE; y++ {
			ratio[y] = math.NaN()
			if y >= from && xs[y] > 0 && !math.IsNaN(ys[y]) {
				ratio[y] = ys[y] / xs[y]
				sumX += xs[y]
				nX++
			}
		}
		var own, tr float64
		var ok bool
		if l.kind == kindProgression {
			own, ok = Smooth(ratio, alpha, resid)
		} else {
			own, tr, ok = Trend(ratio, alpha, m.sc.TrendBeta, m.sc.TrendDamping, resid)
		}
		lv := own
		switch {
		case l.kind == kindProgression && ok:
			lv = Shrink(own, sumX/float64(nX), countyLevel[s.county][l.gi], m.sc.ShrinkPupils)
		case l.kind == kindProgression:
			lv = countyLevel[s.county][l.gi]
		case !ok:
			lv = 0
			noHistory++
		}
		l.level = lv
		l.trend = tr
		pool := 2 * int(l.gi)
		if l.kind != kindProgression {
			pool++
		}
		l.pool = uint8(pool)
		if own > 0 && sumX/float64(nX) >= 5 {
			p := 1
			if l.kind != kindProgression && m.sc.TrendBeta > 0 {
				p = 2
			}
			f := inflation(nX, p)
			for y := 1; y < nE; y++ {
				if r := resid[y]; !math.IsNaN(r) {
					pools[pool] = append(pools[pool], f*r/own)
				}
			}
		}
		if l.kind == kindFeeder {
			fs := make([]weight, 0, len(s.feeders))
			for _, f := range s.feeders {
				if fl := m.schools[f.school].links[f.gi]; fl >= 0 {
					fs = append(fs, weight{fl, f.w})
				}
			}
			m.feedersOf[li] = fs
		}
	}
	m.tables = make([][noiseLevels]float32, len(pools))
	for i, z := range pools {
		m.tables[i] = noiseTable(z)
	}
	m.fitGroups(countyGrade)
	m.baseState = make([]float64, len(m.links))
	m.baseCountyGrade = make([]float64, nC*nGrade)
	for li := range m.links {
		l := &m.links[li]
		v := nz(m.schools[l.school].hist[nE-1][l.gi])
		m.baseState[li] = v
		m.baseCountyGrade[int(l.county)*nGrade+int(l.gi)] += v
	}
	if rebased > 0 {
		m.note("%d 个入学年级所在乡镇（街道）有同年级学校开办或停止招生，入学比例从该年起拟合 %d entry grades share their township with a school that began or stopped admitting to that grade: their entry ratios are fitted from that year on.", rebased, rebased)
	}
	if noHistory > 0 {
		m.note("%d 个年级入口没有历史数据，预测为零 %d entry grades have no history and are forecast as zero.", noHistory, noHistory)
	}
	// Kindergarten gross rate and K0 take-up at the origin, by county.
	m.kgRateBase = make([]float64, nC)
	m.takeUpBase = make([]float64, nC)
	kPupils := make([]float64, nC)
	k0Pupils := make([]float64, nC)
	for i := range m.schools {
		s := &m.schools[i]
		for gi := gradeIndex(data.GradeK0); gi <= gradeIndex(data.GradeK3); gi++ {
			if v := s.hist[nE-1][gi]; !math.IsNaN(v) {
				if gi == 0 {
					k0Pupils[s.county] += v
				} else {
					kPupils[s.county] += v
				}
			}
		}
	}
	for c := 0; c < nC; c++ {
		kids3to5, kids2 := 0.0, 0.0
		for _, u := range m.unitsOfCounty[c] {
			for a := 3; a <= 5; a++ {
				kids3to5 += nz(EntryBlend(func(y int) float64 { return m.cohortAt(u, y) }, m.enrolBase, a, older))
			}
			kids2 += nz(EntryBlend(func(y int) float64 { return m.cohortAt(u, y) }, m.enrolBase, 2, older))
		}
		if kids3to5 > 0 {
			m.kgRateBase[c] = kPupils[c] / kids3to5
		}
		if kids2 > 0 {
			m.takeUpBase[c] = k0Pupils[c] / kids2
		}
	}
}

// entryBreaks returns, by township unit and entry grade, the first
// enrolment year index from which the entry ratios of the grade's schools
// are comparable: the latest year a school of the unit began taking
// entrants into the grade (its first year with any) or stopped (the year
// after its last), 0 when none did. Zones are those of today, so when a new
// school takes over part of an old one's areas, the old school's earlier
// entrants over today's smaller catchment give ratios that fall to the new
// level in one step, and a trend fitted across the step would carry the
// fall on to zero.
func (m *model) entryBreaks() map[[2]int]int {
	nE := m.enrolBase - m.enrolFirst + 1
	out := map[[2]int]int{}
	for li := range m.links {
		l := &m.links[li]
		if l.kind == kindProgression {
			continue
		}
		s := &m.schools[l.school]
		gi := int(l.gi)
		first, last := firstPositive(s, gi), -1
		for y := nE - 1; y >= 0; y-- {
			if v := s.hist[y][gi]; v > 0 {
				last = y
				break
			}
		}
		if last < 0 {
			continue
		}
		b := 0
		if first > 0 {
			b = first
		}
		if last < nE-1 {
			b = max(b, last+1)
		}
		k := [2]int{s.unit, gi}
		out[k] = max(out[k], b)
	}
	return out
}

// firstPositive returns the first enrolment year index in which school s
// had pupils in grade gi, len(s.hist) if none.
func firstPositive(s *schoolModel, gi int) int {
	for y := range s.hist {
		if s.hist[y][gi] > 0 {
			return y
		}
	}
	return len(s.hist)
}

// maxFeederRatio is the most entrants per weighted feeder leaver a middle
// school's entry may be forecast from its feeders with: beyond it the
// feeders explain less than half of the entrants.
const maxFeederRatio = 2

// feedersExplain reports whether the primaries zoned to middle school s
// account for most of its entrants into grade gi: in the last year with
// entrants, their last-grade pupils of the year before, weighted by the
// zone shares, number at least 1/maxFeederRatio of the entrants. Otherwise
// the entrants come mostly from outside the zones (drift to the towns,
// places offered across districts, or a zone redrawn to primaries opened
// since, whose first pupils have not reached the last grade), and the
// school's share of the county's leavers is the steadier base.
func (m *model) feedersExplain(s *schoolModel, gi int) bool {
	if len(s.feeders) == 0 {
		return false
	}
	for y := len(s.hist) - 1; y >= 1; y-- {
		e := s.hist[y][gi]
		if math.IsNaN(e) || e <= 0 {
			continue
		}
		x := 0.0
		for _, f := range s.feeders {
			x += f.w * nz(m.schools[f.school].hist[y-1][f.gi])
		}
		return x*maxFeederRatio >= e
	}
	return false
}

func nz(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return v
}

// noiseLevels is the number of equally likely values of a link's noise.
const noiseLevels = 256

// noiseTable returns the (i+½)/256 quantiles of the centred relative errors
// z, so that a random byte draws from their distribution: a smoothed
// residual bootstrap. Fewer than ten errors give no noise.
func noiseTable(z []float64) [noiseLevels]float32 {
	var t [noiseLevels]float32
	if len(z) < 10 {
		return t
	}
	mean := 0.0
	for _, v := range z {
		mean += v
	}
	mean /= float64(len(z))
	x := make([]float32, len(z))
	for i, v := range z {
		x[i] = float32(v - mean)
	}
	slices.Sort(x)
	for i := range t {
		h := (float64(i) + 0.5) / noiseLevels * float64(len(x)-1)
		k := int(h)
		v := float64(x[k])
		if k+1 < len(x) {
			v += (h - float64(k)) * float64(x[k+1]-x[k])
		}
		t[i] = float32(v)
	}
	return t
}

// group is a county's entry into one grade (kindergarten, grade 1, middle
// school, high school): the schools' entries are controlled to the county
// total, forecast as a smoothed ratio to the county's cohort or previous
// grade.
type group struct {
	county int
	gi     int
	age    int // entry age of a cohort group, else 0
	level  float64
	trend  float64
	kg     bool // kindergarten entry scaled by the scenario's rates
	takeUp bool
}

// fitGroups forms the entry groups and fits their ratios, keeping the
// one-step errors by year for the bootstrap.
func (m *model) fitGroups(countyGrade [][nGrade]float64) {
	nE := m.enrolBase - m.enrolFirst + 1
	older := m.sc.OlderBirthYearShare
	index := map[[2]int]int{}
	for li := range m.links {
		l := &m.links[li]
		l.group = -1
		if l.kind == kindProgression {
			continue
		}
		c := int(l.county)
		k := [2]int{c, int(l.gi)}
		g, ok := index[k]
		if !ok {
			g = len(m.groups)
			index[k] = g
			gr := group{county: c, gi: int(l.gi), kg: l.kgRate, takeUp: l.takeUp}
			if l.kind == kindCohort {
				gr.age = int(l.age)
			}
			m.groups = append(m.groups, gr)
		}
		l.group = int32(g)
		m.entryLinks = append(m.entryLinks, int32(li))
	}
	m.nResid = max(nE-1, 0)
	m.groupResid = make([]float32, len(m.groups)*m.nResid)
	ratio := make([]float64, nE)
	resid := make([]float64, nE)
	ys := make([]float64, nE)
	for g := range m.groups {
		gr := &m.groups[g]
		clear(ys)
		for li := range m.links {
			l := &m.links[li]
			if int(l.group) != g {
				continue
			}
			h := m.schools[l.school].hist
			for y := 0; y < nE; y++ {
				ys[y] += nz(h[y][l.gi])
			}
		}
		for y := 0; y < nE; y++ {
			x := m.groupBase(gr, m.enrolFirst+y, older, func(u, yr int) float64 { return nz(m.cohortAt(u, yr)) }, func(src int) float64 {
				if y == 0 {
					return 0
				}
				return countyGrade[gr.county*nE+y-1][src]
			})
			ratio[y] = math.NaN()
			if x > 0 && ys[y] > 0 {
				ratio[y] = ys[y] / x
			}
		}
		lv, tr, ok := Trend(ratio, m.sc.Alpha, m.sc.TrendBeta, m.sc.TrendDamping, resid)
		if !ok {
			lv, tr = 0, 0
		}
		gr.level, gr.trend = lv, tr
		nObs := 0
		for _, v := range ratio {
			if !math.IsNaN(v) {
				nObs++
			}
		}
		p := 1
		if m.sc.TrendBeta > 0 {
			p = 2
		}
		f := inflation(nObs, p)
		for y := 1; y < nE; y++ {
			if r := resid[y]; !math.IsNaN(r) {
				m.groupResid[(y-1)*len(m.groups)+g] = float32(f * r)
			}
		}
	}
}

// groupBase returns the county cohort (or previous grade) an entry group's
// ratio applies to in autumn t.
func (m *model) groupBase(gr *group, t int, older float64, cohort func(u, y int) float64, prevGrade func(src int) float64) float64 {
	if gr.age > 0 {
		x := 0.0
		for _, u := range m.unitsOfCounty[gr.county] {
			x += older*cohort(u, t-gr.age-1) + (1-older)*cohort(u, t-gr.age)
		}
		return x
	}
	return prevGrade(gr.gi - 1)
}

// inflation returns √(n/(n−p)), the factor that corrects the spread of the
// residuals of a series of n values fitted with p parameters for the fit
// (as leverage-adjusted residuals do in a regression bootstrap); at most √3.
func inflation(n, p int) float64 {
	if n-p < 1 {
		return math.Sqrt(3)
	}
	return math.Min(math.Sqrt(3), math.Sqrt(float64(n)/float64(n-p)))
}
