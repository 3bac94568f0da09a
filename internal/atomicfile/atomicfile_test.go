package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFileKeepsOldOnError(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.txt")
	if err := WriteFile(p, func(w io.Writer) error { _, err := io.WriteString(w, "good"); return err }); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := WriteFile(p, func(w io.Writer) error {
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
	if err := WriteDir(dir, fill("1")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "other"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteDir(dir, fill("2")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.csv")); string(b) != "2" {
		t.Errorf("a.csv = %q, want 2", b)
	}
	err := WriteDir(dir, func(tmp string) error {
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
