// Package atomicfile writes files and folders so that a reader never sees a
// half-written result: everything goes to a temporary name in the target's
// folder and is renamed into place only once it is complete and the
// context is not done. A Tracker carried by the context records every
// temporary file still in use, so that a process told to stop at once can
// remove them before it exits.
package atomicfile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFile creates path by calling write on a temporary file in the same
// folder, syncing it and renaming it over path. On any error, or when ctx
// is done before the rename, the temporary file is removed and an existing
// file at path is left untouched. The writer handed to write fails once
// ctx is done.
func WriteFile(ctx context.Context, path string, write func(w io.Writer) error) error {
	b := NewBatch(ctx)
	defer b.Discard()
	if err := b.WriteFile(path, write); err != nil {
		return err
	}
	return b.Commit()
}

// Batch writes several files that appear together: each WriteFile goes to
// a temporary file beside its target, and Commit renames them all into
// place, only if ctx is not done. Discard removes whatever was not
// committed; deferring it right after NewBatch covers every error path.
type Batch struct {
	ctx    context.Context
	staged []staged
	done   bool
}

// staged is one completed temporary file and its target.
type staged struct{ tmp, path string }

// NewBatch returns an empty batch whose writes and commit obey ctx.
func NewBatch(ctx context.Context) *Batch {
	return &Batch{ctx: ctx}
}

// WriteFile writes the future content of path to a temporary file in
// path's folder by calling write, then syncs and closes it. Nothing is
// visible at path until Commit. The writer fails once ctx is done.
func (b *Batch) WriteFile(path string, write func(w io.Writer) error) (err error) {
	if b.done {
		panic("atomicfile: WriteFile after Commit or Discard")
	}
	if err := b.ctx.Err(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	var tmp *os.File
	err = track(b.ctx, func() (string, error) {
		var err error
		tmp, err = os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
		if err != nil {
			return "", err
		}
		return tmp.Name(), nil
	})
	if err != nil {
		return fmt.Errorf("create temporary file for %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			remove(b.ctx, tmp.Name())
		}
	}()
	if err = write(&ctxWriter{ctx: b.ctx, w: tmp}); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	b.staged = append(b.staged, staged{tmp: tmp.Name(), path: path})
	return nil
}

// Commit renames every written file into place, unless ctx is done, in
// which case nothing is renamed and ctx's error is returned. A rename that
// fails stops the commit: the files renamed before it stay in place.
func (b *Batch) Commit() error {
	if b.done {
		panic("atomicfile: Commit after Commit or Discard")
	}
	tr := trackerFrom(b.ctx)
	if tr != nil {
		// Holding the tracker keeps RemoveAll from interleaving with the
		// renames: either every file is renamed or none is.
		tr.mu.Lock()
		defer tr.mu.Unlock()
		if tr.closed {
			return errors.New("commit: stopping")
		}
	}
	if err := b.ctx.Err(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	for len(b.staged) > 0 {
		s := b.staged[0]
		if err := os.Rename(s.tmp, s.path); err != nil {
			return fmt.Errorf("write %s: %w", s.path, err)
		}
		if tr != nil {
			delete(tr.paths, s.tmp)
		}
		b.staged = b.staged[1:]
	}
	b.done = true
	return nil
}

// Discard removes the temporary files not yet committed. It may be called
// any number of times, also after Commit.
func (b *Batch) Discard() {
	for _, s := range b.staged {
		remove(b.ctx, s.tmp)
	}
	b.staged = nil
	b.done = true
}

// ContextWriter returns an io.Writer that passes writes to w until ctx is
// done and fails from then on, so that a long write stops at its next call
// after cancellation.
func ContextWriter(ctx context.Context, w io.Writer) io.Writer { return &ctxWriter{ctx: ctx, w: w} }

// ctxWriter is ContextWriter's writer.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c *ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// WriteDir fills the folder dir by calling fill on a fresh temporary folder
// beside it. When fill succeeds, ctx is not done and dir does not exist,
// the temporary folder is renamed to dir; when dir exists, each file is
// renamed into it one by one (each file atomically), leaving other files
// in dir alone. On error or cancellation nothing in dir changes and the
// temporary folder is removed. fill should check ctx itself when it runs
// long.
func WriteDir(ctx context.Context, dir string, fill func(tmp string) error) (err error) {
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", parent, err)
	}
	var tmp string
	err = track(ctx, func() (string, error) {
		var err error
		tmp, err = os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-*")
		return tmp, err
	})
	if err != nil {
		return fmt.Errorf("create temporary folder for %s: %w", dir, err)
	}
	defer remove(ctx, tmp)
	if err := fill(tmp); err != nil {
		return err
	}
	tr := trackerFrom(ctx)
	if tr != nil {
		tr.mu.Lock()
		defer tr.mu.Unlock()
		if tr.closed {
			return fmt.Errorf("write %s: stopping", dir)
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("write %s: %w", dir, err)
	}
	st, err := os.Stat(dir)
	if errors.Is(err, os.ErrNotExist) {
		if err := os.Chmod(tmp, 0o755); err != nil {
			return fmt.Errorf("write %s: %w", dir, err)
		}
		if err := os.Rename(tmp, dir); err != nil {
			return fmt.Errorf("write %s: %w", dir, err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", dir, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("write %s: exists and is not a folder", dir)
	}
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return fmt.Errorf("write %s: %w", dir, err)
	}
	for _, e := range entries {
		if err := os.Rename(filepath.Join(tmp, e.Name()), filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("write %s: %w", dir, err)
		}
	}
	return nil
}

// TempDir creates a private scratch folder in the system temporary folder
// (TMPDIR), for libraries that spill to temporary files of their own. The
// returned function removes the folder and everything in it; when the
// process must stop at once, the context's Tracker removes it instead.
func TempDir(ctx context.Context, pattern string) (dir string, release func(), err error) {
	err = track(ctx, func() (string, error) {
		var err error
		dir, err = os.MkdirTemp("", pattern)
		return dir, err
	})
	if err != nil {
		return "", nil, fmt.Errorf("create temporary folder: %w", err)
	}
	return dir, func() { remove(ctx, dir) }, nil
}
