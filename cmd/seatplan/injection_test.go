package main

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/data/sample"
)

// formulaNames are names a spreadsheet would read as formulas if they were
// written as such.
var formulaNames = []string{`=HYPERLINK("http://x","y")`, "+1", "-2", "@SUM(A1)"}

// TestFormulaLikeNames gives schools, areas, a candidate site and the
// scenario formula-like names, writes the dataset as CSV and as a workbook,
// and runs forecast and plan on the CSV: every workbook holds the names as
// text, exactly, and no cell anywhere is a formula.
func TestFormulaLikeNames(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a forecast and the whole layout on the sample")
	}
	ds, _, err := sample.Load()
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range formulaNames {
		ds.Schools[i].Name = n
		ds.Areas[i].Name = n
	}
	ds.Candidates[0].Name = formulaNames[0]
	dir := t.TempDir()
	csvDir, dataXLSX := filepath.Join(dir, "csv"), filepath.Join(dir, "data.xlsx")
	if err := data.WriteCSV(csvDir, ds, data.CSVOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := data.WriteXLSX(dataXLSX, ds); err != nil {
		t.Fatal(err)
	}
	checkTextOnly(t, dataXLSX, formulaNames)

	scenario := filepath.Join(dir, "s.toml")
	if err := os.WriteFile(scenario, []byte("name = \"-3\"\ndescription = \"=1+2\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	forecastXLSX, planXLSX := filepath.Join(dir, "forecast.xlsx"), filepath.Join(dir, "plan.xlsx")
	for _, args := range [][]string{
		{"forecast", "--data", csvDir, "--scenario", scenario, "--draws", "20", "-o", forecastXLSX},
		{"plan", "--data", csvDir, "--scenario", scenario, "--draws", "20", "--seed", "3", "-o", planXLSX},
	} {
		if code, _, stderr := runCmd(t, args...); code != exitOK {
			t.Fatalf("%s: exit %d:\n%s", args[0], code, stderr)
		}
	}
	// The forecast workbook shows the scenario as "name — description",
	// the plan workbook's parameters its name alone.
	checkTextOnly(t, forecastXLSX, append(slices.Clone(formulaNames), "-3 — =1+2"))
	checkTextOnly(t, planXLSX, append(slices.Clone(formulaNames), "-3"))
}

// checkTextOnly reopens a workbook: each name must appear in some cell
// (exactly, not as a formula), no cell may hold a formula, and the sheet XML
// may hold no <f> element.
func checkTextOnly(t *testing.T, path string, names []string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	found := map[string]int{}
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if formula, err := f.GetCellFormula(sh, cell); err != nil || formula != "" {
					t.Errorf("%s %s!%s: formula %q (%v)", filepath.Base(path), sh, cell, formula, err)
				}
				for _, n := range names {
					if v == n {
						found[n]++
					}
				}
			}
		}
	}
	for _, n := range names {
		if found[n] == 0 {
			t.Errorf("%s: no cell holds the text %q", filepath.Base(path), n)
		}
	}
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	element := regexp.MustCompile(`<f[ >/]`)
	sheets := 0
	for _, zf := range z.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") || !strings.HasSuffix(zf.Name, ".xml") {
			continue
		}
		sheets++
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if loc := element.FindIndex(b); loc != nil {
			t.Errorf("%s %s holds a formula element: %s", filepath.Base(path), zf.Name, b[loc[0]:min(len(b), loc[0]+120)])
		}
	}
	if sheets == 0 {
		t.Errorf("%s: no worksheet XML found", filepath.Base(path))
	}
}
