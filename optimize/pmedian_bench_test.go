package optimize

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// BenchmarkPMedianORLib solves the OR-Library instances of $SEATPLAN_PMED_DIR and
// testdata/pmed: "all" solves every instance once per iteration (files read beforehand),
// then each instance alone.
func BenchmarkPMedianORLib(b *testing.B) {
	insts := pmedAllInstances(b)
	probs := make([]*LocationProblem, len(insts))
	for i, inst := range insts {
		probs[i] = readORLibFile(b, inst.path, false).Problem()
	}
	b.Run("all", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for i, prob := range probs {
				res, err := PMedian(context.Background(), prob, LocationOptions{Seed: 1})
				if err != nil {
					b.Fatal(err)
				}
				if res.Cost != insts[i].optimum {
					b.Errorf("%s: cost %v, optimum %v", insts[i].name, res.Cost, insts[i].optimum)
				}
			}
		}
	})
	for i, inst := range insts {
		b.Run(inst.name, func(b *testing.B) {
			b.ReportAllocs()
			var res *PMedianResult
			for b.Loop() {
				var err error
				if res, err = PMedian(context.Background(), probs[i], LocationOptions{Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(res.Cost-inst.optimum, "above-opt")
			b.ReportMetric(100*res.Gap, "gap%")
		})
	}
}

// BenchmarkReadORLib reads the largest instance file, Floyd–Warshall included.
func BenchmarkReadORLib(b *testing.B) {
	insts := pmedAllInstances(b)
	inst := insts[len(insts)-1]
	b.Run(inst.name, func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			f, err := os.Open(inst.path)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := ReadORLib(f); err != nil {
				b.Fatal(err)
			}
			f.Close()
		}
	})
}

// pmBenchSizes are the size tiers of the sparse benchmarks: clients, sites, p.
var pmBenchSizes = []struct {
	name    string
	n, m, p int
}{
	{"small", 500, 100, 10},
	{"medium", 5000, 500, 40},
	{"large", 20000, 1500, 100},
}

// pmBenchProblem is a sparse instance in the unit square: each client lists its 30
// nearest sites, as the spatial index hands them over.
func pmBenchProblem(n, m, p int) *LocationProblem {
	rng := rand.New(rand.NewPCG(2035, 1))
	prob := &LocationProblem{Sites: m, P: p, Clients: make([][]Reach, n), Weights: make([]float64, n)}
	sx, sy := make([]float64, m), make([]float64, m)
	for j := range sx {
		sx[j], sy[j] = rng.Float64(), rng.Float64()
	}
	all := make([]Reach, m)
	for i := range prob.Clients {
		x, y := rng.Float64(), rng.Float64()
		prob.Weights[i] = float64(1 + rng.IntN(50))
		for j := range all {
			dx, dy := x-sx[j], y-sy[j]
			all[j] = Reach{Site: j, Dist: float64(int((dx*dx + dy*dy) * 1e6))}
		}
		SortReaches(all)
		prob.Clients[i] = append([]Reach(nil), all[:30]...)
	}
	return prob
}

func BenchmarkPMedianSparse(b *testing.B) {
	for _, sz := range pmBenchSizes {
		prob := pmBenchProblem(sz.n, sz.m, sz.p)
		b.Run(sz.name, func(b *testing.B) {
			b.ReportAllocs()
			var res *PMedianResult
			for b.Loop() {
				var err error
				if res, err = PMedian(context.Background(), prob, LocationOptions{Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(100*res.Gap, "gap%")
		})
	}
}

func BenchmarkMaxCoverage(b *testing.B) {
	for _, sz := range pmBenchSizes {
		prob := pmBenchProblem(sz.n, sz.m, sz.p)
		radius := prob.Clients[0][5].Dist
		b.Run(sz.name, func(b *testing.B) {
			b.ReportAllocs()
			var res *CoverageResult
			for b.Loop() {
				var err error
				if res, err = MaxCoverage(context.Background(), prob, radius, LocationOptions{Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(100*res.Gap, "gap%")
		})
	}
}

// pmBeasleyLike returns an instance drawn as Beasley drew pmed1–pmed40: a ring through
// all n vertices plus random edges up to edges, costs uniform in 1..100, read back through
// ReadORLib. It stands in for the sizes of pmed31–pmed40 where those files are absent.
func pmBeasleyLike(tb testing.TB, n, edges, p int, seed uint64) *LocationProblem {
	rng := rand.New(rand.NewPCG(seed, 1985))
	var b strings.Builder
	fmt.Fprintf(&b, " %d %d %d \r\n", n, edges, p)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, " %d %d %d \r\n", i, i%n+1, 1+rng.IntN(100))
	}
	for e := n; e < edges; e++ {
		fmt.Fprintf(&b, " %d %d %d \r\n", 1+rng.IntN(n), 1+rng.IntN(n), 1+rng.IntN(100))
	}
	in, err := ReadORLib(strings.NewReader(b.String()))
	if err != nil {
		tb.Fatal(err)
	}
	return in.Problem()
}

// BenchmarkPMedianBeasleySize solves random instances of the sizes of pmed31–pmed40.
func BenchmarkPMedianBeasleySize(b *testing.B) {
	sizes := []struct{ n, edges, p int }{
		{700, 9800, 5}, {700, 9800, 10}, {700, 9800, 70}, {700, 9800, 140},
		{800, 12800, 5}, {800, 12800, 10}, {800, 12800, 80},
		{900, 16200, 5}, {900, 16200, 10}, {900, 16200, 90},
	}
	for k, sz := range sizes {
		prob := pmBeasleyLike(b, sz.n, sz.edges, sz.p, uint64(31+k))
		b.Run(fmt.Sprintf("n%dp%d", sz.n, sz.p), func(b *testing.B) {
			b.ReportAllocs()
			var res *PMedianResult
			for b.Loop() {
				var err error
				if res, err = PMedian(context.Background(), prob, LocationOptions{Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(100*res.Gap, "gap%")
		})
	}
}
