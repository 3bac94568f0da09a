package optimize

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// pmLine is five clients on a line at 0, 1, 2, 10, 11 with sites at the same points:
//
//	c0  c1  c2                      c3  c4
//	|---|---|-----------------------|---|
//	0   1   2                       10  11
func pmLine() [][]float64 {
	x := []float64{0, 1, 2, 10, 11}
	d := make([][]float64, len(x))
	for i := range x {
		d[i] = make([]float64, len(x))
		for j := range x {
			d[i][j] = math.Abs(x[i] - x[j])
		}
	}
	return d
}

func TestPMedianSmall(t *testing.T) {
	tests := []struct {
		name     string
		p        int
		weights  []float64
		required []int
		cands    []int
		wantOpen []int
		wantCost float64
	}{
		// Medians at 1 (serving 0, 1, 2: cost 2) and at 10 or 11 (cost 1); tie broken
		// deterministically.
		{name: "p=2", p: 2, wantCost: 3},
		{name: "p=1", p: 1, wantOpen: []int{2}, wantCost: 1 + 2 + 0 + 8 + 9},
		// Heavy client at 11 pulls the right median there.
		{name: "weights", p: 2, weights: []float64{1, 1, 1, 1, 5}, wantOpen: []int{1, 4}, wantCost: 2 + 1},
		// Site 0 is forced open; the second site goes to the right cluster.
		{name: "required", p: 2, required: []int{0}, wantCost: 0 + 1 + 2 + 1},
		// Only sites 0 and 4 may open.
		{name: "candidates", p: 2, cands: []int{0, 4}, wantOpen: []int{0, 4}, wantCost: 1 + 2 + 1},
		{name: "all open", p: 5, wantOpen: []int{0, 1, 2, 3, 4}, wantCost: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			prob := NewDenseLocationProblem(pmLine(), tc.p)
			prob.Weights, prob.Required, prob.Candidates = tc.weights, tc.required, tc.cands
			res, err := PMedian(context.Background(), prob, LocationOptions{Seed: 7})
			if err != nil {
				t.Fatal(err)
			}
			if res.Cost != tc.wantCost {
				t.Errorf("cost %v, want %v (open %v)", res.Cost, tc.wantCost, res.Open)
			}
			if tc.wantOpen != nil && !slices.Equal(res.Open, tc.wantOpen) {
				t.Errorf("open %v, want %v", res.Open, tc.wantOpen)
			}
			for _, r := range tc.required {
				if !slices.Contains(res.Open, r) {
					t.Errorf("required site %d not open: %v", r, res.Open)
				}
			}
			if !res.Optimal || res.Gap != 0 || res.LowerBound != res.Cost {
				t.Errorf("bound %v gap %v optimal %v, want a proof on so small a case", res.LowerBound, res.Gap, res.Optimal)
			}
		})
	}
}

func TestPMedianSparseUnserved(t *testing.T) {
	// Client 2 can only be served by site 2, which is not a candidate: it stays unserved
	// at cost Unserved = 100 per unit of weight.
	prob := &LocationProblem{
		Sites: 3,
		Clients: [][]Reach{
			{{0, 1}, {1, 4}},
			{{1, 2}},
			{{2, 0.5}},
		},
		Weights:    []float64{1, 2, 3},
		P:          1,
		Candidates: []int{0, 1},
		Unserved:   100,
	}
	res, err := PMedian(context.Background(), prob, LocationOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	// Site 1: 4 + 2·2 + 300 = 308; site 0: 1 + 2·100 + 300 = 501.
	if want := []int{1}; !slices.Equal(res.Open, want) || res.Cost != 308 || res.UnservedWeight != 3 {
		t.Errorf("got open %v cost %v unserved %v, want [1] 308 3", res.Open, res.Cost, res.UnservedWeight)
	}
	if want := []int{1, 1, -1}; !slices.Equal(res.Assign, want) {
		t.Errorf("assign %v, want %v", res.Assign, want)
	}
}

// pmRandom returns a random sparse instance: each client lists the sites within a random
// reach, distances integer so that bounds can be rounded.
func pmRandom(rng *rand.Rand, n, m, p int) *LocationProblem {
	type pt struct{ x, y float64 }
	cl := make([]pt, n)
	st := make([]pt, m)
	for i := range cl {
		cl[i] = pt{rng.Float64() * 100, rng.Float64() * 100}
	}
	for j := range st {
		st[j] = pt{rng.Float64() * 100, rng.Float64() * 100}
	}
	prob := &LocationProblem{Sites: m, P: p, Clients: make([][]Reach, n), Weights: make([]float64, n)}
	for i, c := range cl {
		prob.Weights[i] = float64(1 + rng.IntN(5))
		for j, s := range st {
			d := math.Round(math.Hypot(c.x-s.x, c.y-s.y))
			if d <= 45 {
				prob.Clients[i] = append(prob.Clients[i], Reach{j, d})
			}
		}
		SortReaches(prob.Clients[i])
	}
	return prob
}

// pmBrute returns the least cost over all openings of p sites.
func pmBrute(prob *LocationProblem) float64 {
	c := newPMCore(prob)
	best := math.Inf(1)
	var rec func(start int, chosen []int32)
	rec = func(start int, chosen []int32) {
		if len(chosen) == c.p {
			best = math.Min(best, c.costOf(chosen))
			return
		}
		for j := start; j < c.m; j++ {
			if c.canOpen[j] {
				rec(j+1, append(chosen, int32(j)))
			}
		}
	}
	rec(0, slices.Clone(c.reqSites))
	return best
}

func TestPMedianBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for k := 0; k < 60; k++ {
		n, m := 10+rng.IntN(30), 5+rng.IntN(9)
		p := 1 + rng.IntN(min(5, m))
		prob := pmRandom(rng, n, m, p)
		if k%3 == 1 {
			prob.Required = []int{rng.IntN(m)}
		}
		if k%4 == 2 {
			prob.Candidates = rng.Perm(m)[:max(p+1, m/2)]
		}
		if prob.Validate() != nil {
			continue
		}
		want := pmBrute(prob)
		res, err := PMedian(context.Background(), prob, LocationOptions{Seed: uint64(k), Starts: 8})
		if err != nil {
			t.Fatal(err)
		}
		if res.Cost != want {
			t.Errorf("case %d (n=%d m=%d p=%d): cost %v, brute force %v", k, n, m, p, res.Cost, want)
		}
		if res.LowerBound > want+1e-9 {
			t.Errorf("case %d: bound %v exceeds optimum %v", k, res.LowerBound, want)
		}
		lb, err := PMedianLowerBound(context.Background(), prob, math.Inf(1), 0)
		if err != nil {
			t.Fatal(err)
		}
		if lb > want+1e-9 {
			t.Errorf("case %d: PMedianLowerBound %v exceeds optimum %v", k, lb, want)
		}
	}
}

func TestPMedianDeterministic(t *testing.T) {
	prob := pmRandom(rand.New(rand.NewPCG(3, 4)), 300, 120, 12)
	var first *PMedianResult
	for _, workers := range []int{1, 2, 3, 8} {
		res, err := PMedian(context.Background(), prob, LocationOptions{Seed: 42, Workers: workers, BoundIterations: -1})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = res
			continue
		}
		if !slices.Equal(res.Open, first.Open) || res.Cost != first.Cost || res.Starts != first.Starts {
			t.Errorf("workers=%d: open %v cost %v, workers=1: open %v cost %v", workers, res.Open, res.Cost, first.Open, first.Cost)
		}
	}
}

func TestPMedianProgressAndCancel(t *testing.T) {
	prob := pmRandom(rand.New(rand.NewPCG(5, 6)), 200, 80, 8)
	var calls [][2]int
	_, err := PMedian(context.Background(), prob, LocationOptions{Seed: 1, Starts: 10, BoundIterations: -1,
		Progress: func(done, total int) { calls = append(calls, [2]int{done, total}) }})
	if err != nil {
		t.Fatal(err)
	}
	if want := [][2]int{{4, 10}, {8, 10}, {10, 10}}; !slices.Equal(calls, want) {
		t.Errorf("progress calls %v, want %v", calls, want)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := PMedian(ctx, prob, LocationOptions{Seed: 1}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: got %v, want context.Canceled", err)
	}
}

func TestLocationProblemValidate(t *testing.T) {
	good := func() *LocationProblem {
		return &LocationProblem{Sites: 2, P: 1, Clients: [][]Reach{{{0, 1}, {1, 2}}}}
	}
	tests := []struct {
		name   string
		change func(*LocationProblem)
		tooFew bool
	}{
		{"site out of range", func(p *LocationProblem) { p.Clients[0][1].Site = 2 }, false},
		{"unsorted", func(p *LocationProblem) { p.Clients[0][1].Dist = 0.5 }, false},
		{"duplicate site", func(p *LocationProblem) { p.Clients[0][1].Site = 0 }, false},
		{"negative distance", func(p *LocationProblem) { p.Clients[0][0].Dist = -1 }, false},
		{"NaN distance", func(p *LocationProblem) { p.Clients[0][0].Dist = math.NaN() }, false},
		{"weights length", func(p *LocationProblem) { p.Weights = []float64{1, 2} }, false},
		{"negative weight", func(p *LocationProblem) { p.Weights = []float64{-1} }, false},
		{"capacity length", func(p *LocationProblem) { p.Capacity = []float64{1} }, false},
		{"p below required", func(p *LocationProblem) { p.Required = []int{0, 1} }, false},
		{"p too large", func(p *LocationProblem) { p.P = 3 }, true},
		{"too few candidates", func(p *LocationProblem) { p.Candidates = []int{}; p.P = 1 }, true},
	}
	if err := good().Validate(); err != nil {
		t.Fatalf("valid problem: %v", err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := good()
			tc.change(p)
			err := p.Validate()
			if err == nil {
				t.Fatal("Validate succeeded, want an error")
			}
			if errors.Is(err, ErrTooFewSites) != tc.tooFew {
				t.Errorf("error %v: errors.Is(ErrTooFewSites) = %v, want %v", err, !tc.tooFew, tc.tooFew)
			}
			if _, err := PMedian(context.Background(), p, LocationOptions{}); err == nil {
				t.Error("PMedian accepted an invalid problem")
			}
		})
	}
}

func TestRegretAssign(t *testing.T) {
	// Two sites of capacity 2 at 0 and 10; clients at 1 (weight 2) and 2 (weight 2).
	// The client at 2 has the smaller regret (8 vs 10), so the one at 1 fills site 0
	// first and the one at 2 goes to site 1: cost 2·1 + 2·8 = 18.
	prob := &LocationProblem{
		Sites:    2,
		Clients:  [][]Reach{{{0, 1}, {1, 9}}, {{0, 2}, {1, 8}}},
		Weights:  []float64{2, 2},
		P:        2,
		Capacity: []float64{2, 2},
	}
	a, err := RegretAssign(context.Background(), prob, []int{0, 1})
	if err != nil {
		t.Fatal(err)
	}
	want := []Allocation{{0, 0, 2}, {1, 1, 2}}
	if a.Cost != 18 || a.UnservedWeight != 0 || !slices.Equal(a.Allocations, want) {
		t.Errorf("got %+v, want cost 18 allocations %v", a, want)
	}
	// With site 1 closed, site 0 takes 2 units and 2 units stay unserved at 1 + 2·9 = 19.
	a, err = RegretAssign(context.Background(), prob, []int{0})
	if err != nil {
		t.Fatal(err)
	}
	if a.Cost != 2*1+2*19 || a.UnservedWeight != 2 {
		t.Errorf("one site: got cost %v unserved %v, want 40 and 2", a.Cost, a.UnservedWeight)
	}
}

func TestPMedianCapacitated(t *testing.T) {
	// Four clients of weight 3 at 0, 1, 10, 11, with sites at the same points. Sites 1
	// and 2 hold only 3 units, sites 0 and 3 hold 6: opening 1 and 2 would leave two
	// clients unserved, so the capacitated optimum opens 0 and 3.
	x := []float64{0, 1, 10, 11}
	d := make([][]float64, 4)
	for i := range d {
		d[i] = make([]float64, 4)
		for j := range d[i] {
			d[i][j] = math.Abs(x[i] - x[j])
		}
	}
	prob := NewDenseLocationProblem(d, 2)
	prob.Weights = []float64{3, 3, 3, 3}
	prob.Capacity = []float64{6, 3, 3, 6}
	res, err := PMedian(context.Background(), prob, LocationOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	// Sites 0 and 3 (capacity 6) serve their neighbours at distance 1: cost 3 + 3 = 6.
	if want := []int{0, 3}; !slices.Equal(res.Open, want) || res.Cost != 6 || res.UnservedWeight != 0 {
		t.Errorf("got open %v cost %v unserved %v, want [0 3] 6 0", res.Open, res.Cost, res.UnservedWeight)
	}
	load := make([]float64, 4)
	for _, a := range res.Allocations {
		load[a.Site] += a.Amount
	}
	for j, l := range load {
		if l > prob.Capacity[j] {
			t.Errorf("site %d: load %v above capacity %v", j, l, prob.Capacity[j])
		}
	}
	if res.LowerBound > res.Cost {
		t.Errorf("bound %v above cost %v", res.LowerBound, res.Cost)
	}
}

func TestPMedianCapacitatedRandom(t *testing.T) {
	// The capacitated result must respect capacities, serve no more than each client's
	// demand, and cost no more than the regret assignment of the uncapacitated optimum.
	rng := rand.New(rand.NewPCG(9, 9))
	for k := 0; k < 10; k++ {
		prob := pmRandom(rng, 80, 20, 5)
		total := 0.0
		for _, w := range prob.Weights {
			total += w
		}
		prob.Capacity = make([]float64, prob.Sites)
		for j := range prob.Capacity {
			prob.Capacity[j] = math.Round(total / 4 * (0.5 + rng.Float64()))
		}
		res, err := PMedian(context.Background(), prob, LocationOptions{Seed: uint64(k), Starts: 8})
		if err != nil {
			t.Fatal(err)
		}
		un := *prob
		un.Capacity = nil
		ures, err := PMedian(context.Background(), &un, LocationOptions{Seed: uint64(k), Starts: 8})
		if err != nil {
			t.Fatal(err)
		}
		base, err := RegretAssign(context.Background(), prob, ures.Open)
		if err != nil {
			t.Fatal(err)
		}
		if res.Cost > base.Cost+1e-9 {
			t.Errorf("case %d: capacitated cost %v above the uncapacitated opening's %v", k, res.Cost, base.Cost)
		}
		if res.LowerBound > res.Cost+1e-9 || res.LowerBound > ures.Cost+1e-9 {
			t.Errorf("case %d: bound %v above cost %v or uncapacitated optimum %v", k, res.LowerBound, res.Cost, ures.Cost)
		}
		load := make([]float64, prob.Sites)
		served := make([]float64, len(prob.Clients))
		for _, a := range res.Allocations {
			load[a.Site] += a.Amount
			served[a.Client] += a.Amount
		}
		for j := range load {
			if load[j] > prob.Capacity[j]+1e-9 {
				t.Errorf("case %d: site %d load %v above capacity %v", k, j, load[j], prob.Capacity[j])
			}
		}
		for u := range served {
			if served[u] > prob.Weights[u]+1e-9 {
				t.Errorf("case %d: client %d served %v above demand %v", k, u, served[u], prob.Weights[u])
			}
		}
	}
}
