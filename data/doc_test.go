package data

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// renderInputFormat renders the data contract as Markdown.
func renderInputFormat() string {
	var b strings.Builder
	b.WriteString("# Input format / 输入数据格式\n\n")
	b.WriteString("Generated from `data.Tables` (`go test ./data -run TestInputFormatDoc -update`).\n\n")
	b.WriteString("A dataset is a folder of CSV files named after the tables (`areas.csv` or `片区.csv`; `.csv.gz` also read) or one\n")
	b.WriteString("`.xlsx` workbook whose sheets carry the same names (`schools`, `学校` or `学校 schools`). CSV text may be UTF-8, with or\n")
	b.WriteString("without a byte-order mark, or GBK/GB18030, detected automatically. Headers may be the English key, the Chinese\n")
	b.WriteString("label or both (`学校编码 school_id`), in any order; unknown columns are ignored with a warning. Coordinates are WGS84\n")
	b.WriteString("degrees; IDs are text. An optional `roads.geojson` (LineStrings) in the folder gives a road network.\n\n")
	b.WriteString("In CSV, text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is written with a single quote in front\n")
	b.WriteString("(`'=HYPERLINK(…)`) so that a spreadsheet shows it as text, never as a formula; the loaders drop that one quote (a\n")
	b.WriteString("cell `'-2` in a text column reads as `-2`). Numbers are never quoted.\n\n")
	b.WriteString("Every problem is reported as `FILE-or-SHEET:ROW:COLUMN: message` with the expected value (row numbers as a\n")
	b.WriteString("spreadsheet shows them, header = row 1), all at once up to 200, then `and N more`; the exit status is 2.\n\n")
	for _, t := range Tables {
		req := "optional"
		if t.Required {
			req = "required"
		}
		fmt.Fprintf(&b, "## `%s` (%s) — %s\n\n%s\n\n", t.Name, t.Label, req, t.Purpose)
		b.WriteString("| column | 中文 | required | expected |\n|---|---|---|---|\n")
		for _, c := range t.Columns {
			r := ""
			if c.Required {
				r = "yes"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", c.Key, c.Label, r, c.Expect)
		}
		b.WriteString("\n")
	}
	b.WriteString(`## Checks

Beyond each cell's type and range: duplicate IDs; references to unknown schools, areas, counties or townships
(counties and townships are those named in ` + "`areas`" + `); grades a school does not teach; classes > students, students
without classes, more than 100 pupils per class; max_classrooms < classrooms; gaps in the years of births (per
county or township) and enrolment (per school); a zone school that does not teach the zone's level; points far
outside the region of the others (with a hint when lat and lon look swapped); formulas and merged cells in
workbooks. Warnings (printed, not fatal): unknown columns, files or sheets; schools without enrolment history;
missing population years.
`)
	return b.String()
}

func TestInputFormatDoc(t *testing.T) {
	const path = "../docs/input-format.md"
	want := renderInputFormat()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s is out of date with data.Tables; run go test ./data -run TestInputFormatDoc -update", path)
	}
}
