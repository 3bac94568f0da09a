package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestForecastHostileScenario runs forecast on scenario files meant to break
// it: each must exit with status 2, name the key and leave no output file.
func TestForecastHostileScenario(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, file, text string
		args             []string
		want             string
	}{
		{name: "draws 10^12", file: "d.toml", text: "draws = 1000000000000\n", want: "draws: 1000000000000; expected 1 to 10000"},
		{name: "horizon 99999", file: "h.yaml", text: "horizon: 99999\n", want: "horizon: 99999; expected a year from 2000 to 2100"},
		{name: "NaN", file: "n.yaml", text: "alpha: .nan\n", want: "alpha: NaN"},
		{name: "overflow", file: "o.toml", text: "tfr_sigma = 1e400\n", want: "tfr_sigma expects a number"},
		{name: "nesting", file: "x.toml", text: "tfr = " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n", want: "more than 8 nested arrays or tables"},
		{name: "multi-megabyte", file: "m.yaml", text: "description: " + strings.Repeat("x", 4<<20) + "\n", want: "file larger than 256 KiB"},
		// Within the scenario's bounds, but draws × quantities to 2100
		// exceed the forecast's memory budget.
		{name: "budget", file: "b.toml", text: "draws = 10000\nhorizon = 2100\n", want: "expected at most"},
		{name: "budget by flags", args: []string{"--draws", "10000", "--to", "2100"}, want: "draws: 10000 draws of"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(dir, c.name+".xlsx")
			args := append([]string{"forecast", "-o", out}, c.args...)
			if c.file != "" {
				path := filepath.Join(dir, c.file)
				if err := os.WriteFile(path, []byte(c.text), 0o644); err != nil {
					t.Fatal(err)
				}
				args = append(args, "--scenario", path)
			}
			code, _, stderr := runCmd(t, args...)
			if code != exitInput || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr, exitInput, c.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("a failed run left %s", out)
			}
		})
	}
}
