// Command mcf solves a min-cost-flow instance given as a DIMACS file and
// prints the optimal total cost on its first line. It checks seatplan's flow
// solver against other solvers (LEMON, CS2) on the same files, and with --gen
// writes the synthetic seat-allocation instances used for that comparison.
//
// Usage:
//
//	mcf [--at-least] [--flows] [--verbose] FILE
//	mcf --gen AREASxSCHOOLS [--nearest 15] [--seed 1] > FILE
//
// Exit status: 0 on success, 1 if the instance is infeasible or unbounded (or
// the file cannot be read), 2 on a malformed file or command line.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/seatplan/seatplan/optimize"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit statuses.
const (
	exitOK       = 0
	exitNoFlow   = 1 // infeasible, unbounded, unreadable
	exitMalforms = 2 // malformed file or command line
)

// run executes one command line and maps its error to an exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmd := newMCFCmd(stdout, stderr, nil)
	cmd.SetArgs(args)
	cmd.SetOut(stdout)
	cmd.SetErr(stderr)
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var de *dimacsFileError
	if errors.As(err, &de) {
		// FILE:LINE: what was expected, as compilers say it.
		fmt.Fprintf(stderr, "%s:%d: %s\n", de.file, de.err.Line, de.err.Msg)
		return exitMalforms
	}
	fmt.Fprintln(stderr, "mcf:", err)
	var re *runError
	if !errors.As(err, &re) {
		fmt.Fprintln(stderr, "Run 'mcf --help' for usage.")
		return exitMalforms
	}
	return exitNoFlow
}

// runError marks an error of the work itself rather than of the command line.
type runError struct{ err error }

func (e *runError) Error() string { return e.err.Error() }
func (e *runError) Unwrap() error { return e.err }

// dimacsFileError locates a malformed line in a named file.
type dimacsFileError struct {
	file string
	err  *optimize.DIMACSError
}

func (e *dimacsFileError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.file, e.err.Line, e.err.Msg)
}
