package report

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/seatplan/seatplan/forecast"
	"github.com/seatplan/seatplan/internal/workbook"
)

// Sheet names of the forecast workbook (DESIGN.md §4).
const (
	SheetCountyForecast = "区县预测"
	SheetSchoolForecast = "学校预测"
	SheetWarnings       = "预警"
	SheetAssumptions    = "参数"
)

const syntheticNote = "（合成示例数据，非真实统计 / synthetic sample data, not real statistics）"

// WriteForecastWorkbook writes the forecast to w as a workbook with the
// county forecast, the school forecast, the warnings and the assumptions.
// It stops with ctx's error soon after ctx is done.
func WriteForecastWorkbook(ctx context.Context, w io.Writer, res *forecast.Result, meta Meta) error {
	f, closeBook, err := workbook.New(ctx)
	if err != nil {
		return fmt.Errorf("forecast workbook: %w", err)
	}
	defer closeBook()
	st, err := newStyles(ctx, f)
	if err != nil {
		return fmt.Errorf("forecast workbook: %w", err)
	}
	title := func(zh, en string) string {
		t := fmt.Sprintf("%s %s — %s, %s", zh, en, res.Scenario.Name, res.Source)
		if res.Synthetic {
			t += " " + syntheticNote
		}
		return t
	}
	steps := []struct {
		name  string
		write func() error
	}{
		{SheetCountyForecast, func() error {
			return countySheet(f, st, SheetCountyForecast, title("区县预测", "County forecast"), res)
		}},
		{SheetSchoolForecast, func() error { return schoolSheet(f, st, title("学校预测", "School forecast"), res) }},
		{SheetWarnings, func() error { return warningSheet(f, st, SheetWarnings, title("预警", "Warnings"), res.Warnings) }},
		{SheetAssumptions, func() error {
			return assumptionSheet(f, st, SheetAssumptions, title("参数", "Assumptions and provenance"), res, meta, nil)
		}},
	}
	for _, s := range steps {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("forecast workbook: %w", err)
		}
		if err := s.write(); err != nil {
			return fmt.Errorf("forecast workbook sheet %s: %w", s.name, err)
		}
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		return fmt.Errorf("forecast workbook: %w", err)
	}
	f.SetActiveSheet(0)
	if err := workbook.Write(ctx, w, f); err != nil {
		return fmt.Errorf("forecast workbook: %w", err)
	}
	return nil
}

var countyColumns = []Column{
	{ZH: "区县", EN: "County", Width: 22},
	{ZH: "年份", EN: "Year", Format: Year, Width: 8},
	{ZH: "学段", EN: "Level", Width: 16},
	{ZH: "学生P10", EN: "Pupils P10", Format: Integer},
	{ZH: "学生P50", EN: "Pupils P50", Format: Integer},
	{ZH: "学生P90", EN: "Pupils P90", Format: Integer},
	{ZH: "所需班数P50", EN: "Classes needed P50", Format: Integer},
	{ZH: "学位", EN: "Seats", Format: Integer},
	{ZH: "学位利用率P50", EN: "Utilisation P50", Format: Percent},
	{ZH: "所需教师P50", EN: "Teachers needed P50", Format: Integer},
	{ZH: "现有教师", EN: "Teachers present", Format: Integer},
	{ZH: "千人学生数P50", EN: "Pupils per 1,000 P50", Format: Decimal1},
	{ZH: "千人学位数", EN: "Seats per 1,000", Format: Decimal1},
	{ZH: "常住人口P50", EN: "Residents P50", Format: Integer},
	{ZH: "出生P50", EN: "Births P50", Format: Integer},
}

func countySheet(f *excelize.File, st *styles, sheet, title string, res *forecast.Result) error {
	t, err := newTable(f, st, sheet, title, countyColumns)
	if err != nil {
		return err
	}
	counties := append([]forecast.CountyForecast{res.City}, res.Counties...)
	for ci, c := range counties {
		name := c.County
		if ci == 0 {
			name = "全市 City"
		}
		for _, y := range c.Years {
			for _, l := range y.Levels {
				err := t.add(name, y.Year, l.Level.Label()+" "+string(l.Level),
					l.Pupils.P10, l.Pupils.P50, l.Pupils.P90, l.Classes.P50, l.Seats, l.Utilisation.P50,
					l.TeachersNeeded.P50, l.TeachersPresent, l.PupilsPer1000.P50, l.SeatsPer1000.P50,
					y.Residents.P50, y.Births.P50)
				if err != nil {
					return err
				}
			}
		}
	}
	return t.close()
}

var schoolColumns = []Column{
	{ZH: "学校编码", EN: "School ID", Width: 12},
	{ZH: "学校名称", EN: "School", Width: 28},
	{ZH: "区县", EN: "County", Width: 14},
	{ZH: "乡镇", EN: "Township", Width: 14},
	{ZH: "类型", EN: "Type", Width: 16},
	{ZH: "年份", EN: "Year", Format: Year, Width: 8},
	{ZH: "学生P10", EN: "Pupils P10", Format: Integer},
	{ZH: "学生P50", EN: "Pupils P50", Format: Integer},
	{ZH: "学生P90", EN: "Pupils P90", Format: Integer},
	{ZH: "所需班数P50", EN: "Classes needed P50", Format: Integer},
	{ZH: "教室", EN: "Classrooms", Format: Integer},
	{ZH: "学位", EN: "Seats", Format: Integer},
	{ZH: "利用率P50", EN: "Utilisation P50", Format: Percent},
	{ZH: "平均班额", EN: "Average class size", Format: Decimal1},
	{ZH: "预警", EN: "Warnings", Width: 30},
}

func schoolSheet(f *excelize.File, st *styles, title string, res *forecast.Result) error {
	t, err := newTable(f, st, SheetSchoolForecast, title, schoolColumns)
	if err != nil {
		return err
	}
	for _, s := range res.Schools {
		for _, y := range s.Years {
			var w []string
			for _, k := range y.Warnings {
				w = append(w, k.Label())
			}
			err := t.add(s.SchoolID, s.Name, s.County, s.Township, s.Type.Label(), y.Year,
				y.Pupils.P10, y.Pupils.P50, y.Pupils.P90, y.Classes.P50, s.Classrooms, s.Capacity,
				y.Utilisation.P50, y.ClassSize, strings.Join(w, "、"))
			if err != nil {
				return err
			}
		}
	}
	return t.close()
}

var warningColumns = []Column{
	{ZH: "年份", EN: "Year", Format: Year, Width: 8},
	{ZH: "首次出现", EN: "First year", Format: Year, Width: 10},
	{ZH: "等级", EN: "Severity", Width: 10},
	{ZH: "预警类型", EN: "Kind", Width: 22},
	{ZH: "区县", EN: "County", Width: 14},
	{ZH: "学校编码", EN: "School ID", Width: 12},
	{ZH: "学校名称", EN: "School", Width: 28},
	{ZH: "学段", EN: "Level", Width: 16},
	{ZH: "指标值", EN: "Value", Format: Decimal1},
	{ZH: "阈值", EN: "Threshold", Format: Decimal1},
	{ZH: "说明", EN: "Message (中文)", Width: 60},
	{ZH: "Message", EN: "Message (English)", Width: 60},
}

func warningSheet(f *excelize.File, st *styles, sheet, title string, ws []forecast.Warning) error {
	t, err := newTable(f, st, sheet, title, warningColumns)
	if err != nil {
		return err
	}
	for _, w := range ws {
		sev := map[int]int{}
		switch w.Severity {
		case forecast.Red:
			sev[2] = st.red
		case forecast.Amber:
			sev[2] = st.amber
		default:
			sev[2] = st.blue
		}
		level := ""
		if w.Level != "" {
			level = w.Level.Label() + " " + string(w.Level)
		}
		err := t.addStyled(sev, w.Year, w.FirstYear, severityLabel(w.Severity), w.Kind.Label()+" "+string(w.Kind),
			w.County, w.SchoolID, w.SchoolName, level, w.Value, w.Threshold, w.MessageZH, w.MessageEN)
		if err != nil {
			return err
		}
	}
	return t.close()
}

func severityLabel(s forecast.Severity) string {
	switch s {
	case forecast.Red:
		return "红 red"
	case forecast.Amber:
		return "黄 amber"
	}
	return "蓝 " + string(s)
}

var assumptionColumns = []Column{
	{ZH: "项目", EN: "Item", Width: 34},
	{ZH: "取值", EN: "Value", Width: 70},
	{ZH: "来源", EN: "Source", Width: 50},
}

// standardSources names where each planning standard comes from (DESIGN.md §7).
var standardSources = map[string]string{
	"class_size":             "建标102-2002; 建标109-2008; 山东省2018年意见; 幼儿园工作规程",
	"large_class":            "教育部 大班额 56–65",
	"huge_class":             "教育部 超大班额 ≥ 66",
	"staffing":               "中央编办发〔2014〕72号; 教师〔2013〕1号",
	"small_school":           "国办发〔2018〕27号 (乡村小规模学校 < 100)",
	"alpha":                  "NCES Projections of Education Statistics (α = 0.4)",
	"older_birth_year_share": "9月1日入学年龄线 (1 September cut-off)",
}

// assumptionSheet writes the provenance, the scenario's parameters with
// their sources and the extra rows (item, value, source) after them.
func assumptionSheet(f *excelize.File, st *styles, sheet, title string, res *forecast.Result, meta Meta, extra [][3]string) error {
	t, err := newTable(f, st, sheet, title, assumptionColumns)
	if err != nil {
		return err
	}
	synthetic := "否 no"
	if res.Synthetic {
		synthetic = "是 yes — 合成示例数据，非真实统计 / synthetic sample data, not real statistics"
	}
	rows := [][3]string{
		{"数据 Dataset", res.Source, ""},
		{"合成数据 Synthetic", synthetic, ""},
		{"情景 Scenario", res.Scenario.Name + " — " + res.Scenario.Description, ""},
		{"随机种子 Seed", fmt.Sprint(res.Seed), "draw k uses PCG(seed, k)"},
		{"模拟次数 Draws", fmt.Sprint(res.Draws), "Monte Carlo"},
		{"基年 Base year", fmt.Sprint(res.BaseYear), "last enrolment year"},
		{"预测年份 Years", fmt.Sprintf("%d–%d", res.Years[0], res.Years[len(res.Years)-1]), ""},
		{"版本 Version", meta.Version + " " + meta.Commit + " " + meta.GoVersion, ""},
		{"命令 Command", meta.Command, ""},
	}
	for _, in := range meta.Inputs {
		rows = append(rows, [3]string{"输入文件 Input " + in.Name, fmt.Sprintf("%d bytes, sha256 %s", in.Bytes, in.SHA256), ""})
	}
	for _, n := range res.Notes {
		rows = append(rows, [3]string{"说明 Note", n, ""})
	}
	params, err := flattenScenario(res.Scenario)
	if err != nil {
		return err
	}
	for _, p := range params {
		src := ""
		for k, v := range standardSources {
			if p[0] == k || strings.HasPrefix(p[0], k+".") {
				src = v
			}
		}
		rows = append(rows, [3]string{"参数 " + p[0], p[1], src})
	}
	rows = append(rows, extra...)
	for _, r := range rows {
		if err := t.add(r[0], r[1], r[2]); err != nil {
			return err
		}
	}
	return t.close()
}

// flattenScenario lists the scenario's parameters as dotted keys and JSON
// values, sorted by key.
func flattenScenario(sc forecast.Scenario) ([][2]string, error) {
	b, err := json.Marshal(sc)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	var out [][2]string
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		if mm, ok := v.(map[string]any); ok {
			for k, x := range mm {
				walk(strings.TrimPrefix(prefix+"."+k, "."), x)
			}
			return
		}
		b, _ := json.Marshal(v)
		out = append(out, [2]string{prefix, string(b)})
	}
	walk("", m)
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out, nil
}

// WriteJSON writes v to w as indented JSON.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("json: %w", err)
	}
	return nil
}
