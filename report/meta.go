package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// Meta is the provenance every output records: what ran, on what, how.
type Meta struct {
	// Version and Commit identify the seatplan build; GoVersion the
	// toolchain.
	Version, Commit, GoVersion string
	// Command is the command line that produced the output.
	Command string
	// Inputs lists each input file with its SHA-256.
	Inputs []InputFile
}

// InputFile is one input file and its content hash.
type InputFile struct {
	Name   string `json:"name"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// HashInputs hashes the dataset at path (a file, or every file of a
// folder) or, when path is empty, the files of fsys (the embedded sample).
func HashInputs(path string, fsys fs.FS) ([]InputFile, error) {
	if path != "" {
		st, err := os.Stat(path)
		if err != nil {
			return nil, fmt.Errorf("hash inputs: %w", err)
		}
		if !st.IsDir() {
			f, err := hashFile(os.DirFS(filepath.Dir(path)), filepath.Base(path))
			if err != nil {
				return nil, err
			}
			return []InputFile{f}, nil
		}
		fsys = os.DirFS(path)
	}
	if fsys == nil {
		return nil, nil
	}
	var out []InputFile
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." {
				return fs.SkipDir
			}
			return nil
		}
		f, err := hashFile(fsys, p)
		if err != nil {
			return err
		}
		out = append(out, f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("hash inputs: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func hashFile(fsys fs.FS, name string) (InputFile, error) {
	r, err := fsys.Open(name)
	if err != nil {
		return InputFile{}, fmt.Errorf("hash %s: %w", name, err)
	}
	defer r.Close()
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		return InputFile{}, fmt.Errorf("hash %s: %w", name, err)
	}
	return InputFile{Name: name, Bytes: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}
