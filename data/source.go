package data

import (
	"bytes"
	"compress/gzip"
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
			return nil, Unknown, fmt.Errorf("gzip: %w", err)
		}
		u, err := io.ReadAll(io.LimitReader(zr, maxGzip+1))
		if err != nil {
			return nil, Unknown, fmt.Errorf("gzip: %w", err)
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
	if err != nil {
		return nil, Unknown, fmt.Errorf("neither UTF-8 nor GB18030/GBK text: %w", err)
	}
	return u, GB18030, nil
}

// csvSource reads rows from CSV text.
type csvSource struct {
	r *csv.Reader
}

func newCSVSource(text []byte) *csvSource {
	r := csv.NewReader(bytes.NewReader(text))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	return &csvSource{r: r}
}

func (s *csvSource) next() (int, []string, bool, error) {
	rec, err := s.r.Read()
	if err == io.EOF {
		return 0, nil, false, nil
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return pe.StartLine, nil, false, fmt.Errorf("malformed CSV: %v", pe.Err)
		}
		return 0, nil, false, err
	}
	line, _ := s.r.FieldPos(0)
	return line, rec, true, nil
}

// sliceSource serves rows already in memory (xlsx sheets).
type sliceSource struct {
	rows [][]string
	nums []int
	i    int
}

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
