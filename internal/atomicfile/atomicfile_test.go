package atomicfile

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFileKeepsOldOnError(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.txt")
	if err := WriteFile(context.Background(), p, func(w io.Writer) error { _, err := io.WriteString(w, "good"); return err }); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := WriteFile(context.Background(), p, func(w io.Writer) error {
		io.WriteString(w, "half")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	b, _ := os.ReadFile(p)
	if string(b) != "good" {
		t.Errorf("file = %q, want the old content", b)
	}
	assertOnly(t, dir, "out.txt")
}

func TestWriteDir(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "d")
	fill := func(content string) func(string) error {
		return func(tmp string) error { return os.WriteFile(filepath.Join(tmp, "a.csv"), []byte(content), 0o644) }
	}
	if err := WriteDir(context.Background(), dir, fill("1")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "other"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteDir(context.Background(), dir, fill("2")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.csv")); string(b) != "2" {
		t.Errorf("a.csv = %q, want 2", b)
	}
	err := WriteDir(context.Background(), dir, func(tmp string) error {
		os.WriteFile(filepath.Join(tmp, "a.csv"), []byte("3"), 0o644)
		return errors.New("fail")
	})
	if err == nil {
		t.Fatal("want error")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.csv")); string(b) != "2" {
		t.Errorf("a.csv = %q after failed write, want 2", b)
	}
	assertOnly(t, parent, "d")
	assertOnly(t, dir, "a.csv", "other")
}

func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if len(got) != len(names) {
		t.Fatalf("%s holds %v, want %v", dir, got, names)
	}
	for i := range got {
		if got[i] != names[i] {
			t.Fatalf("%s holds %v, want %v", dir, got, names)
		}
	}
}

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

func TestCancelledBeforeRename(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.txt")
	if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	err := WriteFile(ctx, p, func(w io.Writer) error {
		if _, err := io.WriteString(w, "new"); err != nil {
			return err
		}
		// The work finishes, but the command was told to stop meanwhile.
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "old" {
		t.Errorf("file = %q, want the old content", b)
	}
	assertOnly(t, dir, "out.txt")
}

func TestWriterFailsOnceCancelled(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var second error
	err := WriteFile(ctx, filepath.Join(dir, "out.txt"), func(w io.Writer) error {
		if _, err := io.WriteString(w, "a"); err != nil {
			t.Fatalf("first write: %v", err)
		}
		cancel()
		_, second = io.WriteString(w, "b")
		return second
	})
	if !errors.Is(second, context.Canceled) || !errors.Is(err, context.Canceled) {
		t.Errorf("write after cancel: %v; WriteFile: %v", second, err)
	}
	assertOnly(t, dir)
}

// TestBatchAllOrNothing proves that a batch whose last write fails leaves
// every target as it was, and that a successful batch replaces them all.
func TestBatchAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	for _, p := range []string{a, b} {
		if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	boom := errors.New("boom")
	func() {
		bt := NewBatch(context.Background())
		defer bt.Discard()
		if err := bt.WriteFile(a, writeString("new")); err != nil {
			t.Fatal(err)
		}
		if err := bt.WriteFile(b, func(io.Writer) error { return boom }); !errors.Is(err, boom) {
			t.Fatalf("err = %v, want boom", err)
		}
	}()
	for _, p := range []string{a, b} {
		if got, _ := os.ReadFile(p); string(got) != "old" {
			t.Errorf("%s = %q after a failed batch, want old", filepath.Base(p), got)
		}
	}
	assertOnly(t, dir, "a", "b")

	bt := NewBatch(context.Background())
	defer bt.Discard()
	for _, p := range []string{a, b} {
		if err := bt.WriteFile(p, writeString("new")); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := os.ReadFile(a); string(got) != "old" {
		t.Errorf("a = %q before Commit, want old", got)
	}
	if err := bt.Commit(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{a, b} {
		if got, _ := os.ReadFile(p); string(got) != "new" {
			t.Errorf("%s = %q after Commit, want new", filepath.Base(p), got)
		}
	}
	assertOnly(t, dir, "a", "b")
}

// TestTrackerRemoveAll stands for a process that must exit while its work
// still holds temporary files: RemoveAll deletes them, and the work can
// neither create new ones nor commit afterwards.
func TestTrackerRemoveAll(t *testing.T) {
	out := t.TempDir()
	t.Setenv("TMPDIR", t.TempDir())
	tr := NewTracker()
	ctx := WithTracker(context.Background(), tr)

	scratch, release, err := TempDir(ctx, "scratch-*")
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if err := os.WriteFile(filepath.Join(scratch, "spill"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	bt := NewBatch(ctx)
	defer bt.Discard()
	if err := bt.WriteFile(filepath.Join(out, "a"), writeString("new")); err != nil {
		t.Fatal(err)
	}
	if got := len(tr.Paths()); got != 2 {
		t.Fatalf("tracker holds %v, want the scratch folder and one file", tr.Paths())
	}
	if err := tr.RemoveAll(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(scratch); !os.IsNotExist(err) {
		t.Errorf("scratch folder still there: %v", err)
	}
	assertOnly(t, out)
	if err := bt.Commit(); err == nil {
		t.Error("Commit after RemoveAll succeeded")
	}
	if err := bt.WriteFile(filepath.Join(out, "b"), writeString("new")); err == nil {
		t.Error("WriteFile after RemoveAll succeeded")
	}
	if _, _, err := TempDir(ctx, "scratch-*"); err == nil {
		t.Error("TempDir after RemoveAll succeeded")
	}
	assertOnly(t, out)
	assertOnly(t, os.Getenv("TMPDIR"))
}

func TestWriteDirCancelled(t *testing.T) {
	parent := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	err := WriteDir(ctx, filepath.Join(parent, "d"), func(tmp string) error {
		cancel()
		return os.WriteFile(filepath.Join(tmp, "a.csv"), nil, 0o644)
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	assertOnly(t, parent)
}
