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
	fmt.Fprintf(&b, `
## Limits

Damaged or hostile files stop with a located error (exit status 2) instead of filling memory. CSV files are read
as a stream: a file may hold at most %s (%s unzipped for `+"`.csv.gz`"+`) and a line or a row at most %s (a longer
one is usually an unclosed quote); a NUL byte means UTF-16 "Unicode text" or a binary file, not CSV; UTF-8 and GBK
text mixed in one file is refused. A workbook may hold %d parts and unzip to at most %s in all; its XML parts besides worksheets to
%s and %d elements each, shared strings to %s and %d strings, parts held in memory (all but large worksheets) to %s together. A
sheet holds at most %d columns, %d rows and %d cells with values: Excel's last row, %d, must stay empty, as Excel
cuts a longer table off there (give such a table as a CSV file). A cell holds at most %s of text and %s of XML; elements nest at most
%d deep.
`, size(maxInputFile), size(maxGzip), size(maxCSVLine), maxParts, size(xlsxUnzipLimit), size(xlsxUnzipXMLLimit),
		maxPartElements, size(xlsxSharedStringsLimit), maxSharedStrings, size(xlsxInMemoryLimit), maxSheetColumns, maxSheetRows-1,
		maxSheetCells, maxSheetRows, size(maxXMLText), size(maxCellXML), maxXMLDepth)
	return b.String()
}

// size writes a limit in bytes as GiB or MiB.
func size(n int64) string {
	if n%(1<<30) == 0 {
		return fmt.Sprintf("%d GiB", n>>30)
	}
	return fmt.Sprintf("%d MiB", n>>20)
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
