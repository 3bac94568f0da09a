package data

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// RoadsFile is the optional road network file of a CSV folder.
const RoadsFile = "roads.geojson"

// maxInputFile bounds the size of one input file. CSV files are read as
// a stream, so memory holds their decoded rows rather than their text; the
// road network is read whole. The bound is 25 times the largest table of a
// 100-million-resident province (population.csv, 81 MB).
const maxInputFile = 2 << 30

// Load reads a dataset from a folder of CSV files or from one .xlsx
// workbook, validates it, and returns it with its warnings. Problems in the
// input come back as a *ValidationError.
func Load(p string) (*Dataset, []*ParseError, error) {
	return LoadContext(context.Background(), p)
}

// LoadContext is Load that stops with ctx's error soon after ctx is done.
// The temporary files excelize may spill a large workbook to live in a
// scratch folder tracked through ctx (see internal/atomicfile).
func LoadContext(ctx context.Context, p string) (*Dataset, []*ParseError, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, nil, &ValidationError{Problems: []*ParseError{{File: p, Err: fmt.Errorf("cannot open: %w; expected a folder of CSV files or an .xlsx workbook", unwrapPath(err))}}}
	}
	if st.IsDir() {
		return LoadFSContext(ctx, os.DirFS(p), p)
	}
	if strings.EqualFold(filepath.Ext(p), ".xlsx") {
		return loadXLSX(ctx, p)
	}
	return nil, nil, &ValidationError{Problems: []*ParseError{{File: p, Err: errors.New("not a folder or an .xlsx workbook; expected a folder of CSV files or an .xlsx workbook")}}}
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// LoadFS reads a dataset from the CSV files at the root of fsys; source
// names it in the dataset. A table's file may be named by its English name
// or Chinese label, with the extension .csv or .csv.gz.
func LoadFS(fsys fs.FS, source string) (*Dataset, []*ParseError, error) {
	return LoadFSContext(context.Background(), fsys, source)
}

// LoadFSContext is LoadFS that stops with ctx's error soon after ctx is
// done.
func LoadFSContext(ctx context.Context, fsys fs.FS, source string) (*Dataset, []*ParseError, error) {
	ds := &Dataset{Source: source}
	p := &problems{}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", source, err)
	}
	files := map[string]string{} // table name → file name
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		name := e.Name()
		base, ok := strings.CutSuffix(name, ".csv.gz")
		if !ok {
			base, ok = strings.CutSuffix(name, ".csv")
		}
		if !ok {
			if name != RoadsFile && !strings.HasPrefix(name, ".") && !strings.EqualFold(name, "README.md") {
				p.warn(name, 0, "", "file ignored; expected CSV files named after the tables (%s)", tableNames())
			}
			continue
		}
		t, found := TableByName(base)
		if !found {
			p.warn(name, 0, "", "file ignored: not a table; expected one of %s", tableNames())
			continue
		}
		if prev, dup := files[t.Name]; dup {
			p.add(name, 0, "", "second file for table %s (also %s); expected one", t.Name, prev)
			continue
		}
		files[t.Name] = name
	}
	for i := range Tables {
		t := &Tables[i]
		name, ok := files[t.Name]
		if !ok {
			if t.Required {
				p.add(t.Name+".csv", 0, "", "required file missing; expected %s.csv (or %s.csv) with the columns %s", t.Name, t.Label, t.keyList())
			}
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, nil, fmt.Errorf("load %s: %w", source, err)
		}
		if err := loadCSV(ctx, ds, t, fsys, name, p); err != nil {
			p.add(name, 0, "", "%v", err)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("load %s: %w", source, err)
	}
	ds.Synthetic = syntheticReadme(fsys)
	if b, err := readLimited(fsys, RoadsFile); err == nil {
		ds.Roads = b
	} else if !errors.Is(err, fs.ErrNotExist) {
		p.add(RoadsFile, 0, "", "%v", err)
	}
	return finish(ds, p)
}

// loadCSV reads table t from the CSV file name in two passes over the
// file, so that memory holds the decoded rows but never the whole text:
// checkText finds the encoding and refuses damaged text, then the CSV
// reader decodes the rows.
func loadCSV(ctx context.Context, ds *Dataset, t *Table, fsys fs.FS, name string, p *problems) error {
	if err := checkSize(fsys, name); err != nil {
		return err
	}
	r, closeFile, err := openText(fsys, name)
	if err != nil {
		return err
	}
	info, err := checkText(r)
	closeFile()
	if err != nil {
		return err
	}
	if r, closeFile, err = openText(fsys, name); err != nil {
		return err
	}
	defer closeFile()
	if info.enc == UTF8BOM {
		if _, err := io.CopyN(io.Discard, r, 3); err != nil {
			return err
		}
	}
	src := newCSVSource(r, info.enc, info.rowsHint())
	decodeTable(ds, t, name, &ctxSource{ctx: ctx, rowSource: src}, true, p)
	return nil
}

// checkSize refuses a file over maxInputFile bytes.
func checkSize(fsys fs.FS, name string) error {
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return err
	}
	if st.Size() > maxInputFile {
		return fmt.Errorf("file of %d bytes; expected at most %d", st.Size(), int64(maxInputFile))
	}
	return nil
}

func readLimited(fsys fs.FS, name string) ([]byte, error) {
	if err := checkSize(fsys, name); err != nil {
		return nil, err
	}
	return fs.ReadFile(fsys, name)
}

func tableNames() string {
	n := make([]string, len(Tables))
	for i, t := range Tables {
		n[i] = t.Name
	}
	return strings.Join(n, ", ")
}

// finish validates the decoded dataset and returns it, its warnings, and a
// *ValidationError when there were problems.
func finish(ds *Dataset, p *problems) (*Dataset, []*ParseError, error) {
	if p.count() == 0 {
		validate(ds, p)
	}
	if err := p.err(); err != nil {
		return nil, p.warnings, err
	}
	ds.sort()
	return ds, p.warnings, nil
}

// sort puts every table in a canonical order so that datasets loaded from
// different formats compare equal.
func (ds *Dataset) sort() {
	slices.SortStableFunc(ds.Areas, func(a, b Area) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortStableFunc(ds.Schools, func(a, b School) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortStableFunc(ds.Candidates, func(a, b Candidate) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortStableFunc(ds.Population, func(a, b PopulationRow) int {
		return cmp.Or(cmp.Compare(a.County, b.County), cmp.Compare(a.Township, b.Township), cmp.Compare(a.Year, b.Year),
			cmp.Compare(b.Sex, a.Sex), // M before F
			cmp.Compare(a.Age, b.Age))
	})
	slices.SortStableFunc(ds.Births, func(a, b BirthRow) int {
		return cmp.Or(cmp.Compare(a.County, b.County), cmp.Compare(a.Township, b.Township), cmp.Compare(a.Year, b.Year))
	})
	slices.SortStableFunc(ds.Enrolment, func(a, b EnrolmentRow) int {
		return cmp.Or(cmp.Compare(a.SchoolID, b.SchoolID), cmp.Compare(a.Year, b.Year), cmp.Compare(a.Grade, b.Grade))
	})
	slices.SortStableFunc(ds.Teachers, func(a, b TeacherRow) int {
		return cmp.Or(cmp.Compare(a.SchoolID, b.SchoolID), cmp.Compare(a.Year, b.Year), cmp.Compare(levelRank(a.Level), levelRank(b.Level)))
	})
	slices.SortStableFunc(ds.Zones, func(a, b Zone) int {
		return cmp.Or(cmp.Compare(a.AreaID, b.AreaID), cmp.Compare(levelRank(a.Level), levelRank(b.Level)))
	})
}

func levelRank(l Level) int {
	for i, v := range Levels {
		if v == l {
			return i
		}
	}
	return len(Levels)
}

// cleanName is the file name shown for an xlsx sheet.
func cleanName(p string) string { return path.Base(filepath.ToSlash(p)) }

// syntheticReadme reports whether the folder's README.md starts with
// SyntheticNotice (as WriteCSV writes it for generated data).
func syntheticReadme(fsys fs.FS) bool {
	f, err := fsys.Open("README.md")
	if err != nil {
		return false
	}
	defer f.Close()
	line, _ := bufio.NewReaderSize(io.LimitReader(f, 4096), 4096).ReadString('\n')
	return strings.TrimSpace(strings.TrimPrefix(line, "#")) == SyntheticNotice
}
