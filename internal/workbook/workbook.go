// Package workbook creates excelize workbooks that obey a context: their
// temporary files live in a scratch folder that is removed with the
// workbook (or by the context's atomicfile.Tracker when the process must
// stop at once), and saving one stops soon after the context is done.
package workbook

import (
	"archive/zip"
	"context"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/seatplan/seatplan/internal/atomicfile"
)

// New returns an empty workbook and a function that closes it and removes
// its temporary files; call it on every path, usually deferred.
func New(ctx context.Context) (*excelize.File, func(), error) {
	dir, release, err := atomicfile.TempDir(ctx, "seatplan-xlsx-*")
	if err != nil {
		return nil, nil, fmt.Errorf("new workbook: %w", err)
	}
	f := excelize.NewFile(excelize.Options{TmpDir: dir})
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter {
		return zip.NewWriter(atomicfile.ContextWriter(ctx, w))
	})
	return f, func() {
		f.Close()
		release()
	}, nil
}

// Write saves f to w; it fails soon after ctx is done, also while the
// archive is being compressed.
func Write(ctx context.Context, w io.Writer, f *excelize.File) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err := f.WriteTo(atomicfile.ContextWriter(ctx, w))
	return err
}
