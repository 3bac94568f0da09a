package main

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/data/synth"
	"github.com/seatplan/seatplan/report"
)

// Draws and seeds of the determinism test. With 200 draws the standard
// error of a median is 1.2533·σ/√200 ≈ 0.089·σ, small enough that a real
// shift of the centre between seeds stands out.
const (
	determinismDraws = 200
	seedA            = 11
	seedB            = 12
	// generatedSeed is the synthetic generator's seed for the second
	// dataset; the embedded sample uses synth.DefaultSeed.
	generatedSeed = 2
)

// planOutput is what one plan run wrote, read back.
type planOutput struct {
	cells              map[string][][]string // raw cell values by sheet
	sheets             []string
	props              *excelize.DocProperties
	json, geojson, png []byte
}

// runPlanOutputs runs plan into dir with the given data flags and seed and
// reads every output back: of the workbook, the sheets named in only, or
// every sheet when only is nil. Runs into the same dir give the same
// command line, so the 参数 sheet's command row can be compared too.
func runPlanOutputs(t *testing.T, dir string, seed int, only []string, dataArgs ...string) *planOutput {
	t.Helper()
	xlsx, js, gj, png := filepath.Join(dir, "plan.xlsx"), filepath.Join(dir, "plan.json"), filepath.Join(dir, "plan.geojson"), filepath.Join(dir, "plan.png")
	args := append([]string{"plan", "--draws", strconv.Itoa(determinismDraws), "--seed", strconv.Itoa(seed),
		"-o", xlsx, "--json", js, "--geojson", gj, "--map", png}, dataArgs...)
	code, _, stderr := runCmd(t, args...)
	if code != exitOK {
		t.Fatalf("plan %v: exit %d:\n%s", args, code, stderr)
	}
	out := &planOutput{cells: map[string][][]string{}}
	for path, dst := range map[string]*[]byte{js: &out.json, gj: &out.geojson, png: &out.png} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		*dst = b
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out.sheets = f.GetSheetList()
	for _, sh := range out.sheets {
		if only != nil && !slices.Contains(only, sh) {
			continue
		}
		// Raw values: the formatted ones (#,##0, 0.0%) would hide a
		// difference in the decimals.
		rows, err := f.GetRows(sh, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		out.cells[sh] = rows
	}
	if out.props, err = f.GetDocProps(); err != nil {
		t.Fatal(err)
	}
	return out
}

// sameOutputs reports every way b differs from a: the JSON, GeoJSON and
// map bytes, the sheet list, the document properties, and the first
// differing cell of each sheet. Nothing is excluded: the workbook records
// no clock time (its document properties carry excelize's fixed 2006
// dates, checked here), the version and input hashes are the same within
// one test binary and one dataset, and both runs write to the same paths,
// so the command line on 参数 matches too.
func sameOutputs(t *testing.T, a, b *planOutput) {
	t.Helper()
	for _, o := range []struct {
		name string
		a, b []byte
	}{{"JSON", a.json, b.json}, {"GeoJSON", a.geojson, b.geojson}, {"map PNG", a.png, b.png}} {
		if len(o.a) == 0 {
			t.Errorf("%s is empty", o.name)
		}
		if !bytes.Equal(o.a, o.b) {
			t.Errorf("%s differs between runs (%d vs %d bytes)", o.name, len(o.a), len(o.b))
		}
	}
	if !slices.Equal(a.sheets, b.sheets) {
		t.Fatalf("sheets %v vs %v", a.sheets, b.sheets)
	}
	if !reflect.DeepEqual(a.props, b.props) {
		t.Errorf("document properties differ: %+v vs %+v", a.props, b.props)
	}
	for _, sh := range a.sheets {
		ra, rb := a.cells[sh], b.cells[sh]
		if len(ra) < 3 {
			t.Errorf("%s has %d rows; want a title, a header and data", sh, len(ra))
		}
		if len(ra) != len(rb) {
			t.Errorf("%s: %d rows vs %d", sh, len(ra), len(rb))
			continue
		}
		if r, c, ok := firstDiff(ra, rb); ok {
			name, _ := excelize.CoordinatesToCellName(c+1, r+1)
			t.Errorf("%s!%s differs between runs: %q vs %q", sh, name, cellAt(ra, r, c), cellAt(rb, r, c))
		}
	}
}

// firstDiff returns the 0-based row and column of the first cell where a
// and b differ.
func firstDiff(a, b [][]string) (row, col int, ok bool) {
	for r := range max(len(a), len(b)) {
		n := 0
		if r < len(a) {
			n = len(a[r])
		}
		if r < len(b) {
			n = max(n, len(b[r]))
		}
		for c := range n {
			if cellAt(a, r, c) != cellAt(b, r, c) {
				return r, c, true
			}
		}
	}
	return 0, 0, false
}

func cellAt(rows [][]string, r, c int) string {
	if r < len(rows) && c < len(rows[r]) {
		return rows[r][c]
	}
	return ""
}

// countyRow is one row of 区县预测: the pupils of one county (or the
// city), year and level.
type countyRow struct {
	year          int
	p10, p50, p90 float64
}

// countyQuantiles reads the years and pupils P10/P50/P90 of 区县预测,
// keyed by county, year and level.
func countyQuantiles(t *testing.T, o *planOutput) map[string]countyRow {
	t.Helper()
	rows := o.cells[report.SheetCountyForecast]
	if len(rows) < 3 || cellAt(rows, 1, 3) != "学生P10\nPupils P10" || cellAt(rows, 1, 5) != "学生P90\nPupils P90" {
		t.Fatalf("%s header is not county, year, level, P10, P50, P90: %q", report.SheetCountyForecast, cellAt(rows, 1, 3))
	}
	out := map[string]countyRow{}
	for i, r := range rows[2:] {
		var q [4]float64
		for j, col := range [4]int{1, 3, 4, 5} { // year, P10, P50, P90
			v, err := strconv.ParseFloat(cellAt(rows, i+2, col), 64)
			if err != nil {
				t.Fatalf("%s row %d: %v", report.SheetCountyForecast, i+3, err)
			}
			q[j] = v
		}
		out[r[0]+" "+r[1]+" "+r[2]] = countyRow{int(q[0]), q[1], q[2], q[3]}
	}
	return out
}

// firstYearInflation widens the P50 bound in the first forecast year. There
// one resampled residual year (of the few in the enrolment history) with a
// random sign sets each county's common error, so a county total is a
// mixture of a dozen or so bumps and its median varies more between seeds
// than the normal formula says: over 16 seeds (8 independent pairs, 4,224
// rows of the sample) the spread of P50 was up to 3.1 times the formula in
// 2025 (kindergarten and high school), against a median of 1.0 and at most
// 1.7 in later years, where several years' draws have smoothed it.
const firstYearInflation = 3

// p50Shift compares the medians of two runs with different seeds against
// their sampling error. σ of each run is estimated from its P10–P90 range
// (2·1.28155 σ for a normal distribution), the standard error of its median
// as 1.2533·σ/√draws, and that of the difference of two independent medians
// as √(SEa² + SEb²), times firstYearInflation in the first year. It returns
// the largest |ΔP50|/SE, the row where it occurs, how many rows had a
// spread and how many of those changed P10 or P90. Rows without spread in
// either run must have equal medians.
func p50Shift(t *testing.T, a, b map[string]countyRow, draws int) (worst float64, where string, spread, changed int) {
	t.Helper()
	const z90 = 2.5631 // P90 − P10 of a standard normal
	se := func(q countyRow) float64 {
		return 1.2533 * (q.p90 - q.p10) / z90 / math.Sqrt(float64(draws))
	}
	first := math.MaxInt
	keys := make([]string, 0, len(a))
	for k, q := range a {
		keys = append(keys, k)
		first = min(first, q.year)
	}
	slices.Sort(keys)
	for _, k := range keys {
		qa := a[k]
		qb, ok := b[k]
		if !ok {
			t.Errorf("%s: missing in the second run", k)
			continue
		}
		d := math.Abs(qa.p50 - qb.p50)
		s := math.Hypot(se(qa), se(qb))
		if s == 0 {
			// Both runs put P10 = P90: the value does not depend on the
			// draws, so the seed must not move it.
			if d > 1e-9*max(1, math.Abs(qa.p50)) {
				t.Errorf("%s: no spread in either run but P50 %g vs %g", k, qa.p50, qb.p50)
			}
			continue
		}
		if qa.year == first {
			s *= firstYearInflation
		}
		spread++
		if qa.p10 != qb.p10 || qa.p90 != qb.p90 {
			changed++
		}
		if r := d / s; r > worst || where == "" {
			worst, where = r, fmt.Sprintf("%s: P50 %.1f vs %.1f, P10–P90 %.1f–%.1f vs %.1f–%.1f", k, qa.p50, qb.p50, qa.p10, qa.p90, qb.p10, qb.p90)
		}
	}
	return worst, where, spread, changed
}

// subsetCounties keeps the given counties of ds and everything that refers
// to them, so a generated city shrinks to a few counties that still form a
// valid dataset.
func subsetCounties(ds *data.Dataset, counties []string) *data.Dataset {
	keep := func(c string) bool { return slices.Contains(counties, c) }
	out := &data.Dataset{Source: ds.Source, Synthetic: ds.Synthetic, Roads: ds.Roads}
	areas, schools := map[string]bool{}, map[string]bool{}
	for _, a := range ds.Areas {
		if keep(a.County) {
			out.Areas = append(out.Areas, a)
			areas[a.ID] = true
		}
	}
	for _, s := range ds.Schools {
		if keep(s.County) {
			out.Schools = append(out.Schools, s)
			schools[s.ID] = true
		}
	}
	for _, p := range ds.Population {
		if keep(p.County) {
			out.Population = append(out.Population, p)
		}
	}
	for _, b := range ds.Births {
		if keep(b.County) {
			out.Births = append(out.Births, b)
		}
	}
	for _, e := range ds.Enrolment {
		if schools[e.SchoolID] {
			out.Enrolment = append(out.Enrolment, e)
		}
	}
	for _, tr := range ds.Teachers {
		if schools[tr.SchoolID] {
			out.Teachers = append(out.Teachers, tr)
		}
	}
	for _, z := range ds.Zones {
		if areas[z.AreaID] && schools[z.SchoolID] {
			out.Zones = append(out.Zones, z)
		}
	}
	for _, c := range ds.Candidates {
		if keep(c.County) {
			out.Candidates = append(out.Candidates, c)
		}
	}
	return out
}

// TestPlanDeterminism runs plan twice with the same seed on the embedded
// sample and on a generated dataset, and requires identical outputs: the
// JSON, GeoJSON and map bytes and every raw cell of every sheet, 参数
// included. A third run with another seed must move the P10–P90 intervals
// of the city and county pupil forecasts but not their medians beyond
// sampling error: |ΔP50| ≤ k·√(SEa² + SEb²) (widened in the first year,
// see firstYearInflation) with k = 4. For two independent estimates of the
// same median ΔP50/SE is about standard normal, so one row exceeds 4 with
// probability 6·10⁻⁵, and 4 is the Bonferroni bound for the sample's 528
// rows at a 3 % family-wise rate (less, as the rows are correlated across
// years and between the city and its counties); over 8 pairs of seeds the
// sample's later-year rows exceeded it 2 times in 3,840 (tails a little
// heavier than normal). A real shift of a median by half a standard
// deviation (4·√2·0.089 σ) fails.
func TestPlanDeterminism(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole plan three times on the sample and three times on a generated dataset")
	}
	// Two counties and a small zone of the generated city, 410 of its
	// 2,570 schools, so the three runs on it take a fraction of the
	// sample's time.
	generatedCounties := []string{"东阿县", "高唐县", "江北水城旅游度假区"}
	genDir := t.TempDir()
	gen, err := synth.Generate(synth.Config{Scale: synth.City, Seed: generatedSeed})
	if err != nil {
		t.Fatal(err)
	}
	if err := data.WriteCSV(context.Background(), genDir, subsetCounties(gen, generatedCounties), data.CSVOptions{}); err != nil {
		t.Fatal(err)
	}
	const k = 4
	for _, tc := range []struct {
		name     string
		dataArgs []string
		counties int // county rows of 区县预测 besides the city
	}{
		{"sample", nil, 11},
		{"generated", []string{"--data", genDir}, len(generatedCounties)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			a := runPlanOutputs(t, dir, seedA, nil, tc.dataArgs...)
			b := runPlanOutputs(t, dir, seedA, nil, tc.dataArgs...)
			sameOutputs(t, a, b)

			c := runPlanOutputs(t, t.TempDir(), seedB, []string{report.SheetCountyForecast}, tc.dataArgs...)
			qa, qc := countyQuantiles(t, a), countyQuantiles(t, c)
			names := map[string]bool{}
			for _, r := range a.cells[report.SheetCountyForecast][2:] {
				names[r[0]] = true
			}
			if len(names) != tc.counties+1 {
				t.Errorf("区县预测 has %d counties and the city, want %d", len(names)-1, tc.counties)
			}
			worst, where, spread, changed := p50Shift(t, qa, qc, determinismDraws)
			t.Logf("seed %d vs %d: %d rows, %d with a spread, %d of them with a different P10 or P90; max |ΔP50|/SE = %.2f at %s",
				seedA, seedB, len(qa), spread, changed, worst, where)
			if spread < len(qa)/2 {
				t.Errorf("only %d of %d rows have a P10–P90 spread", spread, len(qa))
			}
			// Every row with a spread comes from the draws, so another
			// seed must move (nearly) every interval.
			if changed < spread*9/10 {
				t.Errorf("another seed changed the interval of only %d of %d rows", changed, spread)
			}
			if worst > k {
				t.Errorf("|ΔP50|/SE = %.2f > %d at %s", worst, k, where)
			}
			if worst == 0 {
				t.Errorf("no median moved at all between seeds %d and %d", seedA, seedB)
			}
		})
	}
}

// TestP50Shift checks the sampling-error arithmetic on hand-computed rows:
// P10–P90 = 90–110 gives σ = 20/2.5631 = 7.803, the SE of a median of 200
// draws 1.2533·7.803/√200 = 0.6915 and that of a difference 0.9780.
func TestP50Shift(t *testing.T) {
	row := func(year int, p50 float64) countyRow { return countyRow{year, p50 - 10, p50, p50 + 10} }
	tests := []struct {
		name  string
		b50   float64
		year  int // of the row; 2030 is not the first year
		worst float64
	}{
		{"same median", 100, 2030, 0},
		{"3 pupils apart", 103, 2030, 3 / 0.9780},
		{"5 pupils apart", 105, 2030, 5 / 0.9780},
		{"5 apart in the first year", 105, 2025, 5 / 0.9780 / firstYearInflation},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := map[string]countyRow{"甲县 first": row(2025, 50), "甲县 row": row(tc.year, 100)}
			b := map[string]countyRow{"甲县 first": row(2025, 50), "甲县 row": row(tc.year, tc.b50)}
			worst, _, spread, changed := p50Shift(t, a, b, 200)
			if math.Abs(worst-tc.worst) > 1e-3 || spread != 2 {
				t.Errorf("worst %.4f, spread %d; want %.4f, 2", worst, spread, tc.worst)
			}
			if want := map[bool]int{true: 0, false: 1}[tc.b50 == 100]; changed != want {
				t.Errorf("changed %d, want %d", changed, want)
			}
		})
	}
}

func TestFirstDiff(t *testing.T) {
	tests := []struct {
		name     string
		a, b     [][]string
		row, col int
		differ   bool
	}{
		{"equal", [][]string{{"a", "1"}, {"b"}}, [][]string{{"a", "1"}, {"b"}}, 0, 0, false},
		{"one cell", [][]string{{"a", "1"}, {"b", "2.5"}}, [][]string{{"a", "1"}, {"b", "2.50001"}}, 1, 1, true},
		{"extra cell", [][]string{{"a"}}, [][]string{{"a", "x"}}, 0, 1, true},
		{"extra row", [][]string{{"a"}}, [][]string{{"a"}, {"", "y"}}, 1, 1, true},
		// A trailing empty cell is no difference: GetRows drops them.
		{"trailing empty", [][]string{{"a", ""}}, [][]string{{"a"}}, 0, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, c, ok := firstDiff(tc.a, tc.b)
			if ok != tc.differ || r != tc.row || c != tc.col {
				t.Errorf("firstDiff = %d, %d, %v; want %d, %d, %v", r, c, ok, tc.row, tc.col, tc.differ)
			}
		})
	}
}
