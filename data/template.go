package data

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/seatplan/seatplan/internal/atomicfile"
	"github.com/seatplan/seatplan/internal/workbook"
)

// TemplateExample is the dataset whose rows fill the template: two example
// rows per table that together validate.
func TemplateExample() *Dataset {
	ds := &Dataset{
		Areas: []Area{
			{ID: "A0001", Name: "示例社区 Example community", County: "东昌府区", Township: "古楼街道", Lon: 115.986, Lat: 36.457, Urban: true, Residents: 5200, Kids: [5]int{150, 160, 320, 150, 140}, HasKids: true},
			{ID: "A0002", Name: "示例村 Example village", County: "东昌府区", Township: "沙镇", Lon: 115.81, Lat: 36.39, Residents: 830, Kids: [5]int{20, 22, 50, 24, 21}, HasKids: true},
		},
		Population: []PopulationRow{
			{County: "东昌府区", Township: "古楼街道", Year: 2024, Sex: Male, Age: 6, Persons: 412},
			{County: "东昌府区", Township: "古楼街道", Year: 2024, Sex: Female, Age: 6, Persons: 398},
		},
		Births: []BirthRow{{County: "东昌府区", Year: 2023, Births: 9800}, {County: "东昌府区", Year: 2024, Births: 10100}},
		Schools: []School{
			{ID: "S0001", Name: "示例小学 Example primary", County: "东昌府区", Township: "古楼街道", Lon: 115.99, Lat: 36.46, Type: Primary, Public: true, Classrooms: 24, MaxClassrooms: 30, Grades: GradeRange{1, 6}, PrimaryYears: 6},
			{ID: "S0002", Name: "示例九年一贯制学校 Example nine-year school", County: "东昌府区", Township: "沙镇", Lon: 115.8, Lat: 36.4, Type: NineYear, Public: true, Classrooms: 18, MaxClassrooms: 27, Grades: GradeRange{1, 9}, Boarding: true, PrimaryYears: 6},
		},
		Enrolment: []EnrolmentRow{
			{SchoolID: "S0001", Year: 2024, Grade: 1, Students: 180, Classes: 4},
			{SchoolID: "S0002", Year: 2024, Grade: 7, Students: 95, Classes: 2},
		},
		Teachers: []TeacherRow{
			{SchoolID: "S0002", Year: 2024, Level: LevelPrimary, Teachers: 14},
			{SchoolID: "S0002", Year: 2024, Level: LevelMiddle, Teachers: 11},
		},
		Zones: []Zone{
			{AreaID: "A0001", Level: LevelPrimary, SchoolID: "S0001"},
			{AreaID: "A0002", Level: LevelMiddle, SchoolID: "S0002"},
		},
		Candidates: []Candidate{
			{ID: "C01", Name: "示例校址 Example site", County: "东昌府区", Lon: 116.01, Lat: 36.47, MaxClassrooms: 36, Cost: 12000},
			{ID: "C02", Name: "示例校址二 Example site 2", County: "东昌府区", Lon: 115.95, Lat: 36.44, MaxClassrooms: 27, Cost: 9000},
		},
	}
	ds.sort()
	return ds
}

// dropLists gives the allowed values of enumerated columns.
var dropLists = map[string][]string{
	"type":          {"kindergarten", "teaching_point", "primary", "middle", "nine_year", "twelve_year", "complete_middle", "high"},
	"ownership":     {"public", "private"},
	"sex":           {"M", "F"},
	"level":         {"kindergarten", "primary", "middle", "high"},
	"grade":         {"K0", "K1", "K2", "K3", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"},
	"urban":         {"0", "1"},
	"boarding":      {"0", "1"},
	"keep":          {"0", "1"},
	"primary_years": {"6", "5"},
}

const instructionsSheet = "说明 instructions"

// WriteTemplate writes an input workbook to fill in: an instructions sheet
// in Chinese and English, then one sheet per table with bilingual headers,
// drop-down lists for enumerated columns and two example rows. It writes
// atomically: an error or ctx being done leaves path as it was.
func WriteTemplate(ctx context.Context, path string) error {
	f, closeBook, err := workbook.New(ctx)
	if err != nil {
		return fmt.Errorf("template: %w", err)
	}
	defer closeBook()
	if err := f.SetSheetName("Sheet1", instructionsSheet); err != nil {
		return fmt.Errorf("template: %w", err)
	}
	if err := writeInstructions(f); err != nil {
		return fmt.Errorf("template: %w", err)
	}
	header, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
	})
	if err != nil {
		return fmt.Errorf("template: %w", err)
	}
	ex := TemplateExample()
	for i := range Tables {
		t := &Tables[i]
		if err := templateSheet(f, ex, t, header); err != nil {
			return fmt.Errorf("template sheet %s: %w", t.Name, err)
		}
	}
	return atomicfile.WriteFile(ctx, path, func(w io.Writer) error {
		if err := workbook.Write(ctx, w, f); err != nil {
			return fmt.Errorf("template: %w", err)
		}
		return nil
	})
}

func templateSheet(f *excelize.File, ex *Dataset, t *Table, header int) error {
	if _, err := f.NewSheet(t.Name); err != nil {
		return err
	}
	for j, c := range t.Columns {
		cell, _ := excelize.CoordinatesToCellName(j+1, 1)
		if err := f.SetCellStr(t.Name, cell, c.Header()); err != nil {
			return err
		}
		col, _ := excelize.ColumnNumberToName(j + 1)
		width := float64(max(len(c.Key), 2*len([]rune(c.Label)))) + 6
		if err := f.SetColWidth(t.Name, col, col, width); err != nil {
			return err
		}
		if err := f.AddComment(t.Name, excelize.Comment{Cell: cell, Author: "seatplan", Paragraph: []excelize.RichTextRun{{Text: c.Expect}}}); err != nil {
			return err
		}
		if list, ok := dropLists[c.Key]; ok {
			dv := excelize.NewDataValidation(true)
			dv.Sqref = fmt.Sprintf("%s2:%s%d", col, col, 100000)
			if err := dv.SetDropList(list); err != nil {
				return err
			}
			dv.SetError(excelize.DataValidationErrorStyleStop, c.Key, "expected one of: "+strings.Join(list, ", "))
			if err := f.AddDataValidation(t.Name, dv); err != nil {
				return err
			}
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(t.Columns), 1)
	if err := f.SetCellStyle(t.Name, "A1", last, header); err != nil {
		return err
	}
	if err := f.SetRowHeight(t.Name, 1, 32); err != nil {
		return err
	}
	if err := f.SetPanes(t.Name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	n, rec := ex.records(t.Name)
	for i := range n {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		row := rec(i)
		if err := f.SetSheetRow(t.Name, cell, &row); err != nil {
			return err
		}
	}
	return nil
}

func writeInstructions(f *excelize.File) error {
	lines := []string{
		"seatplan 输入模板 / seatplan input template",
		"",
		"每个工作表对应一个数据表；表头可用中文或英文，列顺序不限。带 * 的表必填。示例行（第2-3行）请替换为本地数据。",
		"Each sheet is one table; headers may be Chinese or English, in any order. Tables marked * are required. Replace the example rows (rows 2-3) with your data.",
		"坐标为 WGS84 经纬度（度）。编码为文本。数值单元格请填写数值，不要填写公式（粘贴为数值）；不要合并单元格。",
		"Coordinates are WGS84 degrees. IDs are text. Enter values, not formulas (paste values only); do not merge cells.",
		"校验：seatplan validate --data 本文件.xlsx ；每个问题会给出 工作表:行:列 。",
		"Check with: seatplan validate --data this-file.xlsx ; every problem is reported as SHEET:ROW:COLUMN.",
		"",
	}
	for _, t := range Tables {
		mark := ""
		if t.Required {
			mark = " *"
		}
		lines = append(lines, fmt.Sprintf("%s %s%s — %s", t.Label, t.Name, mark, t.Purpose))
		for _, c := range t.Columns {
			req := ""
			if c.Required {
				req = "（必填 required）"
			}
			lines = append(lines, fmt.Sprintf("    %s%s: %s", c.Header(), req, c.Expect))
		}
	}
	for i, l := range lines {
		if err := f.SetCellStr(instructionsSheet, fmt.Sprintf("A%d", i+1), l); err != nil {
			return err
		}
	}
	return f.SetColWidth(instructionsSheet, "A", "A", 140)
}
