package forecast

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/data/synth"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// resultDigest returns one SHA-256 per part of r over its JSON encoding,
// which writes every float64 in the shortest form that reads back to the
// same bits, so equal digests mean bit-identical numbers.
func resultDigest(t *testing.T, r *Result) string {
	t.Helper()
	parts := []struct {
		name string
		v    any
	}{
		{"city", r.City}, {"counties", r.Counties}, {"townships", r.Townships},
		{"areas", r.Areas}, {"schools", r.Schools}, {"warnings", r.Warnings},
		{"first_warnings", r.FirstWarnings},
	}
	var b strings.Builder
	for _, p := range parts {
		js, err := json.Marshal(p.v)
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		h := sha256.Sum256(js)
		fmt.Fprintf(&b, "%s %s\n", p.name, hex.EncodeToString(h[:]))
	}
	return b.String()
}

// checkGolden compares the digests of a forecast of ds against
// testdata/name; go test ./forecast -run Golden -update rewrites it.
func checkGolden(t *testing.T, ds *data.Dataset, draws int, name string) {
	t.Helper()
	sc := Default()
	sc.Draws = draws
	sc.Seed = 1
	var first string
	for _, workers := range []int{1, 2} {
		r, err := Run(context.Background(), ds, sc, Options{Workers: workers, Areas: true}, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := resultDigest(t, r)
		if first == "" {
			first = got
		} else if got != first {
			t.Fatalf("%d workers:\n%s\ndiffers from 1 worker:\n%s", workers, got, first)
		}
	}
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(first), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./forecast -run Golden -update creates it)", err)
	}
	if first != string(want) {
		t.Errorf("forecast digests changed:\n got\n%s\nwant\n%s(if the model changed on purpose, go test ./forecast -run Golden -update rewrites %s)", first, want, path)
	}
}

// TestGoldenSample pins every number of a 200-draw forecast of the sample
// with seed 1, so that speed work cannot change results unnoticed.
func TestGoldenSample(t *testing.T) {
	checkGolden(t, loadSample(t), 200, "sample_seed1_200.txt")
}

// TestGoldenProvince does the same for a generated province with 20 draws.
// It takes several gigabytes and tens of seconds, so it runs only when
// SEATPLAN_PROVINCE_GOLDEN is set.
func TestGoldenProvince(t *testing.T) {
	if os.Getenv("SEATPLAN_PROVINCE_GOLDEN") == "" {
		t.Skip("set SEATPLAN_PROVINCE_GOLDEN=1 to run")
	}
	ds, err := synth.Generate(synth.Config{Scale: synth.Province, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, ds, 20, "province_seed1_20.txt")
}
