package xlsxcheck

import (
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestInspect(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetCellValue("Sheet1", "A1", "=SUM(B1)"); err != nil { // text
		t.Fatal(err)
	}
	if err := f.SetCellValue("Sheet1", "B1", -2); err != nil { // a number
		t.Fatal(err)
	}
	if err := f.SetCellFormula("Sheet1", "C1", "B1*2"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "w.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	rep, err := Inspect(path)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Text["=SUM(B1)"] != 1 || rep.Text["-2"] != 0 {
		t.Errorf("text cells %v; want =SUM(B1) once and not the number -2", rep.Text)
	}
	// The formula cell and its <f> element.
	if len(rep.Formulas) != 2 || rep.Formulas[0] != "Sheet1!C1: B1*2" {
		t.Errorf("formulas %q; want Sheet1!C1 and its XML element", rep.Formulas)
	}
	if rep.Sheets != 1 {
		t.Errorf("%d worksheet parts, want 1", rep.Sheets)
	}
}
