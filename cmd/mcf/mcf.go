package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/seatplan/seatplan/optimize"
)

// mcfOptions is what the command line asks for.
type mcfOptions struct {
	File    string
	AtLeast bool // supplies bind as outflow − inflow ≥ supply (LEMON's default)
	Flows   bool // print the nonzero arc flows after the cost
	Verbose bool // print sizes, pivots and timings to stderr

	Gen     string // AREASxSCHOOLS: write a synthetic instance instead
	Nearest int
	Seed    uint64

	Stdout, Stderr io.Writer
}

// newMCFCmd returns the command; runF, if not nil, replaces the work so that
// tests can check flag parsing alone.
func newMCFCmd(stdout, stderr io.Writer, runF func(*mcfOptions) error) *cobra.Command {
	opts := &mcfOptions{Stdout: stdout, Stderr: stderr}
	cmd := &cobra.Command{
		Use:   "mcf [flags] FILE",
		Short: "Solve a DIMACS min-cost-flow file and print the optimal cost",
		Long: `mcf reads a min-cost-flow instance in DIMACS format (c comment lines,
'p min NODES ARCS', 'n ID SUPPLY', 'a FROM TO LOW CAP COST'; a capacity below
the lower bound is infinite) and prints the optimal total cost on the first
line. Supplies must balance (outflow − inflow = supply) unless --at-least is
given. With --gen it writes a synthetic seat-allocation instance instead.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if opts.Gen != "" {
				return cobra.NoArgs(cmd, args)
			}
			return cobra.ExactArgs(1)(cmd, args)
		},
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.File = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			if opts.Gen != "" {
				return runGen(opts)
			}
			return runMCF(cmd, opts)
		},
	}
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return err })
	f := cmd.Flags()
	f.BoolVar(&opts.AtLeast, "at-least", false, "supplies bind as outflow − inflow ≥ supply, as in LEMON (default: equality)")
	f.BoolVar(&opts.Flows, "flows", false, "after the cost, print 'f FROM TO FLOW' for every arc with nonzero flow")
	f.BoolVarP(&opts.Verbose, "verbose", "v", false, "print sizes, pivots and timings to stderr")
	f.StringVar(&opts.Gen, "gen", "", "write a synthetic instance of AREASxSCHOOLS (e.g. 20000x400) to stdout")
	f.IntVar(&opts.Nearest, "nearest", 15, "with --gen: schools linked to each area")
	f.Uint64Var(&opts.Seed, "seed", 1, "with --gen: random seed")
	return cmd
}

func runMCF(cmd *cobra.Command, opts *mcfOptions) error {
	start := time.Now()
	g, err := readDIMACSFile(opts.File)
	if err != nil {
		return err
	}
	parsed := time.Now()
	fo := &optimize.FlowOptions{}
	if opts.AtLeast {
		fo.Supply = optimize.FlowSupplyAtLeast
	}
	sol, err := optimize.MinCostFlow(cmd.Context(), g, fo)
	switch {
	case errors.Is(err, optimize.ErrInfeasible):
		return &runError{fmt.Errorf("%s: infeasible: no flow meets the supplies within the arc bounds", opts.File)}
	case errors.Is(err, optimize.ErrUnbounded):
		return &runError{fmt.Errorf("%s: unbounded: a cycle of negative cost has infinite capacity", opts.File)}
	case err != nil:
		return &runError{fmt.Errorf("%s: %w", opts.File, err)}
	}
	solved := time.Now()

	w := bufio.NewWriterSize(opts.Stdout, 1<<16)
	buf := strconv.AppendInt(make([]byte, 0, 64), sol.Cost, 10)
	buf = append(buf, '\n')
	w.Write(buf)
	if opts.Flows {
		for e, f := range sol.Flow {
			if f == 0 {
				continue
			}
			a := g.Arc(e)
			buf = append(buf[:0], "f "...)
			buf = strconv.AppendInt(buf, int64(a.From+1), 10)
			buf = append(buf, ' ')
			buf = strconv.AppendInt(buf, int64(a.To+1), 10)
			buf = append(buf, ' ')
			buf = strconv.AppendInt(buf, f, 10)
			buf = append(buf, '\n')
			w.Write(buf)
		}
	}
	if err := w.Flush(); err != nil {
		return &runError{err}
	}
	if opts.Verbose {
		fmt.Fprintf(opts.Stderr, "c nodes %d arcs %d pivots %d read %v solve %v\n",
			g.Nodes(), g.Arcs(), sol.Pivots, parsed.Sub(start).Round(time.Millisecond), solved.Sub(parsed).Round(time.Millisecond))
	}
	return nil
}

func readDIMACSFile(name string) (*optimize.FlowNetwork, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, &runError{err}
	}
	defer f.Close()
	g, err := optimize.ReadDIMACS(f)
	var de *optimize.DIMACSError
	if errors.As(err, &de) {
		return nil, &dimacsFileError{file: name, err: de}
	}
	if err != nil {
		return nil, &runError{fmt.Errorf("%s: %w", name, err)}
	}
	return g, nil
}

func runGen(opts *mcfOptions) error {
	areas, schools, ok := strings.Cut(opts.Gen, "x")
	a, errA := strconv.Atoi(areas)
	s, errS := strconv.Atoi(schools)
	if !ok || errA != nil || errS != nil || a < 1 || s < 1 {
		return fmt.Errorf("--gen %q: expected AREASxSCHOOLS, e.g. 20000x400", opts.Gen)
	}
	if opts.Nearest < 1 {
		return fmt.Errorf("--nearest %d: expected at least 1", opts.Nearest)
	}
	g := transportation(transportSpec{Areas: a, Schools: s, Nearest: opts.Nearest, Seed: opts.Seed})
	w := bufio.NewWriterSize(opts.Stdout, 1<<16)
	fmt.Fprintf(w, "c seat allocation: %d areas, %d schools, %d nearest schools per area, seed %d\n", a, s, opts.Nearest, opts.Seed)
	fmt.Fprintf(w, "c nodes 1..%d areas (demand), %d..%d schools (seats), %d unmet demand\n", a, a+1, a+s, a+s+1)
	if err := optimize.WriteDIMACS(w, g); err != nil {
		return &runError{err}
	}
	if err := w.Flush(); err != nil {
		return &runError{err}
	}
	return nil
}
