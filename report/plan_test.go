package report

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/forecast"
	"github.com/seatplan/seatplan/optimize"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func q(p10, p50, p90 float64) forecast.Quantiles {
	return forecast.Quantiles{P10: p10, P50: p50, P90: p90}
}

// testPlan is a small hand-made plan: two areas, three schools, one county,
// two forecast years, one merge, one conversion, one new school.
func testPlan() *Plan {
	ds := &data.Dataset{
		Source: "test", Synthetic: true,
		Areas: []data.Area{
			{ID: "A1", Name: "东村", County: "甲县", Township: "甲镇", Lon: 116.00, Lat: 36.40, Residents: 3000},
			{ID: "A2", Name: "西村", County: "甲县", Township: "甲镇", Lon: 115.95, Lat: 36.42, Residents: 2000},
		},
		Schools: []data.School{
			{ID: "S1", Name: "东村小学", County: "甲县", Township: "甲镇", Lon: 116.00, Lat: 36.40, Type: data.Primary, Classrooms: 12},
			{ID: "S2", Name: "西村教学点", County: "甲县", Township: "甲镇", Lon: 115.95, Lat: 36.42, Type: data.TeachingPoint, Classrooms: 3},
			{ID: "S3", Name: "甲镇中学", County: "甲县", Township: "甲镇", Lon: 116.01, Lat: 36.41, Type: data.Middle, Classrooms: 12},
		},
	}
	level := func(l data.Level, pupils forecast.Quantiles, seats, teachers float64) forecast.LevelForecast {
		return forecast.LevelForecast{Level: l, Pupils: pupils, Classes: q(pupils.P10/45, pupils.P50/45, pupils.P90/45), Seats: seats,
			Utilisation: q(pupils.P10/seats, pupils.P50/seats, pupils.P90/seats), TeachersNeeded: q(pupils.P10/19, pupils.P50/19, pupils.P90/19),
			TeachersPresent: teachers, PupilsPer1000: q(1, 2, 3), SeatsPer1000: q(4, 4, 4)}
	}
	years := []forecast.CountyYear{
		{Year: 2030, Residents: q(4900, 5000, 5100), Births: q(30, 35, 40), Levels: []forecast.LevelForecast{
			level(data.LevelPrimary, q(400, 450, 500), 675, 30), level(data.LevelMiddle, q(250, 270, 290), 600, 20)}},
		{Year: 2035, Residents: q(4700, 4800, 4950), Births: q(25, 30, 36), Levels: []forecast.LevelForecast{
			level(data.LevelPrimary, q(300, 360, 420), 675, 30), level(data.LevelMiddle, q(260, 300, 340), 600, 20)}},
	}
	res := &forecast.Result{
		Scenario: forecast.Scenario{Name: "medium", Description: "中方案 test", ClassSize: forecast.ClassSizes{Primary: 45, Middle: 50, High: 50, Kindergarten: 30}},
		Source:   "test", Synthetic: true, Draws: 40, Seed: 3, BaseYear: 2024, Years: []int{2030, 2035},
		City:     forecast.CountyForecast{County: "", Years: years},
		Counties: []forecast.CountyForecast{{County: "甲县", Years: years}},
		Areas: []forecast.AreaForecast{
			{AreaID: "A1", County: "甲县", Township: "甲镇", Years: []forecast.AreaYear{{Year: 2035, Demand: forecast.Demand{Primary: q(200, 240, 280), Middle: q(150, 180, 200)}}}},
			{AreaID: "A2", County: "甲县", Township: "甲镇", Years: []forecast.AreaYear{{Year: 2035, Demand: forecast.Demand{Primary: q(100, 120, 140), Middle: q(100, 120, 140)}}}},
		},
		Schools: []forecast.SchoolForecast{
			{SchoolID: "S1", Name: "东村小学", County: "甲县", Township: "甲镇", Type: data.Primary, Capacity: 540, Classrooms: 12, BasePupils: 420,
				Years: []forecast.SchoolYear{{Year: 2035, Pupils: q(280, 330, 380), Classes: q(7, 8, 9), Utilisation: q(0.52, 0.61, 0.7), ClassSize: 41.3}}},
			{SchoolID: "S2", Name: "西村教学点", County: "甲县", Township: "甲镇", Type: data.TeachingPoint, Capacity: 135, Classrooms: 3, BasePupils: 40,
				Years: []forecast.SchoolYear{{Year: 2035, Pupils: q(20, 30, 40), Classes: q(1, 1, 1), Utilisation: q(0.15, 0.22, 0.3), ClassSize: 10,
					Warnings: []forecast.WarningKind{forecast.SmallSchool}}}},
		},
		Warnings: []forecast.Warning{
			{Kind: forecast.SmallSchool, Severity: forecast.Amber, Year: 2035, FirstYear: 2030, County: "甲县", SchoolID: "S2", SchoolName: "西村教学点",
				Level: data.LevelPrimary, Value: 30, Threshold: 100, MessageZH: "不足100人", MessageEN: "below 100 pupils"},
		},
	}
	res.FirstWarnings = res.Warnings
	metrics := func(unmet, under100 int, util float64) []optimize.Metrics {
		return []optimize.Metrics{
			{Level: data.LevelPrimary, Pupils: 360, Unmet: unmet, WithinLimitShare: 0.95, MeanKm: 1.2, P95Km: 3.4, Schools: 2 - under100 + 1, SchoolsUnder100: under100, Utilisation: util},
			{Level: data.LevelMiddle, Pupils: 300, Schools: 1, Utilisation: 0.5, MeanKm: 2.5, P95Km: 5.1, WithinLimitShare: 1},
		}
	}
	lay := &optimize.Layout{
		BaseYear: 2024, TargetYear: 2035, Years: []int{2030, 2035}, Synthetic: true,
		Standards: []optimize.StandardRow{{Name: "standard class size", NameZH: "标准班额", Value: "30/45/50/50", Source: "建标102-2002"}},
		Merges: optimize.MergePlan{Year: 2035, Candidates: 1, Cost: 1000, LowerBound: 990, Gap: 0.01,
			Proposals: []optimize.MergeProposal{{SchoolID: "S2", Name: "西村教学点", County: "甲县", Type: data.TeachingPoint, Pupils: 30,
				Receivers:    []optimize.MergeReceiver{{SchoolID: "S1", Name: "东村小学", Pupils: 30, Km: 5.2, Minutes: 18}},
				AddedPupilKm: 156, Classrooms: 1, AnnualSaving: 250000, RecommendedYear: 2027,
				Reason: "30 pupils, receiver 5.2 km away", ReasonZH: "学生30人，接收学校5.2公里"}}},
		Reallocation: []optimize.Reallocation{{Level: data.LevelPrimary, Year: 2035, Pupils: 360, Assigned: 350, Unmet: 10, PupilKm: 400,
			Flows:   []optimize.SeatFlow{{AreaID: "A1", SchoolID: "S1", Pupils: 240, Km: 0.4, Minutes: 6}, {AreaID: "A2", SchoolID: "S1", Pupils: 110, Km: 5.2, Minutes: 18}},
			Short:   []optimize.UnmetDemand{{AreaID: "A2", Name: "西村", County: "甲县", Pupils: 10, Reason: "schools in reach are full", ReasonZH: "可达学校已满"}},
			Moves:   []optimize.ZoneChange{{AreaID: "A2", AreaName: "西村", From: "S2", To: "S1", Pupils: 110, Reason: "S2 closes", ReasonZH: "S2撤并"}},
			Schools: []optimize.SchoolCapacity{{SchoolID: "S1", Pupils: 350, Seats: 585, Classrooms: 13, ClassesNeeded: 8}}}},
		Expansions: []optimize.Expansion{{SchoolID: "S1", Name: "东村小学", County: "甲县", Classrooms: 1, ForMerges: 1, RoomsNow: 12, RoomsAfter: 13, Reason: "add 1", ReasonZH: "新增1间"}},
		Conversions: []optimize.Conversion{{Rank: 1, Kind: "pair", PrimaryID: "S1", MiddleID: "S3", Name: "东村九年一贯制学校", County: "甲县", Metres: 800,
			Pupils: optimize.Estimate{P50: 630, P90: 700}, Classrooms: 24, SpareClassrooms: 6, Score: 71.5, Reason: "800 m apart", ReasonZH: "相距800米"},
			{Rank: 2, Kind: "single_site", PrimaryID: "S9", Name: "乙村小学", County: "乙县", Pupils: optimize.Estimate{P50: 150, P90: 160},
				Classrooms: 18, SpareClassrooms: 8, ZonePupils: 120, Score: 60.2, Reason: "120 middle pupils in its zone", ReasonZH: "片区初中学生120人"}},
		Schedules: []optimize.ClassroomSchedule{{SchoolID: "S1", Name: "东村小学", County: "甲县", Classrooms: 24,
			Years: []optimize.ScheduleYear{{Year: 2030, PrimaryClasses: optimize.Estimate{P50: 10, P90: 11}, MiddleClasses: optimize.Estimate{P50: 6, P90: 7}, PrimaryRooms: 14, MiddleRooms: 10}},
			Moves: []optimize.ClassroomMove{{Year: 2030, Classrooms: 2, From: data.LevelPrimary, To: data.LevelMiddle, Text: "2 rooms primary→middle", TextZH: "2间小学教室改初中"}}}},
		TeacherShifts: []optimize.TeacherShift{{County: "甲县", Year: 2035, PrimaryNeed: 19, MiddleNeed: 22, PrimaryFreed: 4.7, MiddleExtra: 1.6, Movable: 1, Cumulative: 1,
			Reason: "1 primary teacher can move", ReasonZH: "可调剂1名小学教师到初中"}},
		NewSchools: []optimize.NewSchool{{SiteID: "C1", Name: "规划新校址", County: "甲县", Type: data.NineYear, Lon: 115.97, Lat: 36.43, PrimaryPupils: 10, Classrooms: 18,
			Reason: "10 pupils without a seat", ReasonZH: "10名学生无学位"},
			{SiteID: "GH1_2", Name: "规划新校址", County: "乙县", Type: data.High, Generated: true, Lon: 115.99, Lat: 36.44, HighPupils: 900, HighClassrooms: 18, Classrooms: 18,
				Reason: "900 high-school pupils without a seat", ReasonZH: "高中学生900人无学位"},
			{SiteID: "C2", Name: "幼儿园校址", County: "甲县", Type: data.Kindergarten, Lon: 115.96, Lat: 36.42, KinderPupils: 70, KinderClassrooms: 3, Classrooms: 3,
				Reason: "70 children without a place", ReasonZH: "幼儿70人无学位"}},
		Before: metrics(0, 1, 0.4),
		After:  metrics(10, 0, 0.6),
	}
	meta := Meta{Version: "v0.0.0-test", Commit: "abc", GoVersion: "go1.26", Command: "seatplan plan",
		Inputs: []InputFile{{Name: "areas.csv", Bytes: 10, SHA256: "00ff"}}}
	return &Plan{Dataset: ds, Forecast: res, Layout: lay, Meta: meta}
}

// goldenSheets are compared cell by cell with testdata/plan.golden; the
// assumptions sheet lists every scenario key, which changes as the
// forecast grows, so it is checked by content instead.
var goldenSheets = []string{
	SheetSummary, SheetCountyForecast, SheetSchoolForecast, SheetWarnings, SheetMerges, SheetConversions,
	SheetSchedule, SheetReallocation, SheetNewSchools, SheetTeachers, SheetBalance,
}

// dumpCells renders the formatted values of the given sheets, one row a
// line, cells separated by " | ", line breaks shown as ⏎.
func dumpCells(t *testing.T, path string, sheets []string) string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sh := range sheets {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString("== " + sh + "\n")
		for i, r := range rows {
			if len(r) == 0 {
				continue
			}
			fmt.Fprintf(&b, "%d: ", i+1)
			b.WriteString(strings.ReplaceAll(strings.Join(r, " | "), "\n", "⏎"))
			b.WriteString("\n")
		}
	}
	return b.String()
}

func TestPlanWorkbookGolden(t *testing.T) {
	p := testPlan()
	path := filepath.Join(t.TempDir(), "plan.xlsx")
	writePlanWorkbook(t, path, p)
	got := dumpCells(t, path, goldenSheets)
	golden := filepath.Join("testdata", "plan.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("workbook differs from %s at line %d:\n got %s\nwant %s\n(go test ./report -update rewrites it)", golden, i+1, g, w)
			}
		}
	}

	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := strings.Join(f.GetSheetList(), ","), strings.Join(PlanSheets(), ","); got != want {
		t.Errorf("sheets %s, want %s", got, want)
	}
	rows, err := f.GetRows(SheetAssumptions)
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, r := range rows {
		all.WriteString(strings.Join(r, "|") + "\n")
	}
	for _, want := range []string{"合成示例数据", "areas.csv", "00ff", "标准班额", "建标102-2002", "随机种子 Seed|3", "v0.0.0-test", "规划目标年 Target year|2035"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("assumptions sheet lacks %q", want)
		}
	}
	for _, sh := range PlanSheets() {
		for _, cell := range []string{"A1", "A3", "B3", "K3", "L3"} {
			if fm, _ := f.GetCellFormula(sh, cell); fm != "" {
				t.Errorf("%s!%s is a formula %q", sh, cell, fm)
			}
		}
	}
}

func TestPlanWorkbookComparesScenarios(t *testing.T) {
	p := testPlan()
	high := testPlan()
	high.Forecast.Scenario.Name = "high"
	high.Forecast.City.Years[1].Levels[0].Pupils = q(380, 420, 470)
	// Make each of the alternative's sheets differ from the plan's, so that
	// a sheet written from the wrong plan shows.
	high.Forecast.Counties = []forecast.CountyForecast{{County: "乙县", Years: high.Forecast.City.Years}}
	high.Forecast.FirstWarnings = []forecast.Warning{{Kind: forecast.SmallSchool, Severity: forecast.Red, Year: 2031, FirstYear: 2031,
		County: "乙县", SchoolID: "S9", SchoolName: "乙村教学点", Level: data.LevelPrimary, Value: 12, Threshold: 100,
		MessageZH: "不足100人", MessageEN: "below 100 pupils"}}
	high.Layout.Merges.Proposals[0].Name = "高方案撤并校"
	high.Layout.Conversions[0].Name = "高方案九年一贯制学校"
	high.Layout.Schedules[0].Years[0].PrimaryRooms = 15
	high.Layout.NewSchools = nil
	high.Layout.Expansions[0].Classrooms = 4
	high.Layout.TeacherShifts[0].County, high.Layout.TeacherShifts[0].Movable, high.Layout.TeacherShifts[0].Cumulative = "乙县", 3, 3
	high.Layout.After[0].Unmet = 0
	p.Alternatives = []*Plan{high}
	path := filepath.Join(t.TempDir(), "plan.xlsx")
	writePlanWorkbook(t, path, p)
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := append([]string{SheetSummary, SheetComparison}, PlanSheets()[1:]...)
	want = append(want, "区县预测-high", "预警-high", "撤并-high", "九年一贯制-high", "班级调整-high", "新建-high", "师资-high", "均衡-high", "参数-high")
	if got := strings.Join(f.GetSheetList(), ","); got != strings.Join(want, ",") {
		t.Errorf("sheets %s, want %s", got, strings.Join(want, ","))
	}
	if got := strings.Join(p.Sheets(), ","); got != strings.Join(want, ",") {
		t.Errorf("Plan.Sheets() = %s, want %s", got, strings.Join(want, ","))
	}
	rows, err := f.GetRows(SheetComparison)
	if err != nil {
		t.Fatal(err)
	}
	// Row 5 is 2035 primary: medium 360 (300–420), high 420 (380–470).
	if got := strings.Join(rows[4], "|"); got != "在校生 pupils|2035|小学 primary|360|300–420|420|380–470" {
		t.Errorf("comparison row 5 = %s", got)
	}
	if v, _ := f.GetCellValue(SheetComparison, "A1"); !strings.Contains(v, "合成示例数据") {
		t.Errorf("comparison title lacks the synthetic note: %q", v)
	}

	// Each alternative sheet holds the alternative's values; the plan's
	// own sheets keep the plan's.
	for _, c := range []struct {
		sheet string
		row   int // 1-based
		want  string
	}{
		{"区县预测-high", 5, "全市 City|2035|小学 primary|380|420|470"},
		{"区县预测-high", 7, "乙县|2030|小学 primary|400|450|500"},
		{"预警-high", 3, "2031|2031|红 red|小规模学校 small_school|乙县|S9|乙村教学点|小学 primary|12.0|100.0|不足100人|below 100 pupils"},
		{"撤并-high", 3, "S2|高方案撤并校|甲县|30"},
		{"九年一贯制-high", 3, "1|两校合并 pair|S1|S3|高方案九年一贯制学校|甲县"},
		{"班级调整-high", 3, "S1|东村小学|甲县|2030|10.0|11.0|6.0|7.0|15|10"},
		{"新建-high", 3, "扩建 expansion|S1|东村小学|甲县|||||||4|2035"},
		{"师资-high", 0, "|3|3|"},
		{"均衡-high", 5, "方案 after|小学 primary|360|0|"},
		{"参数-high", 0, "情景 Scenario|high — 中方案 test"},
		{SheetMerges, 3, "S2|西村教学点|甲县|30"},
		{SheetConversions, 4, "2|单校增设学段 single_site|S9||乙村小学|乙县|0|150|160|18|8|120|60.2"},
		{SheetNewSchools, 3, "新建学校 new school|C1|规划新校址|甲县"},
		{SheetNewSchools, 4, "新建高中(生成校址) new high school, generated site|GH1_2|规划新校址|乙县|115.9900|36.4400|0|0|900|0|18|2035"},
		{SheetNewSchools, 5, "新建幼儿园 new kindergarten|C2|幼儿园校址|甲县|115.9600|36.4200|0|0|0|70|3|2035"},
		{SheetBalance, 5, "方案 after|小学 primary|360|10|"},
	} {
		rows, err := f.GetRows(c.sheet)
		if err != nil {
			t.Fatal(err)
		}
		if c.row == 0 {
			// Anywhere in the sheet.
			var all strings.Builder
			for _, r := range rows {
				all.WriteString(strings.Join(r, "|") + "\n")
			}
			if !strings.Contains(all.String(), c.want) {
				t.Errorf("%s lacks %q:\n%s", c.sheet, c.want, all.String())
			}
			continue
		}
		if c.row > len(rows) {
			t.Errorf("%s has %d rows, want row %d = %s", c.sheet, len(rows), c.row, c.want)
			continue
		}
		if got := strings.Join(rows[c.row-1], "|"); !strings.HasPrefix(got, c.want) {
			t.Errorf("%s row %d = %s\nwant prefix %s", c.sheet, c.row, got, c.want)
		}
	}
	for _, sh := range p.Sheets()[len(PlanSheets())+1:] {
		if v, _ := f.GetCellValue(sh, "A1"); !strings.Contains(v, "high") || !strings.Contains(v, "合成示例数据") {
			t.Errorf("%s title does not name the scenario or say the data is synthetic: %q", sh, v)
		}
	}
	s := Summarize(p)
	if len(s.Alternatives) != 1 || s.Alternatives[0].Scenario != "high" {
		t.Errorf("JSON alternatives %+v", s.Alternatives)
	}
	if got := strings.Join(s.Sheets, ","); got != strings.Join(want, ",") {
		t.Errorf("JSON sheets %s, want %s", got, strings.Join(want, ","))
	}
}

// writePlanWorkbook writes p's workbook to path.
func writePlanWorkbook(t *testing.T, path string, p *Plan) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := WritePlanWorkbook(context.Background(), f, p); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
