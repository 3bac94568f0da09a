package optimize

import (
	"container/heap"
	"context"
	"math"
	"slices"
)

// branchBound raises the Lagrangian lower bound of p by branching on the
// closure decisions: each node fixes some candidates open or closed and is
// bounded by the Lagrangian relaxation with those decisions fixed, started
// from its parent's prices. Nodes whose bound reaches upper (the cost of a
// plan found) are pruned; the nodes are expanded best bound first until
// none is left or nodes have been bounded. The result — the least bound of
// the nodes left open, or upper when none is — is a lower bound on the
// least cost of any closure set: the open nodes cover every closure set
// not yet shown to cost at least upper.
//
// incumbent is the closure set of the plan found; branching prefers the
// candidates on which the relaxed solution disagrees with it.
func (p *mrgProblem) branchBound(ctx context.Context, root float64, upper float64, incumbent []bool, iterations, nodes int) (float64, error) {
	n := len(p.cands)
	if root >= upper-mrgEps || nodes <= 0 {
		return math.Min(root, upper), nil
	}
	type node struct {
		bound   float64
		fix     []int8
		mu      []float64
		relaxed []bool
	}
	nclients := 0
	for c := range p.cands {
		nclients += len(p.cands[c].clients)
	}
	start := &node{fix: make([]int8, n), mu: p.startPrices(nclients)}
	b, relaxed, err := p.boundFixed(ctx, upper, iterations, start.fix, start.mu)
	if err != nil {
		return 0, err
	}
	start.bound, start.relaxed = math.Max(b, root), relaxed
	open := &brHeap{}
	push := func(x *node) {
		if x.bound < upper-mrgEps {
			heap.Push(open, brItem{x.bound, x})
		}
	}
	push(start)
	for k := 1; open.Len() > 0 && k < nodes; {
		x := heap.Pop(open).(brItem).v.(*node)
		c := p.branchOn(x.fix, x.relaxed, incumbent)
		if c < 0 {
			// Every decision is fixed: the node's bound is final.
			heap.Push(open, brItem{x.bound, x})
			break
		}
		for _, v := range []int8{1, -1} {
			child := &node{fix: slices.Clone(x.fix), mu: slices.Clone(x.mu)}
			child.fix[c] = v
			b, relaxed, err := p.boundFixed(ctx, upper, iterations, child.fix, child.mu)
			if err != nil {
				return 0, err
			}
			k++
			// A child's bound is at least its parent's: it covers fewer
			// closure sets.
			child.bound, child.relaxed = math.Max(b, x.bound), relaxed
			push(child)
		}
	}
	if open.Len() == 0 {
		return upper, nil
	}
	return math.Min((*open)[0].d, upper), nil
}

// startPrices returns the starting prices of the relaxation: each client's
// cheapest journey.
func (p *mrgProblem) startPrices(nclients int) []float64 {
	mu := make([]float64, 0, nclients)
	for c := range p.cands {
		for _, cl := range p.cands[c].clients {
			v := 0.0
			if len(cl.reach) > 0 {
				v = float64(cl.reach[0].cost)
			}
			mu = append(mu, v)
		}
	}
	return mu
}

// branchOn picks the free closable candidate to branch on: one where the
// relaxed solution and the incumbent disagree, the largest fixed cost
// first, else the free closable candidate with the largest fixed cost; -1
// when every closable candidate is fixed.
func (p *mrgProblem) branchOn(fix []int8, relaxed, incumbent []bool) int {
	best, bestDis := -1, false
	for c := range p.cands {
		if fix[c] != 0 || !p.cands[c].closable {
			continue
		}
		dis := relaxed != nil && incumbent != nil && relaxed[c] != incumbent[c]
		switch {
		case best < 0, dis && !bestDis:
		case dis == bestDis && p.cands[c].fixed > p.cands[best].fixed:
		default:
			continue
		}
		best, bestDis = c, dis
	}
	return best
}

type brItem struct {
	d float64
	v any
}

// brHeap is a min-heap of nodes by bound.
type brHeap []brItem

func (h brHeap) Len() int           { return len(h) }
func (h brHeap) Less(i, j int) bool { return h[i].d < h[j].d }
func (h brHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *brHeap) Push(x any)        { *h = append(*h, x.(brItem)) }
func (h *brHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}
