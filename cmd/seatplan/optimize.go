package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/report"
)

type optimizeOptions struct {
	year     int
	draws    int
	safe     bool
	output   string
	jsonPath string
}

func newOptimizeCmd(e *env) *cobra.Command {
	opts := &optimizeOptions{}
	cmd := &cobra.Command{
		Use:   "optimize [--year 2035] [-o F.xlsx] [--json F]",
		Short: "Propose the layout for the target year: merges, nine-year conversions, classroom schedules, reallocation, new sites",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return wrapRun(runOptimize(cmd, e, opts, append([]string{"seatplan"}, cmdArgs(cmd)...)))
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.year, "year", 0, "target year (default the scenario's horizon, 2035)")
	f.IntVar(&opts.draws, "draws", 0, "Monte Carlo draws of the forecast (default the scenario's)")
	f.BoolVar(&opts.safe, "safe", false, "plan capacities on the P90 forecast instead of P50")
	f.StringVarP(&opts.output, "output", "o", "", "workbook to write (.xlsx)")
	f.StringVar(&opts.jsonPath, "json", "", "JSON result to write (fields in docs/optimize.md)")
	return cmd
}

func runOptimize(cmd *cobra.Command, e *env, opts *optimizeOptions, args []string) error {
	sc, err := e.scenario()
	if err != nil {
		return err
	}
	if cmd.Flags().Changed("draws") {
		sc.Draws = opts.draws
	}
	if opts.year != 0 && opts.year > sc.Horizon {
		sc.Horizon = opts.year
	}
	if err := sc.Validate(); err != nil {
		return &data.ParseError{File: "--scenario " + sc.Name, Err: err}
	}
	ds, err := e.loadDataset(cmd.Context())
	if err != nil {
		return err
	}
	_, lay, err := proposePlan(cmd.Context(), e, ds, sc, opts.year, opts.safe, nil)
	if err != nil {
		return err
	}
	var meta report.Meta
	if opts.output != "" {
		if meta, err = e.meta(strings.Join(args, " ")); err != nil {
			return err
		}
	}
	ctx := cmd.Context()
	err = e.writeOutputs(ctx, nil,
		output{"workbook", opts.output, func(w io.Writer) error { return report.WriteLayoutWorkbook(ctx, w, lay, ds.Source, meta) }},
		output{"json", opts.jsonPath, func(w io.Writer) error { return report.WriteJSON(w, lay) }},
	)
	if err != nil {
		return err
	}
	m := &lay.Merges
	fmt.Fprintf(e.stdout, "布局方案 layout %d (scenario %s, seed %d)\n", lay.TargetYear, sc.Name, sc.Seed)
	fmt.Fprintf(e.stdout, "撤并 merges: %d of %d candidates; annual cost %.0f, lower bound %.0f, gap %.2f%%\n",
		len(m.Proposals), m.Candidates, m.Cost, m.LowerBound, 100*m.Gap)
	fmt.Fprintf(e.stdout, "九年一贯制 conversions: %d; 班级调整 schedules: %d; 新建 new schools: %d; 闲置校舍 reuses: %d; 扩建 expansions: %d\n",
		len(lay.Conversions), len(lay.Schedules), len(lay.NewSchools), len(lay.Reuses), len(lay.Expansions))
	fmt.Fprintf(e.stdout, "%-14s %10s %10s %10s %10s %10s\n", "level", "pupils", "unmet", "under100", "oversized", "util")
	for i := range lay.After {
		b, a := lay.Before[i], lay.After[i]
		fmt.Fprintf(e.stdout, "%-14s %10d %4d→%-5d %4d→%-5d %4d→%-5d %4.0f→%.0f%%\n", a.Level, a.Pupils, b.Unmet, a.Unmet,
			b.SchoolsUnder100, a.SchoolsUnder100, b.OversizedClasses, a.OversizedClasses, 100*b.Utilisation, 100*a.Utilisation)
	}
	return nil
}
