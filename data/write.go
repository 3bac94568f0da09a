package data

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/seatplan/seatplan/internal/atomicfile"
	"github.com/seatplan/seatplan/internal/workbook"
)

// CSVOptions tunes WriteCSV.
type CSVOptions struct {
	// Gzip writes name.csv.gz instead of name.csv (deterministic: no name
	// or time in the gzip header).
	Gzip bool
}

// MaxSheetRows is the most data rows one xlsx sheet can hold (Excel's
// 1,048,576 rows less the header).
const MaxSheetRows = 1_048_575

// records returns the number of records of a table and a function giving
// record i as cells in the table's column order (nil for absent optional
// values).
func (ds *Dataset) records(table string) (int, func(i int) []any) {
	opt := func(ok bool, v any) any {
		if !ok {
			return nil
		}
		return v
	}
	bit := func(b bool) int {
		if b {
			return 1
		}
		return 0
	}
	township := func(s string) any { return opt(s != "", s) }
	switch table {
	case "areas":
		return len(ds.Areas), func(i int) []any {
			a := &ds.Areas[i]
			row := []any{a.ID, a.Name, a.County, a.Township, a.Lon, a.Lat, bit(a.Urban), a.Residents}
			for _, k := range a.Kids {
				row = append(row, opt(a.HasKids, k))
			}
			return row
		}
	case "population":
		return len(ds.Population), func(i int) []any {
			p := &ds.Population[i]
			return []any{p.County, township(p.Township), p.Year, p.Sex.String(), p.Age, p.Persons}
		}
	case "births":
		return len(ds.Births), func(i int) []any {
			b := &ds.Births[i]
			return []any{b.County, township(b.Township), b.Year, b.Births}
		}
	case "schools":
		return len(ds.Schools), func(i int) []any {
			s := &ds.Schools[i]
			own := "private"
			if s.Public {
				own = "public"
			}
			return []any{s.ID, s.Name, s.County, s.Township, s.Lon, s.Lat, string(s.Type), own, s.Classrooms, s.MaxClassrooms,
				opt(!s.Grades.IsZero(), s.Grades.String()), opt(s.Capacity > 0, s.Capacity), bit(s.Boarding),
				opt(s.SiteAreaM2 > 0, s.SiteAreaM2), opt(s.FloorAreaM2 > 0, s.FloorAreaM2), bit(s.Keep), s.PrimaryYears}
		}
	case "enrolment":
		return len(ds.Enrolment), func(i int) []any {
			e := &ds.Enrolment[i]
			return []any{e.SchoolID, e.Year, e.Grade.String(), e.Students, e.Classes}
		}
	case "teachers":
		return len(ds.Teachers), func(i int) []any {
			t := &ds.Teachers[i]
			return []any{t.SchoolID, t.Year, string(t.Level), t.Teachers}
		}
	case "zones":
		return len(ds.Zones), func(i int) []any {
			z := &ds.Zones[i]
			return []any{z.AreaID, string(z.Level), z.SchoolID}
		}
	case "candidates":
		return len(ds.Candidates), func(i int) []any {
			c := &ds.Candidates[i]
			return []any{c.ID, c.Name, c.County, c.Lon, c.Lat, c.MaxClassrooms, opt(c.Cost > 0, c.Cost)}
		}
	}
	panic("data: unknown table " + table)
}

// present reports whether a table has data worth writing: required tables
// always, optional ones when they have rows.
func (ds *Dataset) present(t *Table) bool {
	n, _ := ds.records(t.Name)
	return t.Required || n > 0
}

// EscapeCSVText returns s with a single quote in front when a spreadsheet
// opening the CSV would read it as a formula: when it starts with = + - @,
// a tab or a carriage return (OWASP's list), possibly after quotes already
// there. The loaders remove that one quote again, so text round-trips
// exactly; numbers such as -5 are written without it.
func EscapeCSVText(s string) string {
	if formulaLike(s) {
		return "'" + s
	}
	return s
}

// UnescapeCSVText undoes EscapeCSVText.
func UnescapeCSVText(s string) string {
	if len(s) > 1 && s[0] == '\'' && formulaLike(s[1:]) {
		return s[1:]
	}
	return s
}

// formulaLike reports whether s, after any leading quotes, starts with a
// character that makes a spreadsheet cell a formula. Counting the quotes
// keeps escaping reversible for text that itself starts with a quote.
func formulaLike(s string) bool {
	t := strings.TrimLeft(s, "'")
	return t != "" && strings.IndexByte("=+-@\t\r", t[0]) >= 0
}

// cellText formats a cell for CSV.
func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return EscapeCSVText(x)
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	panic(fmt.Sprintf("data: unexpected cell type %T", v))
}

// SyntheticNotice marks a dataset written from generated sample data: the
// first line of the README.md beside its CSV files, or the title of its
// workbook. Loading a dataset that carries it marks it Synthetic again, so
// every output keeps saying the data is not real.
const SyntheticNotice = "合成示例数据，非真实统计 Synthetic sample data, not real statistics"

// WriteCSV writes the dataset as a folder of UTF-8 CSV files (one per
// table, English headers; a README.md with SyntheticNotice for synthetic
// data), atomically: a failed write leaves dir as it was,
// and so does ctx being done before the write completes.
func WriteCSV(ctx context.Context, dir string, ds *Dataset, opt CSVOptions) error {
	return atomicfile.WriteDir(ctx, dir, func(tmp string) error {
		for i := range Tables {
			t := &Tables[i]
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("write %s: %w", dir, err)
			}
			if !ds.present(t) {
				continue
			}
			name := t.Name + ".csv"
			if opt.Gzip {
				name += ".gz"
			}
			if err := writeCSVFile(ctx, filepath.Join(tmp, name), ds, t, opt.Gzip); err != nil {
				return fmt.Errorf("write %s: %w", name, err)
			}
		}
		if ds.Synthetic {
			note := "# " + SyntheticNotice + "\n\n" + ds.Source + "\n"
			if err := os.WriteFile(filepath.Join(tmp, "README.md"), []byte(note), 0o644); err != nil {
				return fmt.Errorf("write README.md: %w", err)
			}
		}
		if ds.Roads != nil {
			if err := os.WriteFile(filepath.Join(tmp, RoadsFile), ds.Roads, 0o644); err != nil {
				return fmt.Errorf("write %s: %w", RoadsFile, err)
			}
		}
		return nil
	})
}

func writeCSVFile(ctx context.Context, path string, ds *Dataset, t *Table, gz bool) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var w io.Writer = f
	var zw *gzip.Writer
	if gz {
		zw, _ = gzip.NewWriterLevel(f, gzip.BestCompression)
		w = zw
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	if err := writeCSV(ctx, bw, ds, t); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return err
		}
	}
	return f.Close()
}

// writeCSV writes one table. Fields are quoted when they hold a comma, a
// quote or a line break; text cells are escaped by EscapeCSVText, numbers
// never.
func writeCSV(ctx context.Context, w *bufio.Writer, ds *Dataset, t *Table) error {
	for i, c := range t.Columns {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString(c.Key)
	}
	w.WriteByte('\n')
	n, rec := ds.records(t.Name)
	for i := range n {
		if i%cancelCheckRows == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		for j, v := range rec(i) {
			if j > 0 {
				w.WriteByte(',')
			}
			writeField(w, cellText(v))
		}
		if err := w.WriteByte('\n'); err != nil {
			return err
		}
	}
	return nil
}

func writeField(w *bufio.Writer, s string) {
	quote := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\n', '\r':
			quote = true
		}
	}
	if len(s) > 0 && (s[0] == ' ' || s[len(s)-1] == ' ') {
		quote = true
	}
	if !quote {
		w.WriteString(s)
		return
	}
	w.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			w.WriteByte('"')
		}
		w.WriteByte(s[i])
	}
	w.WriteByte('"')
}

// WriteXLSX writes the dataset as one workbook, one sheet per table with
// bilingual headers, atomically: an error or ctx being done leaves path as
// it was. Tables longer than an Excel sheet allows are an error: use CSV
// for such datasets.
func WriteXLSX(ctx context.Context, path string, ds *Dataset) error {
	for i := range Tables {
		if n, _ := ds.records(Tables[i].Name); n > MaxSheetRows {
			return fmt.Errorf("write %s: table %s has %d rows, more than an Excel sheet holds (%d); write CSV instead", path, Tables[i].Name, n, MaxSheetRows)
		}
	}
	f, closeBook, err := workbook.New(ctx)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer closeBook()
	first := true
	for i := range Tables {
		t := &Tables[i]
		if !ds.present(t) {
			continue
		}
		if first {
			if err := f.SetSheetName("Sheet1", t.Name); err != nil {
				return fmt.Errorf("write %s: %w", path, err)
			}
			first = false
		} else if _, err := f.NewSheet(t.Name); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		if err := writeSheet(ctx, f, ds, t); err != nil {
			return fmt.Errorf("write %s sheet %s: %w", path, t.Name, err)
		}
	}
	if ds.Synthetic {
		if err := f.SetDocProps(&excelize.DocProperties{Title: SyntheticNotice, Description: ds.Source}); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	return atomicfile.WriteFile(ctx, path, func(w io.Writer) error {
		if err := workbook.Write(ctx, w, f); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		return nil
	})
}

// cancelCheckRows is how often, in rows, a writer checks its context.
const cancelCheckRows = 1024

func writeSheet(ctx context.Context, f *excelize.File, ds *Dataset, t *Table) error {
	sw, err := f.NewStreamWriter(t.Name)
	if err != nil {
		return err
	}
	header := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = c.Header()
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	n, rec := ds.records(t.Name)
	for i := range n {
		if i%cancelCheckRows == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, rec(i)); err != nil {
			return err
		}
	}
	return sw.Flush()
}
