package optimize

import (
	"container/heap"
	"context"
	"math"
	"slices"
)

// CapacitatedAssignment is an allocation of client demand to open sites under capacities.
type CapacitatedAssignment struct {
	// Allocations lists the positive amounts sent from clients to sites.
	Allocations []Allocation
	// Cost is Σ amount × distance + Unserved × UnservedWeight.
	Cost float64
	// UnservedWeight is the demand no open site could take.
	UnservedWeight float64
}

// CapacitatedAssigner allocates the demand of prob's clients to the sites in open (each
// client only to sites in its list, each site at most its capacity) at least cost, or as
// near as the assigner can. An exact assigner is a min-cost flow from clients to sites
// with an unserved arc per client at cost prob.Unserved; RegretAssign is a fast heuristic.
type CapacitatedAssigner func(ctx context.Context, prob *LocationProblem, open []int) (CapacitatedAssignment, error)

// pmUnservedCost returns prob.Unserved or, when it is zero, its documented default.
func pmUnservedCost(prob *LocationProblem) float64 {
	if prob.Unserved > 0 {
		return prob.Unserved
	}
	maxd := 0.0
	for _, list := range prob.Clients {
		if len(list) > 0 {
			maxd = math.Max(maxd, list[len(list)-1].Dist)
		}
	}
	return 1 + 2*maxd
}

// RegretAssign is a greedy regret heuristic for the capacitated assignment. Demand may be
// split. Repeatedly, the client whose regret — the distance to its second-nearest open
// site with room left minus that to its nearest — is largest sends as much demand as fits
// to its nearest site with room; a client with no site left is unserved. Clients that
// would lose most by waiting are thus served first. It is not exact: an exact
// CapacitatedAssigner needs a min-cost flow. A nil Capacity means no limits.
func RegretAssign(ctx context.Context, prob *LocationProblem, open []int) (CapacitatedAssignment, error) {
	var out CapacitatedAssignment
	unserved := pmUnservedCost(prob)
	isOpen := make([]bool, prob.Sites)
	left := make([]float64, prob.Sites)
	for _, f := range open {
		isOpen[f] = true
		left[f] = math.Inf(1)
		if prob.Capacity != nil {
			left[f] = prob.Capacity[f]
		}
	}
	n := len(prob.Clients)
	rem := make([]float64, n)
	pos := make([]int, n)
	h := &pmRegretHeap{}
	// firstTwo advances client u's pointer past full or closed sites and returns the
	// regret of its nearest site with room.
	firstTwo := func(u int) (k1 int, regret float64) {
		list := prob.Clients[u]
		for pos[u] < len(list) && (!isOpen[list[pos[u]].Site] || left[list[pos[u]].Site] <= 0 || list[pos[u]].Dist >= unserved) {
			pos[u]++
		}
		if pos[u] == len(list) || list[pos[u]].Dist >= unserved {
			return -1, 0
		}
		k1 = pos[u]
		d2 := unserved
		for k := k1 + 1; k < len(list) && list[k].Dist < unserved; k++ {
			if f := list[k].Site; isOpen[f] && left[f] > 0 {
				d2 = list[k].Dist
				break
			}
		}
		return k1, d2 - list[k1].Dist
	}
	for u := 0; u < n; u++ {
		rem[u] = 1
		if prob.Weights != nil {
			rem[u] = prob.Weights[u]
		}
		if rem[u] <= 0 {
			continue
		}
		if k1, r := firstTwo(u); k1 >= 0 {
			heap.Push(h, pmRegret{client: u, regret: r})
		} else {
			out.UnservedWeight += rem[u]
			out.Cost += rem[u] * unserved
		}
	}
	for pops := 0; h.Len() > 0; pops++ {
		if pops&1023 == 1023 && ctx.Err() != nil {
			return CapacitatedAssignment{}, ctx.Err()
		}
		top := heap.Pop(h).(pmRegret)
		u := top.client
		k1, r := firstTwo(u)
		if k1 < 0 {
			out.UnservedWeight += rem[u]
			out.Cost += rem[u] * unserved
			continue
		}
		if r < top.regret {
			heap.Push(h, pmRegret{client: u, regret: r})
			continue
		}
		e := prob.Clients[u][k1]
		amt := math.Min(rem[u], left[e.Site])
		left[e.Site] -= amt
		rem[u] -= amt
		out.Allocations = append(out.Allocations, Allocation{Client: u, Site: e.Site, Amount: amt})
		out.Cost += amt * e.Dist
		if rem[u] > 0 {
			if k1, r := firstTwo(u); k1 >= 0 {
				heap.Push(h, pmRegret{client: u, regret: r})
			} else {
				out.UnservedWeight += rem[u]
				out.Cost += rem[u] * unserved
			}
		}
	}
	slices.SortFunc(out.Allocations, func(a, b Allocation) int {
		if a.Client != b.Client {
			return a.Client - b.Client
		}
		return a.Site - b.Site
	})
	return out, nil
}

type pmRegret struct {
	client int
	regret float64
}

// pmRegretHeap is a max-heap on regret, ties by lower client index.
type pmRegretHeap []pmRegret

func (h pmRegretHeap) Len() int { return len(h) }
func (h pmRegretHeap) Less(i, j int) bool {
	if h[i].regret != h[j].regret {
		return h[i].regret > h[j].regret
	}
	return h[i].client < h[j].client
}
func (h pmRegretHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *pmRegretHeap) Push(x any)   { *h = append(*h, x.(pmRegret)) }
func (h *pmRegretHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// pmCapacitated starts from the uncapacitated elite pool, keeps the opening whose
// capacitated assignment is cheapest, and improves it by first-improvement swaps. For
// each open site the swaps tried insert the closed candidates nearest to the demand it
// serves and to unserved demand.
func pmCapacitated(ctx context.Context, c *pmCore, prob *LocationProblem, opt LocationOptions) (*PMedianResult, error) {
	assign := opt.Assign
	if assign == nil {
		assign = RegretAssign
	}
	run, err := pmHybrid(ctx, c, opt)
	if err != nil {
		return nil, err
	}
	evals := 0
	eval := func(sites []int) (CapacitatedAssignment, error) {
		evals++
		return assign(ctx, prob, sites)
	}
	toInts := func(s []int32) []int {
		out := make([]int, len(s))
		for i, f := range s {
			out[i] = int(f)
		}
		slices.Sort(out)
		return out
	}
	var cur []int
	var curA CapacitatedAssignment
	for i, s := range run.pool {
		sites := toInts(s.sites)
		a, err := eval(sites)
		if err != nil {
			return nil, err
		}
		if i == 0 || a.Cost < curA.Cost {
			cur, curA = sites, a
		}
	}
	const perSite = 6
	score := make([]float64, c.m)
	isOpen := make([]bool, c.m)
	for improved := true; improved && evals < opt.CapacityEvaluations; {
		improved = false
		clear(isOpen)
		for _, f := range cur {
			isOpen[f] = true
		}
		// Demand left unserved pulls toward the candidates that could serve it.
		served := make([]float64, c.n)
		byOpen := make(map[int][]Allocation)
		for _, a := range curA.Allocations {
			served[a.Client] += a.Amount
			byOpen[a.Site] = append(byOpen[a.Site], a)
		}
		clear(score)
		for u := 0; u < c.n; u++ {
			if miss := c.w[u] - served[u]; miss > 1e-12*math.Max(1, c.w[u]) {
				for k := c.off[u]; k < c.off[u+1]; k++ {
					score[c.site[k]] += miss * (c.unserved - c.dist[k])
				}
			}
		}
		base := slices.Clone(score)
	search:
		for _, fr := range cur {
			if c.required[fr] {
				continue
			}
			copy(score, base)
			for _, a := range byOpen[fr] {
				for k := c.off[a.Client]; k < c.off[a.Client+1]; k++ {
					score[c.site[k]] += a.Amount * (c.unserved - c.dist[k])
				}
			}
			var ins []int32
			for _, f := range c.cands {
				if !isOpen[f] && score[f] > 0 {
					ins = append(ins, f)
				}
			}
			slices.SortStableFunc(ins, func(a, b int32) int {
				switch {
				case score[a] > score[b]:
					return -1
				case score[a] < score[b]:
					return 1
				}
				return 0
			})
			for _, fi := range ins[:min(perSite, len(ins))] {
				if evals >= opt.CapacityEvaluations {
					break search
				}
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				next := make([]int, 0, len(cur))
				for _, f := range cur {
					if f != int(fr) {
						next = append(next, f)
					}
				}
				next = append(next, int(fi))
				slices.Sort(next)
				a, err := eval(next)
				if err != nil {
					return nil, err
				}
				if a.Cost < curA.Cost-1e-9*math.Max(1, math.Abs(curA.Cost)) {
					cur, curA = next, a
					improved = true
					break search
				}
			}
		}
	}
	res := &PMedianResult{
		Open:           cur,
		Assign:         make([]int, c.n),
		Allocations:    curA.Allocations,
		Cost:           curA.Cost,
		UnservedWeight: curA.UnservedWeight,
		LowerBound:     run.lower,
		Starts:         run.starts,
	}
	share := make([]float64, c.n)
	for u := range res.Assign {
		res.Assign[u] = -1
	}
	for _, a := range curA.Allocations {
		if a.Amount > share[a.Client] {
			share[a.Client] = a.Amount
			res.Assign[a.Client] = a.Site
		}
	}
	c.finish(res)
	return res, nil
}
