package sample_test

import (
	"context"
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/data/sample"
	"github.com/seatplan/seatplan/data/synth"
)

func TestLoad(t *testing.T) {
	ds, warnings, err := sample.Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	for _, w := range warnings {
		t.Errorf("warning: %v", w)
	}
	if !ds.Synthetic || ds.Source != sample.Source {
		t.Errorf("Synthetic %v, Source %q; want true, %q", ds.Synthetic, ds.Source, sample.Source)
	}
	cases := []struct {
		name string
		got  int
		min  int
	}{
		{"areas", len(ds.Areas), 5000},
		{"schools", len(ds.Schools), 1200},
		{"population rows", len(ds.Population), 120 * 5 * 2 * 101},
		{"birth rows", len(ds.Births), 11 * 20},
		{"enrolment rows", len(ds.Enrolment), 50000},
		{"teacher rows", len(ds.Teachers), 10000},
		{"zones", len(ds.Zones), 15000},
		{"candidates", len(ds.Candidates), 10},
	}
	for _, c := range cases {
		if c.got < c.min {
			t.Errorf("%s = %d; want at least %d", c.name, c.got, c.min)
		}
	}
}

// TestMatchesGenerator proves the embedded files are what the generator
// makes now: both go through the same writer and loader.
func TestMatchesGenerator(t *testing.T) {
	want, err := synth.Generate(synth.Config{Scale: synth.City, Seed: synth.DefaultSeed})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir() + "/city"
	if err := data.WriteCSV(context.Background(), dir, want, data.CSVOptions{Gzip: true}); err != nil {
		t.Fatal(err)
	}
	want, _, err = data.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	want.Source, want.Synthetic = sample.Source, true
	got, _, err := sample.Load()
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(got, want) {
		return
	}
	gv, wv := reflect.ValueOf(got).Elem(), reflect.ValueOf(want).Elem()
	for i := range gv.NumField() {
		if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
			t.Errorf("embedded %s differ from synth.Generate(City, %d)", gv.Type().Field(i).Name, synth.DefaultSeed)
		}
	}
	t.Error("the embedded sample is stale; run: go generate ./data/sample/")
}

func TestFS(t *testing.T) {
	entries, err := fs.ReadDir(sample.FS(), ".")
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	var names []string
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		total += info.Size()
		names = append(names, e.Name())
		base, ok := strings.CutSuffix(e.Name(), ".csv.gz")
		if _, known := data.TableByName(base); !ok || !known {
			t.Errorf("embedded file %s; want only table.csv.gz files", e.Name())
		}
	}
	if len(names) != len(data.Tables) {
		t.Errorf("embedded files %v; want one per table (%d)", names, len(data.Tables))
	}
	if total > 5<<20 {
		t.Errorf("embedded files take %d bytes; want at most 5 MB", total)
	}
}
