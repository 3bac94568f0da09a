package workbook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seatplan/seatplan/internal/ctxtest"
)

// countingWriter counts the bytes it is given.
type countingWriter struct{ n int }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += len(p)
	return len(p), nil
}

// TestSpillRemoved fills a sheet past excelize's in-memory limit, so that
// its stream writer spills to a temporary file: the file must land in the
// workbook's scratch folder under TMPDIR, and closing the workbook must
// remove both.
func TestSpillRemoved(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	f, closeBook, err := New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	row := make([]any, 20)
	for i := range row {
		row[i] = fmt.Sprintf("%d %s", i, strings.Repeat("long text to fill memory ", 10))
	}
	for r := 1; r <= 4000; r++ {
		if err := sw.SetRow(fmt.Sprintf("A%d", r), row); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := Write(context.Background(), io.Discard, f); err != nil {
		t.Fatal(err)
	}
	if got := files(t, tmp); len(got) != 1 {
		t.Fatalf("TMPDIR holds %v before close, want one spill file in the scratch folder", got)
	}
	closeBook()
	if got := files(t, tmp); len(got) != 0 {
		t.Errorf("TMPDIR holds %v after close", got)
	}
	if entries, _ := filepath.Glob(filepath.Join(tmp, "*")); len(entries) != 0 {
		t.Errorf("TMPDIR holds %v after close", entries)
	}
}

// TestWriteStopsWhenCancelled cancels the context while the archive is
// being compressed: Write must fail with the context's error and hand the
// destination nothing.
func TestWriteStopsWhenCancelled(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	f, closeBook, err := New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer closeBook()
	for r := 1; r <= 2000; r++ {
		if err := f.SetCellValue("Sheet1", fmt.Sprintf("A%d", r), r); err != nil {
			t.Fatal(err)
		}
	}
	var all countingWriter
	if err := Write(context.Background(), &all, f); err != nil || all.n == 0 {
		t.Fatalf("uncancelled Write: %v, %d bytes", err, all.n)
	}
	// New's zip writer consults the context given to New, so stop that
	// one: a second workbook, cancelled at the third check.
	ctx := &ctxtest.Countdown{Context: context.Background(), N: 3}
	g, closeG, err := New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer closeG()
	for r := 1; r <= 2000; r++ {
		if err := g.SetCellValue("Sheet1", fmt.Sprintf("A%d", r), r); err != nil {
			t.Fatal(err)
		}
	}
	var w countingWriter
	if err := Write(ctx, &w, g); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if w.n != 0 {
		t.Errorf("%d bytes reached the destination, want none", w.n)
	}
}

// files lists the regular files under dir.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
