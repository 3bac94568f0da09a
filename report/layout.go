package report

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/internal/workbook"
	"github.com/seatplan/seatplan/optimize"
)

// Sheet names of the layout workbook (DESIGN.md §4).
const (
	SheetMerges      = "撤并"
	SheetConversions = "九年一贯制"
	SheetSchedule    = "班级调整"
	SheetNewSchools  = "新建"
	SheetBalance     = "均衡"
)

// WriteLayoutWorkbook writes the layout proposals — merges, nine-year
// conversions, the classroom schedule, new schools and the before/after
// metrics — to w as a workbook. It stops with ctx's error soon after ctx
// is done.
func WriteLayoutWorkbook(ctx context.Context, w io.Writer, lay *optimize.Layout, source string, meta Meta) error {
	f, closeBook, err := workbook.New(ctx)
	if err != nil {
		return fmt.Errorf("layout workbook: %w", err)
	}
	defer closeBook()
	st, err := newStyles(ctx, f)
	if err != nil {
		return fmt.Errorf("layout workbook: %w", err)
	}
	title := func(zh, en string) string {
		t := fmt.Sprintf("%s %s — %d, %s", zh, en, lay.TargetYear, source)
		if lay.Synthetic {
			t += " " + syntheticNote
		}
		return t
	}
	steps := []struct {
		name  string
		write func() error
	}{
		{SheetMerges, func() error { return mergeSheet(f, st, SheetMerges, title("撤并", "Merges"), lay) }},
		{SheetConversions, func() error {
			return conversionSheet(f, st, SheetConversions, title("九年一贯制", "Nine-year conversions"), lay)
		}},
		{SheetSchedule, func() error {
			return scheduleSheet(f, st, SheetSchedule, title("班级调整", "Classroom schedule"), lay)
		}},
		{SheetNewSchools, func() error { return newSchoolSheet(f, st, SheetNewSchools, title("新建", "New schools"), lay) }},
		{SheetBalance, func() error { return metricsSheet(f, st, SheetBalance, title("均衡", "Before and after"), lay) }},
	}
	for _, s := range steps {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("layout workbook: %w", err)
		}
		if err := s.write(); err != nil {
			return fmt.Errorf("layout workbook sheet %s: %w", s.name, err)
		}
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		return fmt.Errorf("layout workbook: %w", err)
	}
	f.SetActiveSheet(0)
	if err := workbook.Write(ctx, w, f); err != nil {
		return fmt.Errorf("layout workbook: %w", err)
	}
	return nil
}

var mergeColumns = []Column{
	{ZH: "学校编码", EN: "School ID", Width: 12},
	{ZH: "学校名称", EN: "School", Width: 26},
	{ZH: "区县", EN: "County", Width: 12},
	{ZH: "学生", EN: "Pupils", Format: Integer},
	{ZH: "接收学校", EN: "Receivers", Width: 36},
	{ZH: "增加人·公里", EN: "Added pupil-km", Format: Decimal1},
	{ZH: "接收校需增教室", EN: "Classrooms needed", Format: Integer},
	{ZH: "年节约(元)", EN: "Annual saving (CNY)", Format: Integer},
	{ZH: "建议年份", EN: "Recommended year", Format: Year},
	{ZH: "理由", EN: "Reason (中文)", Width: 60},
	{ZH: "Reason", EN: "Reason (English)", Width: 60},
}

func mergeSheet(f *excelize.File, st *styles, sheet, title string, lay *optimize.Layout) error {
	m := &lay.Merges
	title += fmt.Sprintf(" — 成本 cost %.0f, 下界 lower bound %.0f, 差距 gap %.2f%%", m.Cost, m.LowerBound, 100*m.Gap)
	t, err := newTable(f, st, sheet, title, mergeColumns)
	if err != nil {
		return err
	}
	for _, p := range m.Proposals {
		var rs []string
		for _, r := range p.Receivers {
			rs = append(rs, fmt.Sprintf("%s %s (%d, %.1f km, %.0f min)", r.SchoolID, r.Name, r.Pupils, r.Km, r.Minutes))
		}
		if err := t.add(p.SchoolID, p.Name, p.County, p.Pupils, strings.Join(rs, "; "), p.AddedPupilKm, p.Classrooms,
			p.AnnualSaving, p.RecommendedYear, p.ReasonZH, p.Reason); err != nil {
			return err
		}
	}
	return t.close()
}

var conversionColumns = []Column{
	{ZH: "排名", EN: "Rank", Format: Integer, Width: 6},
	{ZH: "方式", EN: "Kind", Width: 14},
	{ZH: "小学", EN: "Primary ID", Width: 12},
	{ZH: "初中", EN: "Middle ID", Width: 12},
	{ZH: "名称", EN: "Name", Width: 30},
	{ZH: "区县", EN: "County", Width: 12},
	{ZH: "距离(米)", EN: "Metres", Format: Integer},
	{ZH: "目标年学生P50", EN: "Target-year pupils P50", Format: Integer},
	{ZH: "目标年学生P90", EN: "Target-year pupils P90", Format: Integer},
	{ZH: "教室", EN: "Classrooms", Format: Integer},
	{ZH: "空余教室", EN: "Spare classrooms", Format: Integer},
	{ZH: "片区内增设学段学生", EN: "Zone pupils of the added section", Format: Integer},
	{ZH: "评分", EN: "Score", Format: Decimal1},
	{ZH: "理由", EN: "Reason (中文)", Width: 60},
	{ZH: "Reason", EN: "Reason (English)", Width: 60},
}

func conversionSheet(f *excelize.File, st *styles, sheet, title string, lay *optimize.Layout) error {
	t, err := newTable(f, st, sheet, title, conversionColumns)
	if err != nil {
		return err
	}
	for _, c := range lay.Conversions {
		// Only a single site adds a section its zone's children fill.
		var zone any
		if c.Kind == "single_site" {
			zone = c.ZonePupils
		}
		if err := t.add(c.Rank, conversionKind(c.Kind), c.PrimaryID, c.MiddleID, c.Name, c.County, c.Metres, c.Pupils.P50, c.Pupils.P90,
			c.Classrooms, c.SpareClassrooms, zone, c.Score, c.ReasonZH, c.Reason); err != nil {
			return err
		}
	}
	return t.close()
}

// conversionKind labels a conversion kind in both languages.
func conversionKind(k string) string {
	switch k {
	case "single_site":
		return "单校增设学段 " + k
	case "pair":
		return "两校合并 " + k
	}
	return k
}

var scheduleColumns = []Column{
	{ZH: "学校编码", EN: "School ID", Width: 12},
	{ZH: "学校名称", EN: "School", Width: 26},
	{ZH: "区县", EN: "County", Width: 12},
	{ZH: "年份", EN: "Year", Format: Year, Width: 8},
	{ZH: "小学班数P50", EN: "Primary classes P50", Format: Decimal1},
	{ZH: "小学班数P90", EN: "Primary classes P90", Format: Decimal1},
	{ZH: "初中班数P50", EN: "Middle classes P50", Format: Decimal1},
	{ZH: "初中班数P90", EN: "Middle classes P90", Format: Decimal1},
	{ZH: "小学教室", EN: "Primary rooms", Format: Integer},
	{ZH: "初中教室", EN: "Middle rooms", Format: Integer},
	{ZH: "教室缺口", EN: "Classrooms short", Format: Integer},
	{ZH: "调整", EN: "Moves", Width: 40},
}

func scheduleSheet(f *excelize.File, st *styles, sheet, title string, lay *optimize.Layout) error {
	t, err := newTable(f, st, sheet, title, scheduleColumns)
	if err != nil {
		return err
	}
	for _, s := range lay.Schedules {
		moves := map[int][]string{}
		for _, m := range s.Moves {
			moves[m.Year] = append(moves[m.Year], m.TextZH+" / "+m.Text)
		}
		for _, y := range s.Years {
			if err := t.add(s.SchoolID, s.Name, s.County, y.Year, y.PrimaryClasses.P50, y.PrimaryClasses.P90,
				y.MiddleClasses.P50, y.MiddleClasses.P90, y.PrimaryRooms, y.MiddleRooms, y.Short, strings.Join(moves[y.Year], "; ")); err != nil {
				return err
			}
		}
	}
	return t.close()
}

var newSchoolColumns = []Column{
	{ZH: "类别", EN: "Kind", Width: 18},
	{ZH: "校址/学校", EN: "Site or school ID", Width: 14},
	{ZH: "名称", EN: "Name", Width: 26},
	{ZH: "区县", EN: "County", Width: 12},
	{ZH: "经度", EN: "Lon", Format: Decimal4},
	{ZH: "纬度", EN: "Lat", Format: Decimal4},
	{ZH: "小学学生", EN: "Primary pupils", Format: Integer},
	{ZH: "初中学生", EN: "Middle pupils", Format: Integer},
	{ZH: "高中学生", EN: "High-school pupils", Format: Integer},
	{ZH: "幼儿", EN: "Kindergarten pupils", Format: Integer},
	{ZH: "新增教室", EN: "Classrooms added", Format: Integer},
	{ZH: "建议年份", EN: "Year", Format: Year, Width: 8},
	{ZH: "理由", EN: "Reason (中文)", Width: 60},
	{ZH: "Reason", EN: "Reason (English)", Width: 60},
}

// newSchoolSheet lists new schools, then classroom expansions, then closed
// buildings reused as kindergartens: every way the plan adds seats.
func newSchoolSheet(f *excelize.File, st *styles, sheet, title string, lay *optimize.Layout) error {
	t, err := newTable(f, st, sheet, title, newSchoolColumns)
	if err != nil {
		return err
	}
	for _, n := range lay.NewSchools {
		kind := "新建学校 new school"
		switch {
		case n.Type == data.High && n.Generated:
			kind = "新建高中(生成校址) new high school, generated site"
		case n.Type == data.High:
			kind = "新建高中 new high school"
		case n.Type == data.Kindergarten && n.Generated:
			kind = "新建幼儿园(生成校址) new kindergarten, generated site"
		case n.Type == data.Kindergarten:
			kind = "新建幼儿园 new kindergarten"
		case n.Generated:
			kind = "新建(生成校址) new, generated site"
		}
		if err := t.add(kind, n.SiteID, n.Name, n.County, n.Lon, n.Lat, n.PrimaryPupils, n.MiddlePupils, n.HighPupils, n.KinderPupils, n.Classrooms,
			lay.TargetYear, n.ReasonZH, n.Reason); err != nil {
			return err
		}
	}
	for _, x := range lay.Expansions {
		if err := t.add("扩建 expansion", x.SchoolID, x.Name, x.County, nil, nil, nil, nil, nil, nil, x.Classrooms,
			lay.TargetYear, x.ReasonZH, x.Reason); err != nil {
			return err
		}
	}
	for _, r := range lay.Reuses {
		if err := t.add("闲置校舍改幼儿园 reuse", r.SchoolID, r.Name, r.County, nil, nil, nil, nil, nil, r.Served, r.Classrooms,
			r.Year, r.ReasonZH, r.Reason); err != nil {
			return err
		}
	}
	return t.close()
}

var metricsColumns = []Column{
	{ZH: "方案", EN: "Layout", Width: 14},
	{ZH: "学段", EN: "Level", Width: 16},
	{ZH: "学生", EN: "Pupils", Format: Integer},
	{ZH: "未满足", EN: "Unmet", Format: Integer},
	{ZH: "限距内比例", EN: "Within limit", Format: Percent},
	{ZH: "平均距离(公里)", EN: "Mean km", Format: Decimal1},
	{ZH: "P95距离(公里)", EN: "P95 km", Format: Decimal1},
	{ZH: "学校数", EN: "Schools", Format: Integer},
	{ZH: "百人以下学校", EN: "Schools < 100", Format: Integer},
	{ZH: "大班额班数", EN: "Oversized classes", Format: Integer},
	{ZH: "教室缺口", EN: "Classrooms short", Format: Integer},
	{ZH: "利用率", EN: "Utilisation", Format: Percent},
}

func metricsSheet(f *excelize.File, st *styles, sheet, title string, lay *optimize.Layout) error {
	t, err := newTable(f, st, sheet, title, metricsColumns)
	if err != nil {
		return err
	}
	for _, part := range []struct {
		name string
		ms   []optimize.Metrics
	}{{"现状 before", lay.Before}, {"方案 after", lay.After}} {
		for _, m := range part.ms {
			if err := t.add(part.name, m.Level.Label()+" "+string(m.Level), m.Pupils, m.Unmet, m.WithinLimitShare, m.MeanKm, m.P95Km,
				m.Schools, m.SchoolsUnder100, m.OversizedClasses, m.ClassroomsShort, m.Utilisation); err != nil {
				return err
			}
		}
	}
	return t.close()
}
