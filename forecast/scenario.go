package forecast

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"go.yaml.in/yaml/v3"
)

// Point is one value of a yearly path.
type Point struct {
	Year  int     `toml:"year" yaml:"year" json:"year"`
	Value float64 `toml:"value" yaml:"value" json:"value"`
}

// Path is a piecewise-linear yearly path given by points in increasing year
// order. Between points it interpolates linearly; before the first point it
// holds the first value and after the last point the last value.
type Path []Point

// At returns the path's value in year y, or def when the path is empty.
func (p Path) At(y int, def float64) float64 {
	if len(p) == 0 {
		return def
	}
	if y <= p[0].Year {
		return p[0].Value
	}
	for i := 1; i < len(p); i++ {
		if y <= p[i].Year {
			a, b := p[i-1], p[i]
			w := float64(y-a.Year) / float64(b.Year-a.Year)
			return a.Value + w*(b.Value-a.Value)
		}
	}
	return p[len(p)-1].Value
}

func (p Path) validate(name string, lo, hi float64) error {
	if len(p) > MaxPathPoints {
		return fmt.Errorf("%s: %d points; expected at most %d", name, len(p), MaxPathPoints)
	}
	for i, pt := range p {
		if pt.Year < MinPathYear || pt.Year > MaxYear {
			return fmt.Errorf("%s: year %d; expected a year from %d to %d", name, pt.Year, MinPathYear, MaxYear)
		}
		if i > 0 && pt.Year <= p[i-1].Year {
			return fmt.Errorf("%s: year %d follows %d; expected years in increasing order", name, pt.Year, p[i-1].Year)
		}
		if !finite(pt.Value) || pt.Value < lo || pt.Value > hi {
			return fmt.Errorf("%s: value %v in %d; expected a number from %v to %v", name, pt.Value, pt.Year, lo, hi)
		}
	}
	return nil
}

// ClassSizes holds the standard class size (班额) of each level and of each
// kindergarten grade.
type ClassSizes struct {
	// K0 to K3 are 托班, 小班, 中班 and 大班.
	K0      float64 `toml:"k0" yaml:"k0" json:"k0"`
	K1      float64 `toml:"k1" yaml:"k1" json:"k1"`
	K2      float64 `toml:"k2" yaml:"k2" json:"k2"`
	K3      float64 `toml:"k3" yaml:"k3" json:"k3"`
	Primary float64 `toml:"primary" yaml:"primary" json:"primary"`
	Middle  float64 `toml:"middle" yaml:"middle" json:"middle"`
	High    float64 `toml:"high" yaml:"high" json:"high"`
	// Kindergarten is the size used for kindergarten capacity when a
	// school gives no capacity of its own.
	Kindergarten float64 `toml:"kindergarten" yaml:"kindergarten" json:"kindergarten"`
}

// Staffing holds the pupils per staff member of each level (编制标准).
type Staffing struct {
	Kindergarten float64 `toml:"kindergarten" yaml:"kindergarten" json:"kindergarten"`
	Primary      float64 `toml:"primary" yaml:"primary" json:"primary"`
	Middle       float64 `toml:"middle" yaml:"middle" json:"middle"`
	High         float64 `toml:"high" yaml:"high" json:"high"`
}

// Scenario holds every assumption of a forecast: fertility, mortality and
// migration, the enrolment model's parameters, the Monte Carlo settings and
// the planning standards used for classes, teachers and warnings. The zero
// value is not useful; start from Builtin or DecodeScenario.
type Scenario struct {
	// Name labels the scenario in outputs.
	Name        string `toml:"name" yaml:"name" json:"name"`
	Description string `toml:"description" yaml:"description" json:"description"`
	// Base names the built-in scenario a file starts from (low, medium or
	// high); only DecodeScenario reads it.
	Base string `toml:"base" yaml:"base" json:"base,omitempty"`

	// Horizon is the last forecast year.
	Horizon int `toml:"horizon" yaml:"horizon" json:"horizon"`
	// Draws is the number of Monte Carlo draws.
	Draws int `toml:"draws" yaml:"draws" json:"draws"`
	// Seed makes the draws reproducible: draw k uses PCG(seed, k).
	Seed uint64 `toml:"seed" yaml:"seed" json:"seed"`

	// TFR is an absolute city total-fertility path. When empty, the path
	// follows TFRMethod on the TFR implied by the observed births.
	TFR Path `toml:"tfr" yaml:"tfr" json:"tfr,omitempty"`
	// TFRMethod chooses the fertility path when TFR is empty: "last"
	// holds the last implied TFR (a random walk), "trend" extrapolates a
	// damped drift fitted to the implied log-TFR history and "combined"
	// averages the two.
	TFRMethod string `toml:"tfr_method" yaml:"tfr_method" json:"tfr_method"`
	// TFRConvergence is the share of the (log) gap between the fertility
	// implied by observed births and the TFR path that closes each year.
	TFRConvergence float64 `toml:"tfr_convergence" yaml:"tfr_convergence" json:"tfr_convergence"`
	// TFRMultiplier scales fertility, reached linearly over TFRRampYears.
	TFRMultiplier float64 `toml:"tfr_multiplier" yaml:"tfr_multiplier" json:"tfr_multiplier"`
	TFRRampYears  int     `toml:"tfr_ramp_years" yaml:"tfr_ramp_years" json:"tfr_ramp_years"`
	// TFRSigma is the yearly standard deviation of the city's log TFR
	// random walk; zero means estimate the error of every lead from the
	// method's past errors on the births history.
	TFRSigma float64 `toml:"tfr_sigma" yaml:"tfr_sigma" json:"tfr_sigma"`
	// TownshipTFRRho and TownshipTFRSigma define each township's persistent
	// AR(1) deviation of log TFR from the city's.
	TownshipTFRRho   float64 `toml:"township_tfr_rho" yaml:"township_tfr_rho" json:"township_tfr_rho"`
	TownshipTFRSigma float64 `toml:"township_tfr_sigma" yaml:"township_tfr_sigma" json:"township_tfr_sigma"`
	// MeanAgeAtBirth and SDAgeAtBirth shape the fertility schedule.
	MeanAgeAtBirth float64 `toml:"mean_age_at_birth" yaml:"mean_age_at_birth" json:"mean_age_at_birth"`
	SDAgeAtBirth   float64 `toml:"sd_age_at_birth" yaml:"sd_age_at_birth" json:"sd_age_at_birth"`
	// SexRatioAtBirth is boys per girl.
	SexRatioAtBirth float64 `toml:"sex_ratio_at_birth" yaml:"sex_ratio_at_birth" json:"sex_ratio_at_birth"`
	// MortalityMultiplier scales the model life table's death rates.
	MortalityMultiplier float64 `toml:"mortality_multiplier" yaml:"mortality_multiplier" json:"mortality_multiplier"`

	// MigrationMultiplier scales the net migration rates estimated from
	// successive population years; MigrationShift is added to them (per
	// person and year).
	MigrationMultiplier float64 `toml:"migration_multiplier" yaml:"migration_multiplier" json:"migration_multiplier"`
	MigrationShift      float64 `toml:"migration_shift" yaml:"migration_shift" json:"migration_shift"`
	// MigrationSigma is the standard deviation of a township's persistent
	// net migration rate deviation; zero means estimate it.
	MigrationSigma float64 `toml:"migration_sigma" yaml:"migration_sigma" json:"migration_sigma"`
	// MigrationShrinkPersons is the number of persons in an age-sex cell
	// at which a township's own migration rate and its county's get equal
	// weight.
	MigrationShrinkPersons float64 `toml:"migration_shrink_persons" yaml:"migration_shrink_persons" json:"migration_shrink_persons"`
	// RakeIterations is the number of raking cycles controlling townships
	// to their county's projection each year.
	RakeIterations int `toml:"rake_iterations" yaml:"rake_iterations" json:"rake_iterations"`

	// Alpha is the exponential smoothing weight of ratios (NCES uses 0.4).
	Alpha float64 `toml:"alpha" yaml:"alpha" json:"alpha"`
	// TrendBeta and TrendDamping set the damped linear trend of the entry
	// ratios (a school's share of its catchment, a county's entry rate):
	// Holt's method with level weight Alpha. TrendBeta 0 turns the trend off.
	TrendBeta    float64 `toml:"trend_beta" yaml:"trend_beta" json:"trend_beta"`
	TrendDamping float64 `toml:"trend_damping" yaml:"trend_damping" json:"trend_damping"`
	// ShrinkPupils is the cohort size at which a school's own
	// grade-progression ratio and its county's get equal weight.
	ShrinkPupils float64 `toml:"shrink_pupils" yaml:"shrink_pupils" json:"shrink_pupils"`
	// OlderBirthYearShare is the share of an entry cohort born in the
	// earlier calendar year: ⅓ for a 1 September cut-off.
	OlderBirthYearShare float64 `toml:"older_birth_year_share" yaml:"older_birth_year_share" json:"older_birth_year_share"`
	// KindergartenRate is a target path of the gross kindergarten
	// enrolment rate (pupils in K1–K3 per child aged 3–5); empty keeps
	// the rates fitted from history.
	KindergartenRate Path `toml:"kindergarten_rate" yaml:"kindergarten_rate" json:"kindergarten_rate,omitempty"`
	// TwoYearOldTakeUp is a target path of the share of two-year-olds in
	// 托班 (K0); empty keeps the shares fitted from history.
	TwoYearOldTakeUp Path `toml:"two_year_old_take_up" yaml:"two_year_old_take_up" json:"two_year_old_take_up,omitempty"`
	// FiveYearPrimaryCounties lists counties that run 5-year primary
	// schools (五四制) whatever the schools file says.
	FiveYearPrimaryCounties []string `toml:"five_year_primary_counties" yaml:"five_year_primary_counties" json:"five_year_primary_counties,omitempty"`

	// ClassSize is the standard class size by level and kindergarten grade.
	ClassSize ClassSizes `toml:"class_size" yaml:"class_size" json:"class_size"`
	// LargeClass and HugeClass are the 大班额 and 超大班额 thresholds.
	LargeClass float64 `toml:"large_class" yaml:"large_class" json:"large_class"`
	HugeClass  float64 `toml:"huge_class" yaml:"huge_class" json:"huge_class"`
	// Staffing is pupils per teacher by level.
	Staffing Staffing `toml:"staffing" yaml:"staffing" json:"staffing"`
	// SeatRed and SeatAmber are the utilisation thresholds of a seat
	// shortage warning.
	SeatRed   float64 `toml:"seat_red" yaml:"seat_red" json:"seat_red"`
	SeatAmber float64 `toml:"seat_amber" yaml:"seat_amber" json:"seat_amber"`
	// UnderUse is the utilisation below which a falling school is flagged;
	// UnderUseRed is the red threshold.
	UnderUse    float64 `toml:"under_use" yaml:"under_use" json:"under_use"`
	UnderUseRed float64 `toml:"under_use_red" yaml:"under_use_red" json:"under_use_red"`
	// SmallSchool is the pupil count below which a school is small-scale.
	SmallSchool float64 `toml:"small_school" yaml:"small_school" json:"small_school"`
	// TeacherShortageAmber/Red and TeacherSurplusAmber/Red are the shares
	// of the teachers needed by which a county's teachers fall short or
	// exceed the need.
	TeacherShortageAmber float64 `toml:"teacher_shortage_amber" yaml:"teacher_shortage_amber" json:"teacher_shortage_amber"`
	TeacherShortageRed   float64 `toml:"teacher_shortage_red" yaml:"teacher_shortage_red" json:"teacher_shortage_red"`
	TeacherSurplusAmber  float64 `toml:"teacher_surplus_amber" yaml:"teacher_surplus_amber" json:"teacher_surplus_amber"`
	TeacherSurplusRed    float64 `toml:"teacher_surplus_red" yaml:"teacher_surplus_red" json:"teacher_surplus_red"`
}

// Limits of a scenario. They keep a scenario file from asking for more work
// or memory than a forecast can use.
const (
	// MinYear and MaxYear bound the horizon. The forecast holds every
	// year from the base year to the horizon for each draw, so the horizon
	// also bounds memory.
	MinYear = 2000
	MaxYear = 2100
	// MinPathYear is the earliest year of a point of a yearly path.
	MinPathYear = 1950
	// MaxDraws bounds the Monte Carlo draws. The forecast keeps one float32
	// per draw and reported quantity (Run checks that product against its
	// memory budget); the sample city has about 79,000 quantities to 2035,
	// so 10,000 draws already take 3.1 GB. At 10,000 draws a P10 or P90
	// sits within ±0.6 percentile points of its true rank (two standard
	// errors), finer than any plan can use, so more draws only cost memory.
	MaxDraws = 10000
	// MaxPathPoints bounds a yearly path: one point a year from
	// MinPathYear to MaxYear is 151.
	MaxPathPoints = 200
	// MaxNameLength and MaxDescriptionLength bound the scenario's name, its
	// description and a county name, in characters.
	MaxNameLength        = 100
	MaxDescriptionLength = 2000
	// MaxCounties bounds five_year_primary_counties.
	MaxCounties = 1000
	// MaxScenarioBytes bounds a scenario file. A full scenario with yearly
	// paths is a few kilobytes; the bound keeps a wrong file from being
	// read whole into memory.
	MaxScenarioBytes = 256 << 10
	// maxNesting bounds the brackets and braces open at once in a TOML
	// file and maxKeyDots the dots of dotted keys on one line (a scenario
	// needs 3 and 1): the TOML decoder's time grows with the square of
	// either.
	maxNesting = 8
	maxKeyDots = 16
)

// Names of the built-in scenarios.
const (
	Low    = "low"
	Medium = "medium"
	High   = "high"
)

// Fertility path methods of Scenario.TFRMethod.
const (
	TFRLast  = "last"
	TFRTrend = "trend"
	// TFRCombined averages the two (an equal-weight forecast combination).
	TFRCombined = "combined"
)

// BuiltinNames lists the built-in scenarios.
var BuiltinNames = []string{Low, Medium, High}

// Builtin returns a copy of the built-in scenario name (low, medium or
// high). Medium continues the fitted fertility trend and the observed
// migration; low and high move fertility 20 % down or up over five years and
// shift net migration by −0.3 or +0.3 % a year.
func Builtin(name string) (Scenario, error) {
	sc := medium()
	switch strings.ToLower(strings.TrimSpace(name)) {
	case Medium, "":
	case Low:
		sc.Name = Low
		sc.Description = "低方案 Low: fertility 20 % below the trend after 5 years; net migration −0.3 %/year"
		sc.TFRMultiplier = 0.8
		sc.MigrationShift = -0.003
	case High:
		sc.Name = High
		sc.Description = "高方案 High: fertility 20 % above the trend after 5 years; net migration +0.3 %/year"
		sc.TFRMultiplier = 1.2
		sc.MigrationShift = 0.003
	default:
		return Scenario{}, fmt.Errorf("scenario %q: expected one of %s or a scenario file", name, strings.Join(BuiltinNames, ", "))
	}
	return sc, nil
}

// Default returns the medium scenario.
func Default() Scenario { return medium() }

func medium() Scenario {
	return Scenario{
		Name:                   Medium,
		Description:            "中方案 Medium: fitted fertility trend, observed migration",
		Horizon:                2035,
		Draws:                  1000,
		Seed:                   1,
		TFRMethod:              TFRLast,
		TFRConvergence:         0.15,
		TFRMultiplier:          1,
		TFRRampYears:           5,
		TownshipTFRRho:         0.9,
		TownshipTFRSigma:       0.04,
		MeanAgeAtBirth:         29,
		SDAgeAtBirth:           5,
		SexRatioAtBirth:        1.11,
		MortalityMultiplier:    1,
		MigrationMultiplier:    1,
		MigrationShrinkPersons: 400,
		RakeIterations:         1,
		Alpha:                  0.4,
		TrendBeta:              0.3,
		TrendDamping:           0.9,
		ShrinkPupils:           20,
		OlderBirthYearShare:    1.0 / 3,
		ClassSize: ClassSizes{
			K0: 20, K1: 25, K2: 30, K3: 35,
			Primary: 45, Middle: 50, High: 50, Kindergarten: 30,
		},
		LargeClass:           56,
		HugeClass:            66,
		Staffing:             Staffing{Kindergarten: 7, Primary: 19, Middle: 13.5, High: 12.5},
		SeatRed:              1.0,
		SeatAmber:            0.9,
		UnderUse:             0.5,
		UnderUseRed:          0.3,
		SmallSchool:          100,
		TeacherShortageAmber: 0.05,
		TeacherShortageRed:   0.15,
		TeacherSurplusAmber:  0.15,
		TeacherSurplusRed:    0.30,
	}
}

// Validate reports every invalid parameter at once.
func (sc *Scenario) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	pos := func(name string, v float64) {
		if !finite(v) || v <= 0 {
			bad("%s: %v; expected a positive number", name, v)
		}
	}
	nonneg := func(name string, v float64) {
		if !finite(v) || v < 0 {
			bad("%s: %v; expected a number ≥ 0", name, v)
		}
	}
	between := func(name string, v, lo, hi float64) {
		if !finite(v) || v < lo || v > hi {
			bad("%s: %v; expected a number from %v to %v", name, v, lo, hi)
		}
	}
	text := func(name, v string, most int) bool {
		if n := utf8.RuneCountInString(v); n > most {
			bad("%s: %d characters; expected at most %d", name, n, most)
		} else if !utf8.ValidString(v) {
			bad("%s: %q is not valid UTF-8; expected text", name, short(v))
		} else {
			return true
		}
		return false
	}
	text("name", sc.Name, MaxNameLength)
	text("description", sc.Description, MaxDescriptionLength)
	if sc.Horizon < MinYear || sc.Horizon > MaxYear {
		bad("horizon: %d; expected a year from %d to %d", sc.Horizon, MinYear, MaxYear)
	}
	if sc.Draws < 1 || sc.Draws > MaxDraws {
		bad("draws: %d; expected 1 to %d", sc.Draws, MaxDraws)
	}
	if err := sc.TFR.validate("tfr", 0.1, 8); err != nil {
		errs = append(errs, err)
	}
	if sc.TFRMethod != TFRLast && sc.TFRMethod != TFRTrend && sc.TFRMethod != TFRCombined {
		bad("tfr_method: %q; expected %q, %q or %q", short(sc.TFRMethod), TFRCombined, TFRLast, TFRTrend)
	}
	between("tfr_convergence", sc.TFRConvergence, 0, 1)
	pos("tfr_multiplier", sc.TFRMultiplier)
	if sc.TFRRampYears < 0 || sc.TFRRampYears > 50 {
		bad("tfr_ramp_years: %d; expected 0 to 50", sc.TFRRampYears)
	}
	between("tfr_sigma", sc.TFRSigma, 0, 1)
	between("township_tfr_rho", sc.TownshipTFRRho, 0, 1)
	between("township_tfr_sigma", sc.TownshipTFRSigma, 0, 1)
	between("mean_age_at_birth", sc.MeanAgeAtBirth, 20, 40)
	between("sd_age_at_birth", sc.SDAgeAtBirth, 2, 10)
	between("sex_ratio_at_birth", sc.SexRatioAtBirth, 0.8, 1.5)
	between("mortality_multiplier", sc.MortalityMultiplier, 0, 10)
	between("migration_multiplier", sc.MigrationMultiplier, 0, 10)
	between("migration_shift", sc.MigrationShift, -0.2, 0.2)
	between("migration_sigma", sc.MigrationSigma, 0, 0.2)
	nonneg("migration_shrink_persons", sc.MigrationShrinkPersons)
	if sc.RakeIterations < 0 || sc.RakeIterations > 100 {
		bad("rake_iterations: %d; expected 0 to 100", sc.RakeIterations)
	}
	if !finite(sc.Alpha) || sc.Alpha <= 0 || sc.Alpha > 1 {
		bad("alpha: %v; expected a number above 0 and at most 1", sc.Alpha)
	}
	between("trend_beta", sc.TrendBeta, 0, 1)
	between("trend_damping", sc.TrendDamping, 0, 1)
	nonneg("shrink_pupils", sc.ShrinkPupils)
	between("older_birth_year_share", sc.OlderBirthYearShare, 0, 1)
	if err := sc.KindergartenRate.validate("kindergarten_rate", 0, 2); err != nil {
		errs = append(errs, err)
	}
	if err := sc.TwoYearOldTakeUp.validate("two_year_old_take_up", 0, 1); err != nil {
		errs = append(errs, err)
	}
	if n := len(sc.FiveYearPrimaryCounties); n > MaxCounties {
		bad("five_year_primary_counties: %d names; expected at most %d", n, MaxCounties)
	} else {
		// The first bad name is enough to point at the list.
		for i, c := range sc.FiveYearPrimaryCounties {
			if !text(fmt.Sprintf("five_year_primary_counties[%d]", i), c, MaxNameLength) {
				break
			}
		}
	}
	cs := sc.ClassSize
	for _, f := range []struct {
		n string
		v float64
	}{{"class_size.k0", cs.K0}, {"class_size.k1", cs.K1}, {"class_size.k2", cs.K2}, {"class_size.k3", cs.K3},
		{"class_size.primary", cs.Primary}, {"class_size.middle", cs.Middle}, {"class_size.high", cs.High},
		{"class_size.kindergarten", cs.Kindergarten}} {
		between(f.n, f.v, 1, 200)
	}
	between("large_class", sc.LargeClass, 1, 200)
	between("huge_class", sc.HugeClass, 1, 200)
	if finite(sc.LargeClass) && finite(sc.HugeClass) && sc.HugeClass < sc.LargeClass {
		bad("huge_class: %v is below large_class %v; expected huge_class ≥ large_class", sc.HugeClass, sc.LargeClass)
	}
	st := sc.Staffing
	pos("staffing.kindergarten", st.Kindergarten)
	pos("staffing.primary", st.Primary)
	pos("staffing.middle", st.Middle)
	pos("staffing.high", st.High)
	pos("seat_red", sc.SeatRed)
	pos("seat_amber", sc.SeatAmber)
	if finite(sc.SeatRed) && finite(sc.SeatAmber) && sc.SeatAmber > sc.SeatRed {
		bad("seat_amber: %v is above seat_red %v; expected seat_amber ≤ seat_red", sc.SeatAmber, sc.SeatRed)
	}
	between("under_use", sc.UnderUse, 0, 1)
	between("under_use_red", sc.UnderUseRed, 0, 1)
	nonneg("small_school", sc.SmallSchool)
	between("teacher_shortage_amber", sc.TeacherShortageAmber, 0, 1)
	between("teacher_shortage_red", sc.TeacherShortageRed, 0, 1)
	between("teacher_surplus_amber", sc.TeacherSurplusAmber, 0, 10)
	between("teacher_surplus_red", sc.TeacherSurplusRed, 0, 10)
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("scenario %s: %w", short(sc.Name), errors.Join(errs...))
}

// DecodeScenario reads a scenario file in format "toml" or "yaml" (also
// "yml"). The file may name a built-in scenario to start from with the key
// base (default medium) and overrides any other parameter; an unknown key is
// an error that names it. A file larger than MaxScenarioBytes is refused
// unread; a value of the wrong type is an error that names its key and the
// type expected. The result is validated.
func DecodeScenario(r io.Reader, format string) (Scenario, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxScenarioBytes+1))
	if err != nil {
		return Scenario{}, fmt.Errorf("read scenario: %w", err)
	}
	if len(raw) > MaxScenarioBytes {
		return Scenario{}, fmt.Errorf("scenario: file larger than %d KiB; expected a scenario file of a few kilobytes", MaxScenarioBytes>>10)
	}
	format = strings.ToLower(strings.TrimPrefix(format, "."))
	var head struct {
		Base string `toml:"base" yaml:"base"`
		// Seed is read signed so that a negative TOML seed is an error
		// rather than a wrapped uint64.
		Seed *int64 `toml:"seed" yaml:"-"`
	}
	switch format {
	case "toml":
		if err := checkTOMLShape(raw); err != nil {
			return Scenario{}, fmt.Errorf("scenario toml: %w", err)
		}
		if _, err := toml.Decode(string(raw), &head); err != nil {
			return Scenario{}, fmt.Errorf("scenario toml: %w", tomlExpect(err))
		}
		if head.Seed != nil && *head.Seed < 0 {
			return Scenario{}, fmt.Errorf("scenario toml: seed: %d; expected %s", *head.Seed, expectation(reflect.TypeFor[uint64]()))
		}
	case "yaml", "yml":
		if err := yaml.Unmarshal(raw, &head); err != nil {
			return Scenario{}, fmt.Errorf("scenario yaml: %w", yamlExpect(raw, err))
		}
	default:
		return Scenario{}, fmt.Errorf("scenario format %q: expected toml or yaml", short(format))
	}
	if n := utf8.RuneCountInString(head.Base); n > MaxNameLength {
		return Scenario{}, fmt.Errorf("scenario base: %d characters; expected one of %s", n, strings.Join(BuiltinNames, ", "))
	}
	sc, err := Builtin(head.Base)
	if err != nil {
		return Scenario{}, fmt.Errorf("scenario base: %w", err)
	}
	sc.Name = ""
	switch format {
	case "toml":
		md, err := toml.Decode(string(raw), &sc)
		if err != nil {
			return Scenario{}, fmt.Errorf("scenario toml: %w", tomlExpect(err))
		}
		if und := md.Undecoded(); len(und) > 0 {
			const most = 5
			keys := make([]string, 0, most)
			for _, k := range und[:min(len(und), most)] {
				keys = append(keys, short(k.String()))
			}
			if len(und) > most {
				keys = append(keys, fmt.Sprintf("and %d more", len(und)-most))
			}
			return Scenario{}, fmt.Errorf("scenario toml: unknown key %s; expected one of %s", strings.Join(keys, ", "), strings.Join(scenarioKeys(), ", "))
		}
	default:
		dec := yaml.NewDecoder(bytes.NewReader(raw))
		dec.KnownFields(true)
		if err := dec.Decode(&sc); err != nil && !errors.Is(err, io.EOF) {
			return Scenario{}, fmt.Errorf("scenario yaml: %w", yamlExpect(raw, err))
		}
	}
	if sc.Name == "" {
		sc.Name = "custom"
		if head.Base != "" {
			sc.Name = "custom-" + strings.ToLower(head.Base)
		}
	}
	if err := sc.Validate(); err != nil {
		return Scenario{}, err
	}
	return sc, nil
}

// checkTOMLShape refuses TOML nested deeper than maxNesting or with more
// than maxKeyDots dots of dotted keys on a line, before the decoder spends
// quadratic time on it. It skips strings and comments and does not count
// the dot of a number.
func checkTOMLShape(raw []byte) error {
	depth, dots, line := 0, 0, 1
	word := -1 // start of the current bare word, or -1
	endWord := func(end int) {
		if word < 0 {
			return
		}
		w := string(raw[word:end])
		word = -1
		if _, err := strconv.ParseFloat(strings.ReplaceAll(w, "_", ""), 64); err == nil {
			return
		}
		dots += strings.Count(w, ".")
	}
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if isBare(c) {
			if word < 0 {
				word = i
			}
			continue
		}
		endWord(i)
		if dots > maxKeyDots {
			return fmt.Errorf("line %d: a key of more than %d dotted parts; expected keys such as class_size.primary", line, maxKeyDots)
		}
		switch c {
		case '\n':
			line++
			dots = 0
		case '#':
			for i < len(raw) && raw[i] != '\n' {
				i++
			}
			i--
		case '"', '\'':
			q := string(raw[i : i+1])
			if i+2 < len(raw) && raw[i+1] == c && raw[i+2] == c {
				q = strings.Repeat(q, 3)
			}
			end := i + len(q)
			for {
				k := bytes.Index(raw[end:], []byte(q))
				if k < 0 {
					return nil // unterminated: the decoder reports it
				}
				end += k
				// A backslash escapes the quote of a basic string
				// unless the backslash is itself escaped.
				n := 0
				for c == '"' && end-1-n >= i+len(q) && raw[end-1-n] == '\\' {
					n++
				}
				if n%2 == 0 {
					break
				}
				end++
			}
			line += bytes.Count(raw[i:end], []byte("\n"))
			i = end + len(q) - 1
		case '[', '{':
			depth++
			if depth > maxNesting {
				return fmt.Errorf("line %d: more than %d nested arrays or tables; expected at most a list of tables such as tfr", line, maxNesting)
			}
		case ']', '}':
			depth = max(0, depth-1)
		}
	}
	endWord(len(raw))
	if dots > maxKeyDots {
		return fmt.Errorf("line %d: a key of more than %d dotted parts; expected keys such as class_size.primary", line, maxKeyDots)
	}
	return nil
}

// isBare reports whether c may be part of a bare TOML key, number or date.
func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '-' || c == '+' || c == '.' || c == ':'
}

// tomlExpect adds to a TOML decoding error what its last key expects.
func tomlExpect(err error) error {
	key := ""
	var pe toml.ParseError
	if errors.As(err, &pe) {
		key = pe.LastKey
	} else if _, rest, ok := strings.Cut(err.Error(), "(last key "); ok {
		// Type errors are plain errors that quote the key.
		if q, err := strconv.QuotedPrefix(rest); err == nil {
			key, _ = strconv.Unquote(q)
		}
	}
	if key == "" {
		return err
	}
	t := keyType(strings.Split(key, "."))
	if t == nil {
		return err
	}
	return fmt.Errorf("%w; %s expects %s", err, short(key), expectation(t))
}

// yamlExpect rewrites each message of a YAML type error to name the key
// on its line and what that key expects.
func yamlExpect(raw []byte, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return err
	}
	var doc yaml.Node
	if yaml.Unmarshal(raw, &doc) != nil {
		return err
	}
	// keys holds the key of each line; a line holding several keys gets
	// their common prefix, since the messages give no column.
	keys := map[int][]string{}
	var walk func(n *yaml.Node, path []string)
	walk = func(n *yaml.Node, path []string) {
		if _, ok := keys[n.Line]; !ok && len(path) > 0 {
			keys[n.Line] = path
		}
		switch n.Kind {
		case yaml.DocumentNode, yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c, path)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				p := append(slices.Clip(path), k.Value)
				old := keys[k.Line]
				if len(old) <= len(p) && slices.Equal(old, p[:len(old)]) {
					keys[k.Line] = p
				} else {
					c := 0
					for c < len(old) && c < len(p) && old[c] == p[c] {
						c++
					}
					keys[k.Line] = p[:c]
				}
				walk(n.Content[i+1], p)
			}
		}
	}
	walk(&doc, nil)
	const most = 10
	msgs := make([]string, min(len(te.Errors), most))
	for i, m := range te.Errors[:len(msgs)] {
		msgs[i] = m
		// Messages read "line N: cannot unmarshal …".
		num, rest, ok := strings.Cut(strings.TrimPrefix(m, "line "), ": ")
		line, err := strconv.Atoi(num)
		if !ok || err != nil {
			continue
		}
		if path := keys[line]; len(path) > 0 {
			if t := keyType(path); t != nil {
				msgs[i] = fmt.Sprintf("line %d: %s; %s expects %s", line, rest, short(strings.Join(path, ".")), expectation(t))
			}
		}
	}
	if n := len(te.Errors) - len(msgs); n > 0 {
		msgs = append(msgs, fmt.Sprintf("and %d more", n))
	}
	return fmt.Errorf("yaml: %s", strings.Join(msgs, "\n  "))
}

// keyType returns the Go type a scenario key decodes into, or nil when the
// key is unknown. Keys under a path (such as tfr.year) name a point's
// fields.
func keyType(path []string) reflect.Type {
	t := reflect.TypeFor[Scenario]()
	for _, k := range path {
		for t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return nil
		}
		var next reflect.Type
		for i := 0; i < t.NumField(); i++ {
			if t.Field(i).Tag.Get("toml") == k {
				next = t.Field(i).Type
				break
			}
		}
		if next == nil {
			return nil
		}
		t = next
	}
	return t
}

// expectation describes the values of a scenario key's type.
func expectation(t reflect.Type) string {
	switch {
	case t == reflect.TypeFor[Path]():
		return "a list of points such as {year = 2030, value = 1.1}"
	case t.Kind() == reflect.Int:
		return "a whole number"
	case t.Kind() == reflect.Uint64:
		return "a whole number ≥ 0"
	case t.Kind() == reflect.Float64:
		return "a number"
	case t.Kind() == reflect.String:
		return "text"
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String:
		return "a list of names"
	case t.Kind() == reflect.Struct:
		keys := make([]string, t.NumField())
		for i := range keys {
			keys[i] = t.Field(i).Tag.Get("toml")
		}
		return "a table of " + strings.Join(keys, ", ")
	}
	return t.String()
}

// short quotes at most 40 characters of s in a message.
func short(s string) string {
	const most = 40
	if utf8.RuneCountInString(s) <= most {
		return s
	}
	r := []rune(s)
	return string(r[:most]) + "…"
}

func scenarioKeys() []string {
	return []string{"name", "description", "base", "horizon", "draws", "seed", "tfr", "tfr_method", "tfr_convergence",
		"tfr_multiplier", "tfr_ramp_years", "tfr_sigma", "township_tfr_rho", "township_tfr_sigma",
		"mean_age_at_birth", "sd_age_at_birth", "sex_ratio_at_birth", "mortality_multiplier",
		"migration_multiplier", "migration_shift", "migration_sigma", "migration_shrink_persons",
		"rake_iterations", "alpha", "trend_beta", "trend_damping", "shrink_pupils", "older_birth_year_share", "kindergarten_rate",
		"two_year_old_take_up", "five_year_primary_counties", "class_size", "large_class", "huge_class",
		"staffing", "seat_red", "seat_amber", "under_use", "under_use_red", "small_school",
		"teacher_shortage_amber", "teacher_shortage_red", "teacher_surplus_amber", "teacher_surplus_red"}
}

func (sc *Scenario) fiveYearCounty(c string) bool {
	return slices.Contains(sc.FiveYearPrimaryCounties, c)
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
