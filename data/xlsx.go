package data

import (
	"archive/zip"
	"cmp"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/seatplan/seatplan/internal/atomicfile"
)

// Unzip limits for workbooks: a zip bomb stops at these sizes instead of
// filling memory or disk.
const (
	xlsxUnzipLimit    = 1 << 30
	xlsxUnzipXMLLimit = 256 << 20
)

// infoSheets are sheets a workbook may carry besides the tables (the
// template's instructions and lists).
var infoSheets = map[string]bool{"说明": true, "instructions": true, "说明 instructions": true, "lists": true, "选项 lists": true, "选项": true}

// LoadXLSX reads a dataset from one workbook whose sheets are named after
// the tables (English name or Chinese label).
func LoadXLSX(file string) (*Dataset, []*ParseError, error) {
	return loadXLSX(context.Background(), file)
}

func loadXLSX(ctx context.Context, file string) (*Dataset, []*ParseError, error) {
	name := cleanName(file)
	p := &problems{}
	cells, err := scanXLSX(file)
	if err != nil {
		return nil, nil, &ValidationError{Problems: []*ParseError{{File: name, Err: err}}}
	}
	// Parts above the XML limit are unzipped to temporary files.
	scratch, release, err := atomicfile.TempDir(ctx, "seatplan-xlsx-*")
	if err != nil {
		return nil, nil, fmt.Errorf("load %s: %w", name, err)
	}
	defer release()
	f, err := excelize.OpenFile(file, excelize.Options{RawCellValue: true, UnzipSizeLimit: xlsxUnzipLimit, UnzipXMLSizeLimit: xlsxUnzipXMLLimit, TmpDir: scratch})
	if err != nil {
		return nil, nil, &ValidationError{Problems: []*ParseError{{File: name, Err: fmt.Errorf("cannot read workbook: %v; expected an .xlsx file saved by Excel or WPS", err)}}}
	}
	defer f.Close()
	ds := &Dataset{Source: file}
	sheets := map[string]string{}
	for i, sh := range f.GetSheetList() {
		t, ok := sheetTable(sh)
		if !ok {
			if !infoSheets[strings.ToLower(strings.TrimSpace(sh))] {
				// A damaged workbook may hold a sheet without a name.
				p.warn(cmp.Or(sh, fmt.Sprintf("sheet %d", i+1)), 0, "", "sheet ignored: not a table; expected one of %s", tableNames())
			}
			continue
		}
		if prev, dup := sheets[t.Name]; dup {
			p.add(sh, 0, "", "second sheet for table %s (also %s); expected one", t.Name, prev)
			continue
		}
		sheets[t.Name] = sh
	}
	for i := range Tables {
		t := &Tables[i]
		sh, ok := sheets[t.Name]
		if !ok {
			if t.Required {
				p.add(t.Name, 0, "", "required sheet missing; expected a sheet named %s (or %s) with the columns %s", t.Name, t.Label, t.keyList())
			}
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, nil, fmt.Errorf("load %s: %w", name, err)
		}
		src, err := sheetRows(ctx, f, sh)
		if err != nil {
			p.add(sh, 0, "", "%v", err)
			continue
		}
		for _, c := range cells[sh].merged {
			p.add(sh, c.row, src.columnName(t, c.col), "merged cells %s; expected one value in each cell (unmerge them)", c.ref)
		}
		for _, c := range cells[sh].formulas {
			p.add(sh, c.row, src.columnName(t, c.col), "formula in cell %s; expected a plain value (paste values only)", c.ref)
		}
		decodeTable(ds, t, sh, src, p)
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("load %s: %w", name, err)
	}
	return finish(ds, p)
}

// sheetTable finds the table a sheet name stands for: "schools", "学校" or
// "学校 schools".
func sheetTable(sheet string) (Table, bool) {
	for _, tok := range headerTokens(sheet) {
		if t, ok := TableByName(tok); ok {
			return t, true
		}
	}
	return Table{}, false
}

// sheetRows reads a sheet's rows with their spreadsheet row numbers.
func sheetRows(ctx context.Context, f *excelize.File, sheet string) (*sliceSource, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("cannot read sheet: %v", err)
	}
	defer rows.Close()
	src := &sliceSource{}
	n := 0
	for rows.Next() {
		n++
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("row %d: %v", n, err)
		}
		if len(cols) == 0 {
			continue
		}
		src.rows = append(src.rows, cols)
		src.nums = append(src.nums, n)
	}
	if err := rows.Error(); err != nil {
		return nil, fmt.Errorf("cannot read sheet: %v", err)
	}
	return src, nil
}

// cellRef is a located cell found by scanXLSX.
type cellRef struct {
	ref string
	row int
	col string
}

type sheetCells struct {
	formulas, merged []cellRef
}

// scanXLSX streams each worksheet's XML once to find formula cells and
// merged ranges, which excelize's row iterator does not report. It maps the
// worksheet parts to sheet names through the workbook's relationships.
func scanXLSX(file string) (map[string]sheetCells, error) {
	zr, err := zip.OpenReader(file)
	if err != nil {
		return nil, fmt.Errorf("not a readable .xlsx (zip) file: %v; expected an .xlsx workbook saved by Excel or WPS (save an .xls or password-protected workbook as .xlsx without a password)", err)
	}
	defer zr.Close()
	st, err := os.Stat(file)
	if err != nil {
		return nil, err
	}
	// excelize allocates each part's stated size before reading it, so a
	// damaged header could cost a gigabyte for a small file: refuse sizes
	// that deflate (at most about 1:1032) cannot reach from the file.
	room := 1100*uint64(st.Size()) + 1<<20
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		if f.UncompressedSize64 > room {
			return nil, fmt.Errorf("the zip directory states more data than a %d-byte file can hold; expected an undamaged .xlsx workbook (save it again in Excel or WPS)", st.Size())
		}
		room -= f.UncompressedSize64
		parts[f.Name] = f
	}
	type sheetEl struct {
		Name string `xml:"name,attr"`
		RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
	}
	var wb struct {
		Sheets []sheetEl `xml:"sheets>sheet"`
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := decodePart(parts["xl/workbook.xml"], &wb); err != nil {
		return nil, fmt.Errorf("workbook.xml: %v", err)
	}
	if err := decodePart(parts["xl/_rels/workbook.xml.rels"], &rels); err != nil {
		return nil, fmt.Errorf("workbook.xml.rels: %v", err)
	}
	target := map[string]string{}
	for _, r := range rels.Rel {
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join("xl", t)
		}
		target[r.ID] = t
	}
	out := map[string]sheetCells{}
	for _, s := range wb.Sheets {
		if _, isTable := sheetTable(s.Name); !isTable {
			continue
		}
		part := parts[target[s.RID]]
		if part == nil {
			continue
		}
		c, err := scanSheet(part)
		if err != nil {
			return nil, fmt.Errorf("sheet %s: %v", s.Name, err)
		}
		out[s.Name] = c
	}
	return out, nil
}

func decodePart(f *zip.File, v any) error {
	if f == nil {
		return errors.New("missing")
	}
	if f.UncompressedSize64 > xlsxUnzipXMLLimit {
		return fmt.Errorf("part of %d bytes; expected at most %d", f.UncompressedSize64, xlsxUnzipXMLLimit)
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(io.LimitReader(rc, xlsxUnzipXMLLimit)).Decode(v)
}

const maxReportedCells = ProblemCap + 1

func scanSheet(f *zip.File) (sheetCells, error) {
	var out sheetCells
	rc, err := f.Open()
	if err != nil {
		return out, err
	}
	defer rc.Close()
	d := xml.NewDecoder(io.LimitReader(rc, xlsxUnzipLimit))
	cur := ""
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("malformed worksheet XML: %v", err)
		}
		st, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch st.Name.Local {
		case "c":
			cur = attr(st, "r")
		case "f":
			if cur != "" && len(out.formulas) < maxReportedCells {
				out.formulas = append(out.formulas, locate(cur))
			}
		case "mergeCell":
			if ref := attr(st, "ref"); ref != "" && len(out.merged) < maxReportedCells {
				first, _, _ := strings.Cut(ref, ":")
				c := locate(first)
				c.ref = ref
				out.merged = append(out.merged, c)
			}
		}
	}
}

func attr(st xml.StartElement, name string) string {
	for _, a := range st.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// locate splits a cell reference such as "C12" into its row and column.
func locate(ref string) cellRef {
	col, row, err := excelize.SplitCellName(ref)
	if err != nil {
		return cellRef{ref: ref}
	}
	return cellRef{ref: ref, row: row, col: col}
}

// columnName names the column with letter col by its key when the sheet's
// header names a known column, else by the letter.
func (s *sliceSource) columnName(t *Table, col string) string {
	n, err := excelize.ColumnNameToNumber(col)
	if err != nil || len(s.rows) == 0 || n > len(s.rows[0]) {
		return col
	}
	if j := t.match(cleanCell(s.rows[0][n-1])); j >= 0 {
		return t.Columns[j].Key
	}
	return col
}
