package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestForecastCommand(t *testing.T) {
	dir := t.TempDir()
	xlsx, js := filepath.Join(dir, "f.xlsx"), filepath.Join(dir, "f.json")
	code, stdout, stderr := runCmd(t, "forecast", "--draws", "40", "--seed", "7", "-o", xlsx, "--json", js)
	if code != exitOK {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "2035") || !strings.Contains(stdout, "seed 7") {
		t.Errorf("summary lacks the horizon or the seed:\n%s", stdout)
	}
	var res struct {
		Seed      uint64 `json:"seed"`
		Draws     int    `json:"draws"`
		Synthetic bool   `json:"synthetic"`
		Years     []int  `json:"years"`
		Counties  []struct {
			County string `json:"county"`
		} `json:"counties"`
	}
	b, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	if res.Seed != 7 || res.Draws != 40 || !res.Synthetic || res.Years[len(res.Years)-1] != 2035 || len(res.Counties) != 11 {
		t.Errorf("JSON: seed %d draws %d synthetic %v years %v counties %d", res.Seed, res.Draws, res.Synthetic, res.Years, len(res.Counties))
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := strings.Join(f.GetSheetList(), ","), "区县预测,学校预测,预警,参数"; got != want {
		t.Errorf("sheets %s, want %s", got, want)
	}
	if v, _ := f.GetCellValue("区县预测", "A1"); !strings.Contains(v, "合成示例数据") {
		t.Errorf("county sheet title does not say the data is synthetic: %q", v)
	}
	if v, _ := f.GetCellValue("区县预测", "E2"); v != "学生P50\nPupils P50" {
		t.Errorf("E2 = %q", v)
	}
	if v, _ := f.GetCellValue("区县预测", "A3"); v != "全市 City" {
		t.Errorf("A3 = %q", v)
	}
}

func TestForecastBadScenario(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "s.toml")
	if err := os.WriteFile(bad, []byte("horizon = 2035\nno_such_key = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "f.xlsx")
	code, _, stderr := runCmd(t, "forecast", "--scenario", bad, "-o", out)
	if code != exitInput || !strings.Contains(stderr, "no_such_key") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	code, _, stderr = runCmd(t, "forecast", "--scenario", "extreme")
	if code != exitInput || !strings.Contains(stderr, "expected low, medium, high") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed run left %s", out)
	}
}

func TestOptimizeCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a forecast and the whole layout on the sample")
	}
	dir := t.TempDir()
	xlsx, js := filepath.Join(dir, "o.xlsx"), filepath.Join(dir, "o.json")
	code, stdout, stderr := runCmd(t, "optimize", "--draws", "40", "-o", xlsx, "--json", js)
	if code != exitOK {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "gap") {
		t.Errorf("summary lacks the gap:\n%s", stdout)
	}
	var lay struct {
		TargetYear int `json:"target_year"`
		Merges     struct {
			Gap        float64 `json:"gap"`
			Cost       float64 `json:"cost"`
			LowerBound float64 `json:"lower_bound"`
		} `json:"merges"`
	}
	b, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &lay); err != nil {
		t.Fatal(err)
	}
	if lay.TargetYear != 2035 || lay.Merges.LowerBound > lay.Merges.Cost+1e-6 {
		t.Errorf("target %d, cost %.0f, bound %.0f", lay.TargetYear, lay.Merges.Cost, lay.Merges.LowerBound)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := strings.Join(f.GetSheetList(), ","), "撤并,九年一贯制,班级调整,新建,均衡"; got != want {
		t.Errorf("sheets %s, want %s", got, want)
	}
}

// TestBacktestCommand runs the backtest ex ante and ex post on the sample:
// the printed table and the JSON say which, and the ex-post kindergarten
// error at lead 2 (children born after the origin enter K1) is no larger.
func TestBacktestCommand(t *testing.T) {
	dir := t.TempDir()
	type result struct {
		KnownBirths bool  `json:"known_births"`
		Holdout     int   `json:"holdout"`
		Origins     []int `json:"origins"`
		Levels      []struct {
			Level string `json:"level"`
			City  []struct {
				Lead int     `json:"lead"`
				MAPE float64 `json:"mape"`
			} `json:"city"`
		} `json:"levels"`
	}
	backtest := func(extra ...string) (result, string) {
		js := filepath.Join(dir, strings.Join(append([]string{"bt"}, extra...), "")+".json")
		args := append([]string{"backtest", "--holdout", "2", "--draws", "20", "--json", js}, extra...)
		code, stdout, stderr := runCmd(t, args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d:\n%s", args, code, stderr)
		}
		var r result
		b, err := os.ReadFile(js)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		return r, stdout
	}
	ante, anteOut := backtest()
	post, postOut := backtest("--known-births")
	if ante.KnownBirths || strings.Contains(anteOut, "ex post") {
		t.Errorf("ordinary backtest marked ex post:\n%s", anteOut)
	}
	if !post.KnownBirths || !strings.Contains(postOut, "ex post") {
		t.Errorf("--known-births not marked ex post (known_births %v):\n%s", post.KnownBirths, postOut)
	}
	if post.Holdout != 2 || len(post.Origins) != 2 || len(post.Levels) != 4 {
		t.Errorf("ex post: holdout %d, origins %v, %d levels", post.Holdout, post.Origins, len(post.Levels))
	}
	k2 := func(r result) float64 {
		for _, l := range r.Levels {
			for _, a := range l.City {
				if l.Level == "kindergarten" && a.Lead == 2 {
					return a.MAPE
				}
			}
		}
		t.Fatal("no kindergarten lead 2")
		return 0
	}
	if k2(post) > k2(ante)+0.05 {
		t.Errorf("kindergarten lead-2 MAPE %.2f %% ex post above %.2f %% ex ante", k2(post), k2(ante))
	}
	if code, _, stderr := runCmd(t, "backtest", "--holdout", "0"); code != exitInput || !strings.Contains(stderr, "--holdout") {
		t.Errorf("--holdout 0: exit %d, %s", code, stderr)
	}
}
