// Package ctxtest provides a context for tests that interrupt work at a
// chosen point.
package ctxtest

import "context"

// Countdown is a context whose Err reports context.Canceled from its N-th
// call on, standing for an interrupt at a chosen point of work that checks
// its context. Calls counts the Err calls made so far, so a first run with
// a large N tells how many points there are to interrupt at.
type Countdown struct {
	context.Context
	N, Calls int
}

// Err counts the call and reports context.Canceled from the N-th call on.
func (c *Countdown) Err() error {
	c.Calls++
	if c.Calls >= c.N {
		return context.Canceled
	}
	return nil
}
