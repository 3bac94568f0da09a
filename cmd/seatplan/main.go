// Command seatplan forecasts school-seat demand and proposes a school layout
// (merges, nine-year conversions, class rebalancing, new sites) for a city's
// layout plan, writing Excel, GeoJSON and JSON outputs.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/seatplan/seatplan/data"
)

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		// A province-size plan keeps about 5 GB live at its peak; a soft
		// limit makes the collector work harder there instead of letting
		// the heap double, so the process stays within 8 GB.
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// defaultMemoryLimit is the soft memory limit when GOMEMLIMIT is not set.
const defaultMemoryLimit = 7 << 30

// Exit statuses of the command-line contract.
const (
	exitOK       = 0
	exitInternal = 1
	exitInput    = 2
)

// run executes one command line and maps its error to an exit status in
// one place: invalid input or usage 2, anything else 1.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRootCmd(&env{stdout: stdout, stderr: stderr, tty: isTerminal(stderr)})
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, "seatplan:", err)
	var re *runError
	if !errors.As(err, &re) {
		// Flag parsing, unknown commands and wrong arguments.
		fmt.Fprintln(stderr, "Run 'seatplan --help' for usage.")
		return exitInput
	}
	if data.IsInvalidInput(err) {
		return exitInput
	}
	return exitInternal
}

// runError marks an error returned by a command's work (as opposed to its
// command line), so run can classify it.
type runError struct{ err error }

func (e *runError) Error() string { return e.err.Error() }
func (e *runError) Unwrap() error { return e.err }

func wrapRun(err error) error {
	if err == nil {
		return nil
	}
	return &runError{err}
}
