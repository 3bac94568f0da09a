package main

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// TestHostileInputExitCodes proves that damaged and hostile inputs reach
// the user as invalid input (exit status 2) with a located message. The
// data package's TestHostile holds the same kinds of input, at full size,
// to memory and time bounds.
func TestHostileInputExitCodes(t *testing.T) {
	dir := t.TempDir()
	folder := filepath.Join(dir, "sample")
	book := filepath.Join(dir, "template.xlsx")
	if code, _, stderr := runCmd(t, "sample", "-o", folder); code != exitOK {
		t.Fatalf("sample exit %d:\n%s", code, stderr)
	}
	if code, _, stderr := runCmd(t, "template", "-o", book); code != exitOK {
		t.Fatalf("template exit %d:\n%s", code, stderr)
	}
	tests := []struct {
		name   string
		damage func(t *testing.T) string // returns the input to validate
		stderr string
	}{
		{"NUL bytes", func(t *testing.T) string {
			return damageCSV(t, folder, "population.csv", func(b []byte) []byte {
				return append(b, make([]byte, 1000)...)
			})
		}, "holds a NUL byte"},
		{"line of 2 MiB", func(t *testing.T) string {
			return damageCSV(t, folder, "areas.csv", func(b []byte) []byte {
				return append(append(b, bytes.Repeat([]byte("x"), 2<<20)...), '\n')
			})
		}, "is longer than 1048576 bytes"},
		{"mixed encodings", func(t *testing.T) string {
			return damageCSV(t, folder, "schools.csv", func(b []byte) []byte {
				lines := bytes.SplitAfter(b, []byte("\n"))
				last := len(lines) - 2
				gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(lines[last])
				if err != nil {
					t.Fatal(err)
				}
				lines[last] = gbk
				return bytes.Join(lines, nil)
			})
		}, "mixes encodings"},
		{"deeply nested cell", func(t *testing.T) string {
			return damageBook(t, book, "population", func(b []byte) []byte {
				cell := `<c r="A2" t="inlineStr"><is>` + strings.Repeat("<r>", 100)
				return []byte(`<worksheet><sheetData><row r="2">` + cell)
			})
		}, "population:2:A: cell A2: elements nested more than 64 deep"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.damage(t)
			code, _, stderr := runCmd(t, "validate", "--data", in)
			if code != exitInput {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, exitInput, stderr)
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, stderr)
			}
		})
	}
}

// damageCSV copies the CSV folder src with file rewritten by fn.
func damageCSV(t *testing.T, src, file string, fn func([]byte) []byte) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "csv")
	if err := os.CopyFS(out, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, file))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, file), fn(b), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// damageBook copies the workbook src with the worksheet of sheet rewritten
// by fn.
func damageBook(t *testing.T, src, sheet string, fn func([]byte) []byte) string {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	part := sheetPart(t, &zr.Reader, sheet)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == part {
			b = fn(b)
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "book.xlsx")
	if err := os.WriteFile(p, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// sheetPart finds the worksheet part of sheet through the workbook and its
// relationships.
func sheetPart(t *testing.T, zr *zip.Reader, sheet string) string {
	t.Helper()
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	for name, v := range map[string]any{"xl/workbook.xml": &wb, "xl/_rels/workbook.xml.rels": &rels} {
		rc, err := zr.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		err = xml.NewDecoder(rc).Decode(v)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	for _, s := range wb.Sheets {
		if s.Name != sheet {
			continue
		}
		for _, r := range rels.Rel {
			if r.ID == s.RID {
				return path.Join("xl", r.Target)
			}
		}
	}
	t.Fatalf("no sheet %s in the workbook", sheet)
	return ""
}
