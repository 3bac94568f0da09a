package forecast

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/seatplan/seatplan/data"
)

func tinyRun(t *testing.T, workers int, edit func(*Scenario)) *Result {
	t.Helper()
	sc := Default()
	sc.Draws = 100
	if edit != nil {
		edit(&sc)
	}
	res, err := Run(context.Background(), tinyDataset(), sc, Options{Workers: workers, Areas: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestRunDeterministic(t *testing.T) {
	a := tinyRun(t, 1, nil)
	b := tinyRun(t, 2, nil)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Fatal("one and two workers gave different results")
	}
	c := tinyRun(t, 2, func(s *Scenario) { s.Seed = 2 })
	if reflect.DeepEqual(a.City, c.City) {
		t.Error("another seed gave the same draws")
	}
}

func TestRunShape(t *testing.T) {
	res := tinyRun(t, 2, nil)
	if res.BaseYear != 2024 || res.Years[0] != 2025 || res.Years[len(res.Years)-1] != 2035 {
		t.Fatalf("years %d, %v", res.BaseYear, res.Years)
	}
	ordered := func(what string, q Quantiles) {
		if !(q.P10 <= q.P50 && q.P50 <= q.P90) {
			t.Errorf("%s: %+v not ordered", what, q)
		}
	}
	for _, cy := range res.City.Years {
		ordered("residents", cy.Residents)
		ordered("births", cy.Births)
		for _, lf := range cy.Levels {
			ordered(string(lf.Level), lf.Pupils)
			if lf.Seats <= 0 {
				t.Errorf("%s seats %v", lf.Level, lf.Seats)
			}
		}
	}
	// The county is the city here.
	if res.City.Years[3].Levels[1].Pupils != res.Counties[0].Years[3].Levels[1].Pupils {
		t.Error("city and its only county differ")
	}
	// Pupils of the schools add up to the county's.
	for yi := range res.Years {
		sum := 0.0
		for _, s := range res.Schools {
			for _, sec := range s.Years[yi].Sections {
				if sec.Level == data.LevelPrimary {
					sum += sec.Pupils.P50
				}
			}
		}
		county := res.City.Years[yi].Level(data.LevelPrimary).Pupils.P50
		if d := sum - county; d > 0.02*county || d < -0.02*county {
			t.Errorf("%d: schools' primary P50 sum %.0f vs county %.0f", res.Years[yi], sum, county)
		}
	}
	// Areas share their township's children.
	if len(res.Areas) != 2 {
		t.Fatalf("%d areas", len(res.Areas))
	}
	a := res.Areas[0].Years[0].Ages.Age6to11.P50
	tw := res.Townships[0].Years[0].Ages.Age6to11.P50
	if res.Townships[0].Township != "北乡" || res.Areas[1].Township != "北乡" {
		t.Logf("townships %s, %s", res.Townships[0].Township, res.Areas[1].Township)
	}
	if a <= 0 || tw <= 0 {
		t.Errorf("area %v, township %v children", a, tw)
	}
}

func TestEntryFollowsBirths(t *testing.T) {
	// The tiny county's births fall by 40 a year after 2017, and its
	// pupils follow them with an entry ratio of 0.95: grade 1 of 2025 are
	// born 2018–2019 (⅓·480 + ⅔·440), of 2030 born 2023–2024 (⅓·280 +
	// ⅔·240). All entrants: 0.95 × the blend.
	res := tinyRun(t, 2, nil)
	ds := tinyDataset()
	_ = ds
	total := func(yi int) float64 {
		return res.City.Years[yi].Level(data.LevelPrimary).Pupils.P50
	}
	if !(total(5) < total(0)) {
		t.Errorf("primary pupils do not fall with births: %.0f → %.0f", total(0), total(5))
	}
	m, err := newModel(ds, res.Scenario, 2024, 2024)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range m.groups {
		if g.gi == gradeIndex(1) {
			if g.level < 0.9 || g.level > 1.0 {
				t.Errorf("grade-1 entry ratio %.3f, want about 0.95", g.level)
			}
		}
	}
}

func TestWarnings(t *testing.T) {
	res := tinyRun(t, 2, nil)
	seen := map[WarningKind]bool{}
	for _, w := range res.Warnings {
		seen[w.Kind] = true
		if w.MessageZH == "" || w.MessageEN == "" || w.Severity == "" || w.FirstYear > w.Year {
			t.Errorf("incomplete warning %+v", w)
		}
		if w.Kind == SeatShortage && w.Severity == Red && w.Value <= 1 {
			t.Errorf("red seat shortage at %.2f", w.Value)
		}
	}
	// The hand-made county has too few middle and kindergarten teachers
	// (60 for about 1,100 pupils at 1:13.5; 40 for about 550 at 1:7) and
	// a teaching point falling below 100 pupils.
	for _, k := range []WarningKind{SeatShortage, SmallSchool, TeacherShortage} {
		if !seen[k] {
			t.Errorf("no %s warning", k)
		}
	}
	for _, w := range res.FirstWarnings {
		if w.Year != w.FirstYear {
			t.Errorf("first warning %+v", w)
		}
	}
	var small *Warning
	for i := range res.FirstWarnings {
		if res.FirstWarnings[i].Kind == SmallSchool {
			small = &res.FirstWarnings[i]
		}
	}
	if small == nil || small.SchoolID != "T1" || !strings.Contains(small.MessageZH, "小规模学校") {
		t.Errorf("small-school first warning %+v", small)
	}
}

func TestWarningRules(t *testing.T) {
	sc := Default()
	m := &model{sc: sc, years: []int{2025, 2026}}
	m.schools = []schoolModel{{capacity: 1000, basePupils: 950, levels: []int{lvP}, usable: 20}}
	cases := []struct {
		name    string
		pupils  [2]float64
		classes [2]float64
		want    [2][]WarningKind
	}{
		{"shortage red then amber", [2]float64{1010, 950}, [2]float64{20, 20}, [2][]WarningKind{{SeatShortage}, {SeatShortage}}},
		{"oversized classes", [2]float64{850, 1150}, [2]float64{19, 24}, [2][]WarningKind{nil, {SeatShortage, LargeClass}}},
		{"extra-oversized classes", [2]float64{850, 1330}, [2]float64{19, 28}, [2][]WarningKind{nil, {SeatShortage, HugeClass}}},
		{"under-used and falling", [2]float64{480, 470}, [2]float64{11, 11}, [2][]WarningKind{{UnderUse}, {UnderUse}}},
		{"small", [2]float64{99, 120}, [2]float64{3, 3}, [2][]WarningKind{{UnderUse, SmallSchool}, nil}},
	}
	for _, c := range cases {
		r := &Result{Schools: []SchoolForecast{{SchoolID: "S", Name: "测试小学", County: "东县"}}}
		for yi, y := range m.years {
			p := Quantiles{c.pupils[yi], c.pupils[yi], c.pupils[yi]}
			sy := SchoolYear{Year: y, Pupils: p, Classes: Quantiles{c.classes[yi], c.classes[yi], c.classes[yi]}, Utilisation: p.Scale(1.0 / 1000)}
			sy.ClassSize = p.P50 / min(sy.Classes.P50, 20)
			r.Schools[0].Years = append(r.Schools[0].Years, sy)
		}
		warn(m, r, probs{red: make([]float32, 2), amber: make([]float32, 2), small: make([]float32, 2)})
		for yi := range m.years {
			got := r.Schools[0].Years[yi].Warnings
			if !reflect.DeepEqual(got, c.want[yi]) {
				t.Errorf("%s, year %d: %v, want %v", c.name, m.years[yi], got, c.want[yi])
			}
		}
	}
}

func TestRunErrors(t *testing.T) {
	ds := tinyDataset()
	ds.Enrolment = nil
	if _, err := Run(context.Background(), ds, Default(), Options{}, nil); !errors.Is(err, ErrNoHistory) {
		t.Errorf("no enrolment: %v", err)
	}
	bad := Default()
	bad.ClassSize.Primary = -1
	if _, err := Run(context.Background(), tinyDataset(), bad, Options{}, nil); err == nil {
		t.Error("invalid scenario accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, tinyDataset(), Default(), Options{}, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run: %v", err)
	}
}

func TestProgressCallback(t *testing.T) {
	sc := Default()
	sc.Draws = 50
	last, calls := 0, 0
	_, err := Run(context.Background(), tinyDataset(), sc, Options{}, func(done, total int) {
		calls++
		if done != last+1 || total != 50 {
			t.Errorf("progress %d/%d after %d", done, total, last)
		}
		last = done
	})
	if err != nil || calls != 50 {
		t.Errorf("err %v, %d calls", err, calls)
	}
}

func TestScenariosOrder(t *testing.T) {
	births := func(name string) float64 {
		sc, _ := Builtin(name)
		sc.Draws = 100
		res, err := Run(context.Background(), tinyDataset(), sc, Options{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res.City.Years[len(res.Years)-1].Births.P50
	}
	lo, mid, hi := births(Low), births(Medium), births(High)
	if !(lo < mid && mid < hi) {
		t.Errorf("2035 births low %.0f, medium %.0f, high %.0f", lo, mid, hi)
	}
}

func TestBacktestTiny(t *testing.T) {
	sc := Default()
	sc.Draws = 100
	bt, err := Backtest(context.Background(), tinyDataset(), sc, BacktestSpec{Holdout: 3}, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(bt.Origins, []int{2021, 2022, 2023}) {
		t.Errorf("origins %v", bt.Origins)
	}
	for _, la := range bt.Levels {
		if len(la.City) != 3 || la.City[0].N != 3 || la.City[2].N != 1 {
			t.Errorf("%s: %+v", la.Level, la.City)
		}
		// Pupils follow births exactly; the forecast must be close and
		// beat repeating the last year.
		for _, a := range la.City {
			if a.MAPE > 3 || a.MAPE > a.NaiveMAPE {
				t.Errorf("%s lead %d: MAPE %.2f, naive %.2f", la.Level, a.Lead, a.MAPE, a.NaiveMAPE)
			}
		}
	}
	if _, err := Backtest(context.Background(), tinyDataset(), sc, BacktestSpec{Holdout: 6}, Options{}, nil); err == nil {
		t.Error("holdout longer than the history accepted")
	}
}

// TestKnownBirthsAfterOrigin checks the ex-post mode: from origin 2021 a
// forecast given the births recorded to 2024 reports those births exactly,
// while the ex-ante forecast projects them from the fertility path.
func TestKnownBirthsAfterOrigin(t *testing.T) {
	ds := tinyDataset()
	// The recorded births collapse after the origin.
	for i, r := range ds.Births {
		if r.Year > 2021 {
			ds.Births[i].Births = 200
		}
	}
	sc := Default()
	sc.Draws = 100
	sc.Horizon = 2024
	births := func(birthsCutoff int) (*Result, map[int]Quantiles) {
		res, err := run(context.Background(), ds, sc, Options{}, 2021, birthsCutoff, nil)
		if err != nil {
			t.Fatal(err)
		}
		out := map[int]Quantiles{}
		for _, y := range res.City.Years {
			out[y.Year] = y.Births
		}
		return res, out
	}
	exAnteRes, exAnte := births(2021)
	exPostRes, exPost := births(2024)
	if exAnteRes.BirthsLastYear != 2021 || exPostRes.BirthsLastYear != 2024 {
		t.Errorf("births last year %d ex ante, %d ex post; expected 2021 and 2024", exAnteRes.BirthsLastYear, exPostRes.BirthsLastYear)
	}
	for y := 2022; y <= 2024; y++ {
		q := exPost[y]
		if math.Abs(q.P10-200) > 1e-6 || math.Abs(q.P50-200) > 1e-6 || math.Abs(q.P90-200) > 1e-6 {
			t.Errorf("ex post births %d: %+v; expected 200 exactly", y, q)
		}
		// Births to 2021 fell 40 a year from 520 to 360: nothing in them
		// foresees 200.
		if a := exAnte[y]; a.P10 < 250 || a.P90 <= a.P10 {
			t.Errorf("ex ante births %d: %+v; expected a projected spread above 250", y, a)
		}
	}
}
