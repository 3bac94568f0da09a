package forecast

import (
	"bytes"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"go.yaml.in/yaml/v3"
)

// FuzzDecodeScenario checks that no input makes DecodeScenario panic, that
// every scenario it accepts passes Validate and keeps its promises, and that
// an accepted scenario encoded again as YAML (and as TOML when TOML can hold
// its seed) decodes to the same scenario.
func FuzzDecodeScenario(f *testing.F) {
	for _, s := range []struct {
		text string
		yaml bool
	}{
		{"", false},
		{"", true},
		{"name = \"更多托班\"\nbase = \"high\"\ndraws = 200\ntfr = [{year = 2025, value = 1.0}, {year = 2035, value = 1.3}]\n[class_size]\nprimary = 40\n[staffing]\nmiddle = 12\n", false},
		{"base = 'low'\nseed = 9223372036854775807\nhorizon = 2040\nfive_year_primary_counties = [\"东县\", \"西县\"]\n[[kindergarten_rate]]\nyear = 2030\nvalue = 0.95\n", false},
		{"seed: 7\nalpha: 0.3\nkindergarten_rate:\n  - {year: 2030, value: 0.95}\nfive_year_primary_counties: [东县]\n", true},
		{"base: high\nseed: 18446744073709551615\ntfr_method: combined\ntwo_year_old_take_up: [{year: 2026, value: 0.1}, {year: 2030, value: 0.2}]\n", true},
		{"class_size:\n  primary: 40\n  middle: 45\nlarge_class: 50\nhuge_class: 60\n", true},
		{"draws = 10\nclas_size = 3\n", false},
		{"[class_size]\nprimery = 40\n", false},
		{"draws: 10\nsede: 3\n", true},
		{"class_size: {primary: -1}\n", true},
		{"alpha = nan\n", false},
		{"alpha = 1e400\n", false},
		{"alpha: .inf\n", true},
		{"draws = 1000000000000\n", false},
		{"draws: -1\n", true},
		{"horizon = 99999\n", false},
		{"seed = -1\n", false},
		{"tfr = [{year = 99999999999, value = 1}]\n", false},
		{"tfr = [[[[[[[[[[1]]]]]]]]]]\n", false},
		{"a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r = 1\n", false},
		{"x: [[[[[[[[[[1]]]]]]]]]]\n", true},
		{"name = \"\"\"\nmulti \\\" line\"\"\"\ndescription = '''raw ' text'''\n", false},
		{"a: &a [1, 2]\nb: *a\n", true},
		{"draws: !!float 1e3\n", true},
		{"base = \"huge\"\n", false},
	} {
		f.Add(s.text, s.yaml)
	}
	f.Fuzz(fuzzOne)
}

// fuzzOne is one run of FuzzDecodeScenario.
func fuzzOne(t *testing.T, text string, isYAML bool) {
	format := "toml"
	if isYAML {
		format = "yaml"
	}
	// A slow input crashes the worker so that the fuzzer keeps it.
	slow := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("DecodeScenario took over 10 s on %q", text)) })
	sc, err := DecodeScenario(strings.NewReader(text), format)
	slow.Stop()
	if err != nil {
		if err.Error() == "" {
			t.Fatal("empty error message")
		}
		return
	}
	if err := sc.Validate(); err != nil {
		t.Fatalf("accepted a scenario that fails Validate: %v", err)
	}
	checkPromises(t, sc)
	out, err := yaml.Marshal(sc)
	if err != nil {
		t.Fatalf("encode yaml: %v", err)
	}
	back, err := DecodeScenario(bytes.NewReader(out), "yaml")
	if err != nil {
		t.Fatalf("re-decode yaml: %v\n%s", err, out)
	}
	if !sameScenario(sc, back) {
		t.Fatalf("yaml round trip changed the scenario:\n%+v\n%+v", sc, back)
	}
	if sc.Seed > math.MaxInt64 {
		return // TOML integers are signed 64-bit
	}
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(sc); err != nil {
		t.Fatalf("encode toml: %v", err)
	}
	back, err = DecodeScenario(&buf, "toml")
	if err != nil {
		t.Fatalf("re-decode toml: %v", err)
	}
	if !sameScenario(sc, back) {
		t.Fatalf("toml round trip changed the scenario:\n%+v\n%+v", sc, back)
	}
}

// checkPromises checks the bounds Validate promises to the forecast.
func checkPromises(t *testing.T, sc Scenario) {
	t.Helper()
	if sc.Name == "" {
		t.Error("accepted scenario has no name")
	}
	if sc.Draws < 1 || sc.Draws > MaxDraws || sc.Horizon < MinYear || sc.Horizon > MaxYear {
		t.Errorf("draws %d, horizon %d out of bounds", sc.Draws, sc.Horizon)
	}
	for _, s := range append([]string{sc.Name, sc.Description}, sc.FiveYearPrimaryCounties...) {
		if !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxDescriptionLength {
			t.Errorf("text %q accepted", s)
		}
	}
	for _, p := range []Path{sc.TFR, sc.KindergartenRate, sc.TwoYearOldTakeUp} {
		if len(p) > MaxPathPoints {
			t.Errorf("path of %d points accepted", len(p))
		}
		for i, pt := range p {
			if pt.Year < MinPathYear || pt.Year > MaxYear || math.IsNaN(pt.Value) || math.IsInf(pt.Value, 0) || i > 0 && pt.Year <= p[i-1].Year {
				t.Errorf("path point %+v accepted", pt)
			}
		}
	}
	// Every float parameter is finite and every class size and staffing
	// ratio positive, so the model never divides by zero.
	v := reflect.ValueOf(sc)
	var floats func(v reflect.Value, name string)
	floats = func(v reflect.Value, name string) {
		switch v.Kind() {
		case reflect.Float64:
			if x := v.Float(); math.IsNaN(x) || math.IsInf(x, 0) {
				t.Errorf("%s = %v accepted", name, x)
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				floats(v.Field(i), name+"."+v.Type().Field(i).Name)
			}
		}
	}
	floats(v, "scenario")
	cs, st := sc.ClassSize, sc.Staffing
	for _, x := range []float64{cs.K0, cs.K1, cs.K2, cs.K3, cs.Primary, cs.Middle, cs.High, cs.Kindergarten,
		st.Kindergarten, st.Primary, st.Middle, st.High, sc.TFRMultiplier, sc.Alpha} {
		if x <= 0 {
			t.Errorf("non-positive size, ratio or multiplier %v accepted", x)
		}
	}
}

// sameScenario compares two scenarios, taking a nil slice as equal to an
// empty one.
func sameScenario(a, b Scenario) bool {
	for _, s := range []*Scenario{&a, &b} {
		if len(s.TFR) == 0 {
			s.TFR = nil
		}
		if len(s.KindergartenRate) == 0 {
			s.KindergartenRate = nil
		}
		if len(s.TwoYearOldTakeUp) == 0 {
			s.TwoYearOldTakeUp = nil
		}
		if len(s.FiveYearPrimaryCounties) == 0 {
			s.FiveYearPrimaryCounties = nil
		}
	}
	return reflect.DeepEqual(a, b)
}
