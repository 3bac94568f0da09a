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
