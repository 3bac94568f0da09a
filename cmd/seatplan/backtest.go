package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/forecast"
	"github.com/seatplan/seatplan/report"
)

type backtestOptions struct {
	holdout     int
	draws       int
	knownBirths bool
	jsonPath    string
}

func newBacktestCmd(e *env) *cobra.Command {
	opts := &backtestOptions{}
	cmd := &cobra.Command{
		Use:   "backtest [--holdout K] [--known-births] [--json F]",
		Short: "Rolling-origin accuracy of the forecast on the dataset's own history (MAPE by lead, naive baseline, coverage)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return wrapRun(runBacktest(cmd, e, opts))
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.holdout, "holdout", 5, "longest lead time in years")
	f.IntVar(&opts.draws, "draws", 200, "Monte Carlo draws per origin")
	f.BoolVar(&opts.knownBirths, "known-births", false, "ex-post test: give each origin the births recorded after it, so the errors are the enrolment model's alone")
	f.StringVar(&opts.jsonPath, "json", "", "JSON result to write (fields in docs/forecast.md)")
	return cmd
}

func runBacktest(cmd *cobra.Command, e *env, opts *backtestOptions) error {
	if opts.holdout < 1 {
		return &data.ParseError{File: "--holdout", Err: fmt.Errorf("%d: expected a whole number ≥ 1", opts.holdout)}
	}
	sc, err := e.scenario()
	if err != nil {
		return err
	}
	sc.Draws = opts.draws
	if err := sc.Validate(); err != nil {
		return &data.ParseError{File: "--scenario " + sc.Name, Err: err}
	}
	ds, err := e.loadDataset(cmd.Context())
	if err != nil {
		return err
	}
	res, err := forecast.Backtest(cmd.Context(), ds, sc, forecast.BacktestSpec{Holdout: opts.holdout, KnownBirths: opts.knownBirths}, forecast.Options{}, nil)
	if err != nil {
		return err
	}
	err = e.writeOutputs(cmd.Context(), nil, output{"json", opts.jsonPath, func(w io.Writer) error { return report.WriteJSON(w, res) }})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backtest %s: origins %v, holdout %d, %d draws\n", res.Source, res.Origins, res.Holdout, res.Draws)
	if res.KnownBirths {
		fmt.Fprintln(e.stdout, "ex post: births recorded after each origin were given to its forecast (事后检验：已知出生数)")
	}
	fmt.Fprintf(e.stdout, "%-14s %4s %8s %8s %10s %8s\n", "level", "lead", "MAPE%", "naive%", "signed%", "P10-P90")
	for _, l := range res.Levels {
		for _, a := range l.City {
			fmt.Fprintf(e.stdout, "%-14s %4d %8.2f %8.2f %10.2f %7.0f%%\n", l.Level, a.Lead, a.MAPE, a.NaiveMAPE, a.MeanSignedError, 100*a.Coverage)
		}
		if a := l.CityPooled; a.N > 0 {
			fmt.Fprintf(e.stdout, "%-14s %4s %8.2f %8.2f %10.2f %7.0f%%\n", l.Level, "all", a.MAPE, a.NaiveMAPE, a.MeanSignedError, 100*a.Coverage)
		}
	}
	fmt.Fprintf(e.stdout, "P10–P90 coverage: city %.0f%%, county %.0f%%, school %.0f%%\n", 100*res.Coverage.City, 100*res.Coverage.County, 100*res.Coverage.School)
	return nil
}
