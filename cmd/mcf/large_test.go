package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/seatplan/seatplan/optimize"
)

// The instance compared with LEMON: 20,000 areas, 400 schools, 15 nearest
// schools per area, seed 1 (mcf --gen 20000x400). LEMON 1.3.1's
// NetworkSimplex finds the optimal cost lemonCost20000x400 for it.
var large = transportSpec{Areas: 20000, Schools: 400, Nearest: 15, Seed: 1}

const lemonCost20000x400 = 2413368286

// TestLargeExact solves the 20,000 × 400 instance and proves the flow
// optimal by itself: it respects every bound and supply, and with the
// returned potentials no arc has a reduced cost that a change of its flow
// could exploit (complementary slackness). The cost also matches LEMON's.
func TestLargeExact(t *testing.T) {
	if testing.Short() {
		t.Skip("20,000 × 400 instance")
	}
	g := transportation(large)
	if want := 20000*15 + 20000 + 400; g.Arcs() != want {
		t.Fatalf("%d arcs, want %d", g.Arcs(), want)
	}
	sol, err := optimize.MinCostFlow(context.Background(), g, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := certify(g, sol); err != nil {
		t.Fatal(err)
	}
	if sol.Cost != lemonCost20000x400 {
		t.Errorf("cost %d, LEMON %d", sol.Cost, lemonCost20000x400)
	}
	t.Logf("cost %d after %d pivots", sol.Cost, sol.Pivots)
}

// certify checks that sol is a feasible flow of g under exact supplies and
// that the potentials satisfy complementary slackness, which together prove
// it optimal.
func certify(g *optimize.FlowNetwork, sol *optimize.FlowSolution) error {
	net := make([]int64, g.Nodes())
	var cost int64
	for e := range g.Arcs() {
		a, f := g.Arc(e), sol.Flow[e]
		if f < a.Lower || f > a.Capacity {
			return fmt.Errorf("arc %d: flow %d outside [%d, %d]", e, f, a.Lower, a.Capacity)
		}
		net[a.From] += f
		net[a.To] -= f
		cost += f * a.Cost
		rc := a.Cost + sol.Potential[a.From] - sol.Potential[a.To]
		if rc > 0 && f != a.Lower || rc < 0 && f != a.Capacity {
			return fmt.Errorf("arc %d: reduced cost %d with flow %d in [%d, %d]", e, rc, f, a.Lower, a.Capacity)
		}
	}
	for u, x := range net {
		if x != g.Supply(u) {
			return fmt.Errorf("node %d: net outflow %d, supply %d", u, x, g.Supply(u))
		}
	}
	if cost != sol.Cost {
		return fmt.Errorf("reported cost %d, flows cost %d", sol.Cost, cost)
	}
	return nil
}

func BenchmarkSolve20000x400(b *testing.B) {
	g := transportation(large)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := optimize.MinCostFlow(context.Background(), g, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRun20000x400 times what the comparison with LEMON times: reading
// the DIMACS file, solving and printing.
func BenchmarkRun20000x400(b *testing.B) {
	path := filepath.Join(b.TempDir(), "large.min")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := optimize.WriteDIMACS(f, transportation(large)); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if code := run(context.Background(), []string{path}, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit status %d", code)
		}
	}
}
