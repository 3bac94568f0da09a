package report

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/seatplan/seatplan/internal/xlsxcheck"
)

// TestWorkbooksKeepFormulaLikeText renames the schools, areas and site of
// the hand-made plan (and its scenario) to text a spreadsheet would read as
// formulas, writes the plan, forecast and layout workbooks and reopens them:
// the text is in its cells exactly, and no cell is a formula.
func TestWorkbooksKeepFormulaLikeText(t *testing.T) {
	p := testPlan()
	renames := map[string]string{
		"东村小学":   `=HYPERLINK("http://x","y")`,
		"西村教学点":  "+1",
		"规划新校址":  "-2",
		"西村":     "@SUM(A1)",
		"medium": "-3",
	}
	replaceStrings(reflect.ValueOf(p), renames)
	if p.Dataset.Schools[0].Name != renames["东村小学"] || p.Forecast.Scenario.Name != "-3" {
		t.Fatalf("fixture not renamed: %q, %q", p.Dataset.Schools[0].Name, p.Forecast.Scenario.Name)
	}
	dir := t.TempDir()
	planPath, forecastPath, layoutPath := filepath.Join(dir, "p.xlsx"), filepath.Join(dir, "f.xlsx"), filepath.Join(dir, "l.xlsx")
	ctx := context.Background()
	writeFile := func(path string, write func(w io.Writer) error) {
		t.Helper()
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := write(f); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(planPath, func(w io.Writer) error { return WritePlanWorkbook(ctx, w, p) })
	writeFile(forecastPath, func(w io.Writer) error { return WriteForecastWorkbook(ctx, w, p.Forecast, p.Meta) })
	writeFile(layoutPath, func(w io.Writer) error { return WriteLayoutWorkbook(ctx, w, p.Layout, "test", p.Meta) })
	all := []string{renames["东村小学"], "+1", "-2", "@SUM(A1)"}
	for _, c := range []struct {
		path  string
		names []string
	}{
		// The summary shows the scenario as "name — description".
		{planPath, append(all, "-3 — 中方案 test")},
		{forecastPath, []string{renames["东村小学"], "+1", "-3 — 中方案 test"}},
		{layoutPath, all[:3]},
	} {
		t.Run(filepath.Base(c.path), func(t *testing.T) { checkTextCells(t, c.path, c.names) })
	}
}

// replaceStrings replaces, in place, every string reachable from v that is
// a key of renames.
func replaceStrings(v reflect.Value, renames map[string]string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			replaceStrings(v.Elem(), renames)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				replaceStrings(v.Field(i), renames)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			replaceStrings(v.Index(i), renames)
		}
	case reflect.String:
		if to, ok := renames[v.String()]; ok && v.CanSet() {
			v.SetString(to)
		}
	}
}

// checkTextCells requires each name in some text cell of the workbook as
// its exact value, no formula in any cell and no <f> element in the sheet XML.
func checkTextCells(t *testing.T, path string, names []string) {
	t.Helper()
	rep, err := xlsxcheck.Inspect(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Formulas {
		t.Errorf("formula %s", f)
	}
	for _, n := range names {
		if rep.Text[n] == 0 {
			t.Errorf("no cell holds the text %q", n)
		}
	}
	if rep.Sheets == 0 {
		t.Error("no worksheet XML found")
	}
}
