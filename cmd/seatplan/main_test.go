package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/data/sample"
)

// runCmd runs one command line and returns its exit status and output.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad")
	if err := os.Mkdir(bad, 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"unknown command", []string{"frobnicate"}, exitInput, "unknown command"},
		{"unknown flag", []string{"validate", "--nope"}, exitInput, "unknown flag"},
		{"bad log level", []string{"validate", "--log-level", "loud"}, exitInput, "--log-level"},
		{"missing output", []string{"template"}, exitInput, "output"},
		{"missing data", []string{"validate", "--data", filepath.Join(dir, "absent")}, exitInput, "cannot open"},
		{"empty folder", []string{"validate", "--data", bad}, exitInput, "areas.csv: required file missing"},
		{"bad format", []string{"sample", "-o", filepath.Join(dir, "x"), "--format", "pdf"}, exitInput, `--format: "pdf": expected csv or xlsx`},
		{"bad scale", []string{"sample", "-o", filepath.Join(dir, "x"), "--scale", "world"}, exitInput, "expected city or province"},
		{"version", []string{"version"}, exitOK, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, stderr)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "x")); !os.IsNotExist(err) {
		t.Errorf("a failed sample command left output behind: %v", err)
	}
}

func TestValidateSample(t *testing.T) {
	code, stdout, stderr := runCmd(t, "validate")
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	for _, want := range []string{"synthetic sample", "乡镇 townships", "片区 areas", "学校 schools", "小学 primary", "在校生年份 enrolment years"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(stderr, "synthetic") {
		t.Errorf("stderr does not say the data is synthetic:\n%s", stderr)
	}
}

// TestSampleRoundTrip writes the embedded sample as CSV and as a workbook,
// validates each with the command, and proves both load to the same dataset
// as the embedded one.
func TestSampleRoundTrip(t *testing.T) {
	want, _, err := sample.Load()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, format := range []string{"csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			out := filepath.Join(dir, "sample-"+format)
			if format == "xlsx" {
				out += ".xlsx"
			}
			if code, _, stderr := runCmd(t, "sample", "-o", out, "--format", format); code != exitOK {
				t.Fatalf("sample exit %d:\n%s", code, stderr)
			}
			code, _, stderr := runCmd(t, "validate", "--data", out)
			if code != exitOK {
				t.Fatalf("validate exit %d:\n%s", code, stderr)
			}
			// Written sample data stays marked synthetic when read back.
			if !strings.Contains(stderr, syntheticNote) {
				t.Errorf("validate --data %s does not say the data is synthetic:\n%s", out, stderr)
			}
			got, _, err := data.Load(out)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Synthetic {
				t.Errorf("%s: reloaded sample not marked synthetic", format)
			}
			got.Source = want.Source
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s round trip differs from the embedded sample", format)
			}
		})
	}
}

func TestTemplateCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "t.xlsx")
	if code, _, stderr := runCmd(t, "template", "-o", out); code != exitOK {
		t.Fatalf("template exit %d:\n%s", code, stderr)
	}
	if code, stdout, stderr := runCmd(t, "validate", "--data", out); code != exitOK {
		t.Fatalf("validate of the template exit %d:\n%s\n%s", code, stdout, stderr)
	}
}
