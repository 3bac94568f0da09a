package report

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/xuri/excelize/v2"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/forecast"
	"github.com/seatplan/seatplan/internal/workbook"
	"github.com/seatplan/seatplan/optimize"
)

// Sheet names of the plan workbook that the forecast and layout workbooks
// do not have (DESIGN.md §4).
const (
	SheetSummary      = "概览"
	SheetReallocation = "学位调剂"
	SheetTeachers     = "师资"
)

// PlanSheets returns the sheets of the plan workbook in order.
func PlanSheets() []string { return slices.Clone(planSheets) }

var planSheets = []string{
	SheetSummary, SheetCountyForecast, SheetSchoolForecast, SheetWarnings,
	SheetMerges, SheetConversions, SheetSchedule, SheetReallocation,
	SheetNewSchools, SheetTeachers, SheetBalance, SheetAssumptions,
}

// AlternativeSheets returns, in order, the sheets the plan workbook repeats
// for each alternative scenario, named "sheet-scenario": its forecast by
// county and level, its warnings (each once, in its first year), every
// layout proposal but the seat allocation, the teachers, the before/after
// indicators and the assumptions. The school forecast and the seat
// allocation, each tens of thousands of rows on a city, are written for
// the first scenario only.
func AlternativeSheets() []string { return slices.Clone(alternativeSheets) }

var alternativeSheets = []string{
	SheetCountyForecast, SheetWarnings, SheetMerges, SheetConversions, SheetSchedule,
	SheetNewSchools, SheetTeachers, SheetBalance, SheetAssumptions,
}

// Plan is what the plan outputs are made from: the dataset, its forecast,
// the layout proposed from that forecast and the provenance.
type Plan struct {
	Dataset  *data.Dataset
	Forecast *forecast.Result
	Layout   *optimize.Layout
	Meta     Meta
	// Map is the layout map as a PNG picture, placed on the summary sheet;
	// nil leaves it out.
	Map []byte
	// Alternatives are plans of the same dataset under other scenarios:
	// the workbook then compares them on a 情景比较 sheet and adds, for
	// each, the sheets of AlternativeSheets named after the scenario.
	Alternatives []*Plan
}

// Sheets returns the names of the plan workbook's sheets in order:
// PlanSheets, with 情景比较 after the summary and the sheets of
// AlternativeSheets for each alternative at the end when there are
// alternatives.
func (p *Plan) Sheets() []string {
	if len(p.Alternatives) == 0 {
		return PlanSheets()
	}
	out := slices.Insert(PlanSheets(), 1, SheetComparison)
	for _, alt := range p.Alternatives {
		for _, base := range alternativeSheets {
			out = append(out, scenarioSheet(base, alt.Forecast.Scenario.Name))
		}
	}
	return out
}

// title returns a sheet's title line: its names, the scenario, the
// dataset and, for the embedded sample, the note that the data is
// synthetic.
func (p *Plan) title(zh, en string) string {
	res := p.Forecast
	t := fmt.Sprintf("%s %s — %s, %d→%d, %s", zh, en, res.Scenario.Name, res.BaseYear, p.Layout.TargetYear, res.Source)
	if res.Synthetic || p.Layout.Synthetic {
		t += " " + syntheticNote
	}
	return t
}

// WritePlanWorkbook writes the plan workbook to w: the summary with its
// charts and map, the forecasts and warnings, every layout proposal with
// its reason, teachers, the before/after indicators and the assumptions,
// in the order of PlanSheets. It stops with ctx's error soon after ctx is
// done.
func WritePlanWorkbook(ctx context.Context, w io.Writer, p *Plan) error {
	if p.Forecast == nil || p.Layout == nil {
		panic("report: plan without a forecast or a layout")
	}
	f, closeBook, err := workbook.New(ctx)
	if err != nil {
		return fmt.Errorf("plan workbook: %w", err)
	}
	defer closeBook()
	if err := fillPlanSheets(ctx, f, p); err != nil {
		return err
	}
	if err := workbook.Write(ctx, w, f); err != nil {
		return fmt.Errorf("plan workbook: %w", err)
	}
	return nil
}

// fillPlanSheets fills f with the plan's sheets.
func fillPlanSheets(ctx context.Context, f *excelize.File, p *Plan) error {
	st, err := newStyles(ctx, f)
	if err != nil {
		return fmt.Errorf("plan workbook: %w", err)
	}
	res, lay := p.Forecast, p.Layout
	type step struct {
		name  string
		write func() error
	}
	steps := []step{
		{SheetSummary, func() error { return summarySheet(f, st, p) }},
		{SheetCountyForecast, func() error {
			return countySheet(f, st, SheetCountyForecast, p.title("区县预测", "County forecast"), res)
		}},
		{SheetSchoolForecast, func() error { return schoolSheet(f, st, p.title("学校预测", "School forecast"), res) }},
		{SheetWarnings, func() error { return warningSheet(f, st, SheetWarnings, p.title("预警", "Warnings"), res.Warnings) }},
		{SheetMerges, func() error { return mergeSheet(f, st, SheetMerges, p.title("撤并", "Merges"), lay) }},
		{SheetConversions, func() error {
			return conversionSheet(f, st, SheetConversions, p.title("九年一贯制", "Nine-year conversions"), lay)
		}},
		{SheetSchedule, func() error {
			return scheduleSheet(f, st, SheetSchedule, p.title("班级调整", "Classroom schedule"), lay)
		}},
		{SheetReallocation, func() error { return reallocationSheet(f, st, p.title("学位调剂", "Seat reallocation"), p) }},
		{SheetNewSchools, func() error {
			return newSchoolSheet(f, st, SheetNewSchools, p.title("新建", "New schools, expansions, reuse"), lay)
		}},
		{SheetTeachers, func() error { return teacherSheet(f, st, SheetTeachers, p.title("师资", "Teachers"), p) }},
		{SheetBalance, func() error { return metricsSheet(f, st, SheetBalance, p.title("均衡", "Before and after"), lay) }},
		{SheetAssumptions, func() error {
			return assumptionSheet(f, st, SheetAssumptions, p.title("参数", "Assumptions and provenance"), res, p.Meta, layoutAssumptions(lay))
		}},
	}
	if len(p.Alternatives) > 0 {
		steps = slices.Insert(steps, 1, step{SheetComparison, func() error { return comparisonSheet(f, st, p) }})
		for _, alt := range p.Alternatives {
			for _, base := range alternativeSheets {
				sheet := scenarioSheet(base, alt.Forecast.Scenario.Name)
				steps = append(steps, step{sheet, func() error { return alternativeSheet(f, st, base, sheet, alt) }})
			}
		}
	}
	for _, s := range steps {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("plan workbook: %w", err)
		}
		if err := s.write(); err != nil {
			return fmt.Errorf("plan workbook sheet %s: %w", s.name, err)
		}
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		return fmt.Errorf("plan workbook: %w", err)
	}
	f.SetActiveSheet(0)
	return nil
}

// alternativeSheet writes the alternative plan's copy of sheet base (one
// of AlternativeSheets) as sheet.
func alternativeSheet(f *excelize.File, st *styles, base, sheet string, alt *Plan) error {
	res, lay := alt.Forecast, alt.Layout
	switch base {
	case SheetCountyForecast:
		return countySheet(f, st, sheet, alt.title("区县预测", "County forecast"), res)
	case SheetWarnings:
		return warningSheet(f, st, sheet, alt.title("预警（首次）", "Warnings, first year"), res.FirstWarnings)
	case SheetMerges:
		return mergeSheet(f, st, sheet, alt.title("撤并", "Merges"), lay)
	case SheetConversions:
		return conversionSheet(f, st, sheet, alt.title("九年一贯制", "Nine-year conversions"), lay)
	case SheetSchedule:
		return scheduleSheet(f, st, sheet, alt.title("班级调整", "Classroom schedule"), lay)
	case SheetNewSchools:
		return newSchoolSheet(f, st, sheet, alt.title("新建", "New schools, expansions, reuse"), lay)
	case SheetTeachers:
		return teacherSheet(f, st, sheet, alt.title("师资", "Teachers"), alt)
	case SheetBalance:
		return metricsSheet(f, st, sheet, alt.title("均衡", "Before and after"), lay)
	case SheetAssumptions:
		return assumptionSheet(f, st, sheet, alt.title("参数", "Assumptions and provenance"), res, alt.Meta, layoutAssumptions(lay))
	}
	panic("report: no alternative-scenario version of sheet " + base)
}

// layoutAssumptions lists the layout's standards with their sources and
// the options it was planned with, as rows of the assumptions sheet.
func layoutAssumptions(lay *optimize.Layout) [][3]string {
	basis := "P50 中位数 median"
	if lay.Safe {
		basis = "P90 保守 safe"
	}
	rows := [][3]string{
		{"规划目标年 Target year", fmt.Sprint(lay.TargetYear), ""},
		{"规划依据 Planned on", basis, "--safe"},
		{"撤并最优性差距 Merge optimality gap", fmt.Sprintf("%.2f%% (cost %.0f, lower bound %.0f)", 100*lay.Merges.Gap, lay.Merges.Cost, lay.Merges.LowerBound), "Lagrangian lower bound"},
	}
	for _, s := range lay.Standards {
		rows = append(rows, [3]string{"标准 " + s.NameZH + " " + s.Name, s.Value, s.Source})
	}
	for _, w := range lay.Warnings {
		rows = append(rows, [3]string{"说明 Note", w, ""})
	}
	return rows
}
