package optimize

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestReadDIMACS(t *testing.T) {
	const in = "c a comment\n\np min 3 3\nn 1 5\r\nn 3 -5\n" +
		"a 1 2 0 4 2\n\ta 2 3 1 -1 3 \na 1 3 0 10 9\n"
	g, err := ReadDIMACS(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if g.Nodes() != 3 || g.Arcs() != 3 {
		t.Fatalf("%d nodes, %d arcs; want 3, 3", g.Nodes(), g.Arcs())
	}
	if s := []int64{g.Supply(0), g.Supply(1), g.Supply(2)}; s[0] != 5 || s[1] != 0 || s[2] != -5 {
		t.Errorf("supplies %v, want [5 0 -5]", s)
	}
	want := []FlowArc{arc(0, 1, 0, 4, 2), arc(1, 2, 1, InfiniteCapacity, 3), arc(0, 2, 0, 10, 9)}
	for e, w := range want {
		if a := g.Arc(e); a != w {
			t.Errorf("arc %d = %+v, want %+v", e, a, w)
		}
	}
}

func TestReadDIMACSErrors(t *testing.T) {
	long := "c " + strings.Repeat("x", 100000) + "\n"
	tests := []struct {
		name, in string
		line     int
		msg      string
	}{
		{"empty", "", 1, "expected a problem line"},
		{"only comments", "c x\nc y\n", 3, "expected a problem line"},
		{"arc before problem", "a 1 2 0 1 1\n", 1, "before arc lines"},
		{"node before problem", "n 1 2\n", 1, "before node lines"},
		{"not min", "p max 2 1\n", 1, "'p min NODES ARCS'"},
		{"problem missing count", "p min 2\n", 1, "'p min NODES ARCS'"},
		{"two problem lines", "p min 2 0\np min 2 0\n", 2, "one problem line only"},
		{"node id too large", "p min 2 0\nn 3 1\n", 2, "node id between 1 and 2"},
		{"node id zero", "p min 2 0\nn 0 1\n", 2, "node id between 1 and 2"},
		{"supply not a number", "p min 2 0\nn 1 x\n", 2, "'n ID SUPPLY'"},
		{"arc with four fields", "p min 2 1\na 1 2 0 5\n", 2, "'a FROM TO LOW CAP COST'"},
		{"arc with six fields", "p min 2 1\na 1 2 0 5 1 7\n", 2, "'a FROM TO LOW CAP COST'"},
		{"arc end out of range", "p min 2 1\na 1 3 0 5 1\n", 2, "arc ends between 1 and 2"},
		{"decimal cost", "p min 2 1\na 1 2 0 5 1.5\n", 2, "'a FROM TO LOW CAP COST'"},
		{"integer overflow", "p min 2 1\na 1 2 0 99999999999999999999 1\n", 2, "'a FROM TO LOW CAP COST'"},
		{"too many arcs", "p min 2 1\na 1 2 0 5 1\na 2 1 0 5 1\n", 3, "no more than the 1 arcs"},
		{"too few arcs", "p min 2 2\na 1 2 0 5 1\n", 3, "expected 2 arc lines as announced, found 1"},
		{"unknown line", "p min 2 0\nx 1\n", 2, "starting with c, p, n or a"},
		{"after a long comment", long + "p min 1 0\nq\n", 3, "starting with c, p, n or a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadDIMACS(strings.NewReader(tt.in))
			var de *DIMACSError
			if !errors.As(err, &de) {
				t.Fatalf("error = %v, want a *DIMACSError", err)
			}
			if de.Line != tt.line || !strings.Contains(de.Msg, tt.msg) {
				t.Errorf("error = %q, want line %d with %q", de.Error(), tt.line, tt.msg)
			}
		})
	}
}

func TestDIMACSRoundTrip(t *testing.T) {
	g := mixedNetwork(3)
	g.SetLower(0, -2)
	g.SetCapacity(0, InfiniteCapacity)
	var buf bytes.Buffer
	if err := WriteDIMACS(&buf, g); err != nil {
		t.Fatal(err)
	}
	h, err := ReadDIMACS(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if h.Nodes() != g.Nodes() || h.Arcs() != g.Arcs() {
		t.Fatalf("read back %d nodes, %d arcs; want %d, %d", h.Nodes(), h.Arcs(), g.Nodes(), g.Arcs())
	}
	for u := range g.Nodes() {
		if h.Supply(u) != g.Supply(u) {
			t.Errorf("node %d: supply %d, want %d", u, h.Supply(u), g.Supply(u))
		}
	}
	for e := range g.Arcs() {
		if h.Arc(e) != g.Arc(e) {
			t.Errorf("arc %d: %+v, want %+v", e, h.Arc(e), g.Arc(e))
		}
	}

	bad := NewFlowNetwork(2)
	a := bad.AddArc(0, 1, 1, 1)
	bad.SetLower(a, 2)
	if err := WriteDIMACS(&bytes.Buffer{}, bad); !errors.Is(err, ErrDIMACSCapacity) {
		t.Errorf("capacity below lower bound: error = %v, want ErrDIMACSCapacity", err)
	}
}

// TestDIMACSFixtures solves every testdata/mcf/*.min and compares with the
// .want file beside it: the optimal cost, "infeasible" or "unbounded", as
// LEMON 1.3.1's NetworkSimplex reports them (scripts/mcf-vs-lemon.sh
// re-checks them). mixed.min must also be what mixedNetwork(1) writes.
func TestDIMACSFixtures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "mcf", "*.min"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".min")
		t.Run(name, func(t *testing.T) {
			in, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			wantBytes, err := os.ReadFile(strings.TrimSuffix(file, ".min") + ".want")
			if err != nil {
				t.Fatal(err)
			}
			want := strings.TrimSpace(string(wantBytes))
			if name == "mixed" {
				var buf bytes.Buffer
				if err := WriteDIMACS(&buf, mixedNetwork(1)); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(buf.Bytes(), in) {
					t.Error("mixed.min differs from what mixedNetwork(1) writes")
				}
			}
			g, err := ReadDIMACS(bytes.NewReader(in))
			if err != nil {
				t.Fatal(err)
			}
			sol, err := MinCostFlow(context.Background(), g, nil)
			var got string
			switch {
			case errors.Is(err, ErrInfeasible):
				got = "infeasible"
			case errors.Is(err, ErrUnbounded):
				got = "unbounded"
			case err != nil:
				t.Fatal(err)
			default:
				got = strconv.FormatInt(sol.Cost, 10)
				if msg := checkFlowSolution(g, FlowSupplyExact, sol); msg != "" {
					t.Error(msg)
				}
			}
			if got != want {
				t.Errorf("got %s, want %s", got, want)
			}
		})
	}
}

// mixedNetwork draws a general balanced network of 60 nodes and 400 arcs
// with negative costs on finite arcs, lower bounds and infinite capacities,
// plus a dear ring that keeps it feasible.
func mixedNetwork(seed uint64) *FlowNetwork {
	const n, m = 60, 400
	rng := rand.New(rand.NewPCG(seed, 11))
	g := NewFlowNetwork(n)
	var sum int64
	for u := range n - 1 {
		b := rng.Int64N(41) - 20
		g.SetSupply(u, b)
		sum += b
	}
	g.SetSupply(n-1, -sum)
	for range m {
		u, v := rng.IntN(n), rng.IntN(n-1)
		if v >= u {
			v++
		}
		cost := rng.Int64N(121) - 20
		capacity := InfiniteCapacity
		if cost < 0 || rng.IntN(2) == 0 {
			capacity = rng.Int64N(30)
		}
		e := g.AddArc(u, v, capacity, cost)
		if rng.IntN(10) == 0 {
			g.SetLower(e, rng.Int64N(min(capacity, 5)+1))
		}
	}
	for u := range n {
		g.AddArc(u, (u+1)%n, InfiniteCapacity, 500)
	}
	return g
}
