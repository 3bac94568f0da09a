package main

import (
	"github.com/spf13/cobra"

	"github.com/seatplan/seatplan/data"
)

func newValidateCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "validate",
		Short: "Check a dataset and print a summary (exit 2 with every problem located)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ds, err := e.loadDataset(cmd.Context())
			if err != nil {
				return wrapRun(err)
			}
			return wrapRun(data.Summarize(ds).Write(e.stdout))
		},
	}
}
