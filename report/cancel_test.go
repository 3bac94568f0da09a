package report

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"
)

// laterCancelled is a context that reports itself cancelled from its
// n-th Err call on, standing for an interrupt at a chosen point.
type laterCancelled struct {
	context.Context
	n, calls int
}

func (c *laterCancelled) Err() error {
	c.calls++
	if c.calls >= c.n {
		return context.Canceled
	}
	return nil
}

// TestPlanWorkbookCancelled interrupts the plan workbook at every point
// where it checks its context: each time it must return the context's
// error, write nothing and leave nothing in TMPDIR.
func TestPlanWorkbookCancelled(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	var full bytes.Buffer
	checks := &laterCancelled{Context: context.Background(), n: 1 << 30}
	if err := WritePlanWorkbook(checks, &full, testPlan()); err != nil {
		t.Fatal(err)
	}
	if checks.calls < len(PlanSheets()) {
		t.Fatalf("the workbook checked its context %d times, fewer than it has sheets", checks.calls)
	}
	for n := 1; n <= checks.calls; n++ {
		var w bytes.Buffer
		err := WritePlanWorkbook(&laterCancelled{Context: context.Background(), n: n}, &w, testPlan())
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled at check %d of %d: err = %v", n, checks.calls, err)
		}
		if w.Len() > 0 {
			t.Errorf("cancelled at check %d: %d bytes written", n, w.Len())
		}
		if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
			t.Fatalf("cancelled at check %d: TMPDIR holds %v", n, entries)
		}
	}
}
