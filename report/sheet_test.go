package report

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestTableSheet(t *testing.T) {
	f := excelize.NewFile()
	st, err := newStyles(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	cols := []Column{{ZH: "名称", EN: "Name"}, {ZH: "学生", EN: "Pupils", Format: Integer}, {ZH: "利用率", EN: "Utilisation", Format: Percent}}
	tb, err := newTable(f, st, "学校预测", "学校预测 School forecast", cols)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3000 {
		name := "学校"
		if i == 0 {
			name = `=HYPERLINK("http://x","y")`
		}
		if err := tb.add(name, 100+i, 0.5); err != nil {
			t.Fatal(err)
		}
	}
	if err := tb.close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "t.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	g, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if v, _ := g.GetCellValue("学校预测", "B2"); v != "学生\nPupils" {
		t.Errorf("B2 = %q", v)
	}
	if v, _ := g.GetCellValue("学校预测", "B3"); v != "100" {
		t.Errorf("B3 = %q", v)
	}
	if fm, _ := g.GetCellFormula("学校预测", "A3"); fm != "" {
		t.Errorf("A3 became a formula %q", fm)
	}
	if v, _ := g.GetCellValue("学校预测", "A3"); v != `=HYPERLINK("http://x","y")` {
		t.Errorf("A3 = %q", v)
	}
	if v, _ := g.GetCellValue("学校预测", "C3"); v != "50.0%" {
		t.Errorf("C3 = %q, want 50.0%%", v)
	}
	panes, _ := g.GetPanes("学校预测")
	if !panes.Freeze || panes.YSplit != 2 {
		t.Errorf("panes = %+v, want frozen at row 2", panes)
	}
}
