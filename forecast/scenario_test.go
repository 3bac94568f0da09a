package forecast

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/seatplan/seatplan/data"
)

func TestBuiltins(t *testing.T) {
	for _, name := range BuiltinNames {
		sc, err := Builtin(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := sc.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if sc.Name != name {
			t.Errorf("Builtin(%q).Name = %q", name, sc.Name)
		}
	}
	low, _ := Builtin(Low)
	high, _ := Builtin(High)
	if !(low.TFRMultiplier < 1 && high.TFRMultiplier > 1 && low.MigrationShift < 0 && high.MigrationShift > 0) {
		t.Error("low and high do not bracket medium")
	}
	if _, err := Builtin("extreme"); err == nil {
		t.Error("unknown scenario accepted")
	}
}

func TestValidateRejects(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*Scenario)
		field string
	}{
		{"NaN class size", func(s *Scenario) { s.ClassSize.Primary = math.NaN() }, "class_size.primary"},
		{"negative class size", func(s *Scenario) { s.ClassSize.Middle = -50 }, "class_size.middle"},
		{"zero staffing", func(s *Scenario) { s.Staffing.Primary = 0 }, "staffing.primary"},
		{"infinite alpha", func(s *Scenario) { s.Alpha = math.Inf(1) }, "alpha"},
		{"no draws", func(s *Scenario) { s.Draws = 0 }, "draws"},
		{"huge below large", func(s *Scenario) { s.HugeClass = 50 }, "huge_class"},
		{"TFR path out of order", func(s *Scenario) { s.TFR = Path{{2030, 1}, {2025, 1}} }, "tfr"},
		{"NaN take-up", func(s *Scenario) { s.TwoYearOldTakeUp = Path{{2030, math.NaN()}} }, "two_year_old_take_up"},
		{"unknown TFR method", func(s *Scenario) { s.TFRMethod = "guess" }, "tfr_method"},
	}
	for _, c := range cases {
		sc := Default()
		c.edit(&sc)
		err := sc.Validate()
		if err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("%s: Validate() = %v; want an error naming %s", c.name, err, c.field)
		}
	}
}

func TestDecodeScenario(t *testing.T) {
	cases := []struct {
		name, format, text string
		check              func(*testing.T, Scenario)
		errHas             string
	}{
		{name: "toml overrides", format: "toml", text: `
name = "更多托班"
base = "high"
draws = 200
tfr = [{year = 2025, value = 1.0}, {year = 2035, value = 1.3}]
[class_size]
primary = 40
[staffing]
middle = 12
`, check: func(t *testing.T, sc Scenario) {
			if sc.Name != "更多托班" || sc.Draws != 200 || sc.ClassSize.Primary != 40 || sc.Staffing.Middle != 12 {
				t.Errorf("overrides lost: %+v", sc)
			}
			if sc.TFRMultiplier != 1.2 || sc.ClassSize.Middle != 50 {
				t.Errorf("base values lost: multiplier %v, middle class %v", sc.TFRMultiplier, sc.ClassSize.Middle)
			}
			if got := sc.TFR.At(2030, 0); math.Abs(got-1.15) > 1e-12 {
				t.Errorf("tfr 2030 = %v, want 1.15", got)
			}
		}},
		{name: "yaml overrides", format: "yaml", text: `
seed: 7
alpha: 0.3
kindergarten_rate:
  - {year: 2030, value: 0.95}
five_year_primary_counties: [东县]
`, check: func(t *testing.T, sc Scenario) {
			if sc.Seed != 7 || sc.Alpha != 0.3 || len(sc.KindergartenRate) != 1 || !sc.fiveYearCounty("东县") {
				t.Errorf("overrides lost: %+v", sc)
			}
			if sc.Name != "custom" {
				t.Errorf("name %q, want custom", sc.Name)
			}
		}},
		{name: "toml unknown key", format: "toml", text: "draws = 10\nclas_size = 3\n", errHas: "clas_size"},
		{name: "toml unknown nested key", format: "toml", text: "[class_size]\nprimery = 40\n", errHas: "class_size.primery"},
		{name: "yaml unknown key", format: "yaml", text: "draws: 10\nsede: 3\n", errHas: "sede"},
		{name: "negative size", format: "yaml", text: "class_size: {primary: -1}\n", errHas: "class_size.primary"},
		{name: "NaN", format: "toml", text: "alpha = nan\n", errHas: "alpha"},
		{name: "bad base", format: "toml", text: "base = \"huge\"\n", errHas: "huge"},
		{name: "bad format", format: "json", text: "{}", errHas: "toml or yaml"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc, err := DecodeScenario(strings.NewReader(c.text), c.format)
			if c.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), c.errHas) {
					t.Fatalf("error %v; want one naming %q", err, c.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, sc)
		})
	}
}

// TestDecodeHostile feeds DecodeScenario files meant to break it: each must
// fail with a message naming the key and what it expects, quickly and
// without allocating much.
func TestDecodeHostile(t *testing.T) {
	deep := func(open, close string, n int) string {
		return strings.Repeat(open, n) + "1" + strings.Repeat(close, n)
	}
	var keys strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&keys, "k%d = 1\n", i)
	}
	manyKeys := keys.String()
	cases := []struct {
		name, format, text string
		want               string
	}{
		{"float above range", "toml", "alpha = 1e308\n", "alpha: 1e+308; expected a number above 0 and at most 1"},
		{"float overflow toml", "toml", "tfr_sigma = 1e400\n", `1e400 is out of range for float64; tfr_sigma expects a number`},
		{"float overflow yaml", "yaml", "tfr_sigma: 1e400\n", "line 1: cannot unmarshal !!str `1e400` into float64; tfr_sigma expects a number"},
		{"draws 10^12 toml", "toml", "draws = 1000000000000\n", "draws: 1000000000000; expected 1 to 10000"},
		{"draws 10^12 yaml", "yaml", "draws: 1e12\n", "draws: 1000000000000; expected 1 to 10000"},
		{"draws above int64", "toml", "draws = 100000000000000000000000\n", "out of range for int64; draws expects a whole number"},
		{"draws above int yaml", "yaml", "draws: 100000000000000000000000\n", "draws expects a whole number"},
		{"draws one too many", "toml", "draws = 10001\n", "draws: 10001; expected 1 to 10000"},
		{"fractional draws", "toml", "draws = 1.5\n", "draws expects a whole number"},
		{"negative draws", "yaml", "draws: -1\n", "draws: -1; expected 1 to 10000"},
		{"horizon 99999", "toml", "horizon = 99999\n", "horizon: 99999; expected a year from 2000 to 2100"},
		{"horizon 1066", "yaml", "horizon: 1066\n", "horizon: 1066; expected a year from 2000 to 2100"},
		{"negative seed toml", "toml", "seed = -1\n", "seed: -1; expected a whole number ≥ 0"},
		{"negative seed yaml", "yaml", "seed: -1\n", "seed expects a whole number ≥ 0"},
		{"NaN toml", "toml", "alpha = nan\n", "alpha: NaN; expected a number above 0 and at most 1"},
		{"NaN yaml", "yaml", "trend_beta: .nan\n", "trend_beta: NaN; expected a number from 0 to 1"},
		{"infinity toml", "toml", "[staffing]\nprimary = inf\n", "staffing.primary: +Inf; expected a positive number"},
		{"minus infinity yaml", "yaml", "small_school: -.inf\n", "small_school: -Inf; expected a number ≥ 0"},
		{"negative class size", "toml", "[class_size]\nk1 = -25\n", "class_size.k1: -25; expected a number from 1 to 200"},
		{"negative rate", "yaml", "kindergarten_rate: [{year: 2030, value: -0.5}]\n", "kindergarten_rate: value -0.5 in 2030; expected a number from 0 to 2"},
		{"negative multiplier", "toml", "mortality_multiplier = -1\n", "mortality_multiplier: -1; expected a number from 0 to 10"},
		{"absurd path year", "toml", "tfr = [{year = 99999999999, value = 1}]\n", "tfr: year 99999999999; expected a year from 1950 to 2100"},
		{"ancient path year", "yaml", "two_year_old_take_up: [{year: -5, value: 0.1}]\n", "two_year_old_take_up: year -5; expected a year from 1950 to 2100"},
		{"path year as text", "yaml", "tfr:\n  - year: soon\n    value: 1\n", "line 2: cannot unmarshal !!str `soon` into int; tfr.year expects a whole number"},
		{"wrong type in table", "toml", "[class_size]\nprimary = \"forty\"\n", "class_size.primary expects a number"},
		{"table as number", "yaml", "class_size: 5\n", "class_size expects a table of k0, k1, k2, k3, primary, middle, high, kindergarten"},
		{"long name", "toml", "name = \"" + strings.Repeat("名", 101) + "\"\n", "name: 101 characters; expected at most 100"},
		{"long description", "yaml", "description: " + strings.Repeat("x", 2001) + "\n", "description: 2001 characters; expected at most 2000"},
		{"long county", "toml", "five_year_primary_counties = [\"" + strings.Repeat("县", 101) + "\"]\n", "five_year_primary_counties[0]: 101 characters; expected at most 100"},
		{"long county names", "yaml", "five_year_primary_counties: [" + strings.Repeat(strings.Repeat("x", 101)+", ", 999) + "y]\n", "five_year_primary_counties[0]: 101 characters; expected at most 100"},
		{"many counties", "yaml", "five_year_primary_counties: [" + strings.Repeat("a, ", 1000) + "a]\n", "five_year_primary_counties: 1001 names; expected at most 1000"},
		{"long method", "toml", "tfr_method = \"" + strings.Repeat("x", 5000) + "\"\n", `tfr_method: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…"; expected "combined", "last" or "trend"`},
		{"long base", "toml", "base = \"" + strings.Repeat("x", 5000) + "\"\n", "scenario base: 5000 characters; expected one of low, medium, high"},
		{"long path", "toml", "tfr = [" + strings.Repeat("{year = 2030, value = 1},", 201) + "]\n", "tfr: 201 points; expected at most 200"},
		{"nested arrays toml", "toml", "tfr = " + deep("[", "]", 100000) + "\n", "line 1: more than 8 nested arrays or tables"},
		{"nested inline tables", "toml", "x = " + deep("{a=", "}", 50000) + "\n", "line 1: more than 8 nested arrays or tables"},
		{"long dotted key", "toml", "a" + strings.Repeat(".b", 50000) + " = 1\n", "line 1: a key of more than 16 dotted parts"},
		{"long table header", "toml", "\n[a" + strings.Repeat(".1", 50000) + "]\n", "line 2: a key of more than 16 dotted parts"},
		{"nested arrays yaml", "yaml", "tfr: " + deep("[", "]", 50000) + "\n", "exceeded max depth"},
		{"many unknown keys", "toml", manyKeys, "unknown key k0, k1, k2, k3, k4, and 2995 more; expected one of name,"},
		{"many aliases", "yaml", "x: &x [a]\nfive_year_primary_counties: [" + strings.Repeat("*x,", 60000) + "*x]\n", "and 59992 more"},
		{"multi-megabyte", "yaml", "description: " + strings.Repeat("x", 3<<20) + "\n", "file larger than 256 KiB"},
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t0 := time.Now()
			_, err := DecodeScenario(strings.NewReader(c.text), c.format)
			if d := time.Since(t0); d > 2*time.Second {
				t.Errorf("took %v", d)
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v\nwant one containing %q", err, c.want)
			}
			if n := len(err.Error()); n > 2000 {
				t.Errorf("error message of %d bytes", n)
			}
		})
	}
	runtime.ReadMemStats(&after)
	if d, alloc := time.Since(start), after.TotalAlloc-before.TotalAlloc; d > 10*time.Second || alloc > 1<<30 {
		t.Errorf("%d files took %v and allocated %d MB", len(cases), d, alloc>>20)
	}
}

// TestRunMemoryBudget checks that draws and horizon within the scenario's
// bounds still cannot ask Run for more memory than its budget.
func TestRunMemoryBudget(t *testing.T) {
	ds := loadSample(t)
	sc := Default()
	sc.Draws, sc.Horizon = MaxDraws, MaxYear
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Run(context.Background(), ds, sc, Options{}, nil)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "draws: 10000 draws of") || !strings.Contains(err.Error(), "expected at most") || !data.IsInvalidInput(err) {
		t.Fatalf("error %v; want an input error about draws", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<30 {
		t.Errorf("refusing the run allocated %d MB", alloc>>20)
	}
}
