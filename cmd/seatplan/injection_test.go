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
	ds = oneCounty(ds, ds.Schools[0].County)
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

// oneCounty keeps the rows of one county, which keeps the layout quick.
func oneCounty(ds *data.Dataset, county string) *data.Dataset {
	out := &data.Dataset{Roads: ds.Roads, Source: ds.Source, Synthetic: ds.Synthetic}
	areas, schools := map[string]bool{}, map[string]bool{}
	for _, a := range ds.Areas {
		if a.County == county {
			out.Areas = append(out.Areas, a)
			areas[a.ID] = true
		}
	}
	for _, s := range ds.Schools {
		if s.County == county {
			out.Schools = append(out.Schools, s)
			schools[s.ID] = true
		}
	}
	for _, p := range ds.Population {
		if p.County == county {
			out.Population = append(out.Population, p)
		}
	}
	for _, b := range ds.Births {
		if b.County == county {
			out.Births = append(out.Births, b)
		}
	}
	for _, e := range ds.Enrolment {
		if schools[e.SchoolID] {
			out.Enrolment = append(out.Enrolment, e)
		}
	}
	for _, r := range ds.Teachers {
		if schools[r.SchoolID] {
			out.Teachers = append(out.Teachers, r)
		}
	}
	for _, z := range ds.Zones {
		if areas[z.AreaID] && schools[z.SchoolID] {
			out.Zones = append(out.Zones, z)
		}
	}
	for _, c := range ds.Candidates {
		if c.County == county {
			out.Candidates = append(out.Candidates, c)
		}
	}
	return out
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
