package optimize

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
)

// Reach is one entry of a client's sparse distance list: a site that may serve the client
// and the distance (or any other cost per unit of demand) between them.
type Reach struct {
	Site int
	Dist float64
}

// LocationProblem describes a p-median or coverage instance without a dense distance matrix.
//
// Each client lists the sites that may serve it, sorted by increasing distance; a site that
// is not in a client's list can never serve that client. Sites are numbered 0..Sites-1.
// NewDenseLocationProblem builds the lists from a full matrix, as OR-Library instances need.
type LocationProblem struct {
	// Sites is the number of sites; site indices run from 0 to Sites-1.
	Sites int
	// Clients[i] lists the sites that may serve client i, sorted by increasing Dist.
	// Equal distances may come in any order. A site appears at most once per list.
	Clients [][]Reach
	// Weights holds each client's demand; nil means 1 for every client.
	Weights []float64
	// P is the number of sites to open, Required sites included.
	P int
	// Candidates lists the sites that may be opened; nil means every site.
	Candidates []int
	// Required lists sites that are open in every solution. They count toward P and
	// need not be in Candidates.
	Required []int
	// Capacity holds each site's capacity in units of client weight; nil means
	// uncapacitated. With capacities a client's demand may be split between sites.
	Capacity []float64
	// Unserved is the cost per unit of weight of a client that no open site in its list
	// can serve (or, with capacities, of demand left unassigned). Zero means
	// 1 + 2 × the largest listed distance, which makes serving a client always cheaper
	// than leaving it unserved.
	Unserved float64
}

// ErrTooFewSites is returned when fewer sites may be opened than the problem asks for.
var ErrTooFewSites = errors.New("optimize: fewer openable sites than p")

// NewDenseLocationProblem returns a problem in which every row of cost is a client, every
// column a candidate site, each client weighs 1 and p sites are to be opened. Each client's
// list holds every site, sorted by cost (ties by site index). Infinite or NaN costs are
// left out of the lists. It panics if cost is not rectangular.
func NewDenseLocationProblem(cost [][]float64, p int) *LocationProblem {
	m := 0
	if len(cost) > 0 {
		m = len(cost[0])
	}
	clients := make([][]Reach, len(cost))
	for i, row := range cost {
		if len(row) != m {
			panic("optimize: cost matrix is not rectangular")
		}
		list := make([]Reach, 0, m)
		for j, d := range row {
			if math.IsInf(d, 0) || math.IsNaN(d) {
				continue
			}
			list = append(list, Reach{Site: j, Dist: d})
		}
		SortReaches(list)
		clients[i] = list
	}
	return &LocationProblem{Sites: m, Clients: clients, P: p}
}

// SortReaches sorts a client's list by increasing distance, ties by increasing site.
func SortReaches(list []Reach) {
	slices.SortFunc(list, func(a, b Reach) int {
		switch {
		case a.Dist < b.Dist:
			return -1
		case a.Dist > b.Dist:
			return 1
		}
		return a.Site - b.Site
	})
}

// Validate reports the first structural problem found: indices out of range, unsorted or
// duplicated list entries, negative or NaN distances, weights or capacities, or a P that
// cannot be met. The last case wraps ErrTooFewSites.
func (pr *LocationProblem) Validate() error {
	if pr.Sites < 0 {
		return fmt.Errorf("optimize: negative number of sites %d", pr.Sites)
	}
	if pr.Weights != nil && len(pr.Weights) != len(pr.Clients) {
		return fmt.Errorf("optimize: %d weights for %d clients", len(pr.Weights), len(pr.Clients))
	}
	for i, w := range pr.Weights {
		if !(w >= 0) || math.IsInf(w, 1) {
			return fmt.Errorf("optimize: client %d: weight %v is not a finite non-negative number", i, w)
		}
	}
	if pr.Capacity != nil && len(pr.Capacity) != pr.Sites {
		return fmt.Errorf("optimize: %d capacities for %d sites", len(pr.Capacity), pr.Sites)
	}
	for j, c := range pr.Capacity {
		if !(c >= 0) {
			return fmt.Errorf("optimize: site %d: capacity %v is negative or NaN", j, c)
		}
	}
	if !(pr.Unserved >= 0) || math.IsInf(pr.Unserved, 1) {
		return fmt.Errorf("optimize: unserved cost %v is not a finite non-negative number", pr.Unserved)
	}
	seen := make([]int, pr.Sites)
	for i := range seen {
		seen[i] = -1
	}
	for i, list := range pr.Clients {
		prev := math.Inf(-1)
		for k, r := range list {
			if r.Site < 0 || r.Site >= pr.Sites {
				return fmt.Errorf("optimize: client %d entry %d: site %d out of range [0,%d)", i, k, r.Site, pr.Sites)
			}
			if !(r.Dist >= 0) || math.IsInf(r.Dist, 1) {
				return fmt.Errorf("optimize: client %d entry %d: distance %v is not a finite non-negative number", i, k, r.Dist)
			}
			if r.Dist < prev {
				return fmt.Errorf("optimize: client %d entry %d: list not sorted by distance", i, k)
			}
			if seen[r.Site] == i {
				return fmt.Errorf("optimize: client %d: site %d listed twice", i, r.Site)
			}
			seen[r.Site] = i
			prev = r.Dist
		}
	}
	isReq := make([]bool, pr.Sites)
	nreq := 0
	for _, s := range pr.Required {
		if s < 0 || s >= pr.Sites {
			return fmt.Errorf("optimize: required site %d out of range [0,%d)", s, pr.Sites)
		}
		if !isReq[s] {
			isReq[s] = true
			nreq++
		}
	}
	open := pr.Sites - nreq
	if pr.Candidates != nil {
		open = 0
		isCand := make([]bool, pr.Sites)
		for _, s := range pr.Candidates {
			if s < 0 || s >= pr.Sites {
				return fmt.Errorf("optimize: candidate site %d out of range [0,%d)", s, pr.Sites)
			}
			if !isCand[s] && !isReq[s] {
				isCand[s] = true
				open++
			}
		}
	}
	if pr.P < nreq {
		return fmt.Errorf("optimize: p = %d is smaller than the %d required sites", pr.P, nreq)
	}
	if pr.P > nreq+open {
		return fmt.Errorf("%w: p = %d, %d required and %d candidate sites", ErrTooFewSites, pr.P, nreq, open)
	}
	return nil
}

// LocationOptions controls the search of PMedian, MaxCoverage and SetCoverage.
// The zero value is usable. Results depend only on the problem, Seed and the counts
// below, never on Workers or timing: start k draws from rand.NewPCG(Seed, k).
type LocationOptions struct {
	// Seed seeds every random choice.
	Seed uint64
	// Starts is the number of randomized greedy starts, each followed by local search
	// and path relinking with the elite pool; 0 means 32.
	Starts int
	// Elite is the size of the elite pool; 0 means 10.
	Elite int
	// Workers is the number of goroutines; 0 means runtime.GOMAXPROCS(0).
	Workers int
	// BoundIterations caps the subgradient iterations of the Lagrangian bound; 0 means
	// 1000, negative means no bound (LowerBound is then 0 and Gap 1 unless the cost is 0).
	BoundIterations int
	// Progress, if not nil, is called after each batch of starts with the number of
	// starts done and the total. It is called from the caller's goroutine.
	Progress func(done, total int)
	// Assign evaluates an opening under capacities; nil means RegretAssign. It is used
	// only when the problem has capacities.
	Assign CapacitatedAssigner
	// CapacityEvaluations caps the number of assignments the capacitated local search
	// evaluates; 0 means 4000.
	CapacityEvaluations int
}

func (o LocationOptions) withDefaults() LocationOptions {
	if o.Starts <= 0 {
		o.Starts = 32
	}
	if o.Elite <= 0 {
		o.Elite = 10
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.BoundIterations == 0 {
		o.BoundIterations = 1000
	}
	if o.CapacityEvaluations <= 0 {
		o.CapacityEvaluations = 4000
	}
	return o
}

// Allocation is an amount of a client's demand served by a site.
type Allocation struct {
	Client, Site int
	Amount       float64
}

// PMedianResult is a p-median solution with its proof of quality.
type PMedianResult struct {
	// Open lists the open sites in increasing order, Required sites included.
	Open []int
	// Assign gives, for each client, the open site serving (the largest share of) it,
	// or -1 if it is unserved.
	Assign []int
	// Allocations lists how demand is split when the problem has capacities; nil otherwise.
	Allocations []Allocation
	// Cost is Σ weight × distance over served demand plus Unserved × unserved demand.
	Cost float64
	// UnservedWeight is the demand left unserved.
	UnservedWeight float64
	// LowerBound is a Lagrangian lower bound on the optimal cost. For problems with
	// capacities it is the bound of the uncapacitated relaxation.
	LowerBound float64
	// Gap is (Cost − LowerBound) / Cost, 0 when Cost is 0.
	Gap float64
	// Optimal reports that LowerBound proves Cost optimal. When every weight × distance
	// is an integer the bound is rounded up before the comparison.
	Optimal bool
	// Starts is the number of randomized starts actually run; the search stops early
	// once the bound proves optimality.
	Starts int
}

// PMedian opens prob.P sites so that the weighted sum of distances from each client to
// its nearest open site is least (or, with capacities, so that the cost of the
// capacitated assignment made by opt.Assign is least).
//
// The uncapacitated search is Resende and Werneck's hybrid heuristic: randomized sample
// greedy starts, swap-based local search with incremental gain/loss/extra tables, path
// relinking against an elite pool, and a final relinking of the pool's pairs. A Lagrangian
// relaxation of the assignment constraints, optimised by subgradient steps, gives the
// lower bound and stops the search once it proves the incumbent optimal. When it does not
// yet, the relaxation's opening at the best multipliers, made locally optimal, joins the
// elite pool (a Lagrangian heuristic; it finds the optimum at once when the bound is tight).
//
// The capacitated search starts from the uncapacitated elite pool and improves it by swaps
// evaluated with the capacitated assignment; it is a heuristic, and its bound ignores
// capacities.
func PMedian(ctx context.Context, prob *LocationProblem, opt LocationOptions) (*PMedianResult, error) {
	if err := prob.Validate(); err != nil {
		return nil, err
	}
	opt = opt.withDefaults()
	core := newPMCore(prob)
	if prob.Capacity != nil {
		return pmCapacitated(ctx, core, prob, opt)
	}
	run, err := pmHybrid(ctx, core, opt)
	if err != nil {
		return nil, err
	}
	res := core.result(run.best.sites)
	res.Starts = run.starts
	res.LowerBound = run.lower
	core.finish(res)
	return res, nil
}

// result builds the uncapacitated result of an opening.
func (c *pmCore) result(sites []int32) *PMedianResult {
	open := make([]bool, c.m)
	res := &PMedianResult{Open: make([]int, 0, len(sites)), Assign: make([]int, c.n)}
	for _, s := range sites {
		open[s] = true
		res.Open = append(res.Open, int(s))
	}
	slices.Sort(res.Open)
	for u := 0; u < c.n; u++ {
		res.Assign[u] = -1
		d := c.unserved
		for k := c.off[u]; k < c.off[u+1]; k++ {
			if open[c.site[k]] {
				res.Assign[u] = int(c.site[k])
				d = c.dist[k]
				break
			}
		}
		if res.Assign[u] < 0 {
			res.UnservedWeight += c.w[u]
		}
		res.Cost += c.w[u] * d
	}
	return res
}

// finish sets Gap and Optimal from Cost and LowerBound.
func (c *pmCore) finish(res *PMedianResult) {
	res.LowerBound = math.Min(res.LowerBound, res.Cost)
	if res.Cost > 0 {
		res.Gap = (res.Cost - res.LowerBound) / res.Cost
	}
	res.Optimal = c.proves(res.LowerBound, res.Cost)
	if res.Optimal {
		res.LowerBound = res.Cost
		res.Gap = 0
	}
}

// proves reports whether lower bound lb proves cost optimal.
func (c *pmCore) proves(lb, cost float64) bool {
	if c.integral {
		return math.Ceil(lb-1e-9*math.Max(1, math.Abs(lb))) >= cost
	}
	return lb >= cost-1e-9*math.Max(1, math.Abs(cost))
}
