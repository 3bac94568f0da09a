package data

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// rowSource yields the rows of one table: the header first, then data rows,
// each with the row number a spreadsheet would show.
type rowSource interface {
	// next returns the next row; ok is false at the end.
	next() (row int, cells []string, ok bool, err error)
	// sizeHint estimates how many rows there are, to size tables once.
	sizeHint() int
}

// ctxSource is a rowSource that fails soon after its context is done, so
// that a long table stops decoding; the loader then returns ctx's error.
type ctxSource struct {
	ctx context.Context
	rowSource
	rows int
}

func (s *ctxSource) next() (int, []string, bool, error) {
	s.rows++
	if s.rows%1024 == 0 {
		if err := s.ctx.Err(); err != nil {
			return 0, nil, false, err
		}
	}
	return s.rowSource.next()
}

// Encoding names a text encoding the CSV loader detected.
type Encoding string

// Encodings the CSV loader recognises.
const (
	UTF8    Encoding = "UTF-8"
	UTF8BOM Encoding = "UTF-8 with BOM"
	GB18030 Encoding = "GB18030"
	Gzipped Encoding = "gzip"
	Unknown Encoding = ""
	maxGzip          = 1 << 30
)

// decodeText returns b as UTF-8, ungzipping it first when it is gzip data,
// and removing a UTF-8 byte-order mark. Text that is not valid UTF-8 is read
// as GB18030 (a superset of GBK), which Excel on Chinese Windows writes.
func decodeText(b []byte) ([]byte, Encoding, error) {
	if len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, Unknown, fmt.Errorf("gzip: %w; expected a complete gzip-compressed CSV file", err)
		}
		u, err := io.ReadAll(io.LimitReader(zr, maxGzip+1))
		if err != nil {
			return nil, Unknown, fmt.Errorf("gzip: %w; expected a complete gzip-compressed CSV file", err)
		}
		if len(u) > maxGzip {
			return nil, Unknown, fmt.Errorf("gzip: expands beyond %d bytes", maxGzip)
		}
		b = u
	}
	if bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		b = b[3:]
		if !utf8.Valid(b) {
			return nil, Unknown, errors.New("starts with a UTF-8 byte-order mark but is not valid UTF-8")
		}
		return b, UTF8BOM, nil
	}
	if utf8.Valid(b) {
		return b, UTF8, nil
	}
	u, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	// The decoder replaces invalid sequences with U+FFFD rather than
	// failing, which would let a damaged file load as garbled text.
	if i := bytes.IndexRune(u, utf8.RuneError); err != nil || i >= 0 {
		line := 1 + bytes.Count(u[:max(i, 0)], []byte("\n"))
		return nil, Unknown, fmt.Errorf("line %d is neither UTF-8 nor GBK/GB18030 text; expected a CSV file saved as UTF-8 or GBK", line)
	}
	return u, GB18030, nil
}

// csvSource reads rows from CSV text. A spreadsheet shows a blank line as
// a row and a quoted line break as part of its cell, so a record's row is
// its first line less the line breaks inside the cells before it.
type csvSource struct {
	r      *csv.Reader
	breaks int
	lines  int
}

func newCSVSource(text []byte) *csvSource {
	r := csv.NewReader(bytes.NewReader(text))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	// A row takes at least a few bytes, which bounds the hint for text
	// of blank lines.
	lines := min(bytes.Count(text, []byte{'\n'})+1, len(text)/8+1)
	return &csvSource{r: r, lines: lines}
}

func (s *csvSource) sizeHint() int { return s.lines }

func (s *csvSource) next() (int, []string, bool, error) {
	rec, err := s.r.Read()
	if err == io.EOF {
		return 0, nil, false, nil
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return pe.StartLine - s.breaks, nil, false, fmt.Errorf("malformed CSV: %v; expected quotes only around a whole cell, with quotes inside it doubled (\"\")", pe.Err)
		}
		return 0, nil, false, err
	}
	line, _ := s.r.FieldPos(0)
	row := line - s.breaks
	for _, c := range rec {
		s.breaks += strings.Count(c, "\n")
	}
	return row, rec, true, nil
}

// sliceSource serves rows already in memory (xlsx sheets).
type sliceSource struct {
	rows [][]string
	nums []int
	i    int
}

func (s *sliceSource) sizeHint() int { return len(s.rows) }

func (s *sliceSource) next() (int, []string, bool, error) {
	if s.i >= len(s.rows) {
		return 0, nil, false, nil
	}
	s.i++
	return s.nums[s.i-1], s.rows[s.i-1], true, nil
}

// cleanCell trims white space (including full-width) from a cell.
func cleanCell(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\r' || r == '\n' || r == '\u3000' || r == '\ufeff' || r == '\u00a0'
	})
}
