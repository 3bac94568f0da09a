package forecast

import (
	"context"
	"errors"
	"testing"
)

// TestCancelMappedSlab cancels a sample forecast whose sample slab is
// large enough to be mapped outside the heap, while the workers are
// writing it: Run must stop the workers before freeing the slab and report
// the cancellation.
func TestCancelMappedSlab(t *testing.T) {
	ds := loadSample(t)
	sc := Default()
	sc.Draws = 1000
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	_, err := Run(ctx, ds, sc, Options{Workers: 2}, func(done, total int) {
		calls++
		if done == 3 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run after cancel: %v, want context.Canceled", err)
	}
	if calls >= sc.Draws {
		t.Errorf("all %d draws ran despite the cancel", calls)
	}
}

// TestSlabZeroed checks that a mapped slab starts zeroed and can be
// written end to end.
func TestSlabZeroed(t *testing.T) {
	const n = 20 << 20 // 80 MB, above the mapping threshold
	s, release := newSlab(n)
	defer release()
	if len(s) != n {
		t.Fatalf("len %d, want %d", len(s), n)
	}
	for _, i := range []int{0, n / 2, n - 1} {
		if s[i] != 0 {
			t.Errorf("s[%d] = %v, want 0", i, s[i])
		}
		s[i] = float32(i)
	}
	if s[n-1] != float32(n-1) {
		t.Errorf("s[n-1] = %v after writing", s[n-1])
	}
}
