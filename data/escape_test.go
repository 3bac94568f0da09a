package data

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEscapeCSVText(t *testing.T) {
	cases := []struct{ in, want string }{
		{`=HYPERLINK("http://x","y")`, `'=HYPERLINK("http://x","y")`},
		{"+1", "'+1"},
		{"-2", "'-2"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"'=x", "''=x"},
		{"''-x", "'''-x"},
		{"'", "'"},
		{"'abc", "'abc"},
		{"古楼小学", "古楼小学"},
		{"a=b", "a=b"},
		{"", ""},
	}
	for _, c := range cases {
		if got := EscapeCSVText(c.in); got != c.want {
			t.Errorf("EscapeCSVText(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := UnescapeCSVText(c.want); got != c.in {
			t.Errorf("UnescapeCSVText(%q) = %q, want %q", c.want, got, c.in)
		}
	}
	// Text a person typed with a quote in front of something harmless
	// keeps it.
	if got := UnescapeCSVText("'abc"); got != "'abc" {
		t.Errorf("UnescapeCSVText('abc) = %q", got)
	}
}

// hostileDataset is smallDataset with formula-like names and a negative
// longitude.
func hostileDataset() *Dataset {
	ds := smallDataset()
	ds.Areas[0].Name = "@SUM(A1)"
	ds.Areas[1].Name = "-2"
	ds.Areas[1].Lon = -5.5
	for i := range ds.Schools {
		switch ds.Schools[i].ID {
		case "S1":
			ds.Schools[i].Name = "+1"
		case "K1":
			ds.Schools[i].Name = "'=quoted"
		}
	}
	ds.Candidates[0].Name = "=1+1"
	return ds
}

// TestWriteCSVEscapes reads the raw CSV: formula-like text has its quote,
// numbers do not, and loading gives back the exact text.
func TestWriteCSVEscapes(t *testing.T) {
	ds := hostileDataset()
	dir := filepath.Join(t.TempDir(), "d")
	if err := WriteCSV(context.Background(), dir, ds, CSVOptions{}); err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	areas, schools, cands := read("areas.csv"), read("schools.csv"), read("candidates.csv")
	for _, c := range []struct{ file, text, want string }{
		{areas, "areas", ",'@SUM(A1),"},
		{areas, "areas", ",'-2,"},
		{areas, "areas", ",-5.5,"},
		{schools, "schools", ",'+1,"},
		{schools, "schools", ",''=quoted,"},
		{schools, "schools", `,"'=HYPERLINK(""x"")",`},
		{cands, "candidates", ",'=1+1,"},
	} {
		if !strings.Contains(c.file, c.want) {
			t.Errorf("%s.csv lacks %s:\n%s", c.text, c.want, c.file)
		}
	}
	if strings.Contains(areas, "'-5.5") {
		t.Error("a negative longitude was escaped")
	}
	got, _, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range ds.Areas {
		if got.Areas[i].Name != want.Name || got.Areas[i].Lon != want.Lon {
			t.Errorf("area %s: %q at %v, want %q at %v", want.ID, got.Areas[i].Name, got.Areas[i].Lon, want.Name, want.Lon)
		}
	}
	for i, want := range ds.Schools {
		if got.Schools[i].Name != want.Name {
			t.Errorf("school %s: %q, want %q", want.ID, got.Schools[i].Name, want.Name)
		}
	}
	if got.Candidates[0].Name != "=1+1" {
		t.Errorf("candidate %q", got.Candidates[0].Name)
	}
}

// TestWriteCSVNumbersPlain writes a cell of each kind through writeCSV's
// formatting: only text is ever quoted.
func TestWriteCSVNumbersPlain(t *testing.T) {
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	for _, v := range []any{-5, -2.25, "-5", 3} {
		writeField(w, cellText(v))
		w.WriteByte(',')
	}
	w.Flush()
	if got, want := b.String(), "-5,-2.25,'-5,3,"; got != want {
		t.Errorf("cells %q, want %q", got, want)
	}
}
