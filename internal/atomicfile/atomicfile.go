// Package atomicfile writes files and folders so that a reader never sees a
// half-written result: everything goes to a temporary name in the target's
// folder and is renamed into place only once it is complete.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFile creates path by calling write on a temporary file in the same
// folder, syncing it and renaming it over path. On any error the temporary
// file is removed and an existing file at path is left untouched.
func WriteFile(path string, write func(w io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("create temporary file for %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
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
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// WriteDir fills the folder dir by calling fill on a fresh temporary folder
// beside it. When fill succeeds and dir does not exist, the temporary folder
// is renamed to dir; when dir exists, each file is renamed into it one by
// one (each file atomically), leaving other files in dir alone. On error
// nothing in dir changes and the temporary folder is removed.
func WriteDir(dir string, fill func(tmp string) error) (err error) {
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", parent, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-*")
	if err != nil {
		return fmt.Errorf("create temporary folder for %s: %w", dir, err)
	}
	defer os.RemoveAll(tmp)
	if err := fill(tmp); err != nil {
		return err
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
