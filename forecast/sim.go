package forecast

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/seatplan/seatplan/data"
)

// Fields of the per-draw quantities. Every reported quantity is one float32
// per draw; quantiles are taken over the draws afterwards.
const (
	cfResidents = iota
	cfBirths
	cfTFR
	cfBand0 // five age bands follow
	cfLevel = cfBand0 + nBand
	// per level: pupils, classes, teachers needed, pupils per 1,000
	// residents
	nCountyField = cfLevel + 4*nLevel

	ufResidents = 0
	ufBirths    = 1
	ufBand0     = 2
	ufDemand0   = ufBand0 + nBand
	nUnitField  = ufDemand0 + nLevel

	sfPupils     = 0
	sfClasses    = 1
	nSchoolField = 2
)

// layout maps quantities to positions in a draw's row.
type layout struct {
	nY                         int
	nC                         int // counties; index nC is the city
	nU, nS, nSec               int
	county, unit, school, sect int // offsets
	size                       int
}

func newLayout(m *model) layout {
	var l layout
	l.nY = len(m.years)
	l.nC = len(m.counties)
	l.nU, l.nS, l.nSec = len(m.units), len(m.schools), len(m.sections)
	l.county = 0
	l.unit = l.county + (l.nC+1)*l.nY*nCountyField
	l.school = l.unit + len(m.units)*l.nY*nUnitField
	l.sect = l.school + len(m.schools)*l.nY*nSchoolField
	l.size = l.sect + len(m.sections)*l.nY*nSchoolField
	return l
}

// Positions are year-major so that a draw writes each year's values of all
// counties, units and schools in sequence.
func (l *layout) c(c, y, f int) int  { return l.county + (y*(l.nC+1)+c)*nCountyField + f }
func (l *layout) u(u, y, f int) int  { return l.unit + (y*l.nU+u)*nUnitField + f }
func (l *layout) s(s, y, f int) int  { return l.school + (y*l.nS+s)*nSchoolField + f }
func (l *layout) sc(s, y, f int) int { return l.sect + (y*l.nSec+s)*nSchoolField + f }

// worker holds the buffers one goroutine reuses across draws.
type worker struct {
	m   *model
	lay layout

	pop, next   []float64 // units × cells
	cpop, cnext []float64 // counties × cells
	cohort      []float64 // units × cohort years
	dev, migZ   []float64 // per unit
	growth      []float64 // units × cells: yearly migration factors this draw
	mig         []float64 // one unit's rates this draw
	rowT        []float64
	colSum      []float64
	cExposure   []float64 // per county
	cBirths     []float64

	bands        []float64 // units × years × bands
	cur, nxt     []float64 // pupils by link
	level        []float64 // links
	gLevel       []float64 // groups: ratio level
	gTrend       []float64
	trend        []float64 // links
	gRaw         []float64 // groups: sum of the schools' own entries
	gScale       []float64 // groups: control factor
	countyG      []float64 // counties × grades
	blend        []float64 // units × 8: cohort blends by entry age 2–6
	countyPop    []float64 // (counties+1) × years × bands
	countyRes    []float64 // (counties+1) × years
	countyBirths []float64
	countyLv     []float64 // (counties+1) × levels × (pupils, classes, teachers)
	toddlers     []float64 // counties: K0 pupils opened by the scenario's take-up
}

func newWorker(m *model, lay layout) *worker {
	nU, nC := len(m.units), len(m.counties)
	maxT := 1
	for _, us := range m.unitsOfCounty {
		maxT = max(maxT, len(us))
	}
	return &worker{
		m: m, lay: lay,
		pop: make([]float64, nU*nCell), next: make([]float64, nU*nCell),
		cpop: make([]float64, nC*nCell), cnext: make([]float64, nC*nCell),
		cohort: make([]float64, nU*m.nCW),
		dev:    make([]float64, nU), migZ: make([]float64, nU),
		growth: make([]float64, nU*nCell),
		mig:    make([]float64, nCell),
		rowT:   make([]float64, maxT), colSum: make([]float64, nCell),
		cExposure: make([]float64, nC), cBirths: make([]float64, nC),
		bands: make([]float64, nU*lay.nY*nBand),
		cur:   make([]float64, len(m.links)), nxt: make([]float64, len(m.links)),
		level:        make([]float64, len(m.links)),
		countyG:      make([]float64, nC*nGrade),
		blend:        make([]float64, nU*8),
		countyPop:    make([]float64, (nC+1)*lay.nY*nBand),
		countyRes:    make([]float64, (nC+1)*lay.nY),
		countyBirths: make([]float64, (nC+1)*lay.nY),
		countyLv:     make([]float64, (nC+1)*nLevel*3),
		gLevel:       make([]float64, len(m.groups)),
		gTrend:       make([]float64, len(m.groups)),
		trend:        make([]float64, len(m.links)),
		gRaw:         make([]float64, len(m.groups)),
		gScale:       make([]float64, len(m.groups)),
		toddlers:     make([]float64, nC),
	}
}

// draw runs Monte Carlo draw k and writes its quantities into row.
func (w *worker) draw(k uint64, row []float32) {
	m := w.m
	rng := rand.New(rand.NewPCG(m.sc.Seed, k))
	w.population(rng, row)
	w.enrolment(rng, row)
}

// population projects every unit from the population base year to the
// horizon, recording the forecast years.
func (w *worker) population(rng *rand.Rand, row []float32) {
	m := w.m
	lay := &w.lay
	sc := &m.sc
	nU, nC := len(m.units), len(m.counties)
	for u := 0; u < nU; u++ {
		copy(w.pop[u*nCell:(u+1)*nCell], m.units[u].base)
		w.migZ[u] = m.units[u].migSigma * rng.NormFloat64()
		w.dev[u] = 0
		migrationGrowth(w.growth[u*nCell:(u+1)*nCell], m.units[u].migScaled, sc.MigrationShift+w.migZ[u])
	}
	for c := 0; c < nC; c++ {
		copy(w.cpop[c*nCell:(c+1)*nCell], m.countyBase[c])
	}
	// The draw's cohorts: the known ones of the window, births added as
	// they are projected.
	for u := 0; u < nU; u++ {
		o := u*m.nCY + m.cwFirst - m.cohortFirst
		copy(w.cohort[u*m.nCW:(u+1)*m.nCW], m.cohort[o:o+m.nCW])
	}
	clear(w.countyPop)
	clear(w.countyRes)
	clear(w.countyBirths)
	eps := 0.0
	tfrScale := sdScale(rng, m.tfrDF)
	first := m.years[0]
	// Forecast years already observed (population newer than enrolment).
	for yi, y := range m.years {
		if y > m.popBase {
			break
		}
		obs := m.popObs[y]
		if obs == nil {
			obs = m.popObs[m.popBase]
		}
		for u := 0; u < nU; u++ {
			w.record(row, u, yi, obs[u*nCell:(u+1)*nCell], nz(m.cohortAt(u, y)))
		}
		w.flushCounties(row, yi)
	}
	for y := m.popBase + 1; y <= m.horizon; y++ {
		eps += tfrScale * m.tfrStep[y-m.tfrFrom] * rng.NormFloat64()
		logCity := m.cityLogTFR(y) + eps
		clear(w.cExposure)
		clear(w.cBirths)
		for u := 0; u < nU; u++ {
			un := &m.units[u]
			p := w.pop[u*nCell : (u+1)*nCell]
			w.dev[u] = sc.TownshipTFRRho*w.dev[u] + sc.TownshipTFRSigma*rng.NormFloat64()
			ex := exposure(p, &m.sched)
			ci := u*m.nCW + y - m.cwFirst
			var b float64
			if y <= un.known {
				b = w.cohort[ci]
			} else {
				b = math.Exp(logCity+un.logScale+w.dev[u]) * ex
				w.cohort[ci] = b
			}
			w.cExposure[un.county] += ex
			w.cBirths[un.county] += b
			cohortStepGrowth(w.next[u*nCell:(u+1)*nCell], p, &m.surv, w.growth[u*nCell:(u+1)*nCell], b, sc.SexRatioAtBirth)
		}
		// Control each county's townships to the county projection.
		for c := 0; c < nC; c++ {
			us := m.unitsOfCounty[c]
			if len(us) == 0 {
				continue
			}
			cp := w.cpop[c*nCell : (c+1)*nCell]
			cn := w.cnext[c*nCell : (c+1)*nCell]
			u0, u1 := us[0], us[len(us)-1]+1
			block := w.next[u0*nCell : u1*nCell]
			if len(us) == 1 {
				copy(cn, block)
				continue
			}
			shift, wsum := 0.0, 0.0
			for _, u := range us {
				pu := sum(w.pop[u*nCell : (u+1)*nCell])
				shift += pu * w.migZ[u]
				wsum += pu
			}
			if wsum > 0 {
				shift /= wsum
			}
			CohortStep(cn, cp, &m.surv, m.countyMigScaled[c], sc.MigrationShift+shift, w.cBirths[c], sc.SexRatioAtBirth)
			rows := len(us)
			var rowT []float64
			if sc.RakeIterations > 1 {
				rowT = w.rowT[:rows]
				for i := 0; i < rows; i++ {
					s := 0.0
					for _, v := range block[i*nCell : (i+1)*nCell] {
						s += v
					}
					rowT[i] = s
				}
			}
			Rake(block, rows, nCell, rowT, cn, sc.RakeIterations, w.colSum)
		}
		w.pop, w.next = w.next, w.pop
		w.cpop, w.cnext = w.cnext, w.cpop
		if y >= first {
			yi := y - first
			for u := 0; u < nU; u++ {
				w.record(row, u, yi, w.pop[u*nCell:(u+1)*nCell], w.cohort[u*m.nCW+y-m.cwFirst])
			}
			w.flushCounties(row, yi)
			for c := 0; c <= nC; c++ {
				tfr := 0.0
				if c < nC && w.cExposure[c] > 0 {
					tfr = w.cBirths[c] / w.cExposure[c]
				} else if c == nC {
					b, e := 0.0, 0.0
					for i := 0; i < nC; i++ {
						b += w.cBirths[i]
						e += w.cExposure[i]
					}
					if e > 0 {
						tfr = b / e
					}
				}
				row[lay.c(c, yi, cfTFR)] = float32(tfr)
			}
		}
	}
}

// migrationGrowth sets g to each cell's yearly migration factor
// 1 + rate + shift, evaluated as CohortStep does, for a unit whose shift
// stays the same through a draw.
func migrationGrowth(g, mig []float64, shift float64) {
	g = g[:len(mig)]
	for i, r := range mig {
		g[i] = 1 + r + shift
	}
}

// cohortStepGrowth is CohortStep with the migration factors g of
// migrationGrowth; it gives the same numbers with two additions fewer per
// cell.
func cohortStepGrowth(next, pop []float64, surv *Survival, g []float64, births, srb float64) {
	if len(pop) != nCell || len(next) != nCell || len(g) != nCell {
		panic("forecast: cohortStepGrowth needs vectors of 202 age-sex cells")
	}
	boys := srb / (1 + srb)
	for sex := 0; sex < 2; sex++ {
		o := sex * nAge
		p := pop[o : o+nAge]
		n := next[o : o+nAge]
		gs := g[o : o+nAge]
		sv := &surv.Year[sex]
		n[maxAge] = (p[maxAge-1]*sv[maxAge-1] + p[maxAge]*sv[maxAge]) * gs[maxAge]
		// Ages 1..maxAge−1 from the age below; next and pop never share
		// memory, so the order of the cells does not matter.
		src, sr, dst, gr := p[:maxAge-1], sv[:maxAge-1], n[1:maxAge], gs[1:maxAge]
		for a := range src {
			dst[a] = src[a] * sr[a] * gr[a]
		}
		share := boys
		if sex == 1 {
			share = 1 - boys
		}
		n[0] = births * share * surv.Birth[sex] * gs[0]
	}
}

// record writes a unit's population quantities of forecast year yi and adds
// them to its county and the city.
func (w *worker) record(row []float32, u, yi int, p []float64, births float64) {
	m := w.m
	lay := &w.lay
	nC := len(m.counties)
	res := sum(p)
	row[lay.u(u, yi, ufResidents)] = float32(res)
	row[lay.u(u, yi, ufBirths)] = float32(births)
	c := m.units[u].county
	w.countyRes[c*lay.nY+yi] += res
	w.countyRes[nC*lay.nY+yi] += res
	w.countyBirths[c*lay.nY+yi] += births
	w.countyBirths[nC*lay.nY+yi] += births
	band := w.bands[(u*lay.nY+yi)*nBand : (u*lay.nY+yi+1)*nBand]
	cp := w.countyPop[(c*lay.nY+yi)*nBand : (c*lay.nY+yi+1)*nBand]
	tp := w.countyPop[(nC*lay.nY+yi)*nBand : (nC*lay.nY+yi+1)*nBand]
	for b, ages := range bandAges {
		v := 0.0
		for a := ages[0]; a <= ages[1]; a++ {
			v += p[a] + p[female+a]
		}
		band[b] = v
		row[lay.u(u, yi, ufBand0+b)] = float32(v)
		cp[b] += v
		tp[b] += v
	}
}

// flushCounties writes the county and city population totals of forecast
// year yi.
func (w *worker) flushCounties(row []float32, yi int) {
	lay := &w.lay
	for c := 0; c <= lay.nC; c++ {
		row[lay.c(c, yi, cfResidents)] = float32(w.countyRes[c*lay.nY+yi])
		row[lay.c(c, yi, cfBirths)] = float32(w.countyBirths[c*lay.nY+yi])
		for b := 0; b < nBand; b++ {
			row[lay.c(c, yi, cfBand0+b)] = float32(w.countyPop[(c*lay.nY+yi)*nBand+b])
		}
	}
}

// classSize returns the standard class size of grade index gi at school s.
func (m *model) classSize(s *schoolModel, gi int) float64 {
	cs := &m.sc.ClassSize
	switch gi {
	case 0:
		return cs.K0
	case 1:
		return cs.K1
	case 2:
		return cs.K2
	case 3:
		return cs.K3
	}
	switch s.levelOf(gi) {
	case lvP:
		return cs.Primary
	case lvM:
		return cs.Middle
	}
	return cs.High
}

func (m *model) staffing(l int) float64 {
	st := &m.sc.Staffing
	return [nLevel]float64{st.Kindergarten, st.Primary, st.Middle, st.High}[l]
}

// drawLink is the part of a link the draws read, packed into 32 bytes so
// that the passes over all links each forecast year stream half the memory
// of the full link.
type drawLink struct {
	// read is the state index of a progression, the county × grade of a
	// pool and the first input weight of a cohort or feeder link, whose
	// inputs end at inEnd.
	read, inEnd int32
	dst         int32
	group       int32
	countyGrade int32 // county × nGrade + grade index
	kind        uint8
	pool        uint8
	lvl         uint8
	_           uint8
	invSize     float64
}

// drawSchool is the part of a school the draws read.
type drawSchool struct {
	firstLink, nLinks int32
	county            int32
	section           [nLevel]int32
	levels            [nLevel]uint8
	nLevels           uint8
}

// prepareDraws packs the links and schools for the draws. A cohort link's
// inputs index the blend buffer (unit × 8 + entry age), a feeder link's the
// pupil state, so both are one weighted sum over drawInputs.
func (m *model) prepareDraws() {
	m.drawLinks = make([]drawLink, len(m.links))
	m.linkLevel = make([]float64, len(m.links))
	m.linkTrend = make([]float64, len(m.links))
	m.drawInputs = m.drawInputs[:0]
	for li := range m.links {
		l := &m.links[li]
		m.linkLevel[li], m.linkTrend[li] = l.level, l.trend
		d := drawLink{read: l.read, dst: l.dst, group: l.group, countyGrade: l.county*nGrade + int32(l.gi),
			kind: l.kind, pool: l.pool, lvl: uint8(l.lvl), invSize: l.invSize}
		switch l.kind {
		case kindCohort:
			ci := 1
			if l.gi <= 3 {
				ci = 0
			}
			d.read = int32(len(m.drawInputs))
			for _, cw := range m.schools[l.school].catch[ci] {
				m.drawInputs = append(m.drawInputs, weight{idx: cw.idx*8 + int32(l.age), w: cw.w})
			}
			d.inEnd = int32(len(m.drawInputs))
		case kindFeeder:
			d.read = int32(len(m.drawInputs))
			m.drawInputs = append(m.drawInputs, m.feedersOf[li]...)
			d.inEnd = int32(len(m.drawInputs))
		}
		m.drawLinks[li] = d
	}
	m.drawSchools = make([]drawSchool, len(m.schools))
	next := 0
	for i := range m.schools {
		s := &m.schools[i]
		ds := drawSchool{firstLink: s.firstLink, nLinks: s.nLinks, county: int32(s.county), nLevels: uint8(len(s.levels))}
		for l := range ds.section {
			ds.section[l] = int32(s.section[l])
		}
		for k, l := range s.levels {
			ds.levels[k] = uint8(l)
		}
		m.drawSchools[i] = ds
		// recordSchools visits every link through its school.
		if int(s.firstLink) != next && s.nLinks > 0 {
			panic("forecast: links not contiguous by school")
		}
		next += int(s.nLinks)
	}
	if next != len(m.links) {
		panic("forecast: links outside the schools")
	}
}

// enrolment runs the grade links from the origin to the horizon.
func (w *worker) enrolment(rng *rand.Rand, row []float32) {
	m := w.m
	lay := &w.lay
	sc := &m.sc
	nU := len(m.units)
	copy(w.cur, m.baseState)
	copy(w.countyG, m.baseCountyGrade)
	copy(w.level, m.linkLevel)
	copy(w.trend, m.linkTrend)
	for g := range m.groups {
		w.gLevel[g] = m.groups[g].level
		w.gTrend[g] = m.groups[g].trend
	}
	alpha, beta, phi := sc.Alpha, sc.TrendBeta, sc.TrendDamping
	// Group errors come from a resampled year after the first ratio's,
	// with a random sign.
	rFirst := 0
	if m.nResid >= 2 {
		rFirst = 1
	}
	older := sc.OlderBirthYearShare
	cohortAt := func(u, y int) float64 {
		if y < m.cwFirst || y > m.horizon {
			return 0
		}
		return nz(w.cohort[u*m.nCW+y-m.cwFirst])
	}
	nG := len(m.groups)
	nCG := len(m.counties) * nGrade
	links, inputs, tables := m.drawLinks, m.drawInputs, m.tables
	for yi, t := range m.years {
		var gres, pres []float32
		sign := 1.0
		if m.nResid > rFirst {
			j := rFirst + rng.IntN(m.nResid-rFirst)
			gres = m.groupResid[j*nG : (j+1)*nG]
			pres = m.progResid[j*nCG : (j+1)*nCG]
			if rng.Uint64()&1 == 1 {
				sign = -1
			}
		}
		for u := 0; u < nU; u++ {
			for age := 2; age <= 6; age++ {
				w.blend[u*8+age] = older*cohortAt(u, t-age-1) + (1-older)*cohortAt(u, t-age)
			}
		}
		clear(w.gRaw)
		cur, nxt, level, trend, blend, countyG, gRaw := w.cur, w.nxt, w.level, w.trend, w.blend, w.countyG, w.gRaw
		level = level[:len(links)]
		trend = trend[:len(links)]
		var bits uint64
		nbits := 0
		for li := range links {
			l := &links[li]
			var x float64
			switch l.kind {
			case kindProgression:
				x = cur[l.read]
			case kindCohort:
				for _, in := range inputs[l.read:l.inEnd] {
					x += in.w * blend[in.idx]
				}
			case kindFeeder:
				for _, in := range inputs[l.read:l.inEnd] {
					x += in.w * cur[in.idx]
				}
			case kindPool:
				x = countyG[l.read]
			}
			if nbits == 0 {
				bits, nbits = rng.Uint64(), 8
			}
			// One step of the link's smoothing with a drawn error (plus
			// its county's common error for a progression).
			tr := trend[li]
			f := level[li] + phi*tr
			e := float64(tables[l.pool][uint8(bits)]) * math.Abs(f)
			if l.kind == kindProgression && pres != nil {
				e += sign * float64(pres[l.countyGrade])
			}
			bits >>= 8
			nbits--
			// The builtin max is math.Max's rule (NaN stays NaN, +0 over
			// −0) without a call.
			r := max(0, f+e)
			level[li] = f + alpha*e
			trend[li] = phi*tr + alpha*beta*e
			v := r * x
			nxt[l.dst] = v
			if l.group >= 0 {
				gRaw[l.group] += v
			}
		}
		// Control each county's entries to the county's entry ratio.
		for g := range m.groups {
			gr := &m.groups[g]
			x := m.groupBase(gr, t, older, cohortAt, func(src int) float64 { return w.countyG[gr.county*nGrade+src] })
			e := 0.0
			if gres != nil {
				e = sign * float64(gres[g])
			}
			tr := w.gTrend[g]
			f := w.gLevel[g] + phi*tr
			r := max(0, f+e)
			w.gLevel[g] = f + alpha*e
			w.gTrend[g] = phi*tr + alpha*beta*e
			if gr.kg && len(sc.KindergartenRate) > 0 && m.kgRateBase[gr.county] > 0 {
				r *= sc.KindergartenRate.At(t, 0) / m.kgRateBase[gr.county]
			}
			if gr.takeUp && len(sc.TwoYearOldTakeUp) > 0 && m.takeUpBase[gr.county] > 0 {
				r *= sc.TwoYearOldTakeUp.At(t, 0) / m.takeUpBase[gr.county]
			}
			w.gScale[g] = 0
			if w.gRaw[g] > 0 {
				w.gScale[g] = r * x / w.gRaw[g]
			}
		}
		if m.toddlerShare != nil {
			// 托班 where the county has none yet: the take-up of the
			// county's two-year-olds (the entry blend of age 2).
			takeUp := sc.TwoYearOldTakeUp.At(t, 0)
			for c, open := range m.toddlerCounty {
				w.toddlers[c] = 0
				if !open {
					continue
				}
				k2 := 0.0
				for _, u := range m.unitsOfCounty[c] {
					k2 += blend[u*8+2]
				}
				w.toddlers[c] = takeUp * k2
			}
		}
		// recordSchools applies the entry groups' control factors.
		w.cur, w.nxt = w.nxt, w.cur
		w.recordSchools(row, yi)
	}
	// Township demand by level: the township's children of the level's
	// ages times the county's pupils per child of those ages.
	for u := 0; u < nU; u++ {
		c := m.units[u].county
		for yi := range m.years {
			for l := 0; l < nLevel; l++ {
				band := bandOfLevel[l]
				cb := w.countyPop[(c*lay.nY+yi)*nBand+band]
				v := 0.0
				if cb > 0 {
					v = w.bands[(u*lay.nY+yi)*nBand+band] * float64(row[lay.c(c, yi, cfLevel+4*l)]) / cb
				}
				row[lay.u(u, yi, ufDemand0+l)] = float32(v)
			}
		}
	}
}

// recordSchools scales the entry links' pupils by their group's control
// factor, then writes pupils and classes of every school in forecast year
// yi and the county and city totals by level.
func (w *worker) recordSchools(row []float32, yi int) {
	m := w.m
	lay := &w.lay
	nC := len(m.counties)
	clear(w.countyG)
	clear(w.countyLv)
	links, cur, countyG, countyLv, gScale := m.drawLinks, w.cur, w.countyG, w.countyLv, w.gScale
	var classesL [nLevel]float64
	var pupilsL [nLevel]float64
	for i := range m.drawSchools {
		s := &m.drawSchools[i]
		first, end := int(s.firstLink), int(s.firstLink+s.nLinks)
		if s.nLevels == 1 {
			// One level: plain sums, no per-level bookkeeping.
			tp, tc := 0.0, 0.0
			for li := first; li < end; li++ {
				l := &links[li]
				p := cur[l.dst]
				if l.group >= 0 {
					p *= gScale[l.group]
					cur[l.dst] = p
				}
				tp += p
				countyG[l.countyGrade] += p
				if p >= 0.5 {
					tc += math.Ceil((p - 0.5) * l.invSize)
				}
			}
			if m.toddlerShare != nil && m.toddlerShare[i] > 0 {
				p0, c0 := w.toddlerPupils(i, s)
				tp += p0
				tc += c0
			}
			acc := countyLv[(int(s.county)*nLevel+int(s.levels[0]))*3:]
			acc[0] += tp
			acc[1] += tc
			row[lay.s(i, yi, sfPupils)] = float32(tp)
			row[lay.s(i, yi, sfClasses)] = float32(tc)
			continue
		}
		clear(classesL[:])
		clear(pupilsL[:])
		for li := first; li < end; li++ {
			l := &links[li]
			p := cur[l.dst]
			if l.group >= 0 {
				p *= gScale[l.group]
				cur[l.dst] = p
			}
			pupilsL[l.lvl] += p
			countyG[l.countyGrade] += p
			// Classes for the pupils rounded to whole children.
			if p >= 0.5 {
				classesL[l.lvl] += math.Ceil((p - 0.5) * l.invSize)
			}
		}
		if m.toddlerShare != nil && m.toddlerShare[i] > 0 {
			p0, c0 := w.toddlerPupils(i, s)
			kg := levelIndex(data.LevelKindergarten)
			pupilsL[kg] += p0
			classesL[kg] += c0
		}
		tp, tc := 0.0, 0.0
		for _, l := range s.levels[:s.nLevels] {
			tp += pupilsL[l]
			tc += classesL[l]
			acc := countyLv[(int(s.county)*nLevel+int(l))*3:]
			acc[0] += pupilsL[l]
			acc[1] += classesL[l]
			if sec := s.section[l]; sec >= 0 {
				row[lay.sc(int(sec), yi, sfPupils)] = float32(pupilsL[l])
				row[lay.sc(int(sec), yi, sfClasses)] = float32(classesL[l])
			}
		}
		row[lay.s(i, yi, sfPupils)] = float32(tp)
		row[lay.s(i, yi, sfClasses)] = float32(tc)
	}
	city := countyLv[nC*nLevel*3:]
	for c := 0; c < nC; c++ {
		for k, v := range countyLv[c*nLevel*3 : (c+1)*nLevel*3] {
			city[k] += v
		}
	}
	for c := 0; c <= nC; c++ {
		res := w.countyRes[c*lay.nY+yi]
		for l := 0; l < nLevel; l++ {
			acc := countyLv[(c*nLevel+l)*3:]
			row[lay.c(c, yi, cfLevel+4*l)] = float32(acc[0])
			row[lay.c(c, yi, cfLevel+4*l+1)] = float32(acc[1])
			row[lay.c(c, yi, cfLevel+4*l+2)] = float32(acc[0] / m.staffing(l))
			v := float32(0)
			if res > 0 {
				v = float32(acc[0] / res * 1000)
			}
			row[lay.c(c, yi, cfLevel+4*l+3)] = v
		}
	}
}

var _ = data.LevelPrimary

// sum adds x with four running sums, which do not wait on each other.
func sum(x []float64) float64 {
	var a, b, c, d float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		a += x[i]
		b += x[i+1]
		c += x[i+2]
		d += x[i+3]
	}
	for ; i < len(x); i++ {
		a += x[i]
	}
	return (a + b) + (c + d)
}

// toddlerPupils returns the 托班 pupils and classes school i receives of
// its county's K0 pupils opened by the scenario's take-up, and adds the
// pupils to the county's K0 total.
func (w *worker) toddlerPupils(i int, s *drawSchool) (pupils, classes float64) {
	m := w.m
	p := m.toddlerShare[i] * w.toddlers[s.county]
	w.countyG[int(s.county)*nGrade+gradeIndex(data.GradeK0)] += p
	if p >= 0.5 {
		classes = math.Ceil((p - 0.5) / m.sc.ClassSize.K0)
	}
	return p, classes
}

// planToddlers sets toddlerShare: where the scenario sets a take-up of
// two-year-olds and a county reports no K0 pupils in the origin year, its
// kindergartens open 托班 in proportion to their K1 pupils then.
func (m *model) planToddlers() {
	if len(m.sc.TwoYearOldTakeUp) == 0 {
		return
	}
	nE := m.enrolBase - m.enrolFirst + 1
	k1 := gradeIndex(data.GradeK1)
	countyK1 := make([]float64, len(m.counties))
	share := make([]float64, len(m.schools))
	for i := range m.schools {
		s := &m.schools[i]
		if m.takeUpBase[s.county] > 0 || !slices.Contains(s.levels, levelIndex(data.LevelKindergarten)) {
			continue
		}
		if v := s.hist[nE-1][k1]; v > 0 {
			share[i] = v
			countyK1[s.county] += v
		}
	}
	open := make([]bool, len(m.counties))
	var names []string
	for i := range share {
		c := m.schools[i].county
		if share[i] > 0 {
			share[i] /= countyK1[c]
			if !open[c] {
				open[c] = true
				names = append(names, m.counties[c])
			}
		}
	}
	if len(names) == 0 {
		return
	}
	slices.Sort(names)
	m.toddlerShare, m.toddlerCounty = share, open
	m.note("托班：%s 没有托班（K0）历史，按情景的二岁儿童入托率在幼儿园开设，按各园小班人数分配 "+
		"托班 (K0): %s report no K0 pupils; the scenario's take-up of two-year-olds opens it in their kindergartens, shared by their K1 pupils.",
		strings.Join(names, "、"), strings.Join(names, ", "))
}
