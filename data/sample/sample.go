package sample

//go:generate go run ./gen -o files

import (
	"context"
	"embed"
	"io/fs"

	"github.com/seatplan/seatplan/data"
)

// Source is the Dataset.Source of the embedded sample.
const Source = "embedded synthetic sample (Liaocheng scale)"

//go:embed files/*.csv.gz
var files embed.FS

// FS returns the embedded CSV files (name.csv.gz, one per table) at its
// root, as data.LoadFS reads them.
func FS() fs.FS {
	sub, err := fs.Sub(files, "files")
	if err != nil {
		panic("sample: " + err.Error())
	}
	return sub
}

// Load reads and validates the embedded sample. It is marked Synthetic with
// Source set to the Source constant. An error means the embedded files are
// broken, which the package tests rule out.
func Load() (*data.Dataset, []*data.ParseError, error) {
	return LoadContext(context.Background())
}

// LoadContext is Load that stops with ctx's error soon after ctx is done.
func LoadContext(ctx context.Context) (*data.Dataset, []*data.ParseError, error) {
	ds, warnings, err := data.LoadFSContext(ctx, FS(), Source)
	if err != nil {
		return nil, warnings, err
	}
	ds.Source = Source
	ds.Synthetic = true
	return ds, warnings, nil
}
