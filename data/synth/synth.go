package synth

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"

	"github.com/seatplan/seatplan/data"
)

// Scale selects the size of a generated dataset.
type Scale string

// Scales the generator knows.
const (
	// City is one prefecture-level city scaled to Liaocheng's public totals:
	// 11 county-level units, about 140 townships, 5,900 areas, 2,000 schools
	// and kindergartens and 5.95 million residents.
	City Scale = "city"
	// Province is about 16 prefectures, 136 counties, 1,800 townships,
	// 70,000 areas, 15,000 schools plus 20,000 kindergartens and 100 million
	// residents in a Shandong-sized box.
	Province Scale = "province"
)

// DefaultSeed is the seed used when Config.Seed is zero; the embedded
// sample is the City scale with this seed.
const DefaultSeed uint64 = 1

// Years the generated tables cover.
const (
	// FirstBirthYear is the first year of the births table.
	FirstBirthYear = 2005
	// FirstEnrolmentYear is the first year of the enrolment and teachers
	// tables.
	FirstEnrolmentYear = 2015
	// FirstPopulationYear is the first year of the population table (the
	// 2020 census).
	FirstPopulationYear = 2020
	// LastYear is the last year of every table.
	LastYear = 2024
)

// ErrScale is returned for a scale other than City or Province.
var ErrScale = errors.New("synth: unknown scale; expected city or province")

// ParseScale reads "city" or "province" (any case).
func ParseScale(s string) (Scale, error) {
	switch Scale(strings.ToLower(strings.TrimSpace(s))) {
	case City:
		return City, nil
	case Province:
		return Province, nil
	}
	return "", fmt.Errorf("%w: %q", ErrScale, s)
}

// Config selects what Generate makes.
type Config struct {
	// Scale is City (the default when empty) or Province.
	Scale Scale
	// Seed drives every random draw; zero means DefaultSeed.
	Seed uint64
}

// Generate builds a synthetic dataset. The same Config always gives a
// deep-equal dataset. It returns ErrScale for an unknown scale.
func Generate(cfg Config) (*data.Dataset, error) {
	scale := cfg.Scale
	if scale == "" {
		scale = City
	}
	seed := cfg.Seed
	if seed == 0 {
		seed = DefaultSeed
	}
	var (
		plans []*countyPlan
		p     *params
	)
	switch scale {
	case City:
		plans, p = cityPlans(), &cityParams
	case Province:
		plans, p = provincePlans(seed), &provinceParams
	default:
		return nil, fmt.Errorf("%w: %q", ErrScale, cfg.Scale)
	}
	planBirths(plans, seed, scale == City)

	outs := make([]*countyOut, len(plans))
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), len(plans)) {
		wg.Go(func() {
			for i := range next {
				outs[i] = buildCounty(plans, i, p, seed)
			}
		})
	}
	for i := range plans {
		next <- i
	}
	close(next)
	wg.Wait()

	ds := &data.Dataset{
		Source:    fmt.Sprintf("synthetic sample (%s, seed %d)", scale, seed),
		Synthetic: true,
	}
	var n [8]int
	for _, o := range outs {
		n[0] += len(o.areas)
		n[1] += len(o.population)
		n[2] += len(o.births)
		n[3] += len(o.schools)
		n[4] += len(o.enrolment)
		n[5] += len(o.teachers)
		n[6] += len(o.zones)
		n[7] += len(o.candidates)
	}
	ds.Areas = make([]data.Area, 0, n[0])
	ds.Population = make([]data.PopulationRow, 0, n[1])
	ds.Births = make([]data.BirthRow, 0, n[2])
	ds.Schools = make([]data.School, 0, n[3])
	ds.Enrolment = make([]data.EnrolmentRow, 0, n[4])
	ds.Teachers = make([]data.TeacherRow, 0, n[5])
	ds.Zones = make([]data.Zone, 0, n[6])
	ds.Candidates = make([]data.Candidate, 0, n[7])
	for _, o := range outs {
		ds.Areas = append(ds.Areas, o.areas...)
		ds.Population = append(ds.Population, o.population...)
		ds.Births = append(ds.Births, o.births...)
		ds.Schools = append(ds.Schools, o.schools...)
		ds.Enrolment = append(ds.Enrolment, o.enrolment...)
		ds.Teachers = append(ds.Teachers, o.teachers...)
		ds.Zones = append(ds.Zones, o.zones...)
		ds.Candidates = append(ds.Candidates, o.candidates...)
	}
	return ds, nil
}

// countyOut is everything generated for one county, in output order.
type countyOut struct {
	areas      []data.Area
	population []data.PopulationRow
	births     []data.BirthRow
	schools    []data.School
	enrolment  []data.EnrolmentRow
	teachers   []data.TeacherRow
	zones      []data.Zone
	candidates []data.Candidate
}

// Random streams: every county draws each kind of number from its own PCG
// stream, and per-township draws from their own, so results never depend on
// the order in which counties are built.
const (
	streamLayout = iota + 1
	streamBirths
	streamTownships
	streamAreas
	streamPopulation
	streamSchools
	streamEnrolment
	streamCandidates
)

// newRand returns the generator of one stream: county is the county's
// 1-based index (0 for province-wide draws), sub a township index or 0.
func newRand(seed uint64, county, stream, sub int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, uint64(county)<<32|uint64(stream)<<24|uint64(sub)))
}

// params are the knobs that differ between the city and the province.
type params struct {
	villageSize       float64 // mean residents of a village
	communitySize     float64 // mean residents of an urban community
	villagesPerSchool float64 // villages per village primary school
	villagesPerKinder float64 // villages per village kindergarten
	streetPrimaryPop  float64 // street residents per urban primary school
	streetMiddlePop   float64 // street residents per urban middle school
	streetKinderPop   float64 // street residents per public urban kindergarten
	privateKinderPop  float64 // street residents per private kindergarten
	candidates        float64 // candidate sites per county (mean)
	// box bounds every point (lon min, lon max, lat min, lat max); zero
	// means unbounded.
	box [4]float64
}

// inBox moves a point into the params' box.
func (p *params) inBox(lon, lat float64) (float64, float64) {
	if p.box == [4]float64{} {
		return lon, lat
	}
	return clamp(lon, p.box[0], p.box[1]), clamp(lat, p.box[2], p.box[3])
}

var cityParams = params{
	villageSize:       540,
	communitySize:     4200,
	villagesPerSchool: 9,
	villagesPerKinder: 6.5,
	streetPrimaryPop:  14000,
	streetMiddlePop:   40000,
	streetKinderPop:   14000,
	privateKinderPop:  13000,
	candidates:        1.0,
}

var provinceParams = params{
	villageSize:       740,
	communitySize:     4600,
	villagesPerSchool: 9.5,
	villagesPerKinder: 5.4,
	streetPrimaryPop:  14000,
	streetMiddlePop:   40000,
	streetKinderPop:   13000,
	privateKinderPop:  12000,
	candidates:        1.1,
	box:               [4]float64{provinceLonMin, provinceLonMax, provinceLatMin, provinceLatMax},
}
