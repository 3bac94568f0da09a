package main

import (
	"context"
	"fmt"
	"io"

	"github.com/seatplan/seatplan/internal/atomicfile"
)

// output is one file a command writes; an empty path skips it.
type output struct {
	// step names the output in the step log.
	step  string
	path  string
	write func(w io.Writer) error
}

// writeOutputs writes every output to a temporary file beside its path
// and, once all are written, renames them into place together, then names
// them on stderr. An error or an interrupt before that point leaves every
// existing file as it was and removes the temporary files. step, when not
// nil, is told when each output has been written.
func (e *env) writeOutputs(ctx context.Context, step func(string), outs ...output) error {
	b := atomicfile.NewBatch(ctx)
	defer b.Discard()
	for _, o := range outs {
		if o.path == "" {
			continue
		}
		if err := b.WriteFile(o.path, o.write); err != nil {
			return fmt.Errorf("write %s: %w", o.path, err)
		}
		if step != nil {
			step(o.step)
		}
	}
	if err := b.Commit(); err != nil {
		return fmt.Errorf("write outputs: %w", err)
	}
	for _, o := range outs {
		if o.path != "" {
			fmt.Fprintln(e.stderr, "wrote", o.path)
		}
	}
	return nil
}
