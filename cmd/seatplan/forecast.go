package main

import (
	"fmt"
	"io"
	"io/fs"
	"runtime"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/data/sample"
	"github.com/seatplan/seatplan/forecast"
	"github.com/seatplan/seatplan/report"
)

type forecastOptions struct {
	to       int
	draws    int
	seed     uint64
	output   string
	jsonPath string
	args     []string
}

func newForecastCmd(e *env) *cobra.Command {
	opts := &forecastOptions{}
	cmd := &cobra.Command{
		Use:   "forecast [--to 2035] [--draws N] [--seed S] [-o F.xlsx] [--json F]",
		Short: "Forecast population, pupils, classes and teachers with P10/P50/P90 and early warnings",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.args = append([]string{"seatplan"}, cmdArgs(cmd)...)
			return wrapRun(runForecast(cmd, e, opts))
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.to, "to", 0, "last forecast year (default the scenario's horizon, 2035)")
	f.IntVar(&opts.draws, "draws", 0, "Monte Carlo draws (default the scenario's, 1000)")
	f.Uint64Var(&opts.seed, "seed", 0, "random seed (default the scenario's)")
	f.StringVarP(&opts.output, "output", "o", "", "workbook to write (.xlsx)")
	f.StringVar(&opts.jsonPath, "json", "", "JSON summary to write (fields in docs/forecast.md)")
	return cmd
}

// cmdArgs reconstructs the command line for provenance.
func cmdArgs(cmd *cobra.Command) []string {
	args := []string{cmd.Name()}
	cmd.Flags().Visit(func(fl *pflag.Flag) {
		args = append(args, "--"+fl.Name+"="+fl.Value.String())
	})
	return args
}

func runForecast(cmd *cobra.Command, e *env, opts *forecastOptions) error {
	sc, err := e.scenario()
	if err != nil {
		return err
	}
	if cmd.Flags().Changed("to") {
		sc.Horizon = opts.to
	}
	if cmd.Flags().Changed("draws") {
		sc.Draws = opts.draws
	}
	if cmd.Flags().Changed("seed") {
		sc.Seed = opts.seed
	}
	if err := sc.Validate(); err != nil {
		return &data.ParseError{File: "--scenario " + sc.Name, Err: err}
	}
	ds, err := e.loadDataset(cmd.Context())
	if err != nil {
		return err
	}
	res, err := forecast.Run(cmd.Context(), ds, sc, forecast.Options{}, e.progress("预测 forecast"))
	if err != nil {
		return err
	}
	var meta report.Meta
	if opts.output != "" {
		if meta, err = e.meta(strings.Join(opts.args, " ")); err != nil {
			return err
		}
	}
	ctx := cmd.Context()
	err = e.writeOutputs(ctx, nil,
		output{"workbook", opts.output, func(w io.Writer) error { return report.WriteForecastWorkbook(ctx, w, res, meta) }},
		output{"json", opts.jsonPath, func(w io.Writer) error { return report.WriteJSON(w, res) }},
	)
	if err != nil {
		return err
	}
	return printForecastSummary(e, res)
}

// printForecastSummary prints the city's pupils by level for a few years.
func printForecastSummary(e *env, res *forecast.Result) error {
	fmt.Fprintf(e.stdout, "情景 scenario %s, seed %d, %d draws, base year %d\n", res.Scenario.Name, res.Seed, res.Draws, res.BaseYear)
	fmt.Fprintf(e.stdout, "%-6s %-14s %10s %10s %10s\n", "year", "level", "P10", "P50", "P90")
	for _, y := range res.City.Years {
		if y.Year%5 != 0 && y.Year != res.Years[0] && y.Year != res.Years[len(res.Years)-1] {
			continue
		}
		for _, l := range y.Levels {
			fmt.Fprintf(e.stdout, "%-6d %-14s %10.0f %10.0f %10.0f\n", y.Year, l.Level, l.Pupils.P10, l.Pupils.P50, l.Pupils.P90)
		}
	}
	counts := map[forecast.Severity]int{}
	for _, w := range res.FirstWarnings {
		counts[w.Severity]++
	}
	fmt.Fprintf(e.stdout, "预警 warnings: %d red, %d amber (first appearances)\n", counts[forecast.Red], counts[forecast.Amber])
	return nil
}

// meta gathers the provenance recorded in outputs.
func (e *env) meta(command string) (report.Meta, error) {
	v := buildVersion()
	var embedded fs.FS
	if e.dataPath == "" {
		embedded = sample.FS()
	}
	inputs, err := report.HashInputs(e.dataPath, embedded)
	if err != nil {
		return report.Meta{}, err
	}
	return report.Meta{Version: v.Version, Commit: v.Commit, GoVersion: runtime.Version(), Command: command, Inputs: inputs}, nil
}
