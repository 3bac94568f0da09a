package ctxtest

import (
	"context"
	"errors"
	"testing"
)

func TestCountdown(t *testing.T) {
	c := &Countdown{Context: context.Background(), N: 3}
	for i, want := range []error{nil, nil, context.Canceled, context.Canceled} {
		if err := c.Err(); !errors.Is(err, want) || (want == nil && err != nil) {
			t.Errorf("call %d: %v, want %v", i+1, err, want)
		}
	}
	if c.Calls != 4 {
		t.Errorf("%d calls counted, want 4", c.Calls)
	}
}
