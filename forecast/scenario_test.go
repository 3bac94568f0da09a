package forecast

import (
	"math"
	"strings"
	"testing"
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
