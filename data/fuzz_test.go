package data

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The fuzz targets feed damaged input to the loaders. Whatever the bytes,
// a load must not panic and must return either a dataset or a
// *ValidationError that lists where the input is wrong. Their seed corpora
// under testdata/fuzz/ (files named seed-*) are written from the broken
// corpus by go test ./data -run TestGenerateFuzzSeeds -update; inputs the
// fuzzer found to fail are kept beside them as regressions.
//
//	go test ./data -run '^$' -fuzz FuzzLoadCSV -fuzztime 5m

// FuzzLoadCSV replaces one table's file of the example CSV folder.
func FuzzLoadCSV(f *testing.F) {
	base, err := exampleCSV()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, table uint8, content []byte) {
		d := maps.Clone(base)
		d[Tables[int(table)%len(Tables)].Name+".csv"] = content
		ds, warnings, err := LoadFS(d.fs(), "fuzz")
		checkLoad(t, ds, warnings, err)
		// Messages must not depend on map order: goldens and users
		// compare them.
		_, _, again := LoadFS(d.fs(), "fuzz")
		if fmt.Sprint(err) != fmt.Sprint(again) {
			t.Fatalf("two loads of the same input differ:\n%v\n%v", err, again)
		}
	})
}

// FuzzLoadXLSX loads arbitrary bytes as an .xlsx file.
func FuzzLoadXLSX(f *testing.F) {
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, content []byte) {
		loadBookBytes(t, dir, content)
	})
}

// FuzzLoadXLSXPart replaces one part (worksheet, workbook, relationships,
// styles …) of the example workbook with arbitrary bytes and rebuilds a
// well-formed zip around it, so the fuzzer reaches the XML readers instead
// of stopping at zip checksums.
func FuzzLoadXLSXPart(f *testing.F) {
	book, err := exampleBook(nil)
	if err != nil {
		f.Fatal(err)
	}
	names, parts, err := zipParts(book)
	if err != nil {
		f.Fatal(err)
	}
	for i, name := range names {
		f.Add(uint8(i), parts[name])
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, part uint8, content []byte) {
		p := maps.Clone(parts)
		p[names[int(part)%len(names)]] = content
		b, err := buildZip(names, p)
		if err != nil {
			t.Fatal(err)
		}
		loadBookBytes(t, dir, b)
	})
}

// loadBookBytes writes b as a workbook in dir and loads it.
func loadBookBytes(t *testing.T, dir string, b []byte) {
	tmp, err := os.CreateTemp(dir, "*.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := tmp.Close(); err != nil {
		t.Fatal(err)
	}
	ds, warnings, err := Load(tmp.Name())
	checkLoad(t, ds, warnings, err)
}

// checkLoad asserts the outcome of loading arbitrary input.
func checkLoad(t *testing.T, ds *Dataset, warnings []*ParseError, err error) {
	t.Helper()
	for _, w := range warnings {
		if w == nil || w.File == "" || w.Err == nil {
			t.Fatalf("malformed warning %#v", w)
		}
	}
	if err == nil {
		if ds == nil {
			t.Fatal("no dataset and no error")
		}
		return
	}
	if ds != nil {
		t.Fatalf("a dataset along with the error %v", err)
	}
	var v *ValidationError
	if !errors.As(err, &v) || !IsInvalidInput(err) {
		t.Fatalf("error %T is not a *ValidationError: %v", err, err)
	}
	if len(v.Problems) == 0 || len(v.Problems) > ProblemCap {
		t.Fatalf("%d problems listed; want 1 to %d", len(v.Problems), ProblemCap)
	}
	for _, p := range v.Problems {
		if p == nil || p.File == "" || p.Err == nil || p.Row < 0 {
			t.Fatalf("malformed problem %#v", p)
		}
	}
	if !strings.HasPrefix(err.Error(), fmt.Sprintf("%d problem(s)", len(v.Problems)+v.More)) {
		t.Fatalf("message does not start with the count: %q", err.Error())
	}
}

func TestGenerateFuzzSeeds(t *testing.T) {
	seeds, err := fuzzSeeds()
	if err != nil {
		t.Fatal(err)
	}
	for target, files := range seeds {
		dir := filepath.Join("testdata/fuzz", target)
		if *update {
			old, _ := filepath.Glob(filepath.Join(dir, "seed-*"))
			for _, f := range old {
				if err := os.Remove(f); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		for name, b := range files {
			p := filepath.Join(dir, name)
			if *update {
				if err := os.WriteFile(p, b, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if got, err := os.ReadFile(p); err != nil || !bytes.Equal(got, b) {
				t.Errorf("%s is missing or out of date; run go test ./data -run TestGenerateFuzzSeeds -update", p)
			}
		}
	}
}

// fuzzSeeds returns the seed corpus files of FuzzLoadCSV and FuzzLoadXLSX:
// the example's files and workbook, and the damaged file of every case of
// the broken corpus.
func fuzzSeeds() (map[string]map[string][]byte, error) {
	base, err := exampleCSV()
	if err != nil {
		return nil, err
	}
	csvSeeds, xlsxSeeds := map[string][]byte{}, map[string][]byte{}
	addCSV := func(name, file string, b []byte) {
		base, _, _ := strings.Cut(file, ".")
		t, ok := TableByName(base)
		if !ok {
			return
		}
		i := slices.IndexFunc(Tables, func(x Table) bool { return x.Name == t.Name })
		csvSeeds["seed-"+name+"-"+t.Name] = fmt.Appendf(nil, "go test fuzz v1\nbyte(%q)\n[]byte(%q)\n", byte(i), b)
	}
	addXLSX := func(name string, b []byte) {
		xlsxSeeds["seed-"+name] = fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", b)
	}
	for _, name := range slices.Sorted(maps.Keys(base)) {
		addCSV("example", name, base[name])
	}
	book, err := exampleBook(nil)
	if err != nil {
		return nil, err
	}
	addXLSX("example", book)
	addXLSX("empty", nil)
	for _, c := range brokenCases {
		if c.book != nil {
			b, err := exampleBook(c.book)
			if err != nil {
				return nil, err
			}
			addXLSX(c.name, b)
			continue
		}
		d, err := exampleCSV()
		if err != nil {
			return nil, err
		}
		c.edit(d)
		if b, ok := d[bookName]; ok {
			addXLSX(c.name, b)
			continue
		}
		for _, name := range slices.Sorted(maps.Keys(d)) {
			if !bytes.Equal(d[name], base[name]) {
				addCSV(c.name, name, d[name])
			}
		}
	}
	return map[string]map[string][]byte{"FuzzLoadCSV": csvSeeds, "FuzzLoadXLSX": xlsxSeeds}, nil
}

// zipParts returns the entries of a zip archive in order and their content.
func zipParts(b []byte) ([]string, map[string][]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, nil, err
	}
	var names []string
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, nil, err
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, nil, err
		}
		names = append(names, f.Name)
		parts[f.Name] = data
	}
	return names, parts, nil
}

// buildZip writes the parts as a zip archive in the order of names.
func buildZip(names []string, parts map[string][]byte) ([]byte, error) {
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, name := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(parts[name]); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
