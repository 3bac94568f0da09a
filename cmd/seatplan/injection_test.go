package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/data/sample"
	"github.com/seatplan/seatplan/internal/xlsxcheck"
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
	ds = subsetCounties(ds, []string{ds.Schools[0].County})
	for i, n := range formulaNames {
		ds.Schools[i].Name = n
		ds.Areas[i].Name = n
	}
	ds.Candidates[0].Name = formulaNames[0]
	dir := t.TempDir()
	csvDir, dataXLSX := filepath.Join(dir, "csv"), filepath.Join(dir, "data.xlsx")
	if err := data.WriteCSV(context.Background(), csvDir, ds, data.CSVOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := data.WriteXLSX(context.Background(), dataXLSX, ds); err != nil {
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
	// Both workbooks show the scenario as "name — description".
	want := append(slices.Clone(formulaNames), "-3 — =1+2")
	checkTextOnly(t, forecastXLSX, want)
	checkTextOnly(t, planXLSX, want)
}

// checkTextOnly reopens a workbook: each name must appear in some text cell
// (exactly, not as a formula), no cell may hold a formula, and the sheet XML
// may hold no <f> element.
func checkTextOnly(t *testing.T, path string, names []string) {
	t.Helper()
	rep, err := xlsxcheck.Inspect(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Formulas {
		t.Errorf("%s: formula %s", filepath.Base(path), f)
	}
	for _, n := range names {
		if rep.Text[n] == 0 {
			t.Errorf("%s: no cell holds the text %q", filepath.Base(path), n)
		}
	}
	if rep.Sheets == 0 {
		t.Errorf("%s: no worksheet XML found", filepath.Base(path))
	}
}
