package forecast

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// validationDir is where the published reference series live, relative to
// this package.
const validationDir = "../../shared/validation/real"

// readTable reads a validation CSV (comment lines start with #) into its
// header and rows; a missing file fails the test.
func readTable(t *testing.T, name string) ([]string, [][]string) {
	t.Helper()
	f, err := os.Open(filepath.Join(validationDir, name))
	if err != nil {
		t.Fatalf("validation file missing: %v", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	r.TrimLeadingSpace = true
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rows[0], rows[1:]
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		t.Fatalf("number %q: %v", s, err)
	}
	return v
}

// TestNCESGradeProgression repeats NCES's method on its own series: grade
// progression ratios smoothed with α = 0.4 on fall 1990–1994, grades 2–12
// projected for 1995–1999 from the actual kindergarten and grade 1. The
// MAPE of the grade 2–12 total must not exceed NCES's published MAPE of its
// national public enrolment projections at any lead (0.3, 0.6 and 1.3 % at
// 1, 2 and 5 years; leads 3 and 4 interpolated).
func TestNCESGradeProgression(t *testing.T) {
	head, rows := readTable(t, "us_public_enrollment_by_grade_1980_1999_nces203_10.csv")
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	grades := []string{"k", "g1", "g2", "g3", "g4", "g5", "g6", "g7", "g8", "g9", "g10", "g11", "g12"}
	byYear := map[int][]float64{}
	for _, r := range rows {
		y := int(num(t, r[col["fall_year"]]))
		v := make([]float64, len(grades))
		for g, name := range grades {
			i, ok := col[name]
			if !ok {
				t.Fatalf("column %s missing", name)
			}
			v[g] = num(t, r[i])
		}
		byYear[y] = v
	}
	var fit [][]float64
	for y := 1990; y <= 1994; y++ {
		if byYear[y] == nil {
			t.Fatalf("fall %d missing", y)
		}
		fit = append(fit, byYear[y])
	}
	ratios := ProgressionRatios(fit, 0.4)
	nces := map[int]float64{1: 0.3, 2: 0.6, 3: 0.6 + 0.7/3, 4: 0.6 + 1.4/3, 5: 1.3}
	prev := byYear[1994]
	var next []float64
	t.Logf("lead  year  projected  actual  APE %%  NCES MAPE %%")
	for lead := 1; lead <= 5; lead++ {
		y := 1994 + lead
		act := byYear[y]
		next = Progress(nil, prev, ratios, act[0])
		next[1] = act[1] // actual grade 1
		proj, real := 0.0, 0.0
		for g := 2; g < len(grades); g++ {
			proj += next[g]
			real += act[g]
		}
		ape := math.Abs(proj-real) / real * 100
		t.Logf("%4d  %d  %9.0f  %6.0f  %5.2f  %5.2f", lead, y, proj, real, ape, nces[lead])
		if ape > nces[lead] {
			t.Errorf("lead %d: MAPE %.2f %% above NCES's %.2f %%", lead, ape, nces[lead])
		}
		prev = next
	}
}

// TestChinaEntryBlend checks the two-birth-year blend on China's births:
// national primary entrants fell to 1701.4万 in 2022 and jumped to 1877.9万
// in 2023. Entrants of autumn t were born Sep(t−7)–Aug(t−6): ⅓·B(t−7) +
// ⅔·B(t−6). The blend moves up from 2022 to 2023 as the entrants did; the
// single-year lag B(t−6) moves down (a 2022 peak where the entrants dipped)
// and misses it. The levels shown use the entry ratio of 2004 (17,470,128
// entrants, MOE).
func TestChinaEntryBlend(t *testing.T) {
	_, rows := readTable(t, "china_births_1949_2022_wan.csv")
	births := map[int]float64{}
	for _, r := range rows {
		births[int(num(t, r[0]))] = num(t, r[1])
	}
	for _, y := range []int{1997, 1998, 2015, 2016, 2017} {
		if births[y] == 0 {
			t.Fatalf("births of %d missing", y)
		}
	}
	head, rows := readTable(t, "china_primary_students_by_grade_2004_moe.csv")
	var entrants2004 float64
	for i, h := range head {
		if h == "entrants" {
			entrants2004 = num(t, rows[0][i]) / 1e4
		}
	}
	if entrants2004 == 0 {
		t.Fatal("2004 entrants missing")
	}
	at := func(y int) float64 { return births[y] }
	blend := func(y int) float64 { return EntryBlend(at, y, 6, 1.0/3) }
	single := func(y int) float64 { return births[y-6] }
	rBlend := entrants2004 / blend(2004)
	rSingle := entrants2004 / single(2004)
	actual := map[int]float64{2022: 1701.4, 2023: 1877.9}
	t.Logf("entry ratio 2004: blend %.3f, single-year lag %.3f", rBlend, rSingle)
	for _, y := range []int{2022, 2023} {
		t.Logf("%d: actual %.1f万, blend %.1f万, single-year lag %.1f万", y, actual[y], rBlend*blend(y), rSingle*single(y))
	}
	up := actual[2023] > actual[2022]
	if got := blend(2023) > blend(2022); got != up {
		t.Errorf("blend moves %v from 2022 to 2023, entrants moved up", got)
	}
	if got := single(2023) > single(2022); got == up {
		t.Errorf("single-year lag moves the same way as the entrants; expected it to miss the jump")
	}
	// The levels are another matter: r drifted from 0.89 in 2004 to 0.98
	// in 2022 and 1.08 in 2023 (under-counted births, migration), which is
	// why r is fitted per school or zone from recent history.
	t.Logf("2022→2023: actual %+.1f %%, blend %+.1f %%, single-year lag %+.1f %%",
		100*(actual[2023]/actual[2022]-1), 100*(blend(2023)/blend(2022)-1), 100*(single(2023)/single(2022)-1))
}
