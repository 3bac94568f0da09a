package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/data/sample"
	"github.com/seatplan/seatplan/data/synth"
)

type sampleOptions struct {
	output string
	format string
	scale  string
	seed   uint64
}

func newSampleCmd(e *env) *cobra.Command {
	opts := &sampleOptions{}
	cmd := &cobra.Command{
		Use:   "sample -o DIR [--format csv|xlsx] [--scale city|province] [--seed S]",
		Short: "Write the embedded synthetic sample, or generate a province-size one",
		Long: `Write the embedded synthetic city sample (Liaocheng scale) as CSV files or one
workbook, or generate a new synthetic dataset with --scale province or another
--seed. All sample data is synthetic: 合成示例数据，非真实统计。`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return wrapRun(runSample(cmd.Context(), e, opts))
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.output, "output", "o", "", "folder (csv) or workbook (xlsx) to write")
	f.StringVar(&opts.format, "format", "csv", "csv or xlsx")
	f.StringVar(&opts.scale, "scale", "city", "city (the embedded sample) or province (generated, ≈70,000 areas)")
	f.Uint64Var(&opts.seed, "seed", 1, "generator seed (the embedded city sample uses 1)")
	cmd.MarkFlagRequired("output")
	return cmd
}

func runSample(ctx context.Context, e *env, opts *sampleOptions) error {
	format := strings.ToLower(opts.format)
	if format != "csv" && format != "xlsx" {
		return invalidFlag("format", opts.format, "csv or xlsx")
	}
	var ds *data.Dataset
	var err error
	switch {
	case opts.scale == "city" && opts.seed == 1:
		ds, _, err = sample.LoadContext(ctx)
	case opts.scale == "city" || opts.scale == "province":
		ds, err = synth.Generate(synth.Config{Scale: synth.Scale(opts.scale), Seed: opts.seed})
	default:
		return invalidFlag("scale", opts.scale, "city or province")
	}
	if err != nil {
		return fmt.Errorf("sample: %w", err)
	}
	if format == "xlsx" {
		err = data.WriteXLSX(ctx, opts.output, ds)
	} else {
		err = data.WriteCSV(ctx, opts.output, ds, data.CSVOptions{})
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "wrote %s (%s; synthetic sample data, not real statistics)\n", opts.output, ds.Source)
	return nil
}

// invalidFlag reports a flag value outside its allowed set as invalid input.
func invalidFlag(flag, value, expected string) error {
	return &data.ParseError{File: "--" + flag, Err: fmt.Errorf("%q: expected %s", value, expected)}
}
