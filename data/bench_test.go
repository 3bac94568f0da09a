package data_test

import (
	"context"
	"io/fs"
	"path/filepath"
	"runtime/debug"
	"testing"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/data/synth"
)

// The load benchmarks read and validate a generated dataset from a folder of
// CSV files, as `seatplan validate --data DIR` does. The goal for the
// province size is at most 10 s and 2 GB:
//
//	go test ./data -run '^$' -bench Load -benchmem

// BenchmarkLoadCity loads the city-size sample (about 5,900 areas and 2,000
// schools).
func BenchmarkLoadCity(b *testing.B) { benchmarkLoad(b, synth.City) }

// BenchmarkLoadProvince loads the province-size dataset (about 70,000
// areas and 35,000 schools and kindergartens).
func BenchmarkLoadProvince(b *testing.B) { benchmarkLoad(b, synth.Province) }

func benchmarkLoad(b *testing.B, scale synth.Scale) {
	ds, err := synth.Generate(synth.Config{Scale: scale, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(b.TempDir(), "csv")
	if err := data.WriteCSV(context.Background(), dir, ds, data.CSVOptions{}); err != nil {
		b.Fatal(err)
	}
	// Hand the generated dataset back to the OS so that the process's
	// memory is the loader's.
	ds = nil
	debug.FreeOSMemory()
	b.SetBytes(folderSize(b, dir))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := data.Load(dir); err != nil {
			b.Fatal(err)
		}
	}
}

// folderSize returns the total size of the files in dir.
func folderSize(b *testing.B, dir string) int64 {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		st, err := e.Info()
		n += st.Size()
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return n
}
