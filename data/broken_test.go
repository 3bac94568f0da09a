package data

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// The broken-input corpus: testdata/broken/<case>/ holds the example dataset
// (TemplateExample written by WriteCSV, or by WriteXLSX as book.xlsx) with
// exactly one defect, and testdata/golden/<case>.txt the full problem list
// the loader reports for it ("OK" and the warnings for inputs that must
// load). Regenerate them, and the fuzz seeds drawn from them, with
//
//	go test ./data -run 'TestGenerateBroken|TestBroken|TestGenerateFuzzSeeds' -update

// brokenCase is one input of the corpus. Exactly one of edit and book is
// set. file, row and column locate the first problem; file is empty for
// inputs that must load.
type brokenCase struct {
	name string
	// edit applies the defect to the example as a CSV folder.
	edit func(d csvDir)
	// book applies the defect to the example as a workbook.
	book   func(f *excelize.File) error
	file   string
	row    int
	column string
}

var brokenCases = []brokenCase{
	// Files and encodings.
	{name: "missing-file", edit: func(d csvDir) { delete(d, "enrolment.csv") },
		file: "enrolment.csv"},
	{name: "second-file", edit: func(d csvDir) { d["学校.csv"] = d["schools.csv"] },
		file: "学校.csv"},
	{name: "empty-file", edit: func(d csvDir) { d["enrolment.csv"] = nil },
		file: "enrolment.csv"},
	{name: "header-only", edit: func(d csvDir) { d.edit("schools.csv", func(t *csvTable) { t.rows = nil }) },
		file: "schools.csv"},
	{name: "bom", edit: func(d csvDir) { d["schools.csv"] = append([]byte("\xef\xbb\xbf"), d["schools.csv"]...) }},
	{name: "gbk", edit: func(d csvDir) {
		for name, b := range d {
			g, err := simplifiedchinese.GBK.NewEncoder().Bytes(b)
			if err != nil {
				panic(err)
			}
			d[name] = g
		}
	}},
	{name: "not-utf8-or-gbk", edit: func(d csvDir) { d.replace("areas.csv", "示例村", "\xff\xfe\xfd") },
		file: "areas.csv"},
	{name: "truncated-gzip", edit: func(d csvDir) {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(d["enrolment.csv"])
		zw.Close()
		delete(d, "enrolment.csv")
		d["enrolment.csv.gz"] = b.Bytes()[:b.Len()/2]
	}, file: "enrolment.csv.gz"},
	{name: "chinese-headers", edit: func(d csvDir) {
		d.edit("schools.csv", func(t *csvTable) {
			tab, _ := TableByName("schools")
			for i, c := range tab.Columns {
				t.header[i] = c.Label
			}
		})
		d["学校.csv"] = d["schools.csv"]
		delete(d, "schools.csv")
	}},

	// Headers and CSV syntax.
	{name: "missing-column", edit: func(d csvDir) { d.edit("schools.csv", func(t *csvTable) { t.dropColumn("lat") }) },
		file: "schools.csv", row: 1, column: "lat"},
	{name: "duplicate-column", edit: func(d csvDir) {
		d.edit("enrolment.csv", func(t *csvTable) { t.addColumn("学生数", "180", "95") })
	}, file: "enrolment.csv", row: 1, column: "学生数"},
	{name: "unknown-column", edit: func(d csvDir) {
		d.edit("schools.csv", func(t *csvTable) { t.addColumn("remark", "新建", "") })
	}},
	{name: "ragged-row", edit: func(d csvDir) { d.replace("enrolment.csv", "S0002,2024,7,95,2", "S0002,2024,7,95,2,3") },
		file: "enrolment.csv", row: 3},
	{name: "malformed-quote", edit: func(d csvDir) {
		d.replace("schools.csv", "示例小学 Example primary", `示例"小学" Example primary`)
	}, file: "schools.csv", row: 2},
	{name: "unclosed-quote", edit: func(d csvDir) { d.replace("zones.csv", "A0002,middle", `"A0002,middle`) },
		file: "zones.csv", row: 3},
	// Rows are counted as a spreadsheet shows them: a line break inside a
	// quoted cell stays in its row and a blank line is a row of its own.
	// A line break typed in a cell reads as a space; the defect on the
	// next row is still reported at the row a spreadsheet shows.
	{name: "line-break-in-cell", edit: func(d csvDir) {
		d.set("areas.csv", 2, "name", "示例社区\nExample community")
		d.set("areas.csv", 3, "residents", "-830")
	}, file: "areas.csv", row: 3, column: "residents"},
	{name: "row-after-blank-line", edit: func(d csvDir) {
		d.replace("enrolment.csv", "\nS0002,2024,7,95,2", "\n\nS0002,2024,7,95,-2")
	}, file: "enrolment.csv", row: 4, column: "classes"},
	{name: "nul-byte", edit: func(d csvDir) { d.replace("areas.csv", "A0002", "A00\x0002") },
		file: "areas.csv"},

	// Cells.
	{name: "empty-cell", edit: func(d csvDir) { d.set("schools.csv", 3, "county", "") },
		file: "schools.csv", row: 3, column: "county"},
	{name: "bad-number", edit: func(d csvDir) { d.set("schools.csv", 2, "classrooms", "24间") },
		file: "schools.csv", row: 2, column: "classrooms"},
	{name: "fraction-count", edit: func(d csvDir) { d.set("enrolment.csv", 2, "students", "180.5") },
		file: "enrolment.csv", row: 2, column: "students"},
	{name: "negative-count", edit: func(d csvDir) { d.set("areas.csv", 3, "residents", "-830") },
		file: "areas.csv", row: 3, column: "residents"},
	{name: "swapped-lat-lon", edit: func(d csvDir) {
		d.set("areas.csv", 2, "lon", "36.457")
		d.set("areas.csv", 2, "lat", "115.986")
	}, file: "areas.csv", row: 2, column: "lat"},
	{name: "bad-flag", edit: func(d csvDir) { d.set("areas.csv", 2, "urban", "城镇") },
		file: "areas.csv", row: 2, column: "urban"},
	{name: "year-out-of-range", edit: func(d csvDir) { d.set("enrolment.csv", 3, "year", "1924") },
		file: "enrolment.csv", row: 3, column: "year"},
	{name: "bad-grade", edit: func(d csvDir) { d.set("enrolment.csv", 2, "grade", "一年级") },
		file: "enrolment.csv", row: 2, column: "grade"},
	{name: "bad-school-type", edit: func(d csvDir) { d.set("schools.csv", 2, "type", "elementary") },
		file: "schools.csv", row: 2, column: "type"},
	{name: "bad-ownership", edit: func(d csvDir) { d.set("schools.csv", 3, "ownership", "state") },
		file: "schools.csv", row: 3, column: "ownership"},
	{name: "bad-grade-span", edit: func(d csvDir) { d.set("schools.csv", 2, "grades", "6-1") },
		file: "schools.csv", row: 2, column: "grades"},
	{name: "bad-sex", edit: func(d csvDir) { d.set("population.csv", 3, "sex", "X") },
		file: "population.csv", row: 3, column: "sex"},
	{name: "age-over-100", edit: func(d csvDir) { d.set("population.csv", 2, "age", "101") },
		file: "population.csv", row: 2, column: "age"},
	{name: "bad-level", edit: func(d csvDir) { d.set("teachers.csv", 3, "level", "junior") },
		file: "teachers.csv", row: 3, column: "level"},
	{name: "max-below-classrooms", edit: func(d csvDir) { d.set("schools.csv", 2, "max_classrooms", "20") },
		file: "schools.csv", row: 2, column: "max_classrooms"},
	{name: "classes-over-students", edit: func(d csvDir) { d.set("enrolment.csv", 3, "classes", "120") },
		file: "enrolment.csv", row: 3, column: "classes"},
	{name: "over-100-per-class", edit: func(d csvDir) { d.set("enrolment.csv", 2, "students", "480") },
		file: "enrolment.csv", row: 2, column: "students"},
	{name: "students-no-classes", edit: func(d csvDir) { d.set("enrolment.csv", 3, "classes", "0") },
		file: "enrolment.csv", row: 3, column: "classes"},

	// Cross-table checks.
	{name: "far-outside-region", edit: func(d csvDir) {
		d.edit("areas.csv", func(t *csvTable) {
			for i := range 9 {
				r := t.dup(3)
				t.set(r, "area_id", fmt.Sprintf("A%04d", 3+i))
				t.set(r, "name", fmt.Sprintf("示例村%d", 3+i))
				t.set(r, "lon", fmt.Sprintf("%.3f", 115.80+0.03*float64(i)))
				t.set(r, "lat", fmt.Sprintf("%.3f", 36.36+0.02*float64(i)))
			}
			// A point pasted from another city: Shanghai.
			r := t.dup(3)
			t.set(r, "area_id", "A0012")
			t.set(r, "name", "示例村12")
			t.set(r, "lon", "121.47")
			t.set(r, "lat", "31.23")
		})
	}, file: "areas.csv", row: 13, column: "lon"},
	{name: "duplicate-area-id", edit: func(d csvDir) {
		d.edit("areas.csv", func(t *csvTable) { t.set(t.dup(3), "area_id", "A0001") })
	}, file: "areas.csv", row: 4, column: "area_id"},
	{name: "duplicate-school-id", edit: func(d csvDir) {
		d.edit("schools.csv", func(t *csvTable) { t.set(t.dup(3), "school_id", "S0001") })
	}, file: "schools.csv", row: 4, column: "school_id"},
	{name: "duplicate-enrolment-row", edit: func(d csvDir) {
		d.edit("enrolment.csv", func(t *csvTable) { t.set(t.dup(2), "students", "178") })
	}, file: "enrolment.csv", row: 4},
	{name: "duplicate-population-row", edit: func(d csvDir) {
		d.edit("population.csv", func(t *csvTable) { t.set(t.dup(3), "persons", "400") })
	}, file: "population.csv", row: 4},
	{name: "duplicate-teachers-row", edit: func(d csvDir) {
		d.edit("teachers.csv", func(t *csvTable) { t.set(t.dup(2), "teachers", "15") })
	}, file: "teachers.csv", row: 4},
	{name: "unknown-school", edit: func(d csvDir) { d.set("enrolment.csv", 3, "school_id", "S0003") },
		file: "enrolment.csv", row: 3, column: "school_id"},
	{name: "unknown-area", edit: func(d csvDir) { d.set("zones.csv", 3, "area_id", "A0020") },
		file: "zones.csv", row: 3, column: "area_id"},
	{name: "unknown-county", edit: func(d csvDir) { d.set("population.csv", 2, "county", "东昌府") },
		file: "population.csv", row: 2, column: "county"},
	{name: "unknown-township", edit: func(d csvDir) { d.set("schools.csv", 3, "township", "沙镇镇") },
		file: "schools.csv", row: 3, column: "township"},
	{name: "grade-outside-span", edit: func(d csvDir) { d.set("enrolment.csv", 2, "grade", "7") },
		file: "enrolment.csv", row: 2, column: "grade"},
	{name: "zone-wrong-level", edit: func(d csvDir) { d.set("zones.csv", 2, "level", "middle") },
		file: "zones.csv", row: 2, column: "school_id"},
	{name: "births-gap", edit: func(d csvDir) {
		d.edit("births.csv", func(t *csvTable) { t.set(t.dup(3), "year", "2021") })
	}, file: "births.csv", row: 2, column: "year"},
	{name: "enrolment-gap", edit: func(d csvDir) {
		d.edit("enrolment.csv", func(t *csvTable) { t.set(t.dup(2), "year", "2022") })
	}, file: "enrolment.csv", row: 2, column: "year"},

	// Workbooks.
	{name: "formula-cell", book: func(f *excelize.File) error {
		return f.SetCellFormula("enrolment", "D2", "=170+10")
	}, file: "enrolment", row: 2, column: "students"},
	{name: "merged-cells", book: func(f *excelize.File) error {
		return f.MergeCell("schools", "B2", "B3")
	}, file: "schools", row: 2, column: "name"},
	{name: "missing-sheet", book: func(f *excelize.File) error {
		return f.DeleteSheet("schools")
	}, file: "schools"},
	{name: "not-an-xlsx", edit: func(d csvDir) {
		b := d["schools.csv"]
		clear(d)
		d[bookName] = b
	}, file: bookName},
}

const bookName = "book.xlsx"

func TestGenerateBroken(t *testing.T) {
	dir := t.TempDir()
	if err := generateBroken(dir); err != nil {
		t.Fatal(err)
	}
	const committed = "testdata/broken"
	if *update {
		if err := os.RemoveAll(committed); err != nil {
			t.Fatal(err)
		}
		if err := os.CopyFS(committed, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, got := treeFiles(t, dir), treeFiles(t, committed)
	for name, b := range want {
		if g, ok := got[name]; !ok {
			t.Errorf("%s/%s is missing", committed, name)
		} else if !bytes.Equal(g, b) {
			t.Errorf("%s/%s differs from what the generator writes", committed, name)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s/%s is not written by the generator", committed, name)
		}
	}
	if t.Failed() {
		t.Log("run go test ./data -run 'TestGenerateBroken|TestBroken|TestGenerateFuzzSeeds' -update")
	}
}

// generateBroken writes every case of brokenCases under dir.
func generateBroken(dir string) error {
	for _, c := range brokenCases {
		out := filepath.Join(dir, c.name)
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
		if c.book != nil {
			b, err := exampleBook(c.book)
			if err != nil {
				return fmt.Errorf("%s: %w", c.name, err)
			}
			if err := os.WriteFile(filepath.Join(out, bookName), b, 0o644); err != nil {
				return err
			}
			continue
		}
		d, err := exampleCSV()
		if err != nil {
			return err
		}
		c.edit(d)
		for name, b := range d {
			if err := os.WriteFile(filepath.Join(out, name), b, 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

func TestBroken(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range brokenCases {
		if seen[c.name] {
			t.Fatalf("case %s appears twice", c.name)
		}
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			in := filepath.Join("testdata/broken", c.name)
			if _, err := os.Stat(filepath.Join(in, bookName)); err == nil {
				in = filepath.Join(in, bookName)
			}
			ds, warnings, err := Load(in)
			got := describeLoad(warnings, err)
			golden := filepath.Join("testdata/golden", c.name+".txt")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, rerr := os.ReadFile(golden)
			if rerr != nil {
				t.Fatal(rerr)
			}
			if got != string(want) {
				t.Errorf("messages differ from %s\ngot:\n%s\nwant:\n%s", golden, got, want)
			}
			if c.file == "" {
				if err != nil || ds == nil {
					t.Fatalf("Load(%s) = %v; want a dataset", in, err)
				}
				return
			}
			var v *ValidationError
			if !errors.As(err, &v) || !IsInvalidInput(err) {
				t.Fatalf("Load(%s) = %T %v; want a *ValidationError", in, err, err)
			}
			if ds != nil {
				t.Errorf("Load(%s) returned a dataset with the error", in)
			}
			if len(v.Problems) == 0 {
				t.Fatal("ValidationError without problems")
			}
			p := v.Problems[0]
			if p.File != c.file || p.Row != c.row || p.Column != c.column {
				t.Errorf("first problem at %q row %d column %q; want %q row %d column %q\n%v", p.File, p.Row, p.Column, c.file, c.row, c.column, p)
			}
		})
	}
}

// describeLoad renders a load's outcome as a golden file holds it: the
// problem list, or OK followed by the warnings.
func describeLoad(warnings []*ParseError, err error) string {
	var b strings.Builder
	if err != nil {
		b.WriteString(err.Error())
	} else {
		b.WriteString("OK")
		for _, w := range warnings {
			b.WriteString("\nwarning: " + w.Error())
		}
	}
	b.WriteString("\n")
	return b.String()
}

func TestProblemCap(t *testing.T) {
	d, err := exampleCSV()
	if err != nil {
		t.Fatal(err)
	}
	const bad = ProblemCap + 57
	d.edit("enrolment.csv", func(t *csvTable) {
		for range bad {
			t.set(t.dup(2), "grade", "13")
		}
	})
	_, _, err = LoadFS(d.fs(), "cap")
	var v *ValidationError
	if !errors.As(err, &v) {
		t.Fatalf("LoadFS = %v; want a *ValidationError", err)
	}
	if len(v.Problems) != ProblemCap || v.More != bad-ProblemCap {
		t.Errorf("%d problems listed and %d more; want %d and %d", len(v.Problems), v.More, ProblemCap, bad-ProblemCap)
	}
	msg := err.Error()
	lines := strings.Split(msg, "\n")
	if want := fmt.Sprintf("%d problem(s) in the input:", bad); lines[0] != want {
		t.Errorf("first line %q; want %q", lines[0], want)
	}
	if want := fmt.Sprintf("and %d more", bad-ProblemCap); lines[len(lines)-1] != want {
		t.Errorf("last line %q; want %q", lines[len(lines)-1], want)
	}
	if len(lines) != ProblemCap+2 {
		t.Errorf("%d lines; want %d", len(lines), ProblemCap+2)
	}
	if want := "enrolment.csv:4:grade: "; !strings.HasPrefix(lines[1], want) {
		t.Errorf("first problem %q; want it to start with %q", lines[1], want)
	}
}

// csvDir is a CSV folder in memory: file name → content.
type csvDir map[string][]byte

// exampleCSV returns TemplateExample as WriteCSV writes it.
func exampleCSV() (csvDir, error) {
	dir, err := os.MkdirTemp("", "seatplan-example")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "csv")
	if err := WriteCSV(context.Background(), out, TemplateExample(), CSVOptions{}); err != nil {
		return nil, err
	}
	d := csvDir{}
	entries, err := os.ReadDir(out)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(out, e.Name()))
		if err != nil {
			return nil, err
		}
		d[e.Name()] = b
	}
	return d, nil
}

// fs returns the folder as a file system for LoadFS.
func (d csvDir) fs() fstest.MapFS {
	m := fstest.MapFS{}
	for name, b := range d {
		m[name] = &fstest.MapFile{Data: b, Mode: 0o644}
	}
	return m
}

// replace replaces the one occurrence of old in file.
func (d csvDir) replace(file, old, new string) {
	if n := bytes.Count(d[file], []byte(old)); n != 1 {
		panic(fmt.Sprintf("%s: %q occurs %d times; want once", file, old, n))
	}
	d[file] = bytes.Replace(d[file], []byte(old), []byte(new), 1)
}

// set sets the cell at a spreadsheet row (header = 1) and column of file.
func (d csvDir) set(file string, row int, col, v string) {
	d.edit(file, func(t *csvTable) { t.set(row, col, v) })
}

// edit parses file, applies fn and writes it back.
func (d csvDir) edit(file string, fn func(t *csvTable)) {
	r := csv.NewReader(bytes.NewReader(d[file]))
	recs, err := r.ReadAll()
	if err != nil || len(recs) == 0 {
		panic(fmt.Sprintf("%s: %v", file, err))
	}
	t := &csvTable{header: recs[0], rows: recs[1:]}
	fn(t)
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(t.header)
	w.WriteAll(t.rows)
	d[file] = b.Bytes()
}

// csvTable is a parsed CSV file; rows are addressed as a spreadsheet shows
// them, the header being row 1.
type csvTable struct {
	header []string
	rows   [][]string
}

func (t *csvTable) col(name string) int {
	i := slices.Index(t.header, name)
	if i < 0 {
		panic("no column " + name)
	}
	return i
}

func (t *csvTable) set(row int, col, v string) { t.rows[row-2][t.col(col)] = v }

// dup appends a copy of row and returns the new row's number.
func (t *csvTable) dup(row int) int {
	t.rows = append(t.rows, slices.Clone(t.rows[row-2]))
	return len(t.rows) + 1
}

func (t *csvTable) dropColumn(name string) {
	i := t.col(name)
	t.header = slices.Delete(t.header, i, i+1)
	for j := range t.rows {
		t.rows[j] = slices.Delete(t.rows[j], i, i+1)
	}
}

func (t *csvTable) addColumn(name string, values ...string) {
	t.header = append(t.header, name)
	for j := range t.rows {
		t.rows[j] = append(t.rows[j], values[j])
	}
}

// exampleBook returns TemplateExample as WriteXLSX writes it, edited by fn,
// with its zip entries in a canonical order so that it is reproducible.
func exampleBook(fn func(f *excelize.File) error) ([]byte, error) {
	dir, err := os.MkdirTemp("", "seatplan-example")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, bookName)
	if err := WriteXLSX(context.Background(), p, TemplateExample()); err != nil {
		return nil, err
	}
	f, err := excelize.OpenFile(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fn != nil {
		if err := fn(f); err != nil {
			return nil, err
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		return nil, err
	}
	return canonicalZip(b.Bytes())
}

// canonicalZip rewrites a zip archive with its entries sorted by name.
func canonicalZip(b []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	files := slices.Clone(zr.File)
	slices.SortFunc(files, func(a, b *zip.File) int { return strings.Compare(a.Name, b.Name) })
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range files {
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate})
		if err != nil {
			return nil, err
		}
		_, err = io.Copy(w, rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// treeFiles reads every file under dir, keyed by slash path.
func treeFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := fs.WalkDir(os.DirFS(dir), ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := fs.ReadFile(os.DirFS(dir), p)
		out[p] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
