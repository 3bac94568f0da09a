package forecast

import "github.com/seatplan/seatplan/data"

// Result is a forecast: population, pupils, classes and teachers by county,
// township, area and school for every forecast year, each as P10/P50/P90
// over the Monte Carlo draws, and the early warnings. It serialises to the
// JSON documented in docs/forecast.md.
type Result struct {
	Scenario  Scenario `json:"scenario"`
	Source    string   `json:"source"`
	Synthetic bool     `json:"synthetic"`
	Draws     int      `json:"draws"`
	Seed      uint64   `json:"seed"`
	// BaseYear is the last enrolment year used (the forecast origin);
	// PopulationBaseYear the last population year and BirthsLastYear the
	// last year with births.
	BaseYear           int `json:"base_year"`
	PopulationBaseYear int `json:"population_base_year"`
	BirthsLastYear     int `json:"births_last_year,omitempty"`
	// Years lists the forecast years, BaseYear+1 to the horizon.
	Years []int `json:"years"`
	// City holds the totals over all counties.
	City      CountyForecast     `json:"city"`
	Counties  []CountyForecast   `json:"counties"`
	Townships []TownshipForecast `json:"townships"`
	// Areas is filled only when Options.Areas is set.
	Areas   []AreaForecast   `json:"areas,omitempty"`
	Schools []SchoolForecast `json:"schools"`
	// Warnings lists every warning of every year; FirstWarnings the first
	// year of each warning of a school or county.
	Warnings      []Warning `json:"warnings"`
	FirstWarnings []Warning `json:"first_warnings"`
	// Notes explain assumptions the data forced (missing zones, one
	// population year, …).
	Notes []string `json:"notes,omitempty"`
}

// AgeBands holds the children by the areas file's age bands.
type AgeBands struct {
	Age0to2   Quantiles `json:"age_0_2"`
	Age3to5   Quantiles `json:"age_3_5"`
	Age6to11  Quantiles `json:"age_6_11"`
	Age12to14 Quantiles `json:"age_12_14"`
	Age15to17 Quantiles `json:"age_15_17"`
}

func (a *AgeBands) set(b int, q Quantiles) {
	switch b {
	case 0:
		a.Age0to2 = q
	case 1:
		a.Age3to5 = q
	case 2:
		a.Age6to11 = q
	case 3:
		a.Age12to14 = q
	default:
		a.Age15to17 = q
	}
}

// CountyForecast is the forecast of one county (or of the city).
type CountyForecast struct {
	County string       `json:"county"`
	Years  []CountyYear `json:"years"`
}

// CountyYear is one county's forecast for one year.
type CountyYear struct {
	Year      int       `json:"year"`
	Residents Quantiles `json:"residents"`
	Births    Quantiles `json:"births"`
	// TFR is the total fertility rate implied by the year's births.
	TFR    Quantiles       `json:"tfr"`
	Ages   AgeBands        `json:"ages"`
	Levels []LevelForecast `json:"levels"`
}

// LevelForecast is one level's pupils, classes, seats and teachers in a
// county and year.
type LevelForecast struct {
	Level  data.Level `json:"level"`
	Pupils Quantiles  `json:"pupils"`
	// Classes needed at the standard class size.
	Classes Quantiles `json:"classes"`
	// Seats is the capacity of the county's schools at this level.
	Seats       float64   `json:"seats"`
	Utilisation Quantiles `json:"utilisation"`
	// TeachersNeeded follows the staffing standard; TeachersPresent is the
	// last reported number, held constant.
	TeachersNeeded  Quantiles `json:"teachers_needed"`
	TeachersPresent float64   `json:"teachers_present"`
	// PupilsPer1000 and SeatsPer1000 are per 1,000 residents (千人指标).
	PupilsPer1000 Quantiles `json:"pupils_per_1000"`
	SeatsPer1000  Quantiles `json:"seats_per_1000"`
}

// TownshipForecast is the population forecast of one township.
type TownshipForecast struct {
	County   string         `json:"county"`
	Township string         `json:"township"`
	Years    []TownshipYear `json:"years"`
}

// Demand holds the pupils expected from a place by level.
type Demand struct {
	Kindergarten Quantiles `json:"kindergarten"`
	Primary      Quantiles `json:"primary"`
	Middle       Quantiles `json:"middle"`
	High         Quantiles `json:"high"`
}

// Level returns the demand of level l.
func (d *Demand) Level(l data.Level) Quantiles {
	switch l {
	case data.LevelKindergarten:
		return d.Kindergarten
	case data.LevelPrimary:
		return d.Primary
	case data.LevelMiddle:
		return d.Middle
	}
	return d.High
}

func (d *Demand) set(l int, q Quantiles) {
	switch l {
	case lvK:
		d.Kindergarten = q
	case lvP:
		d.Primary = q
	case lvM:
		d.Middle = q
	default:
		d.High = q
	}
}

// TownshipYear is a township's population and pupil demand in one year.
// Demand is the township's children of a level's ages (3–5, 6–11, 12–14,
// 15–17) times its county's pupils per child of those ages.
type TownshipYear struct {
	Year      int       `json:"year"`
	Residents Quantiles `json:"residents"`
	Births    Quantiles `json:"births"`
	Ages      AgeBands  `json:"ages"`
	Demand    Demand    `json:"demand"`
}

// AreaForecast is the pupil demand of one area: its township's forecast in
// proportion to the area's children of each band (or its residents).
type AreaForecast struct {
	AreaID   string     `json:"area_id"`
	County   string     `json:"county"`
	Township string     `json:"township"`
	Years    []AreaYear `json:"years"`
}

// AreaYear is an area's children and pupil demand in one year.
type AreaYear struct {
	Year   int      `json:"year"`
	Ages   AgeBands `json:"ages"`
	Demand Demand   `json:"demand"`
}

// SchoolForecast is the forecast of one school.
type SchoolForecast struct {
	SchoolID   string          `json:"school_id"`
	Name       string          `json:"name"`
	County     string          `json:"county"`
	Township   string          `json:"township"`
	Type       data.SchoolType `json:"type"`
	Capacity   float64         `json:"capacity"`
	Classrooms int             `json:"classrooms"`
	// BasePupils is the enrolment of the base year.
	BasePupils float64      `json:"base_pupils"`
	Years      []SchoolYear `json:"years"`
}

// SchoolYear is one school's forecast for one year.
type SchoolYear struct {
	Year        int       `json:"year"`
	Pupils      Quantiles `json:"pupils"`
	Classes     Quantiles `json:"classes"`
	Utilisation Quantiles `json:"utilisation"`
	// ClassSize is the median average class size if the school keeps its
	// classrooms: pupils over the classes needed or the classrooms usable,
	// whichever is fewer.
	ClassSize float64 `json:"class_size"`
	// Sections split the school by level (one entry for a one-level
	// school).
	Sections []SectionYear `json:"sections"`
	// Warnings lists the kinds of warning raised for this year.
	Warnings []WarningKind `json:"warnings,omitempty"`
}

// SectionYear is one level of a school in one year.
type SectionYear struct {
	Level          data.Level `json:"level"`
	Pupils         Quantiles  `json:"pupils"`
	Classes        Quantiles  `json:"classes"`
	Seats          float64    `json:"seats"`
	TeachersNeeded Quantiles  `json:"teachers_needed"`
}

// County returns the forecast of the named county, or nil.
func (r *Result) County(name string) *CountyForecast {
	for i := range r.Counties {
		if r.Counties[i].County == name {
			return &r.Counties[i]
		}
	}
	return nil
}

// School returns the forecast of the school with the given ID, or nil.
func (r *Result) School(id string) *SchoolForecast {
	for i := range r.Schools {
		if r.Schools[i].SchoolID == id {
			return &r.Schools[i]
		}
	}
	return nil
}

// Year returns the county's forecast of year y, or nil.
func (c *CountyForecast) Year(y int) *CountyYear {
	for i := range c.Years {
		if c.Years[i].Year == y {
			return &c.Years[i]
		}
	}
	return nil
}

// Level returns the forecast of level l, or nil when the county has no
// school of that level.
func (c *CountyYear) Level(l data.Level) *LevelForecast {
	for i := range c.Levels {
		if c.Levels[i].Level == l {
			return &c.Levels[i]
		}
	}
	return nil
}
