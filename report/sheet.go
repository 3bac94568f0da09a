package report

import (
	"context"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Format is how a column's numbers are shown.
type Format int

// Column formats.
const (
	Text Format = iota
	Integer
	Decimal1
	Percent
	// Decimal4 shows four decimals (coordinates in degrees).
	Decimal4
	// Year shows a whole number without a thousands separator.
	Year
)

// Column is one column of a table sheet: a bilingual header and a format.
type Column struct {
	ZH, EN string
	Format Format
	// Width in characters; zero picks one from the header.
	Width float64
}

// styles holds the workbook's cell styles and the context its writing
// obeys: long sheets stop soon after ctx is done.
type styles struct {
	ctx                      context.Context
	title, header            int
	byFormat                 map[Format]int
	red, amber, blue, yellow int
}

func newStyles(ctx context.Context, f *excelize.File) (*styles, error) {
	s := &styles{ctx: ctx, byFormat: map[Format]int{}}
	var err error
	mk := func(st *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(st)
		return id
	}
	s.title = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}})
	s.header = mk(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center", Horizontal: "center"},
		Border:    []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
	})
	s.byFormat[Text] = mk(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}})
	s.byFormat[Integer] = mk(&excelize.Style{NumFmt: 3}) // #,##0
	s.byFormat[Decimal1] = mk(&excelize.Style{CustomNumFmt: ptr("0.0")})
	s.byFormat[Percent] = mk(&excelize.Style{CustomNumFmt: ptr("0.0%")})
	s.byFormat[Decimal4] = mk(&excelize.Style{CustomNumFmt: ptr("0.0000")})
	s.byFormat[Year] = mk(&excelize.Style{NumFmt: 1}) // 0
	fill := func(c string) int {
		return mk(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c}}, Font: &excelize.Font{Bold: true}})
	}
	s.red, s.amber, s.blue, s.yellow = fill("F8CBAD"), fill("FFE699"), fill("BDD7EE"), fill("FFF2CC")
	return s, err
}

func ptr[T any](v T) *T { return &v }

// Header returns the two-line header of c.
func (c Column) Header() string { return c.ZH + "\n" + c.EN }

func (c Column) width() float64 {
	if c.Width > 0 {
		return c.Width
	}
	w := float64(2*len([]rune(c.ZH))) + 2
	w = max(w, float64(len(c.EN))+2)
	return min(max(w, 8), 40)
}

// table streams one sheet: a title line (with the synthetic-data note when
// it applies), a bilingual header row, frozen and filtered, then rows.
type table struct {
	f     *excelize.File
	st    *styles
	sheet string
	cols  []Column
	sw    *excelize.StreamWriter
	row   int
	buf   []any
}

// headerRow is the spreadsheet row of a table's header.
const headerRow = 2

// cancelCheckRows is how often, in rows, a table checks its context: often
// enough to stop within milliseconds, rarely enough to cost nothing.
const cancelCheckRows = 256

func newTable(f *excelize.File, st *styles, sheet, title string, cols []Column) (*table, error) {
	if _, err := f.NewSheet(sheet); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	t := &table{f: f, st: st, sheet: sheet, cols: cols, sw: sw, row: headerRow}
	for i, c := range cols {
		if err := sw.SetColWidth(i+1, i+1, c.width()); err != nil {
			return nil, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: fmt.Sprintf("A%d", headerRow+1), ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: st.title, Value: title}}); err != nil {
		return nil, err
	}
	hdr := make([]any, len(cols))
	for i, c := range cols {
		hdr[i] = excelize.Cell{StyleID: st.header, Value: c.Header()}
	}
	if err := sw.SetRow(fmt.Sprintf("A%d", headerRow), hdr, excelize.RowOpts{Height: 32}); err != nil {
		return nil, err
	}
	return t, nil
}

// add writes one row; values are strings, ints or float64s in column
// order. A string is always written as text, never as a formula.
func (t *table) add(values ...any) error {
	return t.addStyled(nil, values...)
}

// addStyled writes a row with an optional style override per column.
func (t *table) addStyled(override map[int]int, values ...any) error {
	if len(values) != len(t.cols) {
		panic(fmt.Sprintf("report: %s row has %d values for %d columns", t.sheet, len(values), len(t.cols)))
	}
	t.row++
	if t.row%cancelCheckRows == 0 {
		if err := t.st.ctx.Err(); err != nil {
			return err
		}
	}
	t.buf = t.buf[:0]
	for i, v := range values {
		style := t.st.byFormat[t.cols[i].Format]
		if s, ok := override[i]; ok {
			style = s
		}
		if s, ok := v.(string); ok {
			v = safeText(s)
		}
		t.buf = append(t.buf, excelize.Cell{StyleID: style, Value: v})
	}
	return t.sw.SetRow(fmt.Sprintf("A%d", t.row), t.buf)
}

// close adds the filter over the header and data and flushes the sheet.
func (t *table) close() error {
	if err := t.sw.Flush(); err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(len(t.cols))
	return t.f.AutoFilter(t.sheet, fmt.Sprintf("A%d:%s%d", headerRow, last, max(t.row, headerRow+1)), nil)
}

// safeText keeps text text: excelize writes strings as string cells, never
// formulas, but a leading tab/CR could still confuse CSV round trips, so
// control characters are dropped.
func safeText(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\n' {
			return -1
		}
		return r
	}, s)
}
