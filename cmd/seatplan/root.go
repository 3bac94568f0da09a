package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/data/sample"
)

// env carries what commands share: the output streams and the global
// options, filled in by the root command's flags.
type env struct {
	stdout, stderr io.Writer
	dataPath       string
	scenarios      []string
	logLevel       string
	log            *slog.Logger
	// tty tells whether stderr is a terminal: progress bars are drawn only
	// then.
	tty bool
}

func newRootCmd(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "seatplan",
		Short: "School-seat demand forecasts and school layout proposals to 2035",
		Long: `seatplan forecasts kindergarten, primary and middle-school seat demand by
county, township and school, warns early where seats or teachers will run short,
and proposes a school layout (small-school merges, nine-year conversions,
classroom rebalancing, seat reallocation across attendance districts, new sites).

seatplan 预测学位需求、给出预警，并提出学校布局调整方案。

Without --data it runs on the embedded synthetic sample (Liaocheng scale).`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			var lvl slog.Level
			if err := lvl.UnmarshalText([]byte(e.logLevel)); err != nil {
				return fmt.Errorf("--log-level %q: expected debug, info, warn or error", e.logLevel)
			}
			e.log = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: lvl}))
			return nil
		},
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return err })
	pf := root.PersistentFlags()
	pf.StringVar(&e.dataPath, "data", "", "dataset: a folder of CSV files or an .xlsx workbook (default: the embedded synthetic sample)")
	pf.StringArrayVar(&e.scenarios, "scenario", nil, "scenario: low, medium, high or a TOML/YAML file (repeatable where comparing)")
	pf.StringVar(&e.logLevel, "log-level", "warn", "log level: debug, info, warn or error")
	root.AddCommand(
		newValidateCmd(e),
		newForecastCmd(e),
		newBacktestCmd(e),
		newOptimizeCmd(e),
		newPlanCmd(e),
		newTemplateCmd(e),
		newSampleCmd(e),
		newVersionCmd(e),
	)
	return root
}

// loadDataset loads --data, or the embedded sample when it is empty, and
// prints the warnings to stderr.
func (e *env) loadDataset(ctx context.Context) (*data.Dataset, error) {
	var (
		ds       *data.Dataset
		warnings []*data.ParseError
		err      error
	)
	if e.log != nil {
		e.log.Info("load", "data", cmp.Or(e.dataPath, "embedded sample"))
	}
	if e.dataPath == "" {
		ds, warnings, err = sample.LoadContext(ctx)
	} else {
		ds, warnings, err = data.LoadContext(ctx, e.dataPath)
	}
	for _, w := range warnings {
		fmt.Fprintln(e.stderr, "warning:", w)
	}
	if err != nil {
		return nil, fmt.Errorf("load dataset: %w", err)
	}
	if ds.Synthetic {
		fmt.Fprintln(e.stderr, "note: "+strings.TrimSpace(syntheticNote))
	}
	return ds, nil
}

const syntheticNote = `using synthetic sample data (合成示例数据), not real statistics`
