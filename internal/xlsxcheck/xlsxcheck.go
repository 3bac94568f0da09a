// Package xlsxcheck inspects a written workbook for the tests that prove
// names stay text: which cells hold text, and whether any cell or any
// worksheet part holds a formula.
package xlsxcheck

import (
	"archive/zip"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Report is what Inspect found in a workbook.
type Report struct {
	// Text counts the text cells (shared or inline strings) by value.
	Text map[string]int
	// Formulas lists every cell with a formula ("sheet!cell: formula")
	// and every <f> element in the worksheet XML ("part: …").
	Formulas []string
	// Sheets is the number of worksheet parts read.
	Sheets int
}

var formulaElement = regexp.MustCompile(`<f[ >/]`)

// Inspect reads every cell of the workbook at path and the raw XML of its
// worksheets.
func Inspect(path string) (*Report, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, fmt.Errorf("inspect %s: %w", path, err)
	}
	defer f.Close()
	rep := &Report{Text: map[string]int{}}
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh, excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("inspect %s sheet %s: %w", path, sh, err)
		}
		for r, row := range rows {
			for c, v := range row {
				cell, err := excelize.CoordinatesToCellName(c+1, r+1)
				if err != nil {
					return nil, err
				}
				formula, err := f.GetCellFormula(sh, cell)
				if err != nil {
					return nil, fmt.Errorf("inspect %s %s!%s: %w", path, sh, cell, err)
				}
				if formula != "" {
					rep.Formulas = append(rep.Formulas, fmt.Sprintf("%s!%s: %s", sh, cell, formula))
				}
				ct, err := f.GetCellType(sh, cell)
				if err != nil {
					return nil, fmt.Errorf("inspect %s %s!%s: %w", path, sh, cell, err)
				}
				if ct == excelize.CellTypeSharedString || ct == excelize.CellTypeInlineString {
					rep.Text[v]++
				}
			}
		}
	}
	z, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("inspect %s: %w", path, err)
	}
	defer z.Close()
	for _, zf := range z.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") || !strings.HasSuffix(zf.Name, ".xml") {
			continue
		}
		rep.Sheets++
		rc, err := zf.Open()
		if err != nil {
			return nil, fmt.Errorf("inspect %s %s: %w", path, zf.Name, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("inspect %s %s: %w", path, zf.Name, err)
		}
		if loc := formulaElement.FindIndex(b); loc != nil {
			rep.Formulas = append(rep.Formulas, fmt.Sprintf("%s: %s", zf.Name, b[loc[0]:min(len(b), loc[0]+120)]))
		}
	}
	return rep, nil
}
