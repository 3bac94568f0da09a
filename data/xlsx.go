package data

import (
	"archive/zip"
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/seatplan/seatplan/internal/atomicfile"
)

// Limits on workbooks, so that a damaged or hostile .xlsx stops with an
// error instead of filling memory or running for minutes. The largest
// workbook of tables Excel can hold has sheets of 1,048,575 rows; such a
// population sheet takes about 250 MB of XML, so the limits leave room for
// a few of them while a zip bomb, whose parts deflate up to 1032:1, stops
// at the total.
const (
	// xlsxUnzipLimit bounds the unzipped size of the whole workbook
	// (excelize's UnzipSizeLimit).
	xlsxUnzipLimit = 1 << 30
	// xlsxUnzipXMLLimit is the size above which excelize unzips a
	// worksheet or the shared strings to a temporary file and streams it
	// instead of holding it in memory (its UnzipXMLSizeLimit, and
	// excelize's default). Other XML parts (workbook, styles, theme …)
	// are parsed whole, so each must stay below it: an Excel workbook's
	// styles take well under a megabyte.
	xlsxUnzipXMLLimit = 16 << 20
	// maxPartElements bounds the elements of each XML part excelize
	// parses whole on opening a workbook (workbook, styles, theme, calc
	// chain, content types …), as it takes some 300 bytes of memory for
	// each. Excel keeps at most 64,000 cell formats, about 130,000
	// elements in its styles part.
	maxPartElements = 1 << 17
	// maxParts bounds the parts of a workbook, which excelize lists again
	// after archive/zip: a workbook holds a handful of parts per sheet.
	maxParts = 1 << 14
	// xlsxInMemoryLimit bounds the parts excelize reads into memory:
	// everything but worksheets and shared strings above
	// xlsxUnzipXMLLimit, including pictures.
	xlsxInMemoryLimit = 256 << 20
	// xlsxSharedStringsLimit bounds the shared strings part, which
	// excelize parses whole, and maxSharedStrings the strings in it. A
	// table's text repeats (counties, townships, school IDs): the
	// largest province's tables hold about 200,000 distinct strings.
	xlsxSharedStringsLimit = 64 << 20
	maxSharedStrings       = 1 << 20
	// maxSheetRows and maxSheetColumns are Excel's own limits. Excel cuts
	// a longer table off at its last row, so a table that reaches it was
	// most likely cut short.
	maxSheetRows    = 1_048_576
	maxSheetColumns = 16_384
	// maxSheetCells bounds the cells with values in a sheet, which the
	// loader holds while it reads the sheet: eight full columns, where
	// the longest table, population, has six.
	maxSheetCells = 8 * maxSheetRows
	// maxXMLText bounds a run of text or one tag in a worksheet: Excel
	// keeps at most 32,767 characters in a cell, under 200 KB even as
	// escaped UTF-8.
	maxXMLText = 1 << 20
	// maxCellXML bounds the XML of one cell with all its rich-text runs.
	maxCellXML = 16 << 20
	// maxXMLDepth bounds how deep elements nest; a worksheet nests about
	// eight deep.
	maxXMLDepth = 64
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
	fail := func(err error) (*Dataset, []*ParseError, error) {
		return nil, nil, &ValidationError{Problems: []*ParseError{{File: name, Err: err}}}
	}
	zr, err := zip.OpenReader(file)
	if err != nil {
		return fail(fmt.Errorf("not a readable .xlsx (zip) file: %v; expected an .xlsx workbook saved by Excel or WPS (save an .xls or password-protected workbook as .xlsx without a password)", err))
	}
	defer zr.Close()
	if err := checkParts(zr, file); err != nil {
		return fail(err)
	}
	// Parts above the XML limit are unzipped to temporary files.
	scratch, release, err := atomicfile.TempDir(ctx, "seatplan-xlsx-*")
	if err != nil {
		return nil, nil, fmt.Errorf("load %s: %w", name, err)
	}
	defer release()
	f, err := excelize.OpenFile(file, excelize.Options{RawCellValue: true, UnzipSizeLimit: xlsxUnzipLimit, UnzipXMLSizeLimit: xlsxUnzipXMLLimit, TmpDir: scratch})
	if err != nil {
		return fail(fmt.Errorf("cannot read workbook: %v; expected an .xlsx file saved by Excel or WPS, at most %d bytes unzipped", err, xlsxUnzipLimit))
	}
	defer f.Close()
	cells, err := scanXLSX(zr)
	if err != nil {
		return fail(err)
	}
	ds := &Dataset{Source: file}
	if props, err := f.GetDocProps(); err == nil && props.Title == SyntheticNotice {
		ds.Synthetic = true
	}
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
		c, checked := cells[sh]
		if !checked {
			c.err = &ParseError{Err: errors.New("the sheet is not in the workbook's list of sheets; expected an undamaged .xlsx workbook (save it again in Excel or WPS)")}
		}
		if c.err != nil {
			// The sheet is past a limit: excelize is not to read it.
			p.add(sh, c.err.Row, c.err.Column, "%v", c.err.Err)
			continue
		}
		src, err := sheetRows(ctx, f, sh)
		if err != nil {
			p.add(sh, 0, "", "%v", err)
			continue
		}
		for _, c := range c.merged {
			p.add(sh, c.row, src.columnName(t, c.col), "merged cells %s; expected one value in each cell (unmerge them)", c.ref)
		}
		for _, c := range c.formulas {
			p.add(sh, c.row, src.columnName(t, c.col), "formula in cell %s; expected a plain value (paste values only)", c.ref)
		}
		decodeTable(ds, t, sh, src, false, p)
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("load %s: %w", name, err)
	}
	return finish(ds, p)
}

// checkParts checks the sizes the zip directory states for each part
// before excelize unzips them; archive/zip refuses a part that unzips to
// more than its stated size, so the stated sizes bound the work. The
// total is left to excelize's UnzipSizeLimit.
func checkParts(zr *zip.ReadCloser, file string) error {
	st, err := os.Stat(file)
	if err != nil {
		return err
	}
	// excelize allocates each part's stated size before reading it, so a
	// damaged header could cost a gigabyte for a small file: refuse sizes
	// that deflate (at most about 1:1032) cannot reach from the file.
	room := 1100*uint64(st.Size()) + 1<<20
	if len(zr.File) > maxParts {
		return fmt.Errorf("%d parts in the zip archive; expected an .xlsx workbook of at most %d", len(zr.File), maxParts)
	}
	var inMemory uint64
	for _, f := range zr.File {
		size := f.UncompressedSize64
		if size > room {
			return fmt.Errorf("the zip directory states more data than a %d-byte file can hold; expected an undamaged .xlsx workbook (save it again in Excel or WPS)", st.Size())
		}
		room -= size
		lower := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		switch {
		case lower == "xl/sharedstrings.xml":
			if size > xlsxSharedStringsLimit {
				return fmt.Errorf("shared strings of %d bytes; expected at most %d", size, xlsxSharedStringsLimit)
			}
			if size > xlsxUnzipXMLLimit {
				continue
			}
		case strings.HasPrefix(lower, "xl/worksheets/sheet"):
			if size > xlsxUnzipXMLLimit {
				continue
			}
		case parsedPart(lower):
			if size > xlsxUnzipXMLLimit {
				return fmt.Errorf("part %s of %d bytes; expected at most %d (an Excel workbook's styles, theme and workbook parts are far smaller)", f.Name, size, xlsxUnzipXMLLimit)
			}
			if err := checkElements(f); err != nil {
				return fmt.Errorf("part %s: %w", f.Name, err)
			}
		}
		if inMemory += size; inMemory > xlsxInMemoryLimit {
			return fmt.Errorf("parts besides the worksheets take more than %d bytes unzipped; expected a workbook of tables (remove pictures and other objects)", xlsxInMemoryLimit)
		}
	}
	return nil
}

// parsedPart reports whether excelize may parse a part (lower-case name)
// whole: any XML part but worksheets, shared strings and the copies of
// data that pivot tables and links to other workbooks keep, which
// excelize holds as bytes only.
func parsedPart(lower string) bool {
	switch path.Ext(lower) {
	case ".xml", ".rels", ".vml":
		return !strings.HasPrefix(lower, "xl/pivotcache/") && !strings.HasPrefix(lower, "xl/externallinks/")
	}
	return false
}

// checkElements refuses a part of more than maxPartElements elements.
func checkElements(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	s := newTagScanner(rc, f.UncompressedSize64)
	for n := 0; ; {
		tag, err := s.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if tag.kind != endTag {
			if n++; n > maxPartElements {
				return fmt.Errorf("more than %d elements; expected an undamaged .xlsx workbook (the largest of these parts, the styles, holds some 130,000 at Excel's limit of 64,000 cell formats)", maxPartElements)
			}
		}
	}
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

// sheetCells is what scanXLSX found in one worksheet: cells excelize's
// row iterator does not report, or the first limit the sheet is past.
type sheetCells struct {
	formulas, merged []cellRef
	err              *ParseError
}

// scanXLSX streams the shared strings and each table's worksheet XML once
// to check them against the limits above, and to find formula cells and
// merged ranges. It maps the worksheet parts to sheet names through the
// workbook's relationships.
func scanXLSX(zr *zip.ReadCloser) (map[string]sheetCells, error) {
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		// Part names as excelize reads them.
		name := strings.ReplaceAll(f.Name, "\\", "/")
		parts[name] = f
		// excelize finds the shared strings by this name in any case.
		if strings.EqualFold(name, "xl/sharedStrings.xml") {
			if err := scanSharedStrings(f); err != nil {
				return nil, fmt.Errorf("shared strings (%s): %w", f.Name, err)
			}
		}
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
	// Find the workbook and its worksheets as excelize does, so that the
	// parts checked here are the parts it reads.
	wbPath := "xl/workbook.xml"
	var pkgRels struct {
		Rel []struct {
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if decodePart(parts["_rels/.rels"], &pkgRels) == nil {
		for _, r := range pkgRels.Rel {
			if r.Type == excelize.SourceRelationshipOfficeDocument {
				wbPath = strings.TrimPrefix(r.Target, "/")
				break
			}
		}
	}
	dir := path.Dir(wbPath)
	if err := decodePart(parts[wbPath], &wb); err != nil {
		return nil, fmt.Errorf("workbook.xml: %v", err)
	}
	if err := decodePart(parts[path.Join(dir, "_rels", path.Base(wbPath)+".rels")], &rels); err != nil {
		return nil, fmt.Errorf("workbook.xml.rels: %v", err)
	}
	target := map[string]string{}
	for _, r := range rels.Rel {
		t := strings.ReplaceAll(r.Target, "\\", "/")
		if !strings.HasPrefix(t, "/") {
			t = dir + "/" + t
		}
		target[r.ID] = strings.TrimPrefix(path.Clean(t), "/")
	}
	out := map[string]sheetCells{}
	for _, s := range wb.Sheets {
		if _, isTable := sheetTable(s.Name); !isTable {
			continue
		}
		part := parts[target[s.RID]]
		if part == nil {
			// Unchecked, excelize is not to read it.
			out[s.Name] = sheetCells{err: &ParseError{Err: errors.New("the sheet's worksheet part is missing; expected an undamaged .xlsx workbook (save it again in Excel or WPS)")}}
			continue
		}
		out[s.Name] = scanSheet(part)
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

// scanSharedStrings counts the strings of the shared strings part.
func scanSharedStrings(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	s := newTagScanner(rc, f.UncompressedSize64)
	n := 0
	for {
		tag, err := s.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if tag.kind != endTag && tag.depth == 2 && tag.name == "si" {
			if n++; n > maxSharedStrings {
				return fmt.Errorf("more than %d strings; expected a workbook of tables (its text repeats: counties, townships, IDs)", maxSharedStrings)
			}
		}
	}
}

const maxReportedCells = ProblemCap + 1

// scanSheet reads a worksheet's XML as a stream of tags. It stops at the
// first limit the sheet is past, naming the row and column.
func scanSheet(f *zip.File) sheetCells {
	var out sheetCells
	fail := func(row int, col string, format string, args ...any) sheetCells {
		out.err = &ParseError{Row: row, Column: col, Err: fmt.Errorf(format, args...)}
		return out
	}
	rc, err := f.Open()
	if err != nil {
		return fail(0, "", "%v", err)
	}
	defer rc.Close()
	s := newTagScanner(rc, f.UncompressedSize64)
	var (
		row, cells int
		filled     int    // cells with values in the sheet
		ref        []byte // the current cell's reference
		cellDepth  int    // depth of the current cell element, 0 outside cells
		cellStart  int64  // offset of the current cell element
	)
	cellName := func() (int, string) {
		c := locate(string(ref))
		if c.row == 0 {
			return row, ""
		}
		return c.row, c.col
	}
	for {
		tag, err := s.next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			if cellDepth > 0 {
				r, c := cellName()
				return fail(r, c, "cell %s: %v", ref, err)
			}
			return fail(row, "", "malformed worksheet XML: %v", err)
		}
		if cellDepth > 0 && s.offset()-cellStart > maxCellXML {
			r, c := cellName()
			return fail(r, c, "cell %s takes more than %d bytes of XML; expected at most %d characters in a cell, as Excel allows", ref, maxCellXML, 32767)
		}
		if tag.kind == endTag {
			if tag.depth <= cellDepth {
				cellDepth = 0
			}
			continue
		}
		switch tag.name {
		case "row":
			if v, ok := tag.attr("r"); ok {
				n, err := strconv.Atoi(string(v))
				if err != nil || n < 1 {
					return fail(row+1, "", "row number %q; expected a whole number from 1 to %d", clip(string(v)), maxSheetRows)
				}
				row = n
			} else {
				row++
			}
			if row > maxSheetRows {
				return fail(row, "", "row %d is beyond Excel's last row %d; expected an undamaged .xlsx workbook", row, maxSheetRows)
			}
			cells = 0
		case "c":
			v, _ := tag.attr("r")
			ref = append(ref[:0], v...)
			if cells++; cells > maxSheetColumns {
				return fail(row, "", "row %d has more than %d cells; expected at most %d columns, as Excel allows", row, maxSheetColumns, maxSheetColumns)
			}
			if row >= maxSheetRows {
				r, c := cellName()
				return fail(r, c, "cell %s is in Excel's last row %d: Excel cuts longer tables off there, so this one was most likely cut short; expected a table of at most %d rows (give a longer table as a CSV file)", ref, maxSheetRows, maxSheetRows-1)
			}
			if tag.kind == startTag {
				// A cell that is not an empty element holds a value.
				if filled++; filled > maxSheetCells {
					r, c := cellName()
					return fail(r, c, "more than %d cells with values; expected a table of at most %d full columns of Excel's %d rows", maxSheetCells, maxSheetCells/maxSheetRows, maxSheetRows)
				}
				cellDepth, cellStart = tag.depth, s.offset()
			}
		case "f":
			if cellDepth > 0 && len(ref) > 0 && len(out.formulas) < maxReportedCells {
				out.formulas = append(out.formulas, locate(string(ref)))
			}
		case "mergeCell":
			if v, ok := tag.attr("ref"); ok && len(v) > 0 && len(out.merged) < maxReportedCells {
				first, _, _ := strings.Cut(string(v), ":")
				c := locate(first)
				c.ref = string(v)
				out.merged = append(out.merged, c)
			}
		}
	}
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

// tagKind tells a start tag from an end tag and an empty element.
type tagKind int

const (
	startTag tagKind = iota
	endTag
	emptyTag
)

// xmlTag is one tag read by tagScanner; it is valid until the next.
type xmlTag struct {
	kind  tagKind
	name  string // local name, without a namespace prefix
	depth int    // 1 for the root element
	raw   []byte // the tag between its name and ">"
}

// attr returns the value of the attribute with the local name key.
func (t *xmlTag) attr(key string) ([]byte, bool) {
	b := t.raw
	// Excel writes a cell's reference first: ` r="A1"`.
	if k := len(key); len(b) > k+3 && b[0] == ' ' && string(b[1:1+k]) == key && b[1+k] == '=' && b[2+k] == '"' {
		if end := bytes.IndexByte(b[3+k:], '"'); end >= 0 {
			return b[3+k : 3+k+end], true
		}
	}
	for {
		b = bytes.TrimLeft(b, " \t\r\n")
		eq := bytes.IndexByte(b, '=')
		if eq < 0 {
			return nil, false
		}
		name := bytes.TrimSpace(b[:eq])
		b = bytes.TrimLeft(b[eq+1:], " \t\r\n")
		if len(b) == 0 || (b[0] != '"' && b[0] != '\'') {
			return nil, false
		}
		end := bytes.IndexByte(b[1:], b[0])
		if end < 0 {
			return nil, false
		}
		val := b[1 : 1+end]
		b = b[2+end:]
		if string(localName(name)) == key {
			return val, true
		}
	}
}

func localName(name []byte) []byte {
	if i := bytes.LastIndexByte(name, ':'); i >= 0 {
		return name[i+1:]
	}
	return name
}

// tagScanner reads XML as a stream of tags, skipping text, comments and
// processing instructions. It holds at most maxXMLText bytes: a longer run
// of text or a longer tag, or elements nested deeper than maxXMLDepth, stop
// it with an error. It checks far less than encoding/xml, which excelize
// applies afterwards, and runs some twenty times faster, so that a
// worksheet of a million rows is checked within a second or two.
type tagScanner struct {
	r     *bufio.Reader
	in    *countingReader
	depth int
	buf   []byte
	tag   xmlTag
}

// newTagScanner scans the XML of r, a zip part of size bytes as its header
// states (archive/zip fails a part that runs past it). Its buffer, which
// bounds a run of text or a tag at maxXMLText, is no larger than the part
// needs, so small parts cost little.
func newTagScanner(r io.Reader, size uint64) *tagScanner {
	in := &countingReader{r: r}
	buf := maxXMLText
	if size < uint64(buf) {
		buf = max(4096, int(size)+1)
	}
	return &tagScanner{r: bufio.NewReaderSize(in, buf), in: in}
}

// offset returns how many bytes of XML the scanner has consumed.
func (s *tagScanner) offset() int64 { return s.in.n - int64(s.r.Buffered()) }

// next returns the next tag, or io.EOF at the end of the XML.
func (s *tagScanner) next() (*xmlTag, error) {
	for {
		if _, err := s.r.ReadSlice('<'); err != nil {
			switch {
			case err == bufio.ErrBufferFull:
				return nil, fmt.Errorf("text of more than %d bytes; expected at most %d characters in a cell, as Excel allows", maxXMLText, 32767)
			case err == io.EOF && s.depth > 0:
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
		raw, err := s.readTag()
		if err != nil {
			return nil, err
		}
		kind := startTag
		switch raw[0] {
		case '?':
			if err := s.skipTo(raw, "?"); err != nil {
				return nil, err
			}
			continue
		case '!':
			switch {
			case bytes.HasPrefix(raw, []byte("!--")):
				err = s.skipTo(raw[3:], "--")
			case bytes.HasPrefix(raw, []byte("![CDATA[")):
				err = s.skipTo(raw[8:], "]]")
			default:
				err = errors.New("a document type declaration; expected none in a workbook")
			}
			if err != nil {
				return nil, err
			}
			continue
		case '/':
			kind = endTag
			raw = raw[1:]
		}
		if kind == startTag && raw[len(raw)-1] == '/' {
			kind = emptyTag
			raw = raw[:len(raw)-1]
		}
		end := 0
		for end < len(raw) && raw[end] != ' ' && raw[end] != '\t' && raw[end] != '\r' && raw[end] != '\n' {
			end++
		}
		name := localName(raw[:end])
		s.tag = xmlTag{kind: kind, raw: raw[end:]}
		// Comparing against the few names the scans look for keeps the
		// scanner from allocating a string per tag.
		switch string(name) {
		case "row":
			s.tag.name = "row"
		case "c":
			s.tag.name = "c"
		case "f":
			s.tag.name = "f"
		case "mergeCell":
			s.tag.name = "mergeCell"
		case "si":
			s.tag.name = "si"
		}
		switch kind {
		case endTag:
			if s.depth == 0 {
				return nil, errors.New("an end tag without its start")
			}
			s.tag.depth = s.depth
			s.depth--
		default:
			if s.depth+1 > maxXMLDepth {
				return nil, fmt.Errorf("elements nested more than %d deep; expected a worksheet of rows and cells", maxXMLDepth)
			}
			s.tag.depth = s.depth + 1
			if kind == startTag {
				s.depth++
			}
		}
		return &s.tag, nil
	}
}

// readTag reads the rest of a tag after its "<", up to the ">" that is
// not inside a quoted attribute value, and returns it without the ">".
// The result is valid until the next read.
func (s *tagScanner) readTag() ([]byte, error) {
	var quote byte
	for first := true; ; first = false {
		chunk, err := s.r.ReadSlice('>')
		if err == bufio.ErrBufferFull || len(s.buf)+len(chunk) > maxXMLText {
			return nil, fmt.Errorf("a tag of more than %d bytes; expected a worksheet of rows and cells", maxXMLText)
		}
		if err != nil {
			return nil, unexpected(err)
		}
		if first && (chunk[0] == '!' || chunk[0] == '?') {
			// Comments, CDATA and processing instructions hold text, not
			// attributes: skipTo reads them on.
			return chunk[:len(chunk)-1], nil
		}
		quote = quoteState(chunk, quote)
		if first && quote == 0 {
			// Most tags end at their first ">": no copy.
			if len(chunk) == 1 {
				return nil, errors.New("an empty tag <>")
			}
			return chunk[:len(chunk)-1], nil
		}
		if first {
			s.buf = s.buf[:0]
		}
		s.buf = append(s.buf, chunk...)
		if quote == 0 {
			return s.buf[:len(s.buf)-1], nil
		}
	}
}

// quoteState returns which quote is open after b, given the one open
// before it.
func quoteState(b []byte, quote byte) byte {
	for len(b) > 0 {
		if quote != 0 {
			i := bytes.IndexByte(b, quote)
			if i < 0 {
				return quote
			}
			quote, b = 0, b[i+1:]
			continue
		}
		i := bytes.IndexByte(b, '"')
		if j := bytes.IndexByte(b, '\''); j >= 0 && (i < 0 || j < i) {
			i = j
		}
		if i < 0 {
			return 0
		}
		quote, b = b[i], b[i+1:]
	}
	return quote
}

// skipTo skips the rest of a comment, CDATA section or processing
// instruction, whose text so far is seen, up to a ">" right after end.
func (s *tagScanner) skipTo(seen []byte, end string) error {
	last := []byte(nil)
	n := len(seen)
	for body := seen; ; {
		if bytes.HasSuffix(append(last, body[max(0, len(body)-len(end)):]...), []byte(end)) {
			return nil
		}
		last = append(last, body[max(0, len(body)-len(end)):]...)
		last = append(last[:0], last[max(0, len(last)-len(end)):]...)
		chunk, err := s.r.ReadSlice('>')
		n += len(chunk)
		if err == bufio.ErrBufferFull || n > maxXMLText {
			return fmt.Errorf("a comment or text section of more than %d bytes; expected at most %d characters in a cell, as Excel allows", maxXMLText, 32767)
		}
		if err != nil {
			return unexpected(err)
		}
		body = chunk[:len(chunk)-1]
	}
}

func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
