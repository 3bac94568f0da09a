package optimize

import (
	"context"
	"errors"
	"fmt"
	"math"
)

// InfiniteCapacity is the capacity of an arc without an upper bound.
const InfiniteCapacity int64 = math.MaxInt64

// Errors returned by MinCostFlow for instances that have no optimal flow.
var (
	// ErrInfeasible reports that no flow meets the supplies within the arc bounds.
	ErrInfeasible = errors.New("optimize: flow problem is infeasible")
	// ErrUnbounded reports a feasible instance with a negative-cost cycle of
	// infinite capacity, along which the cost decreases without limit.
	ErrUnbounded = errors.New("optimize: flow problem is unbounded")
	// ErrFlowOverflow reports supplies, capacities or costs so large that the
	// solver cannot work with them exactly in 64-bit integers.
	ErrFlowOverflow = errors.New("optimize: flow amounts or costs overflow int64")
)

// FlowNetwork is a directed network for min-cost flow: nodes with supplies and
// arcs with lower bounds, capacities and per-unit costs. Nodes and arcs are
// numbered from 0 in the order they are added; the zero value is an empty
// network ready to use.
//
// A positive supply is flow that enters the network at the node, a negative
// supply is a demand that leaves it. How supplies bind is set by
// FlowOptions.Supply.
type FlowNetwork struct {
	supply   []int64
	from, to []int32
	lower    []int64
	capacity []int64
	cost     []int64
}

// FlowArc describes one arc of a FlowNetwork.
type FlowArc struct {
	From, To int
	// Lower and Capacity bound the flow on the arc: Lower ≤ flow ≤ Capacity.
	// Capacity is InfiniteCapacity for an arc without upper bound.
	Lower, Capacity int64
	// Cost is the cost of one unit of flow on the arc; it may be negative.
	Cost int64
}

// NewFlowNetwork returns a network with the given number of nodes, all with
// zero supply, and no arcs.
func NewFlowNetwork(nodes int) *FlowNetwork {
	if nodes < 0 {
		panic("optimize: negative node count")
	}
	return &FlowNetwork{supply: make([]int64, nodes)}
}

// Grow makes room for at least the given numbers of further nodes and arcs
// without reallocating.
func (g *FlowNetwork) Grow(nodes, arcs int) {
	g.supply = mcfGrow(g.supply, nodes)
	g.lower = mcfGrow(g.lower, arcs)
	g.capacity = mcfGrow(g.capacity, arcs)
	g.cost = mcfGrow(g.cost, arcs)
	if cap(g.from)-len(g.from) < arcs {
		g.from = append(make([]int32, 0, len(g.from)+arcs), g.from...)
		g.to = append(make([]int32, 0, len(g.to)+arcs), g.to...)
	}
}

func mcfGrow(s []int64, n int) []int64 {
	if cap(s)-len(s) >= n {
		return s
	}
	return append(make([]int64, 0, len(s)+n), s...)
}

// Nodes returns the number of nodes.
func (g *FlowNetwork) Nodes() int { return len(g.supply) }

// Arcs returns the number of arcs.
func (g *FlowNetwork) Arcs() int { return len(g.from) }

// AddNode adds a node with the given supply and returns its number.
func (g *FlowNetwork) AddNode(supply int64) int {
	if len(g.supply) >= math.MaxInt32-1 {
		panic("optimize: too many flow nodes")
	}
	g.supply = append(g.supply, supply)
	return len(g.supply) - 1
}

// Supply returns the supply of node u: positive for a source, negative for a
// demand.
func (g *FlowNetwork) Supply(u int) int64 { return g.supply[u] }

// SetSupply sets the supply of node u.
func (g *FlowNetwork) SetSupply(u int, supply int64) { g.supply[u] = supply }

// AddArc adds an arc from node from to node to with lower bound 0, the given
// capacity (InfiniteCapacity for none) and per-unit cost, and returns its
// number. A capacity below zero panics; use SetLower for negative bounds.
func (g *FlowNetwork) AddArc(from, to int, capacity, cost int64) int {
	n := len(g.supply)
	if from < 0 || from >= n || to < 0 || to >= n {
		panic(fmt.Sprintf("optimize: arc %d→%d outside nodes 0..%d", from, to, n-1))
	}
	if capacity < 0 {
		panic("optimize: negative arc capacity")
	}
	if len(g.from) >= math.MaxInt32-1 {
		panic("optimize: too many flow arcs")
	}
	g.from = append(g.from, int32(from))
	g.to = append(g.to, int32(to))
	g.lower = append(g.lower, 0)
	g.capacity = append(g.capacity, capacity)
	g.cost = append(g.cost, cost)
	return len(g.from) - 1
}

// SetLower sets the lower bound of arc a: at least that much must flow on it.
// A lower bound above the capacity makes the instance infeasible.
func (g *FlowNetwork) SetLower(a int, lower int64) { g.lower[a] = lower }

// SetCapacity sets the capacity of arc a (InfiniteCapacity for none).
func (g *FlowNetwork) SetCapacity(a int, capacity int64) { g.capacity[a] = capacity }

// SetCost sets the per-unit cost of arc a.
func (g *FlowNetwork) SetCost(a int, cost int64) { g.cost[a] = cost }

// Arc returns arc a.
func (g *FlowNetwork) Arc(a int) FlowArc {
	return FlowArc{
		From: int(g.from[a]), To: int(g.to[a]),
		Lower: g.lower[a], Capacity: g.capacity[a], Cost: g.cost[a],
	}
}

// AddUnmetDemand makes every demand satisfiable at a price: it adds one
// artificial node, an arc from it to each node with negative supply (capacity
// the demand, cost penalty per unit) and an arc from each node with positive
// supply to it (capacity the supply, cost 0), and gives it the supply that
// balances the network. Flow on the first kind of arc is demand left unmet,
// flow on the second is supply left unused. A demand that cannot be
// reached, or for which capacity runs out, is then met by the artificial
// node at the penalty instead of making the whole instance fail: unless
// lower bounds force flow somewhere, the instance is always feasible. A
// penalty larger than any path cost makes unmet demand a last resort.
//
// It returns the artificial node and, for every node present before the call,
// the arc that carries its unmet demand (-1 for nodes without demand).
// Supplies set afterwards are not covered.
func (g *FlowNetwork) AddUnmetDemand(penalty int64) (node int, unmet []int) {
	n := len(g.supply)
	unmet = make([]int, n)
	var sum int64
	arcs := 0
	for u, b := range g.supply {
		unmet[u] = -1
		if b != 0 {
			arcs++
		}
		s, ok := mcfAdd(sum, b)
		if !ok {
			panic("optimize: total supply overflows int64")
		}
		sum = s
	}
	if sum == math.MinInt64 {
		panic("optimize: total supply overflows int64")
	}
	g.Grow(1, arcs)
	node = g.AddNode(-sum)
	for u := 0; u < n; u++ {
		switch b := g.supply[u]; {
		case b < 0:
			unmet[u] = g.AddArc(node, u, -b, penalty)
		case b > 0:
			g.AddArc(u, node, b, 0)
		}
	}
	return node, unmet
}

// FlowSupplyRule says how node supplies bind a flow.
type FlowSupplyRule int

const (
	// FlowSupplyExact requires outflow − inflow = supply at every node, the
	// usual reading of a DIMACS file. Supplies must sum to zero.
	FlowSupplyExact FlowSupplyRule = iota
	// FlowSupplyAtLeast requires outflow − inflow ≥ supply at every node, as
	// LEMON's NetworkSimplex does by default: all supply must be shipped, but
	// demands may be left partly unmet (and a node may send out more than
	// its supply where that lowers the cost). Supplies must sum to zero or
	// less. When they sum to zero the two rules coincide.
	FlowSupplyAtLeast
)

// FlowOptions tunes MinCostFlow. The zero value selects the defaults.
type FlowOptions struct {
	// Supply says how supplies bind; the default is FlowSupplyExact.
	Supply FlowSupplyRule
	// BlockSize is the number of arcs priced before the best candidate found
	// so far enters the spanning tree. The default, 0, uses about the square
	// root of the number of arcs.
	BlockSize int
}

// FlowSolution is an optimal flow.
type FlowSolution struct {
	// Cost is the total cost, the sum over arcs of flow × cost.
	Cost int64
	// Flow holds the flow on each arc of the network, in arc order.
	Flow []int64
	// Potential holds an optimal dual solution, one value per node, such that
	// the reduced cost cost(a) + Potential[from] − Potential[to] of every arc a
	// is ≥ 0 when its flow is below capacity and ≤ 0 when its flow is above
	// its lower bound. With FlowSupplyAtLeast every potential is ≤ 0, and 0
	// at nodes that send out more than their supply.
	Potential []int64
	// Pivots is the number of simplex pivots the solve took.
	Pivots int
}

// MinCostFlow returns a flow of least total cost in g that meets the supplies
// under the rule in opt (nil for the defaults) and the bounds of every arc.
// All arithmetic is exact; the solution is basic, so with integer data every
// arc flow is integral.
//
// It returns ErrInfeasible when no flow meets the constraints, ErrUnbounded
// when the instance is feasible but a negative-cost cycle has infinite
// capacity, ErrFlowOverflow when the data are too large to be handled in
// 64-bit integers, and the context's error if ctx is cancelled mid-solve.
//
// The method is the primal network simplex with a strongly feasible spanning
// tree (so it cannot cycle) and block-search pricing.
func MinCostFlow(ctx context.Context, g *FlowNetwork, opt *FlowOptions) (*FlowSolution, error) {
	var o FlowOptions
	if opt != nil {
		o = *opt
	}
	if o.Supply != FlowSupplyExact && o.Supply != FlowSupplyAtLeast {
		panic("optimize: unknown FlowSupplyRule")
	}
	sol, err := mcfSolve(ctx, g, o, false, nil)
	if err == ErrUnbounded {
		// A negative cycle was found before feasibility was settled: decide it
		// with all costs zero, where no cycle can be negative.
		if _, ferr := mcfSolve(ctx, g, o, true, nil); ferr != nil {
			return nil, ferr
		}
	}
	return sol, err
}

// mcfAdd returns a+b and whether it did not overflow.
func mcfAdd(a, b int64) (int64, bool) {
	s := a + b
	return s, (s > a) == (b > 0)
}

// mcfMul returns a×b and whether it did not overflow.
func mcfMul(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	p := a * b
	if p/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
		return 0, false
	}
	return p, true
}
