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
	"time"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/internal/atomicfile"
)

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		// A province-size plan holds the forecast's draws (5 GB, outside
		// the Go heap) and then a heap of 2–3 GB; a soft limit makes the
		// collector work harder near 7 GiB instead of letting a larger
		// dataset's heap double past the machine's memory.
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	code := interruptible(context.Background(), signals, stopGrace, os.Stderr, func(ctx context.Context) int {
		return run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	})
	os.Exit(code)
}

// defaultMemoryLimit is the soft memory limit when GOMEMLIMIT is not set.
const defaultMemoryLimit = 7 << 30

// stopGrace is how long the work may take to unwind after an interrupt
// before the process removes its temporary files itself and exits; the
// whole stop stays within two seconds, exit of a large heap included.
const stopGrace = time.Second

// Exit statuses of the command-line contract. An interrupted command exits
// with 128 plus the signal number: 130 for SIGINT, 143 for SIGTERM.
const (
	exitOK       = 0
	exitInternal = 1
	exitInput    = 2
)

// interrupted is the cause of the context's cancellation when a signal
// arrives.
type interrupted struct{ sig os.Signal }

func (i *interrupted) Error() string {
	switch i.sig {
	case syscall.SIGINT:
		return "interrupted (SIGINT)"
	case syscall.SIGTERM:
		return "terminated (SIGTERM)"
	}
	return "stopped by " + i.sig.String()
}

// status is the exit status of a process stopped by the signal.
func (i *interrupted) status() int {
	if s, ok := i.sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 128 + int(syscall.SIGINT)
}

// interruptible runs work with a context that the first signal from
// signals cancels, and returns work's exit status. Work that was told to
// stop removes its temporary files and returns; if it has not returned
// grace after the signal, or a second signal arrives, interruptible
// removes the temporary files still recorded in the context's tracker and
// returns the signal's status without waiting.
func interruptible(parent context.Context, signals <-chan os.Signal, grace time.Duration, stderr io.Writer, work func(context.Context) int) int {
	tracker := atomicfile.NewTracker()
	ctx, cancel := context.WithCancelCause(atomicfile.WithTracker(parent, tracker))
	defer cancel(nil)
	done := make(chan int, 1)
	go func() { done <- work(ctx) }()
	var (
		cause   *interrupted
		timeout <-chan time.Time
	)
	for {
		select {
		case code := <-done:
			return code
		case sig := <-signals:
			if cause == nil {
				cause = &interrupted{sig}
				cancel(cause)
				timeout = time.After(grace)
				continue
			}
			fmt.Fprintf(stderr, "seatplan: %s; second signal, stopping now\n", cause.Error())
		case <-timeout:
			fmt.Fprintf(stderr, "seatplan: %s; the current step did not stop in time, stopping now\n", cause.Error())
		}
		if err := tracker.RemoveAll(); err != nil {
			fmt.Fprintln(stderr, "seatplan: remove temporary files:", err)
		}
		return cause.status()
	}
}

// run executes one command line and maps its error to an exit status in
// one place: interrupted 128 plus the signal number, invalid input or
// usage 2, anything else 1.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr, tty: isTerminal(stderr)}
	root := newRootCmd(e)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var in *interrupted
	if errors.As(context.Cause(ctx), &in) {
		// Whatever failed, it failed because the work was told to stop.
		if e.tty {
			// End a progress bar's line (and the terminal's ^C).
			fmt.Fprintln(stderr)
		}
		fmt.Fprintln(stderr, "seatplan:", in.Error()+"; outputs left as they were")
		return in.status()
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
