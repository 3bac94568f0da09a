package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/seatplan/seatplan/data"
)

type templateOptions struct {
	output string
}

func newTemplateCmd(e *env) *cobra.Command {
	opts := &templateOptions{}
	cmd := &cobra.Command{
		Use:   "template -o FILE.xlsx",
		Short: "Write an empty input workbook with bilingual headers, drop-down lists, instructions and example rows",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := data.WriteTemplate(cmd.Context(), opts.output); err != nil {
				return wrapRun(err)
			}
			fmt.Fprintln(e.stderr, "wrote", opts.output)
			return nil
		},
	}
	cmd.Flags().StringVarP(&opts.output, "output", "o", "", "workbook to write (.xlsx)")
	cmd.MarkFlagRequired("output")
	return cmd
}
