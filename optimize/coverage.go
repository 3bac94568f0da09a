package optimize

import (
	"context"
	"fmt"
	"math"
	"slices"
)

// CoverageResult is a solution of MaxCoverage or SetCoverage. A client is covered when an
// open site in its list lies within the radius (distance ≤ radius).
type CoverageResult struct {
	// Open lists the open sites in increasing order, Required sites included.
	Open []int
	// Assign gives, for each client, the nearest open site covering it, or -1.
	Assign []int
	// Covered is the weight of the covered clients.
	Covered float64
	// Coverable is the weight of the clients that some openable site could cover.
	Coverable float64
	// Total is the weight of all clients.
	Total float64
	// Bound is, for MaxCoverage, an upper bound on the weight p sites can cover and, for
	// SetCoverage, a lower bound on the number of sites needed to cover Coverable.
	Bound float64
	// Gap is (Bound − Covered)/Bound for MaxCoverage and (len(Open) − Bound)/len(Open)
	// for SetCoverage; 0 when the denominator is 0.
	Gap float64
	// Optimal reports that Bound proves the solution optimal.
	Optimal bool
}

// covProblem returns prob as a p-median problem whose cost is the uncovered weight: each
// list keeps the sites within radius at distance 0, and an uncovered client costs 1 per
// unit of weight.
func covProblem(prob *LocationProblem, radius float64, p int) *LocationProblem {
	out := *prob
	out.P = p
	out.Unserved = 1
	out.Capacity = nil
	out.Clients = make([][]Reach, len(prob.Clients))
	for i, list := range prob.Clients {
		k := 0
		for k < len(list) && list[k].Dist <= radius {
			k++
		}
		cov := make([]Reach, k)
		for j, r := range list[:k] {
			cov[j] = Reach{Site: r.Site}
		}
		out.Clients[i] = cov
	}
	return &out
}

func covCheck(prob *LocationProblem, radius float64) error {
	if !(radius >= 0) {
		return fmt.Errorf("optimize: coverage radius %v is negative or NaN", radius)
	}
	return prob.Validate()
}

// covResult fills a CoverageResult for an opening of a coverage core.
func covResult(c *pmCore, prob *LocationProblem, radius float64, sites []int32) *CoverageResult {
	r := c.result(sites)
	res := &CoverageResult{Open: r.Open, Assign: make([]int, len(prob.Clients)), Total: c.totalW}
	open := make([]bool, prob.Sites)
	for _, f := range r.Open {
		open[f] = true
	}
	for u, list := range prob.Clients {
		res.Assign[u] = -1
		coverable := false
		for _, e := range list {
			if e.Dist > radius {
				break
			}
			if c.canOpen[e.Site] || c.required[e.Site] {
				coverable = true
			}
			if open[e.Site] {
				res.Assign[u] = e.Site
				break
			}
		}
		if coverable {
			res.Coverable += c.w[u]
		}
		if res.Assign[u] >= 0 {
			res.Covered += c.w[u]
		}
	}
	return res
}

// MaxCoverage opens prob.P sites (Required included) so that the weight of clients within
// radius of an open site is greatest. Capacities and Unserved are ignored.
//
// Maximal coverage is the p-median problem with distance 0 within the radius and an
// unserved cost of 1, so the search is PMedian's: randomized greedy starts, swap local
// search, path relinking. Bound is Total minus the Lagrangian lower bound on the uncovered
// weight; it is never weaker than Total minus the p largest coverages' shortfall, the bound
// the subgradient starts from.
func MaxCoverage(ctx context.Context, prob *LocationProblem, radius float64, opt LocationOptions) (*CoverageResult, error) {
	if err := covCheck(prob, radius); err != nil {
		return nil, err
	}
	opt = opt.withDefaults()
	cp := covProblem(prob, radius, prob.P)
	c := newPMCore(cp)
	run, err := pmHybrid(ctx, c, opt)
	if err != nil {
		return nil, err
	}
	res := covResult(c, prob, radius, run.best.sites)
	uncovered := res.Total - res.Covered
	lb := math.Min(run.lower, uncovered)
	if c.proves(lb, uncovered) {
		lb = uncovered
	}
	res.Bound = res.Total - lb
	if res.Bound > 0 {
		res.Gap = (res.Bound - res.Covered) / res.Bound
	}
	res.Optimal = lb == uncovered
	return res, nil
}

// SetCoverage opens the fewest sites (Required included; prob.P is ignored) such that every
// coverable client of positive weight is within radius of an open site. Capacities and
// Unserved are ignored.
//
// It starts from the greedy cover (most newly covered clients first, then redundant sites
// dropped) and then repeatedly asks MaxCoverage whether one site fewer still covers
// everything. Bound is the larger of two lower bounds: a greedy packing of clients no two of
// which share a covering site (each needs its own site), and k+1 when the Lagrangian bound
// of MaxCoverage shows that k sites cannot cover everything.
func SetCoverage(ctx context.Context, prob *LocationProblem, radius float64, opt LocationOptions) (*CoverageResult, error) {
	full := *prob
	// Validate with P set to the number of required sites, which is always feasible.
	full.P = covDistinct(prob.Required, prob.Sites)
	if err := covCheck(&full, radius); err != nil {
		return nil, err
	}
	opt = opt.withDefaults()
	cp := covProblem(&full, radius, full.P)
	c := newPMCore(cp)
	// need[u]: client u has positive weight, a site within radius, and no required site.
	open := make([]bool, c.m)
	var sites []int32
	for _, f := range c.reqSites {
		open[f] = true
		sites = append(sites, f)
	}
	need := make([]bool, c.n)
	left := 0
	for u := 0; u < c.n; u++ {
		if c.w[u] <= 0 || c.off[u] == c.off[u+1] {
			continue
		}
		covered := false
		for k := c.off[u]; k < c.off[u+1]; k++ {
			if open[c.site[k]] {
				covered = true
				break
			}
		}
		if !covered {
			need[u] = true
			left++
		}
	}
	bound := len(sites) + covPacking(c, need)
	// Greedy: the site covering most still-uncovered clients (then most weight, then the
	// lowest index).
	uncov := slices.Clone(need)
	var added []int32
	for left > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		best, bestN, bestW := int32(-1), 0, 0.0
		for _, f := range c.cands {
			if open[f] {
				continue
			}
			cnt, wt := 0, 0.0
			for k := c.roff[f]; k < c.roff[f+1]; k++ {
				if u := c.rcli[k]; uncov[u] {
					cnt++
					wt += c.w[u]
				}
			}
			if cnt > bestN || (cnt == bestN && cnt > 0 && wt > bestW) {
				best, bestN, bestW = f, cnt, wt
			}
		}
		open[best] = true
		added = append(added, best)
		for k := c.roff[best]; k < c.roff[best+1]; k++ {
			if u := c.rcli[k]; uncov[u] {
				uncov[u] = false
				left--
			}
		}
	}
	// Drop redundant sites, latest first.
	count := make([]int, c.n)
	for u := 0; u < c.n; u++ {
		for k := c.off[u]; k < c.off[u+1]; k++ {
			if open[c.site[k]] {
				count[u]++
			}
		}
	}
	var kept []int32
	for i := len(added) - 1; i >= 0; i-- {
		f := added[i]
		redundant := true
		for k := c.roff[f]; k < c.roff[f+1]; k++ {
			if u := c.rcli[k]; need[u] && count[u] == 1 {
				redundant = false
				break
			}
		}
		if redundant {
			open[f] = false
			for k := c.roff[f]; k < c.roff[f+1]; k++ {
				count[c.rcli[k]]--
			}
			continue
		}
		kept = append(kept, f)
	}
	sites = append(sites, kept...)
	// Ask for one site fewer while it still covers everything.
	target := 0.0
	for u := 0; u < c.n; u++ {
		if c.off[u] < c.off[u+1] && c.w[u] > 0 {
			target += c.w[u]
		}
	}
	tol := 1e-9 * math.Max(1, target)
	for len(sites) > bound {
		k := len(sites) - 1
		sub := covProblem(&full, radius, k)
		sc := newPMCore(sub)
		run, err := pmHybrid(ctx, sc, opt)
		if err != nil {
			return nil, err
		}
		covered := sc.totalW - run.best.cost
		if covered >= target-tol {
			sites = run.best.sites
			continue
		}
		// The uncovered weight is at least run.lower: if that exceeds the weight that must
		// stay uncovered anyway, k sites cannot cover everything.
		lower := run.lower
		if sc.integral {
			lower = math.Ceil(lower - 1e-9*math.Max(1, math.Abs(lower)))
		}
		if lower > sc.totalW-target+tol {
			bound = max(bound, k+1)
		}
		break
	}
	res := covResult(c, prob, radius, sites)
	res.Bound = float64(bound)
	if n := len(res.Open); n > 0 {
		res.Gap = (float64(n) - res.Bound) / float64(n)
	}
	res.Optimal = len(res.Open) == bound
	return res, nil
}

// covDistinct counts the distinct sites of list.
func covDistinct(list []int, m int) int {
	seen := make(map[int]bool, len(list))
	for _, s := range list {
		if s >= 0 && s < m {
			seen[s] = true
		}
	}
	return len(seen)
}

// covPacking returns the size of a greedy set of needed clients no two of which share a
// covering site, taking clients with the fewest covering sites first.
func covPacking(c *pmCore, need []bool) int {
	var order []int32
	for u := 0; u < c.n; u++ {
		if need[u] {
			order = append(order, int32(u))
		}
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		return int(c.off[a+1]-c.off[a]) - int(c.off[b+1]-c.off[b])
	})
	used := make([]bool, c.m)
	n := 0
	for _, u := range order {
		free := true
		for k := c.off[u]; k < c.off[u+1]; k++ {
			if used[c.site[k]] {
				free = false
				break
			}
		}
		if !free {
			continue
		}
		n++
		for k := c.off[u]; k < c.off[u+1]; k++ {
			used[c.site[k]] = true
		}
	}
	return n
}
