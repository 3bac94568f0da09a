package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/seatplan/seatplan/report"
)

// planRun is the outputs of one plan run.
type planRun struct {
	xlsx, json, geojson string
}

func runPlanCmd(t *testing.T, dir string) planRun {
	t.Helper()
	r := planRun{filepath.Join(dir, "plan.xlsx"), filepath.Join(dir, "plan.json"), filepath.Join(dir, "plan.geojson")}
	code, stdout, stderr := runCmd(t, "plan", "--draws", "40", "--seed", "3", "-o", r.xlsx, "--json", r.json, "--geojson", r.geojson)
	if code != exitOK {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "撤并") {
		t.Errorf("summary lacks the merge count:\n%s", stdout)
	}
	return r
}

func TestPlanCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the forecast and the whole layout on the sample")
	}
	// TestPlanDeterminism compares the outputs of two runs.
	a := runPlanCmd(t, t.TempDir())

	f, err := excelize.OpenFile(a.xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := strings.Join(f.GetSheetList(), ","), strings.Join(report.PlanSheets(), ","); got != want {
		t.Errorf("sheets %s, want %s", got, want)
	}
	for _, sh := range f.GetSheetList() {
		if v, _ := f.GetCellValue(sh, "A1"); !strings.Contains(v, "合成示例数据") {
			t.Errorf("sheet %s does not say the data is synthetic: %q", sh, v)
		}
	}

	ja, err := os.ReadFile(a.json)
	if err != nil {
		t.Fatal(err)
	}
	var sum report.Summary
	if err := json.Unmarshal(ja, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Seed != 3 || sum.Draws != 40 || !sum.Synthetic || sum.TargetYear != 2035 || len(sum.KeyFigures) == 0 {
		t.Errorf("JSON: seed %d draws %d synthetic %v target %d key figures %d", sum.Seed, sum.Draws, sum.Synthetic, sum.TargetYear, len(sum.KeyFigures))
	}

	g, err := os.ReadFile(a.geojson)
	if err != nil {
		t.Fatal(err)
	}
	var fc report.FeatureCollection
	if err := json.Unmarshal(g, &fc); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, ft := range fc.Features {
		kinds[ft.Properties["kind"].(string)]++
	}
	if kinds[report.KindSchool] < 1000 || kinds[report.KindMerge] == 0 || fc.Type != "FeatureCollection" {
		t.Errorf("GeoJSON: %v features by kind", kinds)
	}
	checkOGR(t, a.geojson, len(fc.Features))
}

// checkOGR reads a GeoJSON file with GDAL's ogrinfo and requires its
// feature count. Without ogrinfo it is skipped, except in CI (CI set),
// where it fails.
func checkOGR(t *testing.T, path string, features int) {
	t.Helper()
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("ogrinfo not installed; .ci/run installs gdal-bin")
		}
		t.Log("ogrinfo not installed (apt-get install gdal-bin): GeoJSON not checked with GDAL")
		return
	}
	out, err := exec.Command("ogrinfo", "-ro", "-so", "-al", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo %s: %v\n%s", path, err, out)
	}
	m := regexp.MustCompile(`Feature Count: (\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("ogrinfo printed no feature count:\n%s", out)
	}
	if got, _ := strconv.Atoi(string(m[1])); got != features {
		t.Errorf("ogrinfo reads %d features, the file holds %d", got, features)
	}
	t.Logf("ogrinfo: %d features", features)
}
