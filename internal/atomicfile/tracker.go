package atomicfile

import (
	"context"
	"errors"
	"os"
	"sort"
	"sync"
)

// Tracker records the temporary files and folders created under a context
// that carries it (WithTracker) and not yet renamed or removed. A process
// that must exit before its work has unwound calls RemoveAll, which
// removes them and refuses new ones.
type Tracker struct {
	mu     sync.Mutex
	paths  map[string]bool
	closed bool
}

// NewTracker returns an empty tracker.
func NewTracker() *Tracker {
	return &Tracker{paths: map[string]bool{}}
}

type trackerKey struct{}

// WithTracker returns a context whose temporary files t records.
func WithTracker(ctx context.Context, t *Tracker) context.Context {
	return context.WithValue(ctx, trackerKey{}, t)
}

func trackerFrom(ctx context.Context) *Tracker {
	t, _ := ctx.Value(trackerKey{}).(*Tracker)
	return t
}

// errStopping is returned for a temporary file asked for after RemoveAll.
var errStopping = errors.New("stopping: no new temporary files")

// track calls create, which makes a temporary file or folder and returns
// its path, and records the path in ctx's tracker. Creation and recording
// happen under the tracker's lock, so RemoveAll never misses a path.
func track(ctx context.Context, create func() (string, error)) error {
	t := trackerFrom(ctx)
	if t == nil {
		_, err := create()
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return errStopping
	}
	p, err := create()
	if err != nil {
		return err
	}
	t.paths[p] = true
	return nil
}

// remove deletes a temporary file or folder and forgets it.
func remove(ctx context.Context, p string) {
	os.RemoveAll(p)
	if t := trackerFrom(ctx); t != nil {
		t.mu.Lock()
		delete(t.paths, p)
		t.mu.Unlock()
	}
}

// Paths returns the temporary files and folders in use, sorted.
func (t *Tracker) Paths() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []string
	for p := range t.paths {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// RemoveAll removes every temporary file and folder in use and makes any
// later attempt to create or commit one fail. It waits for a commit in
// progress to finish. It returns the first error met.
func (t *Tracker) RemoveAll() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	var first error
	for p := range t.paths {
		// A library may still be adding files to a scratch folder: try
		// again if the folder was not empty by the time it was removed.
		var err error
		for range 3 {
			if err = os.RemoveAll(p); err == nil {
				break
			}
		}
		if err != nil && first == nil {
			first = err
		}
		delete(t.paths, p)
	}
	return first
}
