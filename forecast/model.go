package forecast

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/seatplan/seatplan/data"
)

// Grade indices: gi = grade − K0, so K0..K3 are 0..3 and grades 1..12 are
// 4..15.
const nGrade = 16

func gradeIndex(g data.Grade) int { return int(g - data.GradeK0) }
func gradeOf(gi int) data.Grade   { return data.GradeK0 + data.Grade(gi) }

// level indices follow data.Levels.
const (
	lvK = iota
	lvP
	lvM
	lvH
	nLevel
)

func levelIndex(l data.Level) int {
	switch l {
	case data.LevelKindergarten:
		return lvK
	case data.LevelPrimary:
		return lvP
	case data.LevelMiddle:
		return lvM
	}
	return lvH
}

// Age bands of the areas file and of the outputs.
const nBand = 5

var bandAges = [nBand][2]int{{0, 2}, {3, 5}, {6, 11}, {12, 14}, {15, 17}}

// bandOfLevel is the age band whose children attend a level.
var bandOfLevel = [nLevel]int{1, 2, 3, 4}

// Link kinds: how a grade's pupils of year t are derived.
const (
	kindProgression = iota // ratio × same school's previous grade last year
	kindCohort             // ratio × catchment's birth cohort of that age
	kindFeeder             // ratio × feeder schools' last primary grade last year
	kindPool               // ratio × county's previous grade last year
)

// ErrNoHistory is returned when a dataset has no enrolment history up to
// the forecast origin.
var ErrNoHistory = errors.New("forecast: no enrolment history")

// unit is a township (or a county given without townships): the unit of the
// population projection.
type unit struct {
	county    int
	township  string
	base      []float64 // age-sex cells at the population base year
	mig       []float64 // net migration rate per year by age-sex cell
	migScaled []float64
	logScale  float64 // log of the unit's fertility relative to the city's
	ownTFR    bool    // births of its own calibrated the scale
	known     int     // last birth year whose cohort size is known
	migSigma  float64
}

// link is one grade of one school and how it is forecast.
type link struct {
	school int32
	gi     int8
	kind   uint8
	age    int8    // entry age of a cohort link
	src    int8    // grade index read by progression, feeder and pool links
	level  float64 // smoothed ratio at the origin
	trend  float64 // its damped trend (entry links)
	kgRate bool    // a kindergarten entry link scaled by the scenario's rates
	takeUp bool    // a K0 entry link scaled by the scenario's take-up
	pool   uint8   // noise table
	group  int32   // entry group, −1 for progression
	// Precomputed for the draws.
	dst     int32   // index of school × grade in the state vector
	read    int32   // index read by a progression (state) or pool (county × grade) link
	lvl     int8    // level index of the grade
	county  int32   // county of the school
	size    float64 // standard class size of the grade
	invSize float64
}

type weight struct {
	idx int32
	w   float64
}

type feeder struct {
	school int32
	gi     int8
	w      float64
}

// schoolModel holds what the forecast knows about one school.
type schoolModel struct {
	ds           int // index in Dataset.Schools
	id           string
	county       int
	unit         int
	lo, hi       int // grade indices taught
	primaryYears int
	hist         [][nGrade]float64 // pupils by enrolment year index; NaN when unknown
	classesBase  [nGrade]float64   // classes at the origin
	links        [nGrade]int32     // link index, −1 when the grade is not taught
	firstLink    int32             // the school's links are contiguous
	nLinks       int32
	catch        [2][]weight     // kindergarten, primary catchment: unit weights
	feeders      []feeder        // for the first middle grade
	section      [nLevel]int     // section index for multi-level schools, −1
	levels       []int           // level indices taught
	seats        [nLevel]float64 // capacity by level
	capacity     float64
	classrooms   float64
	usable       float64 // classrooms usable: at least the classes at the origin
	teachers     [nLevel]float64
	basePupils   float64
	baseByLevel  [nLevel]float64
	kind         data.SchoolType
}

func (s *schoolModel) levelOf(gi int) int {
	return levelIndex(gradeOf(gi).Level(s.primaryYears))
}

// model is everything the draws share: built once, read-only afterwards.
type model struct {
	sc     Scenario
	ds     *data.Dataset
	surv   Survival
	sched  [35]float64
	cutoff int
	// birthsCutoff is the last year of births used: cutoff, or later in an
	// ex-post backtest that takes the recorded births after the origin as
	// known.
	birthsCutoff int

	enrolFirst, enrolBase int // enrolment years used
	popBase               int
	birthsLast            int
	horizon               int
	years                 []int // forecast years enrolBase+1..horizon
	cohortFirst           int
	nCY                   int
	backcastFrom          int // population year aged back to popBase, 0 if none
	// The draws keep cohorts of the years cwFirst..horizon only.
	cwFirst, nCW int

	counties      []string
	countyIndex   map[string]int
	units         []unit
	unitIndex     map[[2]string]int
	unitsOfCounty [][]int
	countyBase    [][]float64 // age-sex cells of each county at popBase
	countyMig     [][]float64
	// Migration rates times the scenario's multiplier.
	countyMigScaled [][]float64
	baseState       []float64         // pupils of each link at the origin
	baseCountyGrade []float64         // counties × grades at the origin
	popObs          map[int][]float64 // observed unit cells by year (nUnits × nCell)
	cohort          []float64         // nUnits × nCY known cohort sizes
	logTFR          []float64         // city log TFR path by year from popBase+1 (deterministic part)
	tfrStep         []float64         // s.d. of the yearly log-TFR increment by path year
	tfrDF           int               // errors behind tfrStep (0: taken as exact)
	tfrFrom         int               // first year of the fertility path
	tfrYears        []int             // years of the implied city TFR history
	tfrLogs         []float64         // log implied city TFR of those years
	fertKnown       bool

	schools    []schoolModel
	links      []link
	feedersOf  [][]weight // feeding links by link (feeder links only)
	nResid     int
	tables     [][noiseLevels]float32 // relative ratio noise by pool
	groups     []group
	entryLinks []int32   // links that belong to a group
	groupResid []float32 // residual years × groups: one-step errors of the group ratios
	progResid  []float32 // residual years × counties × grades: errors of county progression ratios
	sections   [][2]int  // (school, level) of multi-level schools
	kgRateBase []float64 // county kindergarten gross rate at the origin
	takeUpBase []float64 // county K0 take-up at the origin
	// toddlerShare is, per school, its share of its county's 托班 (K0)
	// pupils where the scenario sets a take-up of two-year-olds and the
	// county reports no K0 history: its share of the county's K1 pupils
	// in the origin year. Nil when no county opens 托班 this way.
	toddlerShare  []float64
	toddlerCounty []bool

	// Packed copies of links and schools for the draws (see prepareDraws).
	drawLinks   []drawLink
	drawInputs  []weight
	drawSchools []drawSchool
	linkLevel   []float64 // smoothed ratio of each link at the origin
	linkTrend   []float64

	notes []string
}

func (m *model) note(format string, a ...any) { m.notes = append(m.notes, fmt.Sprintf(format, a...)) }

// newModel indexes ds using only rows of years up to cutoff, births up to
// birthsCutoff (≥ cutoff).
func newModel(ds *data.Dataset, sc Scenario, cutoff, birthsCutoff int) (*model, error) {
	m := &model{sc: sc, ds: ds, cutoff: cutoff, birthsCutoff: max(cutoff, birthsCutoff), horizon: sc.Horizon,
		surv: ModelSurvival(sc.MortalityMultiplier), sched: FertilitySchedule(sc.MeanAgeAtBirth, sc.SDAgeAtBirth)}
	if err := m.indexYears(); err != nil {
		return nil, err
	}
	m.indexCounties()
	if err := m.indexPopulation(); err != nil {
		return nil, err
	}
	m.estimateMigration()
	m.scaleMigration()
	m.buildCohorts()
	m.fillBackcast()
	m.calibrateFertility()
	if err := m.indexSchools(); err != nil {
		return nil, err
	}
	m.buildCatchments()
	m.fitLinks()
	m.planToddlers()
	m.prepareDraws()
	return m, nil
}

func (m *model) indexYears() error {
	m.enrolFirst, m.enrolBase = math.MaxInt, math.MinInt
	for _, r := range m.ds.Enrolment {
		if r.Year > m.cutoff {
			continue
		}
		m.enrolFirst = min(m.enrolFirst, r.Year)
		m.enrolBase = max(m.enrolBase, r.Year)
	}
	if m.enrolBase == math.MinInt {
		return fmt.Errorf("enrolment up to %d: %w", m.cutoff, ErrNoHistory)
	}
	m.popBase = math.MinInt
	for _, r := range m.ds.Population {
		if r.Year <= m.cutoff {
			m.popBase = max(m.popBase, r.Year)
		}
	}
	if m.popBase == math.MinInt {
		// No population year by the origin (a backtest before the census):
		// the first later year is aged back to the origin.
		first := math.MaxInt
		for _, r := range m.ds.Population {
			first = min(first, r.Year)
		}
		if first == math.MaxInt {
			return fmt.Errorf("population: no rows; expected at least one population year")
		}
		m.backcastFrom = first
		m.popBase = m.cutoff
	}
	if m.horizon <= m.enrolBase {
		return fmt.Errorf("horizon %d: expected a year after the last enrolment year %d", m.horizon, m.enrolBase)
	}
	m.birthsLast = math.MinInt
	for _, r := range m.ds.Births {
		if r.Year <= m.birthsCutoff {
			m.birthsLast = max(m.birthsLast, r.Year)
		}
	}
	for y := m.enrolBase + 1; y <= m.horizon; y++ {
		m.years = append(m.years, y)
	}
	// Cohorts reach back to the oldest pupils of the first enrolment year.
	m.cohortFirst = min(m.enrolFirst-19, m.popBase-maxAge)
	m.nCY = m.horizon - m.cohortFirst + 1
	m.cwFirst = min(m.enrolBase-8, m.popBase+1)
	m.nCW = m.horizon - m.cwFirst + 1
	return nil
}

func (m *model) indexCounties() {
	m.countyIndex = map[string]int{}
	add := func(c string) {
		if _, ok := m.countyIndex[c]; !ok {
			m.countyIndex[c] = len(m.counties)
			m.counties = append(m.counties, c)
		}
	}
	for _, a := range m.ds.Areas {
		add(a.County)
	}
	for _, r := range m.ds.Population {
		add(r.County)
	}
	for _, s := range m.ds.Schools {
		add(s.County)
	}
}

// indexPopulation builds the projection units and their observed cells.
func (m *model) indexPopulation() error {
	hasTownship := make([]bool, len(m.counties))
	for _, r := range m.ds.Population {
		if (r.Year <= m.cutoff || r.Year == m.backcastFrom) && r.Township != "" {
			hasTownship[m.countyIndex[r.County]] = true
		}
	}
	// Units sorted by county then township keep each county's units
	// contiguous, so raking works in place.
	keys := map[[2]string]bool{}
	for _, r := range m.ds.Population {
		if r.Year > m.cutoff && r.Year != m.backcastFrom {
			continue
		}
		if r.Township == "" && hasTownship[m.countyIndex[r.County]] {
			continue
		}
		keys[[2]string{r.County, r.Township}] = true
	}
	sorted := make([][2]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	slices.SortFunc(sorted, func(a, b [2]string) int {
		if c := cmp.Compare(m.countyIndex[a[0]], m.countyIndex[b[0]]); c != 0 {
			return c
		}
		return cmp.Compare(a[1], b[1])
	})
	m.unitIndex = make(map[[2]string]int, len(sorted))
	for _, k := range sorted {
		m.unitIndex[k] = len(m.units)
		m.units = append(m.units, unit{county: m.countyIndex[k[0]], township: k[1]})
	}
	unitOf := func(c, t string) int { return m.unitIndex[[2]string{c, t}] }
	countyRows := map[int]map[int][]float64{} // county → year → cells
	m.popObs = map[int][]float64{}
	type cell struct{ u, year, i int }
	cells := make([]cell, 0, len(m.ds.Population))
	vals := make([]float64, 0, len(m.ds.Population))
	for _, r := range m.ds.Population {
		if r.Age < 0 {
			continue
		}
		if r.Year > m.cutoff {
			if r.Year != m.backcastFrom {
				continue
			}
			r.Year = m.popBase
			shift := m.backcastFrom - m.popBase
			if r.Age < shift {
				continue
			}
			// Aged back: survivors divided by their survival.
			sex := 0
			if r.Sex == data.Female {
				sex = 1
			}
			a := r.Age - shift
			if r.Age >= maxAge {
				a = maxAge - shift
			}
			r.Persons = int(math.Round(float64(r.Persons) / m.survivalOver(sex, a, shift)))
			r.Age = a
		}
		c := m.countyIndex[r.County]
		i := min(r.Age, maxAge)
		if r.Sex == data.Female {
			i += female
		}
		if r.Township == "" {
			if countyRows[c] == nil {
				countyRows[c] = map[int][]float64{}
			}
			v := countyRows[c][r.Year]
			if v == nil {
				v = make([]float64, nCell)
				countyRows[c][r.Year] = v
			}
			v[i] += float64(r.Persons)
			if hasTownship[c] {
				continue
			}
		}
		cells = append(cells, cell{unitOf(r.County, r.Township), r.Year, i})
		vals = append(vals, float64(r.Persons))
	}
	nU := len(m.units)
	for k, c := range cells {
		v := m.popObs[c.year]
		if v == nil {
			v = make([]float64, nU*nCell)
			m.popObs[c.year] = v
		}
		v[c.u*nCell+c.i] += vals[k]
	}
	base := m.popObs[m.popBase]
	if base == nil {
		return fmt.Errorf("population %d: no township rows", m.popBase)
	}
	m.unitsOfCounty = make([][]int, len(m.counties))
	for u := range m.units {
		m.units[u].base = base[u*nCell : (u+1)*nCell]
		c := m.units[u].county
		m.unitsOfCounty[c] = append(m.unitsOfCounty[c], u)
	}
	m.countyBase = make([][]float64, len(m.counties))
	for c := range m.counties {
		v := make([]float64, nCell)
		if cr := countyRows[c][m.popBase]; cr != nil && hasTownship[c] {
			copy(v, cr)
		} else {
			for _, u := range m.unitsOfCounty[c] {
				for i, x := range m.units[u].base {
					v[i] += x
				}
			}
		}
		m.countyBase[c] = v
	}
	return nil
}

// popYears lists the observed population years up to the base, ascending.
func (m *model) popYears() []int {
	ys := make([]int, 0, len(m.popObs))
	for y := range m.popObs {
		ys = append(ys, y)
	}
	slices.Sort(ys)
	return ys
}

// survivalOver returns the probability of surviving k years from age a of
// sex, staying in the open age group at the end.
func (m *model) survivalOver(sex, a, k int) float64 {
	p := 1.0
	for i := 0; i < k; i++ {
		p *= m.surv.Year[sex][min(a+i, maxAge)]
	}
	return p
}

// estimateMigration derives net migration rates by age and sex from the
// cohort change between successive population years (Hamilton–Perry),
// smooths them over age, and shrinks each township toward its county.
func (m *model) estimateMigration() {
	years := m.popYears()
	nU := len(m.units)
	num := make([]float64, nU*nCell) // observed survivors
	den := make([]float64, nU*nCell) // expected survivors without migration
	pairs := 0
	var totals [][]float64 // per pair, per unit: net migration rate
	for k := 1; k < len(years); k++ {
		y1, y2 := years[k-1], years[k]
		span := y2 - y1
		p1, p2 := m.popObs[y1], m.popObs[y2]
		pairs++
		tot := make([]float64, nU)
		for u := 0; u < nU; u++ {
			on, oe := 0.0, 0.0
			for sex := 0; sex < 2; sex++ {
				for a := span; a <= maxAge; a++ {
					i := u*nCell + sex*nAge + a
					from := a - span
					var exp float64
					if a == maxAge {
						for b := from; b <= maxAge; b++ {
							exp += p1[u*nCell+sex*nAge+b] * m.survivalOver(sex, b, span)
						}
					} else {
						exp = p1[u*nCell+sex*nAge+from] * m.survivalOver(sex, from, span)
					}
					obs := p2[i]
					if exp <= 0 {
						continue
					}
					// Annual rate from the span's ratio, weighted by
					// exposure so pairs of different spans combine.
					r := math.Pow(obs/exp, 1/float64(span))
					num[i] += r * exp
					den[i] += exp
					on += obs
					oe += exp
				}
			}
			if oe > 0 {
				tot[u] = math.Pow(on/oe, 1/float64(span)) - 1
			}
		}
		totals = append(totals, tot)
	}
	for u := range m.units {
		m.units[u].mig = make([]float64, nCell)
	}
	m.countyMig = make([][]float64, len(m.counties))
	for c := range m.counties {
		m.countyMig[c] = make([]float64, nCell)
	}
	if pairs == 0 {
		m.note("只有一个人口年份，净迁移率设为零 Only one population year: net migration is taken as zero.")
		return
	}
	// County rates from the township sums.
	cnum := make([]float64, len(m.counties)*nCell)
	cden := make([]float64, len(m.counties)*nCell)
	for u := range m.units {
		c := m.units[u].county
		for i := 0; i < nCell; i++ {
			cnum[c*nCell+i] += num[u*nCell+i]
			cden[c*nCell+i] += den[u*nCell+i]
		}
	}
	rates := func(num, den, dst []float64) {
		for i := range dst {
			if den[i] > 0 {
				dst[i] = num[i]/den[i] - 1
			}
		}
		// Ages below the span have no cohort to compare: copy the
		// youngest estimated age; smooth over five ages by exposure.
		for sex := 0; sex < 2; sex++ {
			o := sex * nAge
			first := 0
			for first < nAge && den[o+first] == 0 {
				first++
			}
			if first == nAge {
				continue
			}
			for a := 0; a < first; a++ {
				dst[o+a] = dst[o+first]
			}
			sm := make([]float64, nAge)
			for a := 0; a < nAge; a++ {
				s, w := 0.0, 0.0
				for b := max(a-2, first); b <= min(a+2, maxAge); b++ {
					s += dst[o+b] * den[o+b]
					w += den[o+b]
				}
				if w > 0 {
					sm[a] = s / w
				} else {
					sm[a] = dst[o+a]
				}
			}
			for a := range sm {
				dst[o+a] = math.Max(-0.3, math.Min(0.3, sm[a]))
			}
		}
	}
	for c := range m.counties {
		rates(cnum[c*nCell:(c+1)*nCell], cden[c*nCell:(c+1)*nCell], m.countyMig[c])
	}
	k := m.sc.MigrationShrinkPersons
	for u := range m.units {
		un := &m.units[u]
		rates(num[u*nCell:(u+1)*nCell], den[u*nCell:(u+1)*nCell], un.mig)
		cm := m.countyMig[un.county]
		for i := range un.mig {
			un.mig[i] = Shrink(un.mig[i], den[u*nCell+i]/float64(pairs), cm[i], k)
		}
	}
	// A township's persistent deviation: the spread of its yearly total
	// rates around their mean, pooled.
	ss, n := 0.0, 0
	if len(totals) >= 2 {
		for u := range m.units {
			mean := 0.0
			for _, t := range totals {
				mean += t[u]
			}
			mean /= float64(len(totals))
			for _, t := range totals {
				ss += (t[u] - mean) * (t[u] - mean)
				n++
			}
		}
	}
	sigma := 0.002
	if n > len(m.units) {
		sigma = math.Max(0.001, math.Sqrt(ss/float64(n-len(m.units))))
	}
	if m.sc.MigrationSigma > 0 {
		sigma = m.sc.MigrationSigma
	}
	for u := range m.units {
		m.units[u].migSigma = sigma
	}
}

func (m *model) scaleMigration() {
	k := m.sc.MigrationMultiplier
	scale := func(v []float64) []float64 {
		out := make([]float64, len(v))
		for i, x := range v {
			out[i] = x * k
		}
		return out
	}
	for u := range m.units {
		m.units[u].migScaled = scale(m.units[u].mig)
	}
	m.countyMigScaled = make([][]float64, len(m.countyMig))
	for c, v := range m.countyMig {
		m.countyMigScaled[c] = scale(v)
	}
}

// cellsAt returns the age-sex cells of unit u in year y: the observed year
// if there is one, else the nearest observed year with ages shifted.
func (m *model) cellsAt(u, y int, dst []float64) {
	if v := m.popObs[y]; v != nil {
		copy(dst, v[u*nCell:(u+1)*nCell])
		return
	}
	best := m.popBase
	for yy := range m.popObs {
		if abs(yy-y) < abs(best-y) || (abs(yy-y) == abs(best-y) && yy > best) {
			best = yy
		}
	}
	src := m.popObs[best][u*nCell : (u+1)*nCell]
	shift := best - y // positive: go back in time, people were younger
	clear(dst)
	for sex := 0; sex < 2; sex++ {
		for a := 0; a < nAge; a++ {
			b := a + shift
			if b < 0 || b > maxAge {
				continue
			}
			dst[sex*nAge+a] = src[sex*nAge+b]
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// buildCohorts fills the known cohort sizes (births) of every unit.
func (m *model) buildCohorts() {
	nU := len(m.units)
	m.cohort = make([]float64, nU*m.nCY)
	for i := range m.cohort {
		m.cohort[i] = math.NaN()
	}
	ci := func(u, y int) int { return u*m.nCY + y - m.cohortFirst }
	townBirths := map[[2]string]bool{}
	countyBirths := map[int]map[int]float64{}
	for _, r := range m.ds.Births {
		if r.Year > m.birthsCutoff || r.Year < m.cohortFirst {
			continue
		}
		if r.Township != "" {
			if u, ok := m.unitIndex[[2]string{r.County, r.Township}]; ok {
				i := ci(u, r.Year)
				if math.IsNaN(m.cohort[i]) {
					m.cohort[i] = 0
				}
				m.cohort[i] += float64(r.Births)
				townBirths[[2]string{r.County, r.Township}] = true
				continue
			}
		}
		c, ok := m.countyIndex[r.County]
		if !ok {
			continue
		}
		if countyBirths[c] == nil {
			countyBirths[c] = map[int]float64{}
		}
		countyBirths[c][r.Year] += float64(r.Births)
	}
	// Births given only for a whole county are split among its units by
	// their share of that birth cohort in the base population (or of the
	// fertility exposure for cohorts born after it).
	base := make([]float64, nCell)
	for c, byYear := range countyBirths {
		us := m.unitsOfCounty[c]
		anyOwn := false
		for _, u := range us {
			if townBirths[[2]string{m.counties[c], m.units[u].township}] {
				anyOwn = true
			}
		}
		if anyOwn {
			continue
		}
		for y, b := range byYear {
			age := m.popBase - y
			shares := make([]float64, len(us))
			tot := 0.0
			for k, u := range us {
				copy(base, m.units[u].base)
				if age >= 0 && age <= maxAge {
					shares[k] = base[age] + base[female+age]
				} else {
					shares[k] = exposure(base, &m.sched)
				}
				tot += shares[k]
			}
			if tot <= 0 {
				for k, u := range us {
					shares[k] = exposure(m.units[u].base, &m.sched)
					tot += shares[k]
				}
			}
			for k, u := range us {
				if tot > 0 {
					m.cohort[ci(u, y)] = b * shares[k] / tot
				}
			}
		}
	}
	// Units still without a cohort size take it from the base population
	// (survivors of that birth year), scaled to births where both exist.
	for u := 0; u < nU; u++ {
		last := math.MinInt
		for y := m.cohortFirst; y <= m.birthsCutoff && y <= m.horizon; y++ {
			if !math.IsNaN(m.cohort[ci(u, y)]) {
				last = y
			}
		}
		popOf := func(y int) float64 {
			a := m.popBase - y
			if a < 0 || a > maxAge {
				return math.NaN()
			}
			return m.units[u].base[a] + m.units[u].base[female+a]
		}
		k, n := 0.0, 0
		for y := m.popBase - 1; y >= m.popBase-6 && y >= m.cohortFirst; y-- {
			b := m.cohort[ci(u, y)]
			p := popOf(y)
			if !math.IsNaN(b) && p > 0 {
				k += b / p
				n++
			}
		}
		scale := 1.0
		if n > 0 {
			scale = k / float64(n)
		}
		for y := m.cohortFirst; y <= m.popBase; y++ {
			if math.IsNaN(m.cohort[ci(u, y)]) {
				if p := popOf(y); !math.IsNaN(p) {
					m.cohort[ci(u, y)] = p * scale
				} else {
					m.cohort[ci(u, y)] = 0
				}
			}
		}
		m.units[u].known = max(last, m.popBase)
		m.units[u].ownTFR = last >= m.popBase-5 && last != math.MinInt
	}
}

// fillBackcast completes a population aged back to the origin: the
// children born between the origin and the population year come from the
// known births.
func (m *model) fillBackcast() {
	if m.backcastFrom == 0 {
		return
	}
	shift := m.backcastFrom - m.popBase
	boys := m.sc.SexRatioAtBirth / (1 + m.sc.SexRatioAtBirth)
	for c := range m.countyBase {
		clear(m.countyBase[c])
	}
	for u := range m.units {
		b := m.units[u].base
		for a := 0; a < shift && a <= maxAge; a++ {
			n := nz(m.cohortAt(u, m.popBase-a))
			b[a] = n * boys * m.surv.Birth[0] * m.survivalOver(0, 0, a)
			b[female+a] = n * (1 - boys) * m.surv.Birth[1] * m.survivalOver(1, 0, a)
		}
		cb := m.countyBase[m.units[u].county]
		for i, v := range b {
			cb[i] += v
		}
	}
	m.note("人口基年晚于预测起点，按存活率回推到%d年 The first population year %d is after the origin; it is aged back to %d.", m.popBase, m.backcastFrom, m.popBase)
}

// calibrateFertility sets each unit's fertility scale from its observed
// births and women and the city's TFR path.
func (m *model) calibrateFertility() {
	nU := len(m.units)
	cells := make([]float64, nCell)
	ci := func(u, y int) int { return u*m.nCY + y - m.cohortFirst }
	// Implied TFR by year for the units with their own births.
	var tfrYears []int
	var tfr []float64
	lastYear := math.MinInt
	for _, un := range m.units {
		if un.ownTFR {
			lastYear = max(lastYear, un.known)
		}
	}
	unitB := make([]float64, nU)
	unitE := make([]float64, nU)
	if lastYear != math.MinInt {
		for y := max(lastYear-14, m.cohortFirst+1); y <= lastYear; y++ {
			b, e := 0.0, 0.0
			for u := 0; u < nU; u++ {
				if !m.units[u].ownTFR || y > m.units[u].known {
					continue
				}
				m.cellsAt(u, y-1, cells)
				ex := exposure(cells, &m.sched)
				bb := m.cohort[ci(u, y)]
				b += bb
				e += ex
				if y > lastYear-3 {
					unitB[u] += bb
					unitE[u] += ex
				}
			}
			if e > 0 && b > 0 {
				tfrYears = append(tfrYears, y)
				tfr = append(tfr, b/e)
			}
		}
	}
	m.tfrFrom = m.popBase + 1
	nPath := m.horizon - m.tfrFrom + 1
	if nPath < 1 {
		nPath = 1
	}
	m.logTFR = make([]float64, nPath)
	cityTFR := 1.1
	last := m.popBase
	if len(tfr) > 0 {
		m.fertKnown = true
		cityTFR = tfr[len(tfr)-1]
		last = tfrYears[len(tfrYears)-1]
	} else {
		m.note("没有出生数据，生育水平取方案的总和生育率 No births data: fertility follows the scenario's TFR path (default 1.1).")
		cityTFR = m.sc.TFR.At(m.popBase, 1.1)
	}
	logs := make([]float64, len(tfr))
	for i, v := range tfr {
		logs[i] = math.Log(v)
	}
	m.tfrYears, m.tfrLogs = tfrYears, logs
	// The deterministic path: the scenario's TFR path, or the method's point
	// forecast of the implied history; before the last implied year, the
	// history itself.
	nAhead := max(0, m.horizon-last)
	method := m.sc.TFRMethod
	if len(m.sc.TFR) > 0 {
		method = TFRLast
	}
	point := TFRPoint(logs, method, nAhead)
	if len(logs) == 0 {
		for i := range point {
			point[i] = math.Log(cityTFR)
		}
	}
	// Uncertainty: the s.d. of the h-step errors the method made on the
	// history before each earlier origin, as independent yearly increments
	// from the last implied year; a scenario s.d. gives a random walk.
	var hSD []float64
	if m.sc.TFRSigma > 0 {
		hSD = make([]float64, nAhead)
		for i := range hSD {
			hSD[i] = m.sc.TFRSigma * math.Sqrt(float64(i+1))
		}
	} else {
		hSD, m.tfrDF = tfrErrorSD(logs, method, nAhead, tfrSigmaFloor)
	}
	steps := stepSD(hSD)
	m.tfrStep = make([]float64, nPath)
	conv := m.sc.TFRConvergence
	for i := range m.logTFR {
		y := m.tfrFrom + i
		var l float64
		switch {
		case len(m.sc.TFR) > 0:
			gap := math.Log(cityTFR) - math.Log(m.sc.TFR.At(last, cityTFR))
			l = math.Log(m.sc.TFR.At(y, cityTFR)) + math.Pow(1-conv, float64(max(0, y-last)))*gap
		case y > last:
			l = point[y-last-1]
		case len(logs) > 0:
			l = logs[max(0, len(logs)-1-(last-y))]
		default:
			l = math.Log(cityTFR)
		}
		if y > last {
			m.tfrStep[i] = steps[y-last-1]
		}
		if y > last && m.sc.TFRMultiplier != 1 {
			ramp := 1.0
			if m.sc.TFRRampYears > 0 {
				ramp = math.Min(1, float64(y-last)/float64(m.sc.TFRRampYears))
			}
			l += math.Log(1 + (m.sc.TFRMultiplier-1)*ramp)
		}
		m.logTFR[i] = l
	}
	if len(m.sc.TFR) == 0 && len(logs) > 0 && nAhead > 0 {
		zh := map[string]string{TFRLast: "保持末年水平", TFRTrend: "阻尼趋势", TFRCombined: "末年水平与阻尼趋势的平均"}
		en := map[string]string{TFRLast: "holds the last level", TFRTrend: "damped drift", TFRCombined: "average of the last level and a damped drift"}
		m.note("城市总和生育率（%d–%d年%d个值，末年%.2f）：%s；%d年P50 %.2f，对数标准差 1年%.2f、%d年%.2f City TFR from %d implied values (%d–%d, last %.2f): %s; %d P50 %.2f, log s.d. %.2f at 1 year and %.2f at %d.",
			tfrYears[0], last, len(logs), cityTFR, zh[method], last+nAhead, math.Exp(point[nAhead-1]), hSD[0], nAhead, hSD[nAhead-1],
			len(logs), tfrYears[0], last, cityTFR, en[method], last+nAhead, math.Exp(point[nAhead-1]), hSD[0], hSD[nAhead-1], nAhead)
	}
	// Unit scales: own births over the last three years relative to the
	// city's, shrunk toward the county by a prior worth 50 births and the
	// county toward the city by 200.
	cB := make([]float64, len(m.counties))
	cE := make([]float64, len(m.counties))
	tB, tE := 0.0, 0.0
	for u := range m.units {
		cB[m.units[u].county] += unitB[u]
		cE[m.units[u].county] += unitE[u]
		tB += unitB[u]
		tE += unitE[u]
	}
	city := 1.0
	if tB > 0 && tE > 0 {
		city = tB / tE
	}
	for u := range m.units {
		un := &m.units[u]
		c := un.county
		county := city
		if cE[c] > 0 && cB[c] > 0 {
			county = Shrink(cB[c]/cE[c], cB[c], city, 200)
		}
		own := county
		if unitE[u] > 0 {
			own = Shrink(unitB[u]/unitE[u], unitB[u], county, 50)
		}
		un.logScale = math.Log(own / city)
	}
}

// cityLogTFR returns the deterministic city log TFR of year y ≥ tfrFrom.
func (m *model) cityLogTFR(y int) float64 {
	i := y - m.tfrFrom
	if i < 0 {
		i = 0
	}
	if i >= len(m.logTFR) {
		i = len(m.logTFR) - 1
	}
	return m.logTFR[i]
}

// indexSchools reads the schools' grade spans, history, capacity and
// teachers.
func (m *model) indexSchools() error {
	nE := m.enrolBase - m.enrolFirst + 1
	byID := make(map[string]int, len(m.ds.Schools))
	m.schools = make([]schoolModel, len(m.ds.Schools))
	for i := range m.ds.Schools {
		s := &m.ds.Schools[i]
		sm := &m.schools[i]
		sm.ds = i
		sm.id = s.ID
		sm.kind = s.Type
		sm.county = m.countyIndex[s.County]
		sm.unit = m.unitFor(s.County, s.Township)
		sm.primaryYears = s.PrimaryYears
		if sm.primaryYears != 5 || m.sc.fiveYearCounty(s.County) {
			if m.sc.fiveYearCounty(s.County) {
				sm.primaryYears = 5
			} else {
				sm.primaryYears = 6
			}
		}
		span := s.GradeSpan()
		if s.Grades.IsZero() {
			span = s.Type.DefaultGrades(sm.primaryYears)
		}
		sm.lo, sm.hi = gradeIndex(span.Lo), gradeIndex(span.Hi)
		sm.hist = make([][nGrade]float64, nE)
		for y := range sm.hist {
			for g := range sm.hist[y] {
				sm.hist[y][g] = math.NaN()
			}
		}
		for g := range sm.links {
			sm.links[g] = -1
		}
		for l := range sm.section {
			sm.section[l] = -1
		}
		sm.classrooms = float64(s.Classrooms)
		byID[s.ID] = i
	}
	for _, r := range m.ds.Enrolment {
		if r.Year > m.cutoff || r.Year < m.enrolFirst {
			continue
		}
		i, ok := byID[r.SchoolID]
		if !ok {
			continue
		}
		sm := &m.schools[i]
		gi := gradeIndex(r.Grade)
		y := r.Year - m.enrolFirst
		if math.IsNaN(sm.hist[y][gi]) {
			sm.hist[y][gi] = 0
		}
		sm.hist[y][gi] += float64(r.Students)
		if r.Year == m.enrolBase {
			sm.classesBase[gi] += float64(r.Classes)
		}
		// A grade outside the declared span still counts.
		sm.lo = min(sm.lo, gi)
		sm.hi = max(sm.hi, gi)
	}
	// Schools that reported nothing in the last year are treated as closed
	// there; a school with no row at all in a year has unknown values.
	teacherYear := map[int]int{}
	for _, r := range m.ds.Teachers {
		if r.Year > m.cutoff {
			continue
		}
		if i, ok := byID[r.SchoolID]; ok && r.Year > teacherYear[i] {
			teacherYear[i] = r.Year
		}
	}
	for _, r := range m.ds.Teachers {
		if i, ok := byID[r.SchoolID]; ok && r.Year == teacherYear[i] && r.Year <= m.cutoff {
			m.schools[i].teachers[levelIndex(r.Level)] += float64(r.Teachers)
		}
	}
	cs := m.sc.ClassSize
	for i := range m.schools {
		sm := &m.schools[i]
		s := &m.ds.Schools[i]
		seen := [nLevel]bool{}
		classesByLevel := [nLevel]float64{}
		base := sm.hist[nE-1]
		for gi := sm.lo; gi <= sm.hi; gi++ {
			l := sm.levelOf(gi)
			if !seen[l] {
				seen[l] = true
				sm.levels = append(sm.levels, l)
			}
			classesByLevel[l] += sm.classesBase[gi]
			if !math.IsNaN(base[gi]) {
				sm.basePupils += base[gi]
				sm.baseByLevel[l] += base[gi]
			}
		}
		totalClasses := 0.0
		for _, c := range classesByLevel {
			totalClasses += c
		}
		sm.usable = math.Max(sm.classrooms, totalClasses)
		// Seats by level: classrooms split in proportion to the classes
		// each level uses now (or its grades), times the standard size.
		nGr := [nLevel]float64{}
		for gi := sm.lo; gi <= sm.hi; gi++ {
			nGr[sm.levelOf(gi)]++
		}
		size := [nLevel]float64{cs.Kindergarten, cs.Primary, cs.Middle, cs.High}
		for _, l := range sm.levels {
			share := nGr[l] / float64(sm.hi-sm.lo+1)
			if totalClasses > 0 {
				share = classesByLevel[l] / totalClasses
			}
			sm.seats[l] = sm.classrooms * share * size[l]
			sm.capacity += sm.seats[l]
		}
		if s.Capacity > 0 {
			f := float64(s.Capacity) / math.Max(sm.capacity, 1)
			if sm.capacity == 0 {
				sm.seats[sm.levels[0]] = float64(s.Capacity)
			} else {
				for l := range sm.seats {
					sm.seats[l] *= f
				}
			}
			sm.capacity = float64(s.Capacity)
		}
		if len(sm.levels) > 1 {
			for _, l := range sm.levels {
				sm.section[l] = len(m.sections)
				m.sections = append(m.sections, [2]int{i, l})
			}
		}
	}
	return nil
}

// unitFor finds the projection unit of a place: its township, else its
// county as a whole, else the county's most populous township.
func (m *model) unitFor(county, township string) int {
	if u, ok := m.unitIndex[[2]string{county, township}]; ok {
		return u
	}
	if u, ok := m.unitIndex[[2]string{county, ""}]; ok {
		return u
	}
	c, ok := m.countyIndex[county]
	if !ok || len(m.unitsOfCounty[c]) == 0 {
		return 0
	}
	best, bestPop := m.unitsOfCounty[c][0], -1.0
	for _, u := range m.unitsOfCounty[c] {
		p := 0.0
		for _, v := range m.units[u].base {
			p += v
		}
		if p > bestPop {
			best, bestPop = u, p
		}
	}
	return best
}

// teaches reports whether school s teaches any grade of level l.
func (s *schoolModel) teaches(l int) bool { return slices.Contains(s.levels, l) }

// buildCatchments derives from the zones (or the nearest school) which
// units' children each school draws, and which primaries feed each middle
// school.
func (m *model) buildCatchments() {
	areas := m.ds.Areas
	if len(areas) == 0 {
		for i := range m.schools {
			m.schools[i].catch[0] = []weight{{int32(m.schools[i].unit), 1}}
			m.schools[i].catch[1] = m.schools[i].catch[0]
		}
		return
	}
	areaUnit := make([]int, len(areas))
	areaIdx := make(map[string]int, len(areas))
	for i, a := range areas {
		areaUnit[i] = m.unitFor(a.County, a.Township)
		areaIdx[a.ID] = i
	}
	// Child weight of an area for a band; each unit's weights sum to one.
	hasKids := make([]bool, len(m.units))
	for u := range hasKids {
		hasKids[u] = true
	}
	for i, a := range areas {
		if !a.HasKids {
			hasKids[areaUnit[i]] = false
		}
	}
	raw := func(i, band int) float64 {
		if hasKids[areaUnit[i]] {
			return float64(areas[i].Kids[band])
		}
		return float64(areas[i].Residents)
	}
	unitTot := make([][nBand]float64, len(m.units))
	for i := range areas {
		for b := 0; b < nBand; b++ {
			unitTot[areaUnit[i]][b] += raw(i, b)
		}
	}
	share := func(i, band int) float64 {
		t := unitTot[areaUnit[i]][band]
		if t <= 0 {
			return 0
		}
		return raw(i, band) / t
	}
	// Zone of each area by level: given, else the nearest school of that
	// level in the area's county.
	zone := [nLevel][]int{}
	given := [nLevel]bool{}
	byID := make(map[string]int, len(m.schools))
	for i := range m.schools {
		byID[m.schools[i].id] = i
	}
	for l := range zone {
		zone[l] = make([]int, len(areas))
		for i := range zone[l] {
			zone[l][i] = -1
		}
	}
	for _, z := range m.ds.Zones {
		a, ok1 := areaIdx[z.AreaID]
		s, ok2 := byID[z.SchoolID]
		if !ok1 || !ok2 {
			continue
		}
		l := levelIndex(z.Level)
		zone[l][a] = s
		given[l] = true
	}
	for l := 0; l < lvH; l++ {
		byCounty := make([][]int, len(m.counties))
		for i := range m.schools {
			if m.schools[i].teaches(l) && m.schools[i].basePupils > 0 {
				byCounty[m.schools[i].county] = append(byCounty[m.schools[i].county], i)
			}
		}
		for i, a := range areas {
			if zone[l][i] >= 0 {
				continue
			}
			c := m.countyIndex[a.County]
			best, bestD := -1, math.Inf(1)
			for _, s := range byCounty[c] {
				sc := &m.ds.Schools[s]
				if d := haversine(a.Lat, a.Lon, sc.Lat, sc.Lon); d < bestD {
					best, bestD = s, d
				}
			}
			zone[l][i] = best
		}
	}
	if !given[lvP] || !given[lvM] {
		m.note("缺少学区划分时按最近学校划片 Where zones are missing, each area is served by the nearest school of the level in its county.")
	}
	// Catchments of kindergarten (band 3–5) and primary (band 6–11).
	for ci, l := range [2]int{lvK, lvP} {
		acc := make([]map[int32]float64, len(m.schools))
		for i := range areas {
			s := zone[l][i]
			if s < 0 {
				continue
			}
			if acc[s] == nil {
				acc[s] = map[int32]float64{}
			}
			acc[s][int32(areaUnit[i])] += share(i, bandOfLevel[l])
		}
		for s := range m.schools {
			if len(acc[s]) == 0 {
				m.schools[s].catch[ci] = []weight{{int32(m.schools[s].unit), 1}}
				continue
			}
			ws := make([]weight, 0, len(acc[s]))
			for u, w := range acc[s] {
				ws = append(ws, weight{u, w})
			}
			slices.SortFunc(ws, func(a, b weight) int { return cmp.Compare(a.idx, b.idx) })
			m.schools[s].catch[ci] = ws
		}
	}
	// Feeders: the areas of each primary's zone go on to their middle
	// zone's school.
	type pm struct{ p, m int }
	flows := map[pm]float64{}
	out := make([]float64, len(m.schools))
	for i := range areas {
		p, mid := zone[lvP][i], zone[lvM][i]
		if p < 0 || mid < 0 {
			continue
		}
		w := raw(i, 2)
		flows[pm{p, mid}] += w
		out[p] += w
	}
	keys := make([]pm, 0, len(flows))
	for k := range flows {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b pm) int {
		if c := cmp.Compare(a.m, b.m); c != 0 {
			return c
		}
		return cmp.Compare(a.p, b.p)
	})
	for _, k := range keys {
		if out[k.p] <= 0 {
			continue
		}
		ps := &m.schools[k.p]
		last := gradeIndex(data.Grade(ps.primaryYears))
		if last < ps.lo || last > ps.hi {
			continue
		}
		m.schools[k.m].feeders = append(m.schools[k.m].feeders, feeder{int32(k.p), int8(last), flows[k] / out[k.p]})
	}
}

// haversine returns the great-circle distance in km.
func haversine(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := p2-p1, (lon2-lon1)*math.Pi/180
	h := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * r * math.Asin(math.Sqrt(math.Min(1, h)))
}
