//go:build linux

package data

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Hostile and damaged inputs, each generated at test time under a
// temporary folder and loaded by a child process (this test binary run
// again with hostileChildEnv naming the input), so that the test can read
// the child's peak resident memory and wall time and hold them to the
// bounds below, along with the class and the text of the error.
const (
	hostileChildEnv = "SEATPLAN_HOSTILE_CHILD"
	hostileMaxRSS   = 1 << 30 // bytes
	hostileMaxTime  = 10 * time.Second
)

// hostileCase is one hostile input: gen writes it under dir and returns
// the path to load; want are fragments the error message must hold.
type hostileCase struct {
	name string
	gen  func(dir string) (string, error)
	want []string
}

var hostileCases = []hostileCase{
	{name: "xlsx-zip-bomb", gen: genZipBomb,
		want: []string{"book.xlsx: cannot read workbook: unzip size exceeds", "at most 1073741824 bytes unzipped"}},
	{name: "xlsx-shared-strings-count", gen: genSharedStrings(2_000_000, ""),
		want: []string{"book.xlsx: shared strings (xl/sharedStrings.xml): more than 1048576 strings"}},
	{name: "xlsx-shared-strings-size", gen: genSharedStrings(3_000_000, strings.Repeat("长", 8)),
		want: []string{"book.xlsx: shared strings of", "bytes; expected at most 67108864"}},
	{name: "xlsx-200000-parts", gen: func(dir string) (string, error) {
		empty := func(zw *zip.Writer, name string) error {
			_, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
			return err
		}
		parts := map[string]zipPart{}
		for i := range 200_000 {
			parts[fmt.Sprintf("xl/media/image%d.png", i)] = empty
		}
		return writeBook(dir, parts)
	}, want: []string{"book.xlsx: 200016 parts in the zip archive; expected an .xlsx workbook of at most 16384"}},
	{name: "xlsx-styles-bomb", gen: func(dir string) (string, error) {
		// Each element costs excelize some 300 bytes as it opens the
		// workbook: unchecked, this 16 MiB part took a gigabyte.
		return writeBook(dir, map[string]zipPart{"xl/styles.xml": deflated(func(w *bufio.Writer) {
			w.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
				`<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="1">`)
			for range (16<<20 - 300) / 5 {
				w.WriteString("<xf/>")
			}
			w.WriteString(`</cellXfs></styleSheet>`)
		})})
	}, want: []string{"book.xlsx: part xl/styles.xml: more than 131072 elements"}},
	{name: "xlsx-1048576-rows", gen: genMaxRows,
		want: []string{"population:1048576:A: cell A1048576 is in Excel's last row 1048576", "at most 1048575 rows", "CSV"}},
	{name: "xlsx-deep-nesting", gen: genPopulationSheet(func(w *bufio.Writer) {
		w.WriteString(`<row r="2"><c r="B2" t="inlineStr"><is>`)
		for range 1_000_000 {
			w.WriteString("<r>")
		}
	}), want: []string{"population:2:B: cell B2: elements nested more than 64 deep"}},
	{name: "xlsx-enormous-cell", gen: genPopulationSheet(func(w *bufio.Writer) {
		w.WriteString(`<row r="2"><c r="A2" t="inlineStr"><is><t>`)
		chunk := bytes.Repeat([]byte("东昌府区"), 1<<16)
		for range 200 << 20 / len(chunk) {
			w.Write(chunk)
		}
		w.WriteString(`</t></is></c></row>`)
	}), want: []string{"population:2:A: cell A2: text of more than 1048576 bytes; expected at most 32767 characters"}},
	{name: "xlsx-enormous-rich-text-cell", gen: genPopulationSheet(func(w *bufio.Writer) {
		w.WriteString(`<row r="2"><c r="C2" t="inlineStr"><is>`)
		for range 2_000_000 {
			w.WriteString(`<r><t>东昌府区</t></r>`)
		}
		w.WriteString(`</is></c></row>`)
	}), want: []string{"population:2:C: cell C2 takes more than 16777216 bytes of XML"}},
	{name: "xlsx-row-of-a-million-cells", gen: genPopulationSheet(func(w *bufio.Writer) {
		w.WriteString(`<row r="2">`)
		for range 1_000_000 {
			w.WriteString(`<c><v>1</v></c>`)
		}
		w.WriteString(`</row>`)
	}), want: []string{"population:2: row 2 has more than 16384 cells"}},
	{name: "xlsx-nine-million-cells", gen: genPopulationSheet(func(w *bufio.Writer) {
		row := []byte(strings.Repeat(`<c><v>1</v></c>`, 16))
		for r := 2; r < 2+maxSheetCells/16+1; r++ {
			fmt.Fprintf(w, `<row r="%d">`, r)
			w.Write(row)
			w.WriteString(`</row>`)
		}
	}), want: []string{"population:524289: more than 8388608 cells with values; expected a table of at most 8 full columns"}},
	{name: "csv-100mb-line", gen: genCSV("areas.csv", func(w *bufio.Writer, d csvDir) {
		w.Write(d["areas.csv"])
		w.WriteString("A0003,")
		chunk := bytes.Repeat([]byte("x"), 1<<20)
		for range 100 {
			w.Write(chunk)
		}
		w.WriteString("\n")
	}), want: []string{"areas.csv: line 4 is longer than 1048576 bytes; expected CSV text with one table row per line"}},
	{name: "csv-unclosed-quote", gen: genCSV("population.csv", func(w *bufio.Writer, d csvDir) {
		w.Write(d["population.csv"])
		w.WriteString(`东昌府区,,2024,M,"7,100` + "\n")
		writeRows(w, 2_000_000, false)
	}), want: []string{"population.csv: the row starting at line 4 runs over 1048576 bytes", "unclosed quote"}},
	{name: "csv-gzip-bomb", gen: genGzipBomb,
		want: []string{"population.csv.gz: gzip: expands beyond 1073741824 bytes"}},
	{name: "csv-nul-bytes", gen: genCSV("population.csv", func(w *bufio.Writer, d csvDir) {
		w.Write(d["population.csv"])
		writeRows(w, 1_000_000, false)
		// A file cut short by a crash is often padded with zeros.
		zeros := make([]byte, 1<<20)
		for range 64 {
			w.Write(zeros)
		}
	}), want: []string{"population.csv: line 1000004 is longer than 1048576 bytes and holds NUL bytes"}},
	{name: "csv-utf16", gen: genCSV("population.csv", func(w *bufio.Writer, d csvDir) {
		w.WriteString("\xff\xfe")
		for _, r := range string(d["population.csv"]) {
			w.Write([]byte{byte(r), byte(r >> 8)})
		}
	}), want: []string{"population.csv: line 1 holds a NUL byte", "UTF-16"}},
	{name: "csv-mixed-encodings", gen: genCSV("population.csv", func(w *bufio.Writer, d csvDir) {
		w.Write(d["population.csv"])
		writeRows(w, 1_000_000, false)
		writeRows(w, 10, true)
	}), want: []string{"population.csv: mixes encodings: line 2 is UTF-8 but line 1000004 is not"}},
}

// TestHostile loads each hostile input in a child process and holds it to
// the memory and time bounds.
func TestHostile(t *testing.T) {
	if testing.Short() {
		t.Skip("generates large inputs")
	}
	for _, c := range hostileCases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			start := time.Now()
			in, err := c.gen(dir)
			if err != nil {
				t.Fatal(err)
			}
			gen := time.Since(start)
			res, rss, wall, cpu := loadInChild(t, in)
			t.Logf("generated in %v; load: peak RSS %d MiB, %v (CPU %v)", gen.Round(time.Millisecond), rss>>20, wall.Round(time.Millisecond), cpu.Round(time.Millisecond))
			if rss > hostileMaxRSS {
				t.Errorf("peak RSS %d MiB; want at most %d MiB", rss>>20, hostileMaxRSS>>20)
			}
			if wall > hostileMaxTime {
				t.Errorf("load took %v; want at most %v", wall, hostileMaxTime)
			}
			if !res.Invalid {
				t.Fatalf("error is not invalid input: %s", res.Err)
			}
			for _, w := range c.want {
				if !strings.Contains(res.Err, w) {
					t.Errorf("error lacks %q:\n%s", w, res.Err)
				}
			}
		})
	}
}

// hostileResult is what the child reports of its load.
type hostileResult struct {
	Invalid bool
	Err     string
}

// TestHostileChild is the child's side: it loads the input hostileChildEnv
// names and writes a hostileResult beside it.
func TestHostileChild(t *testing.T) {
	in := os.Getenv(hostileChildEnv)
	if in == "" {
		t.Skip("runs only as the child of TestHostile")
	}
	_, _, err := Load(in)
	res := hostileResult{Invalid: IsInvalidInput(err)}
	if err != nil {
		res.Err = err.Error()
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in+".result", b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// loadInChild loads in in a child process and returns its result, peak
// resident memory in bytes, wall time and CPU time. On Linux the peak
// counts the parent's memory at the moment it started the child, so it
// errs on the high side.
func loadInChild(t *testing.T, in string) (hostileResult, int64, time.Duration, time.Duration) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHostileChild$", "-test.count=1")
	// excelize unzips large parts to temporary files.
	cmd.Env = append(os.Environ(), hostileChildEnv+"="+in, "TMPDIR="+filepath.Dir(in))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out.Bytes())
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	rss := ru.Maxrss << 10 // KiB on Linux
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	b, err := os.ReadFile(in + ".result")
	if err != nil {
		t.Fatalf("child wrote no result: %v\n%s", err, out.Bytes())
	}
	var res hostileResult
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	return res, rss, wall, cpu
}

// genCSV writes the example as CSV files with file replaced by what write
// writes (given the example's files).
func genCSV(file string, write func(w *bufio.Writer, d csvDir)) func(dir string) (string, error) {
	return func(dir string) (string, error) {
		d, err := exampleCSV()
		if err != nil {
			return "", err
		}
		out := filepath.Join(dir, "csv")
		if err := os.Mkdir(out, 0o755); err != nil {
			return "", err
		}
		for name, b := range d {
			if name == file {
				continue
			}
			if err := os.WriteFile(filepath.Join(out, name), b, 0o644); err != nil {
				return "", err
			}
		}
		return out, writeFile(filepath.Join(out, file), func(w *bufio.Writer) error {
			write(w, d)
			return nil
		})
	}
}

// writeRows writes n population rows, as UTF-8 or as GBK text.
func writeRows(w *bufio.Writer, n int, gbk bool) {
	county := []byte("东昌府区,")
	if gbk {
		county, _ = simplifiedchinese.GBK.NewEncoder().Bytes(county)
	}
	var line []byte
	for i := range n {
		line = append(line[:0], county...)
		line = append(line, ",2024,M,"...)
		line = strconv.AppendInt(line, int64(i%101), 10)
		line = append(line, ',')
		line = strconv.AppendInt(line, int64(i%9000), 10)
		line = append(line, '\n')
		w.Write(line)
	}
}

func writeFile(path string, write func(w *bufio.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	err = write(w)
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// A zipPart writes one part of a workbook.
type zipPart func(zw *zip.Writer, name string) error

// deflated streams what write writes into a deflated part.
func deflated(write func(w *bufio.Writer)) zipPart {
	return func(zw *zip.Writer, name string) error {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		if err != nil {
			return err
		}
		bw := bufio.NewWriterSize(w, 1<<20)
		write(bw)
		return bw.Flush()
	}
}

// populationPart is the population sheet of the example workbook.
const populationPart = "xl/worksheets/sheet2.xml"

// writeBook writes the example workbook to dir/book.xlsx with the parts
// in parts replaced or added.
func writeBook(dir string, parts map[string]zipPart) (string, error) {
	base, err := exampleBook(nil)
	if err != nil {
		return "", err
	}
	names, contents, err := zipParts(base)
	if err != nil {
		return "", err
	}
	var extra []string
	for name := range parts {
		if _, ok := contents[name]; !ok {
			extra = append(extra, name)
		}
	}
	slices.Sort(extra)
	names = append(names, extra...)
	out := filepath.Join(dir, bookName)
	return out, writeFile(out, func(w *bufio.Writer) error {
		zw := zip.NewWriter(w)
		zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
			return flate.NewWriter(w, flate.BestSpeed)
		})
		for _, name := range names {
			part, ok := parts[name]
			if !ok {
				b := contents[name]
				part = deflated(func(w *bufio.Writer) { w.Write(b) })
			}
			if err := part(zw, name); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
		return zw.Close()
	})
}

const (
	sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>county</t></is></c><c r="B1" t="inlineStr"><is><t>township</t></is></c>` +
		`<c r="C1" t="inlineStr"><is><t>year</t></is></c><c r="D1" t="inlineStr"><is><t>sex</t></is></c>` +
		`<c r="E1" t="inlineStr"><is><t>age</t></is></c><c r="F1" t="inlineStr"><is><t>persons</t></is></c></row>`
	sheetTail = `</sheetData></worksheet>`
)

// genPopulationSheet writes the example workbook with a population sheet
// of the header and what rows writes.
func genPopulationSheet(rows func(w *bufio.Writer)) func(dir string) (string, error) {
	return func(dir string) (string, error) {
		return writeBook(dir, map[string]zipPart{populationPart: deflated(func(w *bufio.Writer) {
			w.WriteString(sheetHead)
			rows(w)
			w.WriteString(sheetTail)
		})})
	}
}

// genMaxRows fills the population sheet down to Excel's last row, as
// Excel leaves a longer table it opened and cut short, with the text in
// shared strings as Excel writes it.
func genMaxRows(dir string) (string, error) {
	sheet := deflated(func(w *bufio.Writer) {
		w.WriteString(sheetHead)
		var b []byte
		for r := 2; r <= maxSheetRows; r++ {
			row := strconv.Itoa(r)
			b = append(b[:0], `<row r="`...)
			b = append(b, row...)
			b = append(b, `"><c r="A`...)
			b = append(b, row...)
			b = append(b, `" t="s"><v>0</v></c><c r="C`...)
			b = append(b, row...)
			b = append(b, `"><v>2024</v></c><c r="D`...)
			b = append(b, row...)
			b = append(b, `" t="s"><v>1</v></c><c r="E`...)
			b = append(b, row...)
			b = append(b, `"><v>`...)
			b = strconv.AppendInt(b, int64(r%101), 10)
			b = append(b, `</v></c><c r="F`...)
			b = append(b, row...)
			b = append(b, `"><v>`...)
			b = strconv.AppendInt(b, int64(r%9000), 10)
			b = append(b, `</v></c></row>`...)
			w.Write(b)
		}
		w.WriteString(sheetTail)
	})
	strings := deflated(func(w *bufio.Writer) {
		w.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
			`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">` +
			`<si><t>东昌府区</t></si><si><t>M</t></si></sst>`)
	})
	return writeBook(dir, map[string]zipPart{populationPart: sheet, "xl/sharedStrings.xml": strings})
}

// genSharedStrings adds a shared strings part of n strings, each s
// followed by its number.
func genSharedStrings(n int, s string) func(dir string) (string, error) {
	return func(dir string) (string, error) {
		return writeBook(dir, map[string]zipPart{"xl/sharedStrings.xml": deflated(func(w *bufio.Writer) {
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+
				`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, n, n)
			var b []byte
			for i := range n {
				b = append(b[:0], "<si><t>"...)
				b = append(b, s...)
				b = strconv.AppendInt(b, int64(i), 10)
				b = append(b, "</t></si>"...)
				w.Write(b)
			}
			w.WriteString("</sst>")
		})})
	}
}

// genZipBomb replaces the population sheet with 2 GiB of rows that
// deflate to about 2 MB. The deflate stream repeats one compressed block
// of 1 MiB of rows: each block stands alone (it was flushed from a fresh
// compressor), so the copies make one valid stream without compressing
// 2 GiB at test time.
func genZipBomb(dir string) (string, error) {
	const size = 2 << 30
	chunk := bytes.Repeat([]byte("<row><c><v>1</v></c></row>"), (1<<20)/26)
	block, err := deflateBlock(chunk, false)
	if err != nil {
		return "", err
	}
	head, err := deflateBlock([]byte(sheetHead), false)
	if err != nil {
		return "", err
	}
	tail, err := deflateBlock([]byte(sheetTail), true)
	if err != nil {
		return "", err
	}
	n := (size - len(sheetHead) - len(sheetTail)) / len(chunk)
	crc := crc32.Update(0, crc32.IEEETable, []byte(sheetHead))
	for range n {
		crc = crc32.Update(crc, crc32.IEEETable, chunk)
	}
	crc = crc32.Update(crc, crc32.IEEETable, []byte(sheetTail))
	bomb := func(zw *zip.Writer, name string) error {
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name:               name,
			Method:             zip.Deflate,
			CRC32:              crc,
			CompressedSize64:   uint64(len(head) + n*len(block) + len(tail)),
			UncompressedSize64: uint64(len(sheetHead) + n*len(chunk) + len(sheetTail)),
		})
		if err != nil {
			return err
		}
		if _, err := w.Write(head); err != nil {
			return err
		}
		for range n {
			if _, err := w.Write(block); err != nil {
				return err
			}
		}
		_, err = w.Write(tail)
		return err
	}
	return writeBook(dir, map[string]zipPart{populationPart: bomb})
}

// genGzipBomb writes population.csv.gz: the example's rows repeated to
// 2 GiB, gzipped to about 2 MB by repeating one compressed block as
// genZipBomb does.
func genGzipBomb(dir string) (string, error) {
	d, err := exampleCSV()
	if err != nil {
		return "", err
	}
	head := d["population.csv"]
	_, rows, _ := bytes.Cut(head, []byte("\n"))
	chunk := bytes.Repeat(rows, (1<<20)/len(rows))
	n := (2<<30 - len(head)) / len(chunk)
	headBlock, err := deflateBlock(head, false)
	if err != nil {
		return "", err
	}
	block, err := deflateBlock(chunk, false)
	if err != nil {
		return "", err
	}
	end, err := deflateBlock(nil, true)
	if err != nil {
		return "", err
	}
	crc := crc32.Update(0, crc32.IEEETable, head)
	for range n {
		crc = crc32.Update(crc, crc32.IEEETable, chunk)
	}
	size := uint32(len(head) + n*len(chunk)) // ISIZE is the size modulo 2^32
	out, err := genCSV("population.csv.gz", func(w *bufio.Writer, _ csvDir) {
		// A gzip header without a name or time, then deflate data, then
		// the CRC-32 and size of the text.
		w.Write([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255})
		w.Write(headBlock)
		for range n {
			w.Write(block)
		}
		w.Write(end)
		w.Write([]byte{byte(crc), byte(crc >> 8), byte(crc >> 16), byte(crc >> 24), byte(size), byte(size >> 8), byte(size >> 16), byte(size >> 24)})
	})(dir)
	if err != nil {
		return "", err
	}
	// The bomb stands in for the plain file.
	return out, os.Remove(filepath.Join(out, "population.csv"))
}

// deflateBlock compresses b with a fresh compressor, ending the stream
// there when final and otherwise flushing it to a byte boundary.
func deflateBlock(b []byte, final bool) ([]byte, error) {
	var out bytes.Buffer
	w, err := flate.NewWriter(&out, flate.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if final {
		err = w.Close()
	} else {
		err = w.Flush()
	}
	return out.Bytes(), err
}

// TestZipBombIsValid proves that the zip bomb's deflate stream is valid,
// so that the loader refuses it for its size and not for damage.
func TestZipBombIsValid(t *testing.T) {
	chunk := []byte("<row><c><v>1</v></c></row>")
	var stream []byte
	for _, final := range []bool{false, false, true} {
		b, err := deflateBlock(chunk, final)
		if err != nil {
			t.Fatal(err)
		}
		stream = append(stream, b...)
	}
	got, err := io.ReadAll(flate.NewReader(bytes.NewReader(stream)))
	if err != nil && !errors.Is(err, io.EOF) {
		t.Fatal(err)
	}
	if want := bytes.Repeat(chunk, 3); !bytes.Equal(got, want) {
		t.Errorf("inflated %q; want %q", got, want)
	}
}

// TestTagScanner checks the worksheet scanner on the XML it must read
// past: quoted ">", comments, CDATA, prefixes and attribute spellings.
func TestTagScanner(t *testing.T) {
	in := `<?xml version="1.0"?><!-- it's a > comment --><x:a b='x>y' c="it's">` +
		`<![CDATA[it's <b> ]] > ]]><x:c r="A1"/><c r = 'B2' ></c></x:a>`
	want := []string{"start  1 r=", "empty c 2 r=A1", "start c 2 r=B2", "end c 2 r=", "end  1 r="}
	s := newTagScanner(strings.NewReader(in), math.MaxUint64)
	var got []string
	for {
		tag, err := s.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		r, _ := tag.attr("r")
		got = append(got, fmt.Sprintf("%s %s %d r=%s", [...]string{"start", "end", "empty"}[tag.kind], tag.name, tag.depth, r))
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	for _, bad := range []string{"<a><b>", "<a></a></b>", "<!DOCTYPE a><a/>", "<a><!-- open", "<a b='>"} {
		s := newTagScanner(strings.NewReader(bad), math.MaxUint64)
		var err error
		for err == nil {
			_, err = s.next()
		}
		if err == io.EOF {
			t.Errorf("%q: no error", bad)
		}
	}
}

// TestCheckText covers the encodings checkText tells apart, including GBK
// text that happens to be valid UTF-8.
func TestCheckText(t *testing.T) {
	gbk := func(s string) string {
		b, err := simplifiedchinese.GBK.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if !utf8.ValidString(gbk("学校")) {
		t.Fatal("the accidental case is gone: 学校 in GBK is no longer valid UTF-8")
	}
	tests := []struct {
		name, text string
		enc        Encoding
		err        string
	}{
		{"ascii", "a,b\n1,2\n", UTF8, ""},
		{"utf-8", "county\n东昌府区\n", UTF8, ""},
		{"bom", "\xef\xbb\xbfcounty\n东昌府区\n", UTF8BOM, ""},
		{"gbk", "name\n" + gbk("学校") + "\n" + gbk("东昌府区") + "\n", GB18030, ""},
		{"bom then gbk", "\xef\xbb\xbfname\n" + gbk("东昌府区") + "\n", Unknown, "starts with a UTF-8 byte-order mark but line 2 is not UTF-8"},
		{"mixed", "name\n东昌府区\n" + gbk("东昌府区") + "\n", Unknown, "mixes encodings: line 2 is UTF-8 but line 3 is not"},
		{"neither", "name\n\xff\xfe\xfd\n", Unknown, "line 2 is neither UTF-8 nor GBK/GB18030"},
		{"nul", "name\nA\x00\n", Unknown, "line 2 holds a NUL byte"},
		{"long line", "name\n" + strings.Repeat("x", maxCSVLine+1), Unknown, "line 2 is longer than"},
		{"long quoted row", "name\n\"" + strings.Repeat("x\n", maxCSVLine/2+1), Unknown, "the row starting at line 2 runs over"},
		{"quoted line breaks", "name\n\"a\nb\"\n", UTF8, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			info, err := checkText(strings.NewReader(tc.text))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v; want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if info.enc != tc.enc {
				t.Errorf("encoding %q; want %q", info.enc, tc.enc)
			}
		})
	}
}

// TestGzipCSV loads a table from a .csv.gz file.
func TestGzipCSV(t *testing.T) {
	d, err := exampleCSV()
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := LoadFS(d.fs(), "example")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(d["population.csv"])
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	delete(d, "population.csv")
	d["population.csv.gz"] = b.Bytes()
	got, _, err := LoadFS(d.fs(), "example")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Population, want.Population) || len(got.Population) == 0 {
		t.Errorf("population from .csv.gz differs: %v\nwant %v", got.Population, want.Population)
	}
}
