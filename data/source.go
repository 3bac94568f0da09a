package data

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
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
)

// Limits on CSV input, so that a damaged or hostile file stops with an
// error instead of filling memory.
const (
	// maxGzip bounds the text a .csv.gz file may expand to: a gzip bomb
	// stops there. It is a dozen times the largest table of a
	// 100-million-resident province (population.csv, 81 MB, 1.9 M rows).
	maxGzip = 1 << 30
	// maxCSVLine bounds one line, and one row that quoted line breaks
	// spread over several lines. A row of the largest tables takes under
	// 200 bytes and a text cell at most 1000 (tableReader.text), so a
	// longer row is not table data but an unclosed quote that runs on
	// through the file, or a file that is not CSV text at all.
	maxCSVLine = 1 << 20
)

// openText opens a table's file, ungzipping it when it holds gzip data.
// The reader stops with an error past maxGzip bytes of text.
func openText(fsys fs.FS, name string) (io.Reader, func() error, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, nil, err
	}
	br := bufio.NewReader(f)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("gzip: %w; expected a complete gzip-compressed CSV file", err)
		}
		return &gzipLimit{r: zr}, f.Close, nil
	}
	return br, f.Close, nil
}

// gzipLimit reads gzip data up to maxGzip bytes of text and names the
// damage a gzip reader reports.
type gzipLimit struct {
	r io.Reader
	n int64
}

func (g *gzipLimit) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	g.n += int64(n)
	if g.n > maxGzip {
		return n, fmt.Errorf("gzip: expands beyond %d bytes; expected a gzip-compressed CSV file of at most %d bytes of text", int64(maxGzip), int64(maxGzip))
	}
	if err != nil && err != io.EOF {
		err = fmt.Errorf("gzip: %w; expected a complete gzip-compressed CSV file", err)
	}
	return n, err
}

// textInfo is what checkText learned of a file's text.
type textInfo struct {
	enc   Encoding
	lines int   // lines of text
	size  int64 // bytes of text
}

// rowsHint estimates the rows of a table from its text, to size the
// table once: a row takes at least a few bytes, which bounds the hint for
// text of blank lines, and the hint stops at twice the rows of the largest
// table of a 100-million-resident province, beyond which a table grows as
// it is read.
func (t textInfo) rowsHint() int {
	return int(min(int64(t.lines), t.size/8+1, 4<<20))
}

// checkText reads CSV text once, before it is parsed, and finds its
// encoding: UTF-8 (with or without a byte-order mark) or, for text that is
// not valid UTF-8, GB18030 (a superset of GBK), which Excel on Chinese
// Windows writes. It holds one line in memory at a time and refuses text
// the CSV reader must not buffer or decode: NUL bytes, lines and rows over
// maxCSVLine, bytes that are neither encoding, and a file that mixes them.
func checkText(r io.Reader) (textInfo, error) {
	br := bufio.NewReaderSize(r, maxCSVLine)
	info := textInfo{enc: UTF8}
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
		info.enc = UTF8BOM
	}
	var (
		line, rowStart, rowBytes     int
		inQuote                      bool
		utf8Line, otherLine, badLine int
		gbk                          = simplifiedchinese.GB18030.NewDecoder()
	)
	for {
		b, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			msg := ""
			if bytes.IndexByte(b, 0) >= 0 {
				msg = " and holds NUL bytes"
			}
			return info, fmt.Errorf("line %d is longer than %d bytes%s; expected CSV text with one table row per line", line+1, maxCSVLine, msg)
		}
		if err != nil && err != io.EOF {
			return info, err
		}
		if len(b) == 0 {
			break
		}
		line++
		info.size += int64(len(b))
		if bytes.IndexByte(b, 0) >= 0 {
			return info, fmt.Errorf("line %d holds a NUL byte; expected CSV text saved as UTF-8 or GBK (UTF-16 \"Unicode text\" and binary files are not CSV text)", line)
		}
		if rowBytes == 0 {
			rowStart = line
		}
		rowBytes += len(b)
		if bytes.Count(b, []byte{'"'})%2 == 1 {
			inQuote = !inQuote
		}
		if rowBytes > maxCSVLine {
			return info, fmt.Errorf("the row starting at line %d runs over %d bytes; expected quotes only around a whole cell (an unclosed quote makes the rest of the file one cell)", rowStart, maxCSVLine)
		}
		if !inQuote {
			rowBytes = 0
		}
		// Once a line of UTF-8 Chinese is seen, valid lines have nothing
		// more to tell: this keeps the common case to utf8.Valid's fast
		// scan.
		switch valid := utf8.Valid(b); {
		case valid && (utf8Line != 0 || isASCII(b)):
		case valid && utf8Chinese(b):
			utf8Line = line
		default:
			if !valid {
				otherLine = cmp.Or(otherLine, line)
			}
			if badLine == 0 {
				gbk.Reset()
				u, err := gbk.Bytes(b)
				if err != nil || bytes.ContainsRune(u, utf8.RuneError) {
					badLine = line
				}
			}
		}
		if err == io.EOF {
			break
		}
	}
	info.lines = line
	switch {
	case otherLine == 0:
		return info, nil
	case info.enc == UTF8BOM:
		return info, fmt.Errorf("starts with a UTF-8 byte-order mark but line %d is not UTF-8; expected the whole file in UTF-8", otherLine)
	case badLine != 0:
		return info, fmt.Errorf("line %d is neither UTF-8 nor GBK/GB18030 text; expected a CSV file saved as UTF-8 or GBK", badLine)
	case utf8Line != 0:
		return info, fmt.Errorf("mixes encodings: line %d is UTF-8 but line %d is not; expected the whole file in one encoding, UTF-8 or GBK (save it again as CSV UTF-8)", utf8Line, otherLine)
	}
	info.enc = GB18030
	return info, nil
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// utf8Chinese reports whether valid UTF-8 text holds a Chinese character
// and no other character outside ASCII below U+0800. GBK text is valid
// UTF-8 by accident now and then ("学校" in GBK reads as two Cyrillic
// letters), almost always as such two-byte sequences; a line of it that
// also passes as UTF-8 Chinese is vanishingly rare, so such a line among
// lines that are not UTF-8 means the file mixes the two encodings.
func utf8Chinese(b []byte) bool {
	cjk := false
	for _, r := range string(b) {
		switch {
		case r >= 0x4e00 && r <= 0x9fff:
			cjk = true
		case r >= 0x80 && r < 0x800:
			return false
		}
	}
	return cjk
}

// csvSource reads rows from CSV text. A spreadsheet shows a blank line as
// a row and a quoted line break as part of its cell, so a record's row is
// its first line less the line breaks inside the cells before it.
type csvSource struct {
	r      *csv.Reader
	breaks int
	lines  int
}

// newCSVSource reads rows from text that checkText found in encoding enc
// with the given number of lines.
func newCSVSource(text io.Reader, enc Encoding, lines int) *csvSource {
	if enc == GB18030 {
		text = transform.NewReader(text, simplifiedchinese.GB18030.NewDecoder())
	}
	r := csv.NewReader(text)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
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
