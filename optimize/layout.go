package optimize

import (
	"context"
	"errors"
	"fmt"
	"runtime"

	"github.com/seatplan/seatplan/data"
)

// Estimate is a forecast figure: the median (P50) and the high, safe figure
// (P90).
type Estimate struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
}

// add returns e + o.
func (e Estimate) add(o Estimate) Estimate { return Estimate{e.P50 + o.P50, e.P90 + o.P90} }

// GradePupils holds a school's forecast pupils of one year by grade, K0 to
// 12; use At and Set rather than indexing.
type GradePupils [16]Estimate

// At returns the pupils of grade g; grades outside K0–12 have none.
func (p *GradePupils) At(g data.Grade) Estimate {
	if !g.Valid() {
		return Estimate{}
	}
	return p[g-data.GradeK0]
}

// Set sets the pupils of grade g; it panics on an invalid grade.
func (p *GradePupils) Set(g data.Grade, e Estimate) {
	if !g.Valid() {
		panic(fmt.Sprintf("optimize: invalid grade %d", g))
	}
	p[g-data.GradeK0] = e
}

// LevelPupils holds an area's forecast pupils of one year by level, in the
// order of data.Levels; use At and Set rather than indexing.
type LevelPupils [4]Estimate

// At returns the pupils of level l.
func (p *LevelPupils) At(l data.Level) Estimate { return p[layLevelIndex(l)] }

// Set sets the pupils of level l.
func (p *LevelPupils) Set(l data.Level, e Estimate) { p[layLevelIndex(l)] = e }

// LayoutInput is everything ProposeLayout plans from: the dataset, the
// forecast years and the forecast itself, given per school and per area so
// that the optimiser does not depend on how the forecast was made.
type LayoutInput struct {
	// Dataset holds areas, schools (with classrooms and keep flags),
	// enrolment, teachers, zones and candidate sites.
	Dataset *data.Dataset
	// BaseYear is the last observed year and TargetYear the planning
	// horizon (2035); BaseYear < TargetYear.
	BaseYear, TargetYear int
	// Years lists the forecast years in increasing order, ending at
	// TargetYear; nil means every year after BaseYear up to TargetYear.
	Years []int
	// SchoolForecast maps a school ID and a year to its pupils by grade.
	// A school or year missing here is taken as the school's enrolment of
	// BaseYear carried forward, and a warning says so.
	SchoolForecast map[string]map[int]GradePupils
	// AreaDemand maps an area ID and a year to its resident pupils by
	// level, the demand that seat allocation assigns to schools. An area
	// missing here has no demand.
	AreaDemand map[string]map[int]LevelPupils
	// Standards are the planning standards and costs; the zero value means
	// DefaultStandards().
	Standards Standards
}

// LayoutOptions tunes ProposeLayout. The zero value selects the defaults.
type LayoutOptions struct {
	// Safe plans capacities on the P90 forecast instead of P50.
	Safe bool
	// Workers bounds the goroutines used; 0 means runtime.GOMAXPROCS(0).
	// The result does not depend on it.
	Workers int
	// MaxOptions is the number of nearest schools within reach each area
	// is first offered (default 40); areas left short are offered every
	// school within reach.
	MaxOptions int
	// BoundIterations caps the subgradient steps of the merge lower bound
	// (default 300).
	BoundIterations int
	// NewSiteGridMetres is the spacing of the grid of generated sites used
	// when the dataset has no candidate site near unmet demand (default
	// 2,000 m).
	NewSiteGridMetres float64
	// ZoneStayMetres is the travel per pupil, in metres, that moving an
	// area away from its current school must save before the seat
	// allocation makes the move while that school has room (default
	// 1,000 m; negative turns the preference off), so zones change where
	// capacity or a real gain asks for it, not for a few metres.
	ZoneStayMetres float64
	// Seed seeds the site search.
	Seed uint64
}

func (o LayoutOptions) withDefaults() LayoutOptions {
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.MaxOptions <= 0 {
		o.MaxOptions = 40
	}
	if o.BoundIterations <= 0 {
		o.BoundIterations = 300
	}
	if o.NewSiteGridMetres <= 0 {
		o.NewSiteGridMetres = 2000
	}
	switch {
	case o.ZoneStayMetres == 0:
		o.ZoneStayMetres = 1000
	case o.ZoneStayMetres < 0:
		o.ZoneStayMetres = 0
	}
	return o
}

// ErrNoForecast reports a layout input without any forecast year.
var ErrNoForecast = errors.New("optimize: layout: no forecast years")

// Layout is the proposed school layout for the target year with the
// evidence for every proposal. Every proposal carries its reason in Chinese
// and English.
type Layout struct {
	BaseYear   int   `json:"base_year"`
	TargetYear int   `json:"target_year"`
	Years      []int `json:"years"`
	// Synthetic is true when the dataset is generated sample data.
	Synthetic bool `json:"synthetic"`
	// Safe tells whether capacities were planned on P90.
	Safe bool `json:"safe"`
	// Standards lists every standard and cost used, with its source.
	Standards []StandardRow `json:"standards"`
	// Merges is the small-school merging plan with its optimality gap.
	Merges MergePlan `json:"merges"`
	// Reallocation holds, per level, the target-year seat allocation from
	// areas to schools after the plan.
	Reallocation []Reallocation `json:"reallocation"`
	// Expansions lists classrooms to add, by school.
	Expansions []Expansion `json:"expansions"`
	// Conversions ranks primary/middle pairs and single sites that could
	// become nine-year schools.
	Conversions []Conversion `json:"conversions"`
	// Schedules gives, per nine- or twelve-year school, the yearly
	// classroom split between primary and middle sections.
	Schedules []ClassroomSchedule `json:"schedules"`
	// TeacherShifts gives, per county and year, the primary teachers who
	// could move to middle schools.
	TeacherShifts []TeacherShift `json:"teacher_shifts"`
	// NewSchools lists proposed new schools: nine-year schools for primary
	// and middle demand, high schools for high-school demand, then
	// kindergartens for the kindergarten demand no reused building takes.
	NewSchools []NewSchool `json:"new_schools"`
	// Reuses lists closed buildings proposed for kindergarten use.
	Reuses []Reuse `json:"reuses"`
	// Before and After compare the target year under today's layout and
	// zones with the target year under the plan, per level.
	Before []Metrics `json:"before"`
	After  []Metrics `json:"after"`
	// Warnings are notes on the input (forecasts filled in, schools
	// without classrooms, …).
	Warnings []string `json:"warnings"`
}

// ProposeLayout builds the layout plan for in.TargetYear: small-school
// merges with their optimality gap, seat reallocation by exact min-cost
// flow, expansions, new nine-year schools where demand stays unmet, reuse of
// closed buildings for kindergartens, nine-year conversions, classroom
// schedules and teacher shifts, and before/after metrics. progress, when not
// nil, is called from the calling goroutine with the steps done and the
// total. It returns the context's error when ctx is cancelled.
func ProposeLayout(ctx context.Context, in LayoutInput, opt LayoutOptions, progress func(done, total int)) (*Layout, error) {
	opt = opt.withDefaults()
	m, err := newLayModel(ctx, &in, opt)
	if err != nil {
		return nil, err
	}
	const steps = 9
	step := 0
	tick := func() error {
		step++
		if progress != nil {
			progress(step, steps)
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("optimize: layout: %w", err)
		}
		return nil
	}
	out := &Layout{
		BaseYear: m.base, TargetYear: m.target, Years: m.years,
		Synthetic: in.Dataset.Synthetic, Safe: opt.Safe,
		Standards: m.st.Table(),
	}
	if err := tick(); err != nil {
		return nil, err
	}

	// Before: today's schools and zones, no capacity limit.
	out.Before = m.beforeMetrics()
	if err := tick(); err != nil {
		return nil, err
	}

	plan, err := m.planMerges(ctx)
	if err != nil {
		return nil, err
	}
	out.Merges = *plan
	if err := tick(); err != nil {
		return nil, err
	}

	alloc, err := m.reallocate(ctx, nil, nil, nil)
	if err != nil {
		return nil, err
	}
	if err := tick(); err != nil {
		return nil, err
	}

	out.NewSchools, err = m.proposeSites(ctx, alloc)
	if err != nil {
		return nil, err
	}
	if len(out.NewSchools) > 0 {
		alloc, err = m.reallocate(ctx, out.NewSchools, []data.Level{data.LevelPrimary, data.LevelMiddle}, alloc)
		if err != nil {
			return nil, err
		}
	}
	high, err := m.proposeHighSites(ctx, alloc, out.NewSchools)
	if err != nil {
		return nil, err
	}
	if len(high) > 0 {
		out.NewSchools = append(out.NewSchools, high...)
		alloc, err = m.reallocate(ctx, out.NewSchools, []data.Level{data.LevelHigh}, alloc)
		if err != nil {
			return nil, err
		}
	}
	if err := tick(); err != nil {
		return nil, err
	}

	var deficit []int
	out.Reuses, deficit = m.proposeReuse(ctx, alloc, plan)
	kg, err := m.proposeKinderSites(ctx, deficit, out.NewSchools)
	if err != nil {
		return nil, err
	}
	if len(kg) > 0 {
		out.NewSchools = append(out.NewSchools, kg...)
		alloc, err = m.reallocate(ctx, out.NewSchools, []data.Level{data.LevelKindergarten}, alloc)
		if err != nil {
			return nil, err
		}
	}
	if err := tick(); err != nil {
		return nil, err
	}

	out.Conversions, err = m.proposeConversions(ctx)
	if err != nil {
		return nil, err
	}
	if err := tick(); err != nil {
		return nil, err
	}

	out.Schedules = m.schedules(out.Conversions, out.NewSchools)
	out.TeacherShifts = m.teacherShifts()
	if err := tick(); err != nil {
		return nil, err
	}

	out.Reallocation = alloc.levels
	out.Expansions = m.expansions(plan, alloc)
	out.After = m.afterMetrics(alloc)
	out.Warnings = m.warnings
	if err := tick(); err != nil {
		return nil, err
	}
	return out, nil
}
