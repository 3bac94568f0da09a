package data

import (
	"math"
	"strconv"
	"strings"
	"unicode"
)

// tableReader decodes the rows of one table, recording every problem.
type tableReader struct {
	loc   string // file or sheet name used in messages
	t     *Table
	p     *problems
	col   map[string]int // column key → index in the file's rows
	width int
	row   int
	cells []string
	bad   bool // the current row had a problem
	// csv marks CSV text, whose text cells may carry the quote
	// EscapeCSVText puts before formula-like text.
	csv bool
}

// readHeader maps the header cells to the table's columns. It reports
// missing required columns and duplicate ones, and warns about unknown ones.
// It returns false when the table cannot be read further.
func (r *tableReader) readHeader(row int, header []string) bool {
	r.col = make(map[string]int, len(r.t.Columns))
	r.width = len(header)
	for i, h := range header {
		h = cleanCell(h)
		if h == "" {
			continue
		}
		j := r.t.match(h)
		if j < 0 {
			r.p.warn(r.loc, row, h, "unknown column ignored; expected one of %s", r.t.keyList())
			continue
		}
		key := r.t.Columns[j].Key
		if _, dup := r.col[key]; dup {
			r.p.add(r.loc, row, h, "column %s appears twice; expected it once", key)
			continue
		}
		r.col[key] = i
	}
	ok := true
	for _, c := range r.t.Columns {
		if _, found := r.col[c.Key]; !found && c.Required {
			r.p.add(r.loc, row, c.Key, "required column missing; expected a column headed %q or %q (%s)", c.Key, c.Label, c.Expect)
			ok = false
		}
	}
	return ok
}

func (t *Table) keyList() string {
	keys := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		keys[i] = c.Key
	}
	return strings.Join(keys, ", ")
}

// start begins a data row; it returns false for a blank row to be skipped.
func (r *tableReader) start(row int, cells []string) bool {
	r.row, r.cells, r.bad = row, cells, false
	blank := true
	for _, c := range cells {
		if cleanCell(c) != "" {
			blank = false
			break
		}
	}
	if blank {
		return false
	}
	if len(cells) > r.width {
		extra := false
		for _, c := range cells[r.width:] {
			if cleanCell(c) != "" {
				extra = true
			}
		}
		if extra {
			r.fail("", "row has %d fields; expected %d as in the header", len(cells), r.width)
		}
	}
	return true
}

func (r *tableReader) fail(col, format string, args ...any) {
	r.bad = true
	r.p.add(r.loc, r.row, col, format, args...)
}

// has reports whether the table has the column.
func (r *tableReader) has(key string) bool {
	_, ok := r.col[key]
	return ok
}

// raw returns the trimmed cell of column key ("" when absent or short).
func (r *tableReader) raw(key string) string {
	i, ok := r.col[key]
	if !ok || i >= len(r.cells) {
		return ""
	}
	return cleanCell(r.cells[i])
}

// text returns a text cell; required cells must not be empty. Control
// characters are rejected so that a NUL byte never reaches an ID.
func (r *tableReader) text(key string, required bool) string {
	s := r.raw(key)
	if s == "" {
		if required {
			r.fail(key, "empty; expected %s", r.expect(key))
		}
		return ""
	}
	if r.csv {
		s = UnescapeCSVText(s)
	}
	if strings.ContainsAny(s, "\r\n") {
		// A line break typed in a cell (Alt+Enter) reads as a space.
		s = strings.Join(strings.Fields(s), " ")
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		r.fail(key, "contains control characters; expected plain text")
		return ""
	}
	if len(s) > 1000 {
		r.fail(key, "text of %d bytes; expected at most 1000", len(s))
		return ""
	}
	return s
}

func (r *tableReader) expect(key string) string {
	for _, c := range r.t.Columns {
		if c.Key == key {
			return c.Expect
		}
	}
	return key
}

// number parses a decimal number; ok is false when it is empty or bad.
func (r *tableReader) number(key string, required bool) (float64, bool) {
	s := r.raw(key)
	if s == "" {
		if required {
			r.fail(key, "empty; expected %s", r.expect(key))
		}
		return 0, false
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		r.fail(key, "%q is not a number; expected %s", clip(s), r.expect(key))
		return 0, false
	}
	return v, true
}

// count parses a whole number within [min, max].
func (r *tableReader) count(key string, required bool, min, max int) int {
	v, ok := r.number(key, required)
	if !ok {
		return 0
	}
	if v != math.Trunc(v) {
		r.fail(key, "%s is not a whole number; expected %s", r.raw(key), r.expect(key))
		return 0
	}
	if v < float64(min) {
		if min == 0 {
			r.fail(key, "negative value %s; expected %s", r.raw(key), r.expect(key))
		} else {
			r.fail(key, "%s is below %d; expected %s", r.raw(key), min, r.expect(key))
		}
		return 0
	}
	if v > float64(max) {
		r.fail(key, "%s is above %d; expected %s", r.raw(key), max, r.expect(key))
		return 0
	}
	return int(v)
}

// real parses a decimal number within [min, max].
func (r *tableReader) real(key string, required bool, min, max float64) float64 {
	v, ok := r.number(key, required)
	if !ok {
		return 0
	}
	if v < min || v > max {
		r.fail(key, "%s is outside %g to %g; expected %s", r.raw(key), min, max, r.expect(key))
		return 0
	}
	return v
}

// flag parses 0/1 (also true/false, yes/no, 是/否).
func (r *tableReader) flag(key string, required bool) bool {
	s := strings.ToLower(r.raw(key))
	switch s {
	case "1", "true", "yes", "y", "是":
		return true
	case "0", "false", "no", "n", "否":
		return false
	case "":
		if required {
			r.fail(key, "empty; expected 0 or 1")
		}
		return false
	}
	r.fail(key, "%q; expected 0 or 1", clip(r.raw(key)))
	return false
}

// year parses a calendar year between 1949 and 2100.
func (r *tableReader) year(key string) int {
	return r.count(key, true, 1949, 2100)
}

// clip shortens a cell quoted in a message.
func clip(s string) string {
	if len(s) <= 40 {
		return s
	}
	n := 40
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
