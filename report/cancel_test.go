package report

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"

	"github.com/seatplan/seatplan/internal/ctxtest"
)

// TestPlanWorkbookCancelled interrupts the plan workbook at every point
// where it checks its context: each time it must return the context's
// error, write nothing and leave nothing in TMPDIR.
func TestPlanWorkbookCancelled(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	var full bytes.Buffer
	checks := &ctxtest.Countdown{Context: context.Background(), N: 1 << 30}
	if err := WritePlanWorkbook(checks, &full, testPlan()); err != nil {
		t.Fatal(err)
	}
	if checks.Calls < len(PlanSheets()) {
		t.Fatalf("the workbook checked its context %d times, fewer than it has sheets", checks.Calls)
	}
	for n := 1; n <= checks.Calls; n++ {
		var w bytes.Buffer
		err := WritePlanWorkbook(&ctxtest.Countdown{Context: context.Background(), N: n}, &w, testPlan())
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled at check %d of %d: err = %v", n, checks.Calls, err)
		}
		if w.Len() > 0 {
			t.Errorf("cancelled at check %d: %d bytes written", n, w.Len())
		}
		if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
			t.Fatalf("cancelled at check %d: TMPDIR holds %v", n, entries)
		}
	}
}
