package optimize

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

const inf = InfiniteCapacity

// flowCase is a small instance given by its supplies and arcs.
type flowCase struct {
	supply []int64
	arcs   []FlowArc
}

func (c flowCase) network() *FlowNetwork {
	g := NewFlowNetwork(len(c.supply))
	for u, b := range c.supply {
		g.SetSupply(u, b)
	}
	for _, a := range c.arcs {
		e := g.AddArc(a.From, a.To, max(a.Capacity, 0), a.Cost)
		g.SetCapacity(e, a.Capacity)
		g.SetLower(e, a.Lower)
	}
	return g
}

func arc(from, to int, lower, capacity, cost int64) FlowArc {
	return FlowArc{From: from, To: to, Lower: lower, Capacity: capacity, Cost: cost}
}

func TestMinCostFlowHand(t *testing.T) {
	tests := []struct {
		name string
		flowCase
		rule FlowSupplyRule
		cost int64
		flow []int64 // nil: not checked (ties)
		err  error
	}{
		{
			// 0 --(cap 10, cost 3)--> 1, ship 5: 5×3.
			name:     "single arc",
			flowCase: flowCase{[]int64{5, -5}, []FlowArc{arc(0, 1, 0, 10, 3)}},
			cost:     15, flow: []int64{5},
		},
		{
			// Two routes 0→1: cheap one full (3×1), the rest dear (2×4).
			name:     "capacity splits",
			flowCase: flowCase{[]int64{5, -5}, []FlowArc{arc(0, 1, 0, 3, 1), arc(0, 1, 0, inf, 4)}},
			cost:     11, flow: []int64{3, 2},
		},
		{
			//        d2(-5) d3(-2)
			// s0(3)    1      4
			// s1(4)    2      1
			// s0→d2 3, s1→d2 2, s1→d3 2: 3 + 4 + 2 = 9.
			name: "transportation 2x2",
			flowCase: flowCase{[]int64{3, 4, -5, -2}, []FlowArc{
				arc(0, 2, 0, inf, 1), arc(0, 3, 0, inf, 4), arc(1, 2, 0, inf, 2), arc(1, 3, 0, inf, 1)}},
			cost: 9, flow: []int64{3, 0, 2, 2},
		},
		{
			// 0 → 1 → 2 costs 1+1, direct 0 → 2 costs 5 but must carry ≥ 2:
			// 2×5 + 2×2 = 14.
			name: "lower bound forces dear arc",
			flowCase: flowCase{[]int64{4, 0, -4}, []FlowArc{
				arc(0, 1, 0, inf, 1), arc(1, 2, 0, inf, 1), arc(0, 2, 2, inf, 5)}},
			cost: 14, flow: []int64{2, 2, 2},
		},
		{
			// Circulation round a cycle of cost -5+1 with capacity 2: -8.
			name:     "negative cycle with finite capacity",
			flowCase: flowCase{[]int64{0, 0}, []FlowArc{arc(0, 1, 0, 2, -5), arc(1, 0, 0, inf, 1)}},
			cost:     -8, flow: []int64{2, 2},
		},
		{
			name:     "negative self-loop with finite capacity",
			flowCase: flowCase{[]int64{1, -1}, []FlowArc{arc(0, 0, 0, 4, -2), arc(0, 1, 0, 1, 7)}},
			cost:     -1, flow: []int64{4, 1},
		},
		{
			name:     "negative cycle of infinite capacity",
			flowCase: flowCase{[]int64{0, 0}, []FlowArc{arc(0, 1, 0, inf, -1), arc(1, 0, 0, inf, 0)}},
			err:      ErrUnbounded,
		},
		{
			name:     "negative self-loop of infinite capacity",
			flowCase: flowCase{[]int64{0}, []FlowArc{arc(0, 0, 0, inf, -1)}},
			err:      ErrUnbounded,
		},
		{
			name:     "capacity too small",
			flowCase: flowCase{[]int64{5, -5}, []FlowArc{arc(0, 1, 0, 3, 1)}},
			err:      ErrInfeasible,
		},
		{
			name:     "unreachable demand",
			flowCase: flowCase{[]int64{5, 0, -5}, []FlowArc{arc(0, 1, 0, inf, 1), arc(2, 1, 0, inf, 1)}},
			err:      ErrInfeasible,
		},
		{
			name:     "supplies do not balance",
			flowCase: flowCase{[]int64{5, -3}, []FlowArc{arc(0, 1, 0, inf, 1)}},
			err:      ErrInfeasible,
		},
		{
			// An unbounded cycle does not hide that the supply cannot leave.
			name: "infeasible and a negative cycle",
			flowCase: flowCase{[]int64{5, -5, 0, 0}, []FlowArc{
				arc(0, 1, 0, 2, 1), arc(2, 3, 0, inf, -1), arc(3, 2, 0, inf, -1)}},
			err: ErrInfeasible,
		},
		{
			name:     "lower bound above capacity",
			flowCase: flowCase{[]int64{0, 0}, []FlowArc{arc(0, 1, 3, 2, 1), arc(1, 0, 0, inf, 1)}},
			err:      ErrInfeasible,
		},
		{
			// At least: the source must ship 3, the demand of 5 takes 3.
			name:     "at least, demand partly unmet",
			flowCase: flowCase{[]int64{3, -5}, []FlowArc{arc(0, 1, 0, inf, 2)}},
			rule:     FlowSupplyAtLeast,
			cost:     6, flow: []int64{3},
		},
		{
			// At least: demand may stay unmet, so a dear arc goes unused.
			name:     "at least, nothing to ship",
			flowCase: flowCase{[]int64{0, -5}, []FlowArc{arc(0, 1, 0, inf, 2)}},
			rule:     FlowSupplyAtLeast,
			cost:     0, flow: []int64{0},
		},
		{
			// At least: a node may send out more than its supply when that pays.
			name:     "at least, negative arc used beyond supply",
			flowCase: flowCase{[]int64{0, -5}, []FlowArc{arc(0, 1, 0, inf, -2)}},
			rule:     FlowSupplyAtLeast,
			cost:     -10, flow: []int64{5},
		},
		{
			name:     "at least, supply exceeds demand",
			flowCase: flowCase{[]int64{6, -5}, []FlowArc{arc(0, 1, 0, inf, 1)}},
			rule:     FlowSupplyAtLeast,
			err:      ErrInfeasible,
		},
		{
			name:     "no nodes",
			flowCase: flowCase{nil, nil},
			cost:     0, flow: []int64{},
		},
		{
			name:     "isolated node",
			flowCase: flowCase{[]int64{0, 2, -2}, []FlowArc{arc(1, 2, 0, inf, 3)}},
			cost:     6, flow: []int64{2},
		},
		{
			// Negative lower bound: the arc may run backwards, up to 4 units.
			name:     "negative lower bound",
			flowCase: flowCase{[]int64{-3, 3}, []FlowArc{arc(0, 1, -4, 2, 5)}},
			cost:     -15, flow: []int64{-3},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := tt.network()
			sol, err := MinCostFlow(context.Background(), g, &FlowOptions{Supply: tt.rule})
			if !errors.Is(err, tt.err) {
				t.Fatalf("error = %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			if sol.Cost != tt.cost {
				t.Errorf("cost = %d, want %d", sol.Cost, tt.cost)
			}
			if tt.flow != nil && fmt.Sprint(sol.Flow) != fmt.Sprint(tt.flow) {
				t.Errorf("flow = %v, want %v", sol.Flow, tt.flow)
			}
			if msg := checkFlowSolution(g, tt.rule, sol); msg != "" {
				t.Error(msg)
			}
		})
	}
}

func TestAddUnmetDemand(t *testing.T) {
	// Schools 0 (3 seats) and 1 (4 seats) supply areas 2 (5 pupils) and 3 (4
	// pupils). Area 3 reaches school 1 only.
	//
	//   s0 --1--> a2 <--2-- s1 --1--> a3
	//
	// School 1 can fill only 4 of the 9 pupils' needs besides school 0's 3:
	// 2 pupils stay unmet. Cheapest: a3 takes 4 from s1 (4), a2 takes 3 from
	// s0 (3), a2's last 2 unmet (2×100).
	g := NewFlowNetwork(4)
	g.SetSupply(0, 3)
	g.SetSupply(1, 4)
	g.SetSupply(2, -5)
	g.SetSupply(3, -4)
	g.AddArc(0, 2, inf, 1)
	g.AddArc(1, 2, inf, 2)
	g.AddArc(1, 3, inf, 1)
	if _, err := MinCostFlow(context.Background(), g, nil); !errors.Is(err, ErrInfeasible) {
		t.Fatalf("without unmet demand: error = %v, want ErrInfeasible", err)
	}
	node, unmet := g.AddUnmetDemand(100)
	if node != 4 || g.Supply(node) != 2 {
		t.Fatalf("artificial node %d with supply %d, want node 4 with supply 2", node, g.Supply(node))
	}
	sol, err := MinCostFlow(context.Background(), g, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sol.Cost != 3+4+200 {
		t.Errorf("cost = %d, want 207", sol.Cost)
	}
	want := []int64{-1, -1, 2, 0}
	for u, a := range unmet {
		got := int64(-1)
		if a >= 0 {
			got = sol.Flow[a]
		}
		if got != want[u] {
			t.Errorf("unmet demand at node %d = %d, want %d", u, got, want[u])
		}
	}
	if msg := checkFlowSolution(g, FlowSupplyExact, sol); msg != "" {
		t.Error(msg)
	}
}

func TestMinCostFlowOverflow(t *testing.T) {
	g := NewFlowNetwork(2)
	g.SetSupply(0, 1)
	g.SetSupply(1, -1)
	g.AddArc(0, 1, inf, math.MaxInt64/2)
	if _, err := MinCostFlow(context.Background(), g, nil); !errors.Is(err, ErrFlowOverflow) {
		t.Errorf("huge cost: error = %v, want ErrFlowOverflow", err)
	}
	g = NewFlowNetwork(2)
	g.SetSupply(0, math.MaxInt64/2+1)
	g.SetSupply(1, -(math.MaxInt64/2 + 1))
	g.AddArc(0, 1, inf, 1)
	if _, err := MinCostFlow(context.Background(), g, nil); !errors.Is(err, ErrFlowOverflow) {
		t.Errorf("huge supply: error = %v, want ErrFlowOverflow", err)
	}
}

func TestMinCostFlowCancel(t *testing.T) {
	g := randomTransportation(2000, 100, 10, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := MinCostFlow(ctx, g, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled before: error = %v, want context.Canceled", err)
	}
	// Cancelled mid-solve, from the pivot hook.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	pivots := 0
	_, err := mcfSolve(ctx, g, FlowOptions{}, false, func(*mcfSolver) {
		if pivots++; pivots == 10 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled during: error = %v, want context.Canceled", err)
	}
}

// TestMinCostFlowLP compares the optimal cost with gonum's dense simplex on
// random small instances, including infeasible and unbounded ones, under
// both supply rules, and checks the spanning tree after every pivot.
func TestMinCostFlowLP(t *testing.T) {
	const instances = 1000
	outcomes := map[string]int{}
	for k := range instances {
		rule := FlowSupplyExact
		if k%3 == 2 {
			rule = FlowSupplyAtLeast
		}
		c := randomFlowCase(rand.New(rand.NewPCG(7, uint64(k))), rule)
		name := fmt.Sprintf("case%d", k)
		g := c.network()
		sol, err := mcfSolve(context.Background(), g, FlowOptions{Supply: rule}, false, func(s *mcfSolver) {
			if msg := mcfVerifyTree(s); msg != "" {
				t.Fatalf("%s: after a pivot: %s", name, msg)
			}
			if k%2 == 1 {
				s.renum = 0 // renumber the nodes after every pivot
			}
		})
		if err == ErrUnbounded {
			if _, ferr := mcfSolve(context.Background(), g, FlowOptions{Supply: rule}, true, nil); ferr != nil {
				err = ferr
			}
		}
		// The public entry point agrees with the checked run.
		pub, perr := MinCostFlow(context.Background(), g, &FlowOptions{Supply: rule})
		if perr != err || (err == nil && pub.Cost != sol.Cost) {
			t.Fatalf("%s: MinCostFlow = %v, %v; checked run = %v, %v", name, pub, perr, sol, err)
		}

		want, lpErr := lpFlowCost(c, rule)
		switch {
		case errors.Is(lpErr, lp.ErrInfeasible):
			outcomes["infeasible"]++
			if !errors.Is(err, ErrInfeasible) {
				t.Errorf("%s: lp says infeasible, MinCostFlow: %v", name, err)
			}
		case errors.Is(lpErr, lp.ErrUnbounded):
			outcomes["unbounded"]++
			if !errors.Is(err, ErrUnbounded) {
				t.Errorf("%s: lp says unbounded, MinCostFlow: %v", name, err)
			}
		case lpErr != nil:
			t.Fatalf("%s: lp: %v", name, lpErr)
		default:
			outcomes["optimal"]++
			if err != nil {
				t.Errorf("%s: lp optimum %g, MinCostFlow: %v", name, want, err)
				continue
			}
			if math.Abs(float64(sol.Cost)-want) > 1e-6*(1+math.Abs(want)) {
				t.Errorf("%s: cost %d, lp %g", name, sol.Cost, want)
			}
			if msg := checkFlowSolution(g, rule, sol); msg != "" {
				t.Errorf("%s: %s", name, msg)
			}
		}
	}
	t.Logf("outcomes over %d instances: %v", instances, outcomes)
	for _, o := range []string{"optimal", "infeasible", "unbounded"} {
		if outcomes[o] < 30 {
			t.Errorf("only %d %s instances; the generator should make more", outcomes[o], o)
		}
	}
}

// randomFlowCase draws a small instance: 2 to 7 nodes, up to 14 arcs, some
// with lower bounds, infinite capacities or negative costs, and supplies
// that mostly balance.
func randomFlowCase(rng *rand.Rand, rule FlowSupplyRule) flowCase {
	n := 2 + rng.IntN(6)
	m := 1 + rng.IntN(3*n)
	c := flowCase{supply: make([]int64, n)}
	for range m {
		a := arc(rng.IntN(n), rng.IntN(n), 0, int64(rng.IntN(9)), int64(rng.IntN(12))-2)
		if rng.IntN(3) == 0 {
			a.Capacity = inf
		}
		if a.From == a.To && a.Capacity == inf {
			a.Capacity = 3
		}
		if rng.IntN(6) == 0 {
			a.Lower = int64(rng.IntN(3))
			if a.Capacity != inf && rng.IntN(3) > 0 {
				a.Capacity = max(a.Capacity, a.Lower)
			}
		}
		c.arcs = append(c.arcs, a)
	}
	if rng.IntN(2) == 0 {
		// A ring through all nodes makes most instances feasible.
		for u := range n {
			c.arcs = append(c.arcs, arc(u, (u+1)%n, 0, 4+int64(rng.IntN(5)), int64(rng.IntN(10))))
		}
	}
	if rng.IntN(4) == 0 {
		// A two-arc cycle of infinite capacity, negative about half the time.
		u, v := rng.IntN(n), rng.IntN(n)
		if u != v {
			c.arcs = append(c.arcs, arc(u, v, 0, inf, int64(rng.IntN(5))-2), arc(v, u, 0, inf, int64(rng.IntN(5))-2))
		}
	}
	var sum int64
	for u := range n - 1 {
		if rng.IntN(3) > 0 {
			c.supply[u] = int64(rng.IntN(9)) - 4
			sum += c.supply[u]
		}
	}
	c.supply[n-1] = -sum
	switch {
	case rule == FlowSupplyExact && rng.IntN(10) == 0:
		c.supply[n-1] += int64(rng.IntN(5)) - 2
	case rule == FlowSupplyAtLeast:
		c.supply[n-1] -= int64(rng.IntN(6)) - 1
	}
	return c
}

// lpFlowCost solves the instance as a dense LP in standard form with y = x −
// lower ≥ 0, a slack per finite capacity and, under FlowSupplyAtLeast, a
// surplus per node. Under FlowSupplyExact one conservation row per weakly
// connected component is dropped (they are dependent); a component whose
// supplies do not sum to zero is reported infeasible directly.
func lpFlowCost(c flowCase, rule FlowSupplyRule) (float64, error) {
	n, m := len(c.supply), len(c.arcs)
	b := make([]float64, n)
	offset := 0.0
	for u, s := range c.supply {
		b[u] = float64(s)
	}
	for _, a := range c.arcs {
		if a.Capacity != inf && a.Capacity < a.Lower {
			return 0, lp.ErrInfeasible
		}
		b[a.From] -= float64(a.Lower)
		b[a.To] += float64(a.Lower)
		offset += float64(a.Lower * a.Cost)
	}
	var rows []int
	if rule == FlowSupplyExact {
		comp := make([]int, n)
		for u := range comp {
			comp[u] = u
		}
		var find func(int) int
		find = func(u int) int {
			for comp[u] != u {
				u = comp[u]
			}
			return u
		}
		for _, a := range c.arcs {
			comp[find(a.From)] = find(a.To)
		}
		total := map[int]float64{}
		for u := range n {
			total[find(u)] += b[u]
		}
		for r, t := range total {
			if t != 0 {
				_ = r
				return 0, lp.ErrInfeasible
			}
		}
		for u := range n {
			if find(u) != u {
				rows = append(rows, u)
			}
		}
	} else {
		for u := range n {
			rows = append(rows, u)
		}
	}
	var finite []int
	for e, a := range c.arcs {
		if a.Capacity != inf {
			finite = append(finite, e)
		}
	}
	cols := m + len(finite)
	if rule == FlowSupplyAtLeast {
		cols += n
	}
	nr := len(rows) + len(finite)
	if nr == 0 {
		return offset, nil
	}
	A := mat.NewDense(nr, cols, nil)
	rhs := make([]float64, nr)
	cost := make([]float64, cols)
	rowOf := make([]int, n)
	for u := range rowOf {
		rowOf[u] = -1
	}
	for i, u := range rows {
		rowOf[u] = i
		rhs[i] = b[u]
	}
	for e, a := range c.arcs {
		cost[e] = float64(a.Cost)
		if r := rowOf[a.From]; r >= 0 {
			A.Set(r, e, A.At(r, e)+1)
		}
		if r := rowOf[a.To]; r >= 0 {
			A.Set(r, e, A.At(r, e)-1)
		}
	}
	for i, e := range finite {
		r := len(rows) + i
		A.Set(r, e, 1)
		A.Set(r, m+i, 1)
		rhs[r] = float64(c.arcs[e].Capacity - c.arcs[e].Lower)
	}
	if rule == FlowSupplyAtLeast {
		for u := range n {
			A.Set(rowOf[u], m+len(finite)+u, -1)
		}
	}
	// Columns of self-loops without capacity rows are all zero; lp rejects
	// them, so drop such columns (the generator keeps self-loops finite).
	opt, _, err := lp.Simplex(cost, A, rhs, 1e-10, nil)
	return opt + offset, err
}

// checkFlowSolution checks bounds, conservation under rule, the cost, and
// complementary slackness with the potentials, which proves optimality.
func checkFlowSolution(g *FlowNetwork, rule FlowSupplyRule, sol *FlowSolution) string {
	n, m := g.Nodes(), g.Arcs()
	if len(sol.Flow) != m || len(sol.Potential) != n {
		return fmt.Sprintf("got %d flows and %d potentials for %d arcs and %d nodes", len(sol.Flow), len(sol.Potential), m, n)
	}
	net := make([]int64, n)
	var cost int64
	for e := range m {
		a, f := g.Arc(e), sol.Flow[e]
		if f < a.Lower || f > a.Capacity {
			return fmt.Sprintf("arc %d: flow %d outside [%d, %d]", e, f, a.Lower, a.Capacity)
		}
		net[a.From] += f
		net[a.To] -= f
		cost += f * a.Cost
		rc := a.Cost + sol.Potential[a.From] - sol.Potential[a.To]
		if (rc > 0 && f != a.Lower) || (rc < 0 && f != a.Capacity) {
			return fmt.Sprintf("arc %d: reduced cost %d with flow %d in [%d, %d]", e, rc, f, a.Lower, a.Capacity)
		}
	}
	if cost != sol.Cost {
		return fmt.Sprintf("cost %d, but flows cost %d", sol.Cost, cost)
	}
	for u := range n {
		b := g.Supply(u)
		switch {
		case rule == FlowSupplyExact && net[u] != b:
			return fmt.Sprintf("node %d: net outflow %d, supply %d", u, net[u], b)
		case rule == FlowSupplyAtLeast && net[u] < b:
			return fmt.Sprintf("node %d: net outflow %d below supply %d", u, net[u], b)
		case rule == FlowSupplyAtLeast && (sol.Potential[u] > 0 || (net[u] > b && sol.Potential[u] != 0)):
			return fmt.Sprintf("node %d: potential %d with net outflow %d, supply %d", u, sol.Potential[u], net[u], b)
		}
	}
	return ""
}

// mcfVerifyTree checks every invariant of the spanning tree and returns what
// is broken, or "".
func mcfVerifyTree(s *mcfSolver) string {
	nn := s.n + 1
	root := int32(s.n)
	// The thread visits every node once, starting at the root, and
	// revThread is its inverse.
	seen := make([]bool, nn)
	order := make([]int32, 0, nn)
	for u := root; ; {
		if seen[u] {
			return fmt.Sprintf("thread revisits node %d", u)
		}
		seen[u] = true
		order = append(order, u)
		nx := s.thread[u]
		if s.revThread[nx] != u {
			return fmt.Sprintf("revThread[%d] = %d, want %d", nx, s.revThread[nx], u)
		}
		u = nx
		if u == root {
			break
		}
	}
	if len(order) != nn {
		return fmt.Sprintf("thread has %d nodes, want %d", len(order), nn)
	}
	pos := make([]int, nn)
	for i, u := range order {
		pos[u] = i
	}
	// Subtrees by parent pointers are the thread runs u…lastSucc[u].
	size := make([]int32, nn)
	for i := nn - 1; i >= 0; i-- {
		u := order[i]
		size[u]++
		if u != root {
			p := s.parent[u]
			if p < 0 || pos[p] >= pos[u] {
				return fmt.Sprintf("parent %d of node %d does not precede it in the thread", p, u)
			}
			size[p] += size[u]
		}
	}
	for _, u := range order {
		if s.succNum[u] != size[u] {
			return fmt.Sprintf("succNum[%d] = %d, want %d", u, s.succNum[u], size[u])
		}
		if want := order[pos[u]+int(size[u])-1]; s.lastSucc[u] != want {
			return fmt.Sprintf("lastSucc[%d] = %d, want %d", u, s.lastSucc[u], want)
		}
		for i := pos[u] + 1; i < pos[u]+int(size[u]); i++ {
			// every node in the run has an ancestor chain through u
			v := order[i]
			for v != u && v != root {
				v = s.parent[v]
			}
			if v != u {
				return fmt.Sprintf("node %d in the run of %d is not below it", order[i], u)
			}
		}
	}
	// Tree arcs join nodes to their parents with zero reduced cost; the
	// others sit at a bound matching their state.
	inTree := make([]bool, len(s.src))
	for _, u := range order {
		if u == root {
			continue
		}
		e := s.pred[u]
		inTree[e] = true
		if s.state[e] != mcfTree {
			return fmt.Sprintf("tree arc %d has state %d", e, s.state[e])
		}
		if s.dirUp[u] > 0 && (s.src[e] != u || s.dst[e] != s.parent[u]) ||
			s.dirUp[u] < 0 && (s.dst[e] != u || s.src[e] != s.parent[u]) {
			return fmt.Sprintf("pred arc %d of node %d does not join it to parent %d", e, u, s.parent[u])
		}
		if rc := s.cost[e] + s.pi[s.src[e]] - s.pi[s.dst[e]]; rc != 0 {
			return fmt.Sprintf("tree arc %d has reduced cost %d", e, rc)
		}
	}
	net := make([]int64, nn)
	for e := range s.src {
		f := s.flow[e]
		if f < 0 || (s.capa[e] != mcfInf && f > s.capa[e]) {
			return fmt.Sprintf("arc %d: flow %d outside [0, %d]", e, f, s.capa[e])
		}
		switch {
		case inTree[e]:
		case s.state[e] == mcfLower && f != 0, s.state[e] == mcfUpper && f != s.capa[e], s.state[e] == mcfTree:
			return fmt.Sprintf("non-tree arc %d: state %d, flow %d", e, s.state[e], f)
		}
		net[s.src[e]] += f
		net[s.dst[e]] -= f
	}
	var sum int64
	for u := range s.n {
		sum += net[u]
	}
	if sum+net[root] != 0 {
		return "flow is not conserved"
	}
	return ""
}

// randomTransportation draws areas with 1–100 pupils and schools whose seats
// total about the pupils, links each area to k random schools at random
// costs, and adds the unmet-demand arcs at a penalty above every link cost.
func randomTransportation(areas, schools, k int, seed uint64) *FlowNetwork {
	rng := rand.New(rand.NewPCG(seed, 1))
	g := NewFlowNetwork(0)
	g.Grow(areas+schools+1, areas*(k+1)+schools)
	var pupils int64
	for range areas {
		p := 1 + rng.Int64N(100)
		pupils += p
		g.AddNode(-p)
	}
	for range schools {
		g.AddNode(0)
	}
	for s := range schools {
		g.SetSupply(areas+s, 2*pupils/int64(schools)*int64(50+rng.IntN(51))/100)
	}
	for a := range areas {
		for _, s := range rng.Perm(schools)[:k] {
			g.AddArc(areas+s, a, inf, 1+rng.Int64N(10000))
		}
	}
	g.AddUnmetDemand(20000)
	return g
}

func TestMinCostFlowRandomTransportation(t *testing.T) {
	for _, rule := range []FlowSupplyRule{FlowSupplyExact, FlowSupplyAtLeast} {
		g := randomTransportation(500, 40, 8, 3)
		pivots := 0
		sol, err := mcfSolve(context.Background(), g, FlowOptions{Supply: rule}, false, func(s *mcfSolver) {
			if msg := mcfVerifyTree(s); msg != "" {
				t.Fatalf("after a pivot: %s", msg)
			}
			pivots++
			if pivots%50 == 0 {
				s.renum = 0 // renumber the nodes now and then
			} else {
				s.renum = math.MaxInt
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if msg := checkFlowSolution(g, rule, sol); msg != "" {
			t.Fatal(msg)
		}
	}
}
