package optimize

import (
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// pmedDirEnv names the folder holding pmed*.txt and optima.csv.
const pmedDirEnv = "SEATPLAN_PMED_DIR"

// pmedDir returns the OR-Library folder: $SEATPLAN_PMED_DIR, or ../shared/validation/pmed
// beside the module root (found by walking up to go.mod). It fails the test if the folder
// is missing.
func pmedDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv(pmedDirEnv)
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			tb.Fatalf("working directory: %v", err)
		}
		root := wd
		for {
			if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
				break
			}
			parent := filepath.Dir(root)
			if parent == root {
				tb.Fatalf("no go.mod above %s: cannot locate ../shared/validation/pmed; set %s", wd, pmedDirEnv)
			}
			root = parent
		}
		dir = filepath.Join(root, "..", "shared", "validation", "pmed")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		tb.Fatalf("OR-Library folder %s is missing (set %s): %v", dir, pmedDirEnv, err)
	}
	return dir
}

// pmedInstance is one file of the folder with its published optimum.
type pmedInstance struct {
	name    string
	path    string
	optimum float64
}

var pmedName = regexp.MustCompile(`^pmed(\d+)\.txt$`)

// pmedTestdataDir holds the OR-Library instances kept with the package (pmed31–pmed40).
var pmedTestdataDir = filepath.Join("testdata", "pmed")

// pmedInstances lists every pmed*.txt of the OR-Library folder (see pmedDir).
func pmedInstances(tb testing.TB) []pmedInstance {
	tb.Helper()
	return pmedInstancesIn(tb, pmedDir(tb))
}

// pmedAllInstances lists the OR-Library folder followed by the instances of
// testdata/pmed that the folder does not already hold.
func pmedAllInstances(tb testing.TB) []pmedInstance {
	tb.Helper()
	out := pmedInstances(tb)
	for _, inst := range pmedInstancesIn(tb, pmedTestdataDir) {
		if !slices.ContainsFunc(out, func(o pmedInstance) bool { return o.name == inst.name }) {
			out = append(out, inst)
		}
	}
	return out
}

// pmedInstancesIn lists every pmed*.txt of dir in numeric order with its optimum from
// optima.csv; a missing folder or optima.csv, a file without an optimum or an optimum
// without its file fails the test.
func pmedInstancesIn(tb testing.TB, dir string) []pmedInstance {
	tb.Helper()
	f, err := os.Open(filepath.Join(dir, "optima.csv"))
	if err != nil {
		tb.Fatalf("optima: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatalf("optima.csv: %v", err)
	}
	if len(rows) < 2 || len(rows[0]) < 5 || rows[0][0] != "instance" || rows[0][4] != "optimum" {
		tb.Fatalf("optima.csv: want header instance,n,edges,p,optimum and rows, got %v", rows[:min(1, len(rows))])
	}
	optima := map[string]float64{}
	for i, r := range rows[1:] {
		v, err := strconv.ParseFloat(strings.TrimSpace(r[4]), 64)
		if err != nil {
			tb.Fatalf("optima.csv:%d: %v", i+2, err)
		}
		optima[strings.TrimSpace(r[0])] = v
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatalf("%s: %v", dir, err)
	}
	var out []pmedInstance
	num := map[string]int{}
	for _, e := range entries {
		m := pmedName.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		name := strings.TrimSuffix(e.Name(), ".txt")
		opt, ok := optima[name]
		if !ok {
			tb.Fatalf("optima.csv has no optimum for %s", name)
		}
		num[name], _ = strconv.Atoi(m[1])
		out = append(out, pmedInstance{name: name, path: filepath.Join(dir, e.Name()), optimum: opt})
	}
	if len(out) == 0 {
		tb.Fatalf("no pmed*.txt files in %s", dir)
	}
	for name := range optima {
		if _, ok := num[name]; !ok {
			tb.Fatalf("optima.csv lists %s but %s is missing", name, filepath.Join(dir, name+".txt"))
		}
	}
	slices.SortFunc(out, func(a, b pmedInstance) int { return num[a.name] - num[b.name] })
	return out
}

func readORLibFile(tb testing.TB, path string, cheapest bool) *ORLibInstance {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatalf("%v", err)
	}
	defer f.Close()
	in, err := orlibRead(f, cheapest)
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return in
}

func TestReadORLib(t *testing.T) {
	// Vertices 1-2-3 in a path, with edge (1,2) given twice: 1 then 7. The last one wins,
	// so c(1,2) = 7 and c(1,3) = 7 + 2 = 9; the cheapest rule would give 1 and 3.
	//
	//	1 ──7── 2 ──2── 3
	const file = " 3 3 1\r\n 1 2 1\r\n 2 3 2\r\n 2 1 7\r\n"
	in, err := ReadORLib(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{{0, 7, 9}, {7, 0, 2}, {9, 2, 0}}
	if in.N != 3 || in.Edges != 3 || in.P != 1 || !slices.EqualFunc(in.Cost, want, slices.Equal) {
		t.Errorf("got n=%d edges=%d p=%d cost=%v, want 3 3 1 %v", in.N, in.Edges, in.P, in.Cost, want)
	}
	cheap, err := orlibRead(strings.NewReader(file), true)
	if err != nil {
		t.Fatal(err)
	}
	if cheap.Cost[0][1] != 1 || cheap.Cost[0][2] != 3 {
		t.Errorf("cheapest rule: got c(1,2)=%v c(1,3)=%v, want 1 and 3", cheap.Cost[0][1], cheap.Cost[0][2])
	}
	// Unreachable pairs stay infinite.
	in, err = ReadORLib(strings.NewReader("3 1 1\n1 2 5\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsInf(in.Cost[0][2], 1) || in.Cost[2][2] != 0 {
		t.Errorf("disconnected: got %v", in.Cost)
	}

	bad := []struct{ name, file string }{
		{"empty", ""},
		{"short header", "3 2"},
		{"p > n", "2 1 3\n1 2 1\n"},
		{"missing edge", "3 2 1\n1 2 1\n"},
		{"vertex out of range", "3 1 1\n1 4 1\n"},
		{"not a number", "3 1 1\n1 x 1\n"},
		{"trailing data", "3 1 1\n1 2 1\n9\n"},
		{"negative cost", "3 1 1\n1 2 -1\n"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ReadORLib(strings.NewReader(tc.file)); err == nil {
				t.Errorf("ReadORLib(%q) succeeded, want an error", tc.file)
			}
		})
	}
}

// TestORLibDuplicateEdgeRule proves the parse on pmed1, which has duplicate edges: the
// last-wins rule gives the published optimum 5819, the cheapest-wins rule gives 5718.
func TestORLibDuplicateEdgeRule(t *testing.T) {
	path := filepath.Join(pmedDir(t), "pmed1.txt")
	for _, tc := range []struct {
		name     string
		cheapest bool
		want     float64
	}{
		{"last duplicate wins", false, 5819},
		{"cheapest duplicate wins", true, 5718},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := readORLibFile(t, path, tc.cheapest)
			res, err := PMedian(context.Background(), in.Problem(), LocationOptions{Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			if res.Cost != tc.want || !res.Optimal {
				t.Errorf("pmed1: cost %v (optimal %v, bound %v), want %v proven", res.Cost, res.Optimal, res.LowerBound, tc.want)
			}
		})
	}
}

// TestPMedianORLib solves every instance of the folder and of testdata/pmed and asserts
// its published optimum.
func TestPMedianORLib(t *testing.T) {
	insts := pmedAllInstances(t)
	var total time.Duration
	for _, inst := range insts {
		t.Run(inst.name, func(t *testing.T) {
			in := readORLibFile(t, inst.path, false)
			prob := in.Problem()
			start := time.Now()
			res, err := PMedian(context.Background(), prob, LocationOptions{Seed: 1})
			took := time.Since(start)
			total += took
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s n=%d p=%d: cost %v optimum %v bound %.1f gap %.4f%% proven %v starts %d in %v",
				inst.name, in.N, in.P, res.Cost, inst.optimum, res.LowerBound, 100*res.Gap, res.Optimal, res.Starts, took.Round(time.Millisecond))
			if res.Cost != inst.optimum {
				t.Errorf("%s: cost %v, published optimum %v", inst.name, res.Cost, inst.optimum)
			}
			if res.LowerBound > res.Cost {
				t.Errorf("%s: bound %v above cost %v", inst.name, res.LowerBound, res.Cost)
			}
			if len(res.Open) != in.P {
				t.Errorf("%s: %d sites open, want %d", inst.name, len(res.Open), in.P)
			}
		})
	}
	t.Logf("%d instances solved in %v", len(insts), total.Round(time.Millisecond))
}
