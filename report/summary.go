package report

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/forecast"
)

// summaryColumns are the widths of the summary sheet's table columns A–J.
var summaryWidths = []float64{40, 16, 12, 12, 12, 14, 12, 12, 14, 12}

// Placement of the summary sheet's charts, map and chart data.
const (
	chartColumn     = "L"
	chartDataColumn = 26 // column Z
	chartWidth      = 760
	chartHeight     = 340
)

// summaryLevels returns the levels the city forecast has, in data.Levels
// order.
func summaryLevels(res *forecast.Result) []data.Level {
	var out []data.Level
	for _, l := range data.Levels {
		for _, y := range res.City.Years {
			if y.Level(l) != nil {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

// KeyYears returns the years the summary reports: 2025, 2030 and 2035 where
// the forecast has them, and the target year; the first, middle and last
// forecast years when it has none of them.
func KeyYears(res *forecast.Result, target int) []int {
	var out []int
	for _, y := range []int{2025, 2030, 2035, target} {
		if slices.Contains(res.Years, y) && !slices.Contains(out, y) {
			out = append(out, y)
		}
	}
	if len(out) == 0 && len(res.Years) > 0 {
		n := len(res.Years)
		out = []int{res.Years[0]}
		if n > 2 {
			out = append(out, res.Years[n/2])
		}
		if n > 1 {
			out = append(out, res.Years[n-1])
		}
	}
	slices.Sort(out)
	return out
}

// sheetWriter writes cells of a sheet that is not streamed (the summary,
// which carries charts and a picture), one row at a time.
type sheetWriter struct {
	f     *excelize.File
	st    *styles
	sheet string
	row   int
	err   error
}

// put writes values from column A of the next row with the given formats
// (the last format repeats); text is always stored as text.
func (w *sheetWriter) put(formats []Format, values ...any) {
	w.row++
	w.putAt(1, w.row, formats, values...)
}

func (w *sheetWriter) putAt(col, row int, formats []Format, values ...any) {
	if w.err != nil {
		return
	}
	for i, v := range values {
		if v == nil {
			continue
		}
		cell, err := excelize.CoordinatesToCellName(col+i, row)
		if err != nil {
			w.err = err
			return
		}
		if s, ok := v.(string); ok {
			w.err = w.f.SetCellStr(w.sheet, cell, safeText(s))
		} else {
			w.err = w.f.SetCellValue(w.sheet, cell, v)
		}
		if w.err != nil {
			return
		}
		fm := Text
		if len(formats) > 0 {
			fm = formats[min(i, len(formats)-1)]
		}
		if w.err = w.f.SetCellStyle(w.sheet, cell, cell, w.st.byFormat[fm]); w.err != nil {
			return
		}
	}
}

// heading writes a bold section heading with a blank row before it.
func (w *sheetWriter) heading(text string) {
	w.row += 2
	w.styled(1, w.row, w.st.title, text)
}

// header writes a table header row in the header style.
func (w *sheetWriter) header(cols ...string) {
	w.row++
	for i, c := range cols {
		w.styled(1+i, w.row, w.st.header, c)
	}
	if w.err == nil {
		w.err = w.f.SetRowHeight(w.sheet, w.row, 32)
	}
}

func (w *sheetWriter) styled(col, row, style int, text string) {
	if w.err != nil {
		return
	}
	cell, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		w.err = err
		return
	}
	if w.err = w.f.SetCellStr(w.sheet, cell, safeText(text)); w.err == nil {
		w.err = w.f.SetCellStyle(w.sheet, cell, cell, style)
	}
}

// summarySheet writes the 概览 sheet: basics, key figures by level for the
// key years, proposal counts, before/after indicators, a chart of pupils by
// level with the P10–P90 band, a chart of classrooms needed against
// available and the map.
func summarySheet(f *excelize.File, st *styles, p *Plan) error {
	if _, err := f.NewSheet(SheetSummary); err != nil {
		return err
	}
	res, lay := p.Forecast, p.Layout
	w := &sheetWriter{f: f, st: st, sheet: SheetSummary}
	for i, width := range summaryWidths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(SheetSummary, col, col, width); err != nil {
			return err
		}
	}
	w.row = 1
	w.styled(1, 1, st.title, p.title("概览", "Summary"))

	w.heading("基本信息 Basics")
	basis := "P50 中位数 median"
	if lay.Safe {
		basis = "P90 保守 safe"
	}
	synthetic := "否 no"
	if res.Synthetic {
		synthetic = "是 yes — 合成示例数据，非真实统计 / synthetic sample data, not real statistics"
	}
	for _, kv := range [][2]string{
		{"情景 Scenario", res.Scenario.Name + " — " + res.Scenario.Description},
		{"数据 Dataset", res.Source},
		{"合成数据 Synthetic", synthetic},
		{"基年 Base year", fmt.Sprint(res.BaseYear)},
		{"规划目标年 Target year", fmt.Sprint(lay.TargetYear)},
		{"模拟次数 Draws / 种子 Seed", fmt.Sprintf("%d / %d", res.Draws, res.Seed)},
		{"规划依据 Planned on", basis},
		{"版本 Version", p.Meta.Version + " " + p.Meta.Commit},
	} {
		w.put(nil, kv[0], kv[1])
	}
	if len(p.Alternatives) > 0 {
		var names []string
		for _, a := range p.Alternatives {
			names = append(names, a.Forecast.Scenario.Name)
		}
		w.put(nil, "比较情景 Compared scenarios", strings.Join(names, ", ")+" — 见 see "+SheetComparison)
	}

	levels := summaryLevels(res)
	w.heading("主要指标（全市）Key figures (city)")
	w.header("年份\nYear", "学段\nLevel", "学生P10\nPupils P10", "学生P50\nPupils P50", "学生P90\nPupils P90",
		"所需班数P50\nClasses P50", "学位\nSeats", "利用率P50\nUtilisation", "所需教师P50\nTeachers P50", "现有教师\nTeachers now")
	for _, y := range KeyYears(res, lay.TargetYear) {
		cy := res.City.Year(y)
		if cy == nil {
			continue
		}
		for _, l := range levels {
			lf := cy.Level(l)
			if lf == nil {
				continue
			}
			w.put([]Format{Year, Text, Integer, Integer, Integer, Integer, Integer, Percent, Integer, Integer},
				y, l.Label()+" "+string(l), lf.Pupils.P10, lf.Pupils.P50, lf.Pupils.P90, lf.Classes.P50, lf.Seats,
				lf.Utilisation.P50, lf.TeachersNeeded.P50, lf.TeachersPresent)
		}
	}

	w.heading("方案数量 Proposals")
	w.header("方案\nProposal", "数量\nCount", "工作表\nSheet")
	for _, c := range ProposalCounts(p) {
		w.put([]Format{Text, Integer, Text}, c.ZH+" "+c.EN, c.Count, c.Sheet)
	}

	w.heading(fmt.Sprintf("%d年现状与方案 Before and after, %d", lay.TargetYear, lay.TargetYear))
	w.header("学段\nLevel", "学生\nPupils", "未满足 现状\nUnmet before", "未满足 方案\nUnmet after",
		"百人以下学校 现状\n<100 before", "百人以下学校 方案\n<100 after", "大班额 现状\nOversized before",
		"大班额 方案\nOversized after", "利用率 现状\nUtil. before", "利用率 方案\nUtil. after")
	for i := range lay.After {
		if i >= len(lay.Before) {
			break
		}
		b, a := lay.Before[i], lay.After[i]
		w.put([]Format{Text, Integer, Integer, Integer, Integer, Integer, Integer, Integer, Percent, Percent},
			a.Level.Label()+" "+string(a.Level), a.Pupils, b.Unmet, a.Unmet, b.SchoolsUnder100, a.SchoolsUnder100,
			b.OversizedClasses, a.OversizedClasses, b.Utilisation, a.Utilisation)
	}
	w.row++
	w.put(nil, "详见各工作表；每条方案均附理由。See the sheets that follow; every proposal row gives its reason.")
	if w.err != nil {
		return w.err
	}
	if err := summaryCharts(w, p, levels); err != nil {
		return fmt.Errorf("charts: %w", err)
	}
	if err := summaryPage(f, w.row); err != nil {
		return fmt.Errorf("page setup: %w", err)
	}
	if len(p.Map) > 0 {
		cell := fmt.Sprintf("%s%d", chartColumn, 43)
		if err := f.AddPictureFromBytes(SheetSummary, cell, &excelize.Picture{
			Extension: ".png", File: p.Map,
			Format: &excelize.GraphicOptions{AltText: "布局方案图 layout map", ScaleX: 0.6, ScaleY: 0.6, Positioning: "oneCell"},
		}); err != nil {
			return fmt.Errorf("map picture: %w", err)
		}
	}
	return nil
}

// levelColours are the series colours of the levels in the charts and the
// map.
var levelColours = map[data.Level]string{
	data.LevelKindergarten: "E377C2",
	data.LevelPrimary:      "1F77B4",
	data.LevelMiddle:       "2CA02C",
	data.LevelHigh:         "FF7F0E",
}

// summaryCharts writes the chart data to the right of the summary tables
// and adds the two charts that plot it.
func summaryCharts(w *sheetWriter, p *Plan, levels []data.Level) error {
	res := p.Forecast
	col0 := chartDataColumn
	ref := func(col, row int) string {
		c, _ := excelize.CoordinatesToCellName(col, row, true)
		return fmt.Sprintf("'%s'!%s", SheetSummary, c)
	}
	// Pupils by level and year: Year, then P10, P50, P90 per level.
	top := 3
	w.styled(col0, top-1, w.st.title, "图表数据 Chart data")
	w.styled(col0, top, w.st.header, "年份 Year")
	for i, l := range levels {
		for j, q := range []string{"P10", "P50", "P90"} {
			w.styled(col0+1+3*i+j, top, w.st.header, l.Label()+" "+q)
		}
	}
	years := res.City.Years
	for r, y := range years {
		row := top + 1 + r
		vals := []any{y.Year}
		for _, l := range levels {
			if lf := y.Level(l); lf != nil {
				vals = append(vals, lf.Pupils.P10, lf.Pupils.P50, lf.Pupils.P90)
			} else {
				vals = append(vals, nil, nil, nil)
			}
		}
		w.putAt(col0, row, []Format{Year, Integer}, vals...)
	}
	if w.err != nil {
		return w.err
	}
	last := top + len(years)
	pupils := &excelize.Chart{
		Type:      excelize.Line,
		Dimension: excelize.ChartDimension{Width: chartWidth, Height: chartHeight},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "全市在校生预测（实线P50，虚线P10–P90）City pupils by level: P50, dashed P10–P90 band"}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "#,##0"}},
		XAxis:     excelize.ChartAxis{TickLabelSkip: 1},
	}
	for i, l := range levels {
		colour := levelColours[l]
		for j, q := range []string{"P10", "P50", "P90"} {
			c := col0 + 1 + 3*i + j
			s := excelize.ChartSeries{
				Name:       ref(c, top),
				Categories: ref(col0, top+1) + ":" + absCell(col0, last),
				Values:     ref(c, top+1) + ":" + absCell(c, last),
				Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colour}},
				Line:       excelize.LineOptions{Width: 2.25},
				Marker:     excelize.ChartMarker{Symbol: "none"},
			}
			if q != "P50" {
				s.Line = excelize.LineOptions{Width: 1, Dash: excelize.LineDashDash}
			}
			pupils.Series = append(pupils.Series, s)
		}
	}
	if err := w.f.AddChart(SheetSummary, chartColumn+"3", pupils); err != nil {
		return err
	}

	// Classrooms by level: needed in the target year (P50, P90), now and
	// after the plan.
	top2 := last + 3
	w.styled(col0, top2, w.st.header, "学段 Level")
	heads := []string{
		fmt.Sprintf("%d年所需班数P50 classes needed P50", p.Layout.TargetYear),
		fmt.Sprintf("%d年所需班数P90 classes needed P90", p.Layout.TargetYear),
		"现有教室（学位÷标准班额）classrooms now (seats ÷ class size)",
		"方案后教室 classrooms after the plan",
	}
	for j, h := range heads {
		w.styled(col0+1+j, top2, w.st.header, h)
	}
	after := map[data.Level]int{}
	for _, r := range p.Layout.Reallocation {
		for _, s := range r.Schools {
			after[r.Level] += s.Classrooms
		}
	}
	target := res.City.Year(p.Layout.TargetYear)
	if target == nil && len(res.City.Years) > 0 {
		target = &res.City.Years[len(res.City.Years)-1]
	}
	n := 0
	for _, l := range levels {
		if target == nil {
			break
		}
		lf := target.Level(l)
		if lf == nil {
			continue
		}
		n++
		now := 0.0
		if size := classSize(res.Scenario.ClassSize, l); size > 0 {
			now = math.Round(lf.Seats / size)
		}
		var afterRooms any
		if v, ok := after[l]; ok {
			afterRooms = v
		}
		w.putAt(col0, top2+n, []Format{Text, Integer}, l.Label()+" "+string(l), math.Ceil(lf.Classes.P50), math.Ceil(lf.Classes.P90), now, afterRooms)
	}
	if w.err != nil {
		return w.err
	}
	rooms := &excelize.Chart{
		Type:      excelize.Col,
		Dimension: excelize.ChartDimension{Width: chartWidth, Height: chartHeight},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: fmt.Sprintf("%d年所需班数与可用教室 Classes needed vs classrooms available, %d", p.Layout.TargetYear, p.Layout.TargetYear)}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "#,##0"}},
	}
	colours := []string{"4472C4", "8FAADC", "A5A5A5", "70AD47"}
	for j := range heads {
		c := col0 + 1 + j
		rooms.Series = append(rooms.Series, excelize.ChartSeries{
			Name:       ref(c, top2),
			Categories: ref(col0, top2+1) + ":" + absCell(col0, top2+max(n, 1)),
			Values:     ref(c, top2+1) + ":" + absCell(c, top2+max(n, 1)),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colours[j]}},
		})
	}
	return w.f.AddChart(SheetSummary, fmt.Sprintf("%s%d", chartColumn, 23), rooms)
}

func absCell(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row, true)
	return c
}

// classSize returns the scenario's standard class size of level l.
func classSize(cs forecast.ClassSizes, l data.Level) float64 {
	switch l {
	case data.LevelKindergarten:
		return cs.Kindergarten
	case data.LevelPrimary:
		return cs.Primary
	case data.LevelMiddle:
		return cs.Middle
	}
	return cs.High
}

// ProposalCount is the number of proposals of one kind in a plan.
type ProposalCount struct {
	Kind  string `json:"kind"`
	ZH    string `json:"zh"`
	EN    string `json:"en"`
	Count int    `json:"count"`
	Sheet string `json:"sheet"`
}

// ProposalCounts counts the plan's proposals and warnings by kind, in the
// order the summary shows them.
func ProposalCounts(p *Plan) []ProposalCount {
	lay, res := p.Layout, p.Forecast
	moves, unmetAreas := 0, 0
	for _, r := range lay.Reallocation {
		moves += len(r.Moves)
		unmetAreas += len(r.Short)
	}
	movable := 0
	for _, s := range lay.TeacherShifts {
		movable += s.Movable
	}
	sev := map[forecast.Severity]int{}
	for _, w := range res.FirstWarnings {
		sev[w.Severity]++
	}
	return []ProposalCount{
		{"merges", "撤并学校", "schools merged", len(lay.Merges.Proposals), SheetMerges},
		{"conversions", "九年一贯制改建候选", "nine-year conversion candidates", len(lay.Conversions), SheetConversions},
		{"schedules", "班级调整计划", "classroom schedules", len(lay.Schedules), SheetSchedule},
		{"zone_changes", "学区调整", "zone changes", moves, SheetReallocation},
		{"unmet_areas", "学位未满足片区", "areas with unmet demand", unmetAreas, SheetReallocation},
		{"new_schools", "新建学校", "new schools", len(lay.NewSchools), SheetNewSchools},
		{"expansions", "扩建学校", "schools expanded", len(lay.Expansions), SheetNewSchools},
		{"reuses", "闲置校舍改幼儿园", "closed buildings reused as kindergartens", len(lay.Reuses), SheetNewSchools},
		{"teachers_movable", "可调剂小学教师（累计）", "primary teachers movable to middle schools (sum over years)", movable, SheetTeachers},
		{"warnings_red", "红色预警（首次）", "red warnings (first appearance)", sev[forecast.Red], SheetWarnings},
		{"warnings_amber", "黄色预警（首次）", "amber warnings (first appearance)", sev[forecast.Amber], SheetWarnings},
	}
}

// summaryPage prints the summary on one landscape A3 page: the tables, the
// charts and the map, without the chart data to their right.
func summaryPage(f *excelize.File, lastRow int) error {
	orientation, size := "landscape", 8 // A3
	fit := 1
	if err := f.SetPageLayout(SheetSummary, &excelize.PageLayoutOptions{
		Orientation: &orientation, Size: &size, FitToWidth: &fit, FitToHeight: &fit,
	}); err != nil {
		return err
	}
	if err := f.SetSheetProps(SheetSummary, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Area", Scope: SheetSummary,
		RefersTo: fmt.Sprintf("'%s'!$A$1:$X$%d", SheetSummary, max(lastRow, summaryPrintRows)),
	})
}

// summaryPrintRows is the depth of the summary's printed area: the charts
// and the map end above it.
const summaryPrintRows = 80
