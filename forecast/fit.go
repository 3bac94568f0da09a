package forecast

import (
	"math"

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
			case gi == firstMiddle && len(s.feeders) > 0:
				l.kind = kindFeeder
			case gi == gradeIndex(10) || gi == s.lo:
				l.kind = kindPool
			default:
				l.kind = kindProgression
			}
			s.links[gi] = int32(len(m.links))
			m.links = append(m.links, l)
		}
	}
	m.feedersOf = make([][]feeder, len(m.links))
	nL := len(m.links)
	m.nResid = max(nE-1, 0)
	m.resid = make([]float32, nL*m.nResid)
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
			lv, ok := Smooth(ratio, alpha, nil)
			if !ok {
				lv = math.NaN()
			}
			countyLevel[c][gi] = lv
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
	for li := range m.links {
		l := &m.links[li]
		s := &m.schools[l.school]
		inputs(l)
		sumX, nX := 0.0, 0
		for y := 0; y < nE; y++ {
			ratio[y] = math.NaN()
			if xs[y] > 0 && !math.IsNaN(ys[y]) {
				ratio[y] = ys[y] / xs[y]
				sumX += xs[y]
				nX++
			}
		}
		lv, ok := Smooth(ratio, alpha, resid)
		switch {
		case l.kind == kindProgression && ok:
			lv = Shrink(lv, sumX/float64(nX), countyLevel[s.county][l.gi], m.sc.ShrinkPupils)
		case l.kind == kindProgression:
			lv = countyLevel[s.county][l.gi]
		case !ok:
			lv = 0
			noHistory++
		}
		l.level = lv
		for y := 1; y < nE; y++ {
			if r := resid[y]; !math.IsNaN(r) {
				m.resid[li*m.nResid+y-1] = float32(r)
			}
		}
		if l.kind == kindFeeder {
			m.feedersOf[li] = s.feeders
		}
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

func nz(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return v
}
