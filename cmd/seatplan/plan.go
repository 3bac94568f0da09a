package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/forecast"
	"github.com/seatplan/seatplan/optimize"
	"github.com/seatplan/seatplan/report"
)

type planOptions struct {
	output   string
	geojson  string
	mapPath  string
	jsonPath string
	year     int
	draws    int
	seed     uint64
	safe     bool
	args     []string
}

func newPlanCmd(e *env) *cobra.Command {
	opts := &planOptions{}
	cmd := &cobra.Command{
		Use:   "plan [-o plan.xlsx] [--geojson F] [--map F.png] [--json F] [--scenario S]...",
		Short: "Forecast, propose the layout and write the review workbook (and GeoJSON, map, JSON)",
		Long: `plan forecasts, proposes the layout for the target year and writes one workbook
with every sheet (docs/plan.md), on the embedded sample when --data is absent.
Several --scenario values give one workbook with the scenarios compared side by
side; the first one is the plan the other sheets, the map and the GeoJSON show.

The outputs appear together once all are written. Ctrl-C (SIGINT) or SIGTERM
stops the command within two seconds, removes its temporary files and leaves
existing outputs as they were; the exit status is then 130 or 143.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.args = append([]string{"seatplan"}, cmdArgs(cmd)...)
			return wrapRun(runPlan(cmd, e, opts))
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.output, "output", "o", "plan.xlsx", "workbook to write (.xlsx)")
	f.StringVar(&opts.geojson, "geojson", "", "GeoJSON of schools, merges and new sites to write")
	f.StringVar(&opts.mapPath, "map", "", "map picture to write (.png); the workbook carries it either way")
	f.StringVar(&opts.jsonPath, "json", "", "JSON summary to write (fields in docs/plan.md)")
	f.IntVar(&opts.year, "year", 0, "target year (default the scenario's horizon, 2035)")
	f.IntVar(&opts.draws, "draws", 0, "Monte Carlo draws of the forecast (default the scenario's)")
	f.Uint64Var(&opts.seed, "seed", 0, "random seed (default the scenario's)")
	f.BoolVar(&opts.safe, "safe", false, "plan capacities on the P90 forecast instead of P50")
	return cmd
}

func runPlan(cmd *cobra.Command, e *env, opts *planOptions) error {
	scs, err := e.scenarioList()
	if err != nil {
		return err
	}
	fl := cmd.Flags()
	for i := range scs {
		sc := &scs[i]
		if fl.Changed("draws") {
			sc.Draws = opts.draws
		}
		if fl.Changed("seed") {
			sc.Seed = opts.seed
		}
		if opts.year != 0 && opts.year > sc.Horizon {
			sc.Horizon = opts.year
		}
		if err := sc.Validate(); err != nil {
			return &data.ParseError{File: "--scenario " + sc.Name, Err: err}
		}
	}
	ctx := cmd.Context()
	step := e.stepTimer()
	ds, err := e.loadDataset(ctx)
	if err != nil {
		return err
	}
	step("load")
	meta, err := e.meta(strings.Join(opts.args, " "))
	if err != nil {
		return err
	}
	var plans []*report.Plan
	for _, sc := range scs {
		res, lay, err := proposePlan(ctx, e, ds, sc, opts.year, opts.safe, step)
		if err != nil {
			return err
		}
		plans = append(plans, &report.Plan{Dataset: ds, Forecast: res, Layout: lay, Meta: meta})
	}
	p := plans[0]
	p.Alternatives = plans[1:]

	m, err := report.RenderMap(ctx, p, report.MapOptions{})
	if err != nil {
		return err
	}
	if !m.Chinese {
		fmt.Fprintln(e.stderr, "note: no CJK font found (apt-get install fonts-wqy-microhei); map labels are in English only")
	}
	p.Map = m.PNG
	step("map")
	err = e.writeOutputs(ctx, step,
		output{"map png", opts.mapPath, func(w io.Writer) error {
			_, err := w.Write(m.PNG)
			return err
		}},
		output{"workbook", opts.output, func(w io.Writer) error { return report.WritePlanWorkbook(ctx, w, p) }},
		output{"geojson", opts.geojson, func(w io.Writer) error { return report.WriteGeoJSON(w, p) }},
		output{"json", opts.jsonPath, func(w io.Writer) error { return report.WriteJSON(w, report.Summarize(p)) }},
	)
	if err != nil {
		return err
	}
	for _, q := range plans {
		fmt.Fprintf(e.stdout, "情景 scenario %s, seed %d, %d draws, %d→%d\n", q.Forecast.Scenario.Name, q.Forecast.Seed,
			q.Forecast.Draws, q.Forecast.BaseYear, q.Layout.TargetYear)
		for _, c := range report.ProposalCounts(q) {
			fmt.Fprintf(e.stdout, "%8d  %s %s\n", c.Count, c.ZH, c.EN)
		}
	}
	return nil
}

// proposePlan forecasts the dataset under one scenario and proposes the
// layout for the target year.
// step, when not nil, is told when each stage ends.
func proposePlan(ctx context.Context, e *env, ds *data.Dataset, sc forecast.Scenario, year int, safe bool, step func(string)) (*forecast.Result, *optimize.Layout, error) {
	if step == nil {
		step = func(string) {}
	}
	res, err := forecast.Run(ctx, ds, sc, forecast.Options{Areas: true}, e.progress("预测 forecast "+sc.Name))
	if err != nil {
		return nil, nil, err
	}
	step("forecast " + sc.Name)
	in, err := optimize.InputFromForecast(ds, res, year, optimize.DefaultStandards())
	if err != nil {
		return nil, nil, &data.ParseError{File: "--year", Err: err}
	}
	lay, err := optimize.ProposeLayout(ctx, in, optimize.LayoutOptions{Safe: safe, Seed: sc.Seed}, e.progress("布局 layout "+sc.Name))
	if err != nil {
		return nil, nil, err
	}
	step("layout " + sc.Name)
	return res, lay, nil
}
