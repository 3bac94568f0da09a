package report

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/seatplan/seatplan/forecast"
)

// SheetComparison is the sheet that puts the scenarios of a run side by
// side; the workbook has it only when a plan has alternatives.
const SheetComparison = "情景比较"

// scenarioSheet names a per-scenario copy of a sheet, within Excel's limit
// of 31 characters and without the characters it forbids.
func scenarioSheet(base, scenario string) string {
	clean := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]'`, r) {
			return '_'
		}
		return r
	}, scenario)
	name := []rune(base + "-" + clean)
	if len(name) > 31 {
		name = name[:31]
	}
	return string(name)
}

// scenarios returns the plan followed by its alternatives.
func (p *Plan) scenarios() []*Plan {
	return append([]*Plan{p}, p.Alternatives...)
}

// comparisonSheet puts the scenarios side by side: the city's pupils by
// level and key year (P50 with P10–P90), the proposal counts, the merge
// plan's gap and the target-year before/after indicators.
func comparisonSheet(f *excelize.File, st *styles, p *Plan) error {
	all := p.scenarios()
	cols := []Column{{ZH: "指标", EN: "Item", Width: 40}, {ZH: "年份", EN: "Year", Format: Year, Width: 8}, {ZH: "学段", EN: "Level", Width: 16}}
	for _, s := range all {
		name := s.Forecast.Scenario.Name
		cols = append(cols,
			Column{ZH: name + " P50", EN: s.Forecast.Scenario.Description, Format: Integer, Width: 18},
			Column{ZH: name + " P10–P90", EN: "range", Width: 20})
	}
	title := p.title("情景比较", "Scenario comparison")
	t, err := newTable(f, st, SheetComparison, title, cols)
	if err != nil {
		return err
	}
	row := func(item string, year any, level string, cells []any) error {
		return t.add(append([]any{item, year, level}, cells...)...)
	}
	for _, y := range KeyYears(p.Forecast, p.Layout.TargetYear) {
		for _, l := range summaryLevels(p.Forecast) {
			var cells []any
			for _, s := range all {
				var lf *forecast.LevelForecast
				if cy := s.Forecast.City.Year(y); cy != nil {
					lf = cy.Level(l)
				}
				if lf == nil {
					cells = append(cells, nil, nil)
					continue
				}
				cells = append(cells, lf.Pupils.P50, fmt.Sprintf("%.0f–%.0f", lf.Pupils.P10, lf.Pupils.P90))
			}
			if err := row("在校生 pupils", y, l.Label()+" "+string(l), cells); err != nil {
				return err
			}
		}
	}
	counts := make([][]ProposalCount, len(all))
	for i, s := range all {
		counts[i] = ProposalCounts(s)
	}
	for k := range counts[0] {
		var cells []any
		for i := range all {
			cells = append(cells, counts[i][k].Count, nil)
		}
		if err := row(counts[0][k].ZH+" "+counts[0][k].EN, nil, "", cells); err != nil {
			return err
		}
	}
	var gaps []any
	for _, s := range all {
		gaps = append(gaps, nil, fmt.Sprintf("%.2f%%", 100*s.Layout.Merges.Gap))
	}
	if err := row("撤并最优性差距 merge optimality gap", nil, "", gaps); err != nil {
		return err
	}
	for i, a := range p.Layout.After {
		for _, m := range []struct {
			zh  string
			get func(s *Plan) (before, after int)
		}{
			{"未满足 unmet pupils", func(s *Plan) (int, int) { return s.Layout.Before[i].Unmet, s.Layout.After[i].Unmet }},
			{"百人以下学校 schools < 100", func(s *Plan) (int, int) {
				return s.Layout.Before[i].SchoolsUnder100, s.Layout.After[i].SchoolsUnder100
			}},
			{"大班额 oversized classes", func(s *Plan) (int, int) {
				return s.Layout.Before[i].OversizedClasses, s.Layout.After[i].OversizedClasses
			}},
		} {
			var cells []any
			for _, s := range all {
				if i >= len(s.Layout.After) || i >= len(s.Layout.Before) || s.Layout.After[i].Level != a.Level {
					cells = append(cells, nil, nil)
					continue
				}
				b, af := m.get(s)
				cells = append(cells, af, fmt.Sprintf("现状 before %d", b))
			}
			if err := row(m.zh+"（方案 after）", p.Layout.TargetYear, a.Level.Label()+" "+string(a.Level), cells); err != nil {
				return err
			}
		}
	}
	return t.close()
}
