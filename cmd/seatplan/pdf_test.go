package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPlanConvertsWithLibreOffice runs scripts/check-plan-pdf.sh: the
// sample's plan workbook must convert to PDF with LibreOffice headless.
// Without soffice it is skipped, except in CI (CI set), where it fails.
func TestPlanConvertsWithLibreOffice(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a plan and starts LibreOffice")
	}
	if _, err := exec.LookPath("soffice"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("soffice not installed; .ci/run installs libreoffice-calc-nogui")
		}
		t.Skip("soffice not installed (apt-get install libreoffice-calc-nogui)")
	}
	script, err := filepath.Abs(filepath.Join("..", "..", "scripts", "check-plan-pdf.sh"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", script)
	cmd.Env = append(os.Environ(), "DRAWS=40")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
	if !strings.Contains(string(out), "converted to PDF") {
		t.Errorf("unexpected output:\n%s", out)
	}
}
