package optimize

import (
	"context"
	"math"
	"math/rand/v2"
)

// PMedianLowerBound returns a Lagrangian lower bound on the optimal uncapacitated p-median
// cost of prob after at most iterations subgradient steps (0 means 1000).
//
// The constraints that assign each client exactly once are relaxed with multipliers λ.
// For fixed λ the problem splits: site j's reduced total is
// ρ_j = Σ_i min(0, w_i·d_ij − λ_i), and the relaxed optimum opens the required sites and
// the p − |required| candidates with the most negative ρ, giving
// L(λ) = Σ_i λ_i + Σ_i min(0, w_i·U − λ_i) + Σ_{open j} ρ_j, where U is the unserved cost.
// Every L(λ) is a lower bound; subgradient steps of Polyak's form
// t = θ·(upper − L)/‖g‖², with θ halved when the bound stalls, push it up.
//
// upper is the cost of a known solution, used only to size the steps; if it is not
// finite, one greedy start supplies it. Capacities are ignored, so for capacitated
// problems the result bounds the uncapacitated relaxation.
func PMedianLowerBound(ctx context.Context, prob *LocationProblem, upper float64, iterations int) (float64, error) {
	if err := prob.Validate(); err != nil {
		return 0, err
	}
	if iterations <= 0 {
		iterations = 1000
	}
	c := newPMCore(prob)
	if c.p == len(c.reqSites) {
		return c.costOf(c.reqSites), nil
	}
	w := newPMWorker(c)
	w.st.load(w.st.construct(rand.New(rand.NewPCG(0, 0)), w.cur, w.avail))
	w.st.localSearch(func() bool { return ctx.Err() != nil })
	inc := w.st.solution()
	if !math.IsInf(upper, 0) && !math.IsNaN(upper) {
		inc.cost = upper
	}
	lb, _, err := pmLagrange(ctx, c, inc, iterations)
	return lb, err
}

// pmLagrange runs the subgradient optimisation starting from multipliers equal to each
// client's weighted distance in the incumbent, whose cost also sizes the steps. Besides the
// bound it returns the sites the relaxation opens at the best multipliers, a good opening
// to start a local search from when the bound is tight.
func pmLagrange(ctx context.Context, c *pmCore, inc pmSol, iterations int) (float64, []int32, error) {
	open := make([]bool, c.m)
	for _, f := range inc.sites {
		open[f] = true
	}
	lam := make([]float64, c.n)
	for u := 0; u < c.n; u++ {
		d := c.unserved
		for k := c.off[u]; k < c.off[u+1]; k++ {
			if open[c.site[k]] {
				d = c.dist[k]
				break
			}
		}
		lam[u] = c.w[u] * d
	}
	upper := inc.cost
	free := c.p - len(c.reqSites)
	rho := make([]float64, c.m)
	chosen := make([]bool, c.m)
	order := make([]int32, len(c.cands))
	g := make([]float64, c.n)
	best := math.Inf(-1)
	var bestSites []int32
	theta := 2.0
	const patience = 20
	stall := 0
	for it := 0; it < iterations; it++ {
		if it&31 == 31 && ctx.Err() != nil {
			return 0, nil, ctx.Err()
		}
		clear(rho)
		lower := 0.0
		for u := 0; u < c.n; u++ {
			lu, wu := lam[u], c.w[u]
			lower += lu
			if v := wu*c.unserved - lu; v < 0 {
				lower += v
			}
			for k := c.off[u]; k < c.off[u+1]; k++ {
				v := wu*c.dist[k] - lu
				if v >= 0 {
					break
				}
				rho[c.site[k]] += v
			}
		}
		for _, f := range c.reqSites {
			lower += rho[f]
		}
		copy(order, c.cands)
		lagSelect(order, free, rho)
		clear(chosen)
		for _, f := range order[:free] {
			chosen[f] = true
			lower += rho[f]
		}
		for _, f := range c.reqSites {
			chosen[f] = true
		}
		if it == 0 || lower > best+1e-12*math.Max(1, math.Abs(best)) {
			best, stall = lower, 0
			bestSites = append(append(bestSites[:0], c.reqSites...), order[:free]...)
		} else if stall++; stall >= patience {
			theta /= 2
			stall = 0
		}
		if c.proves(best, upper) || theta < 1e-4 {
			break
		}
		norm := 0.0
		for u := 0; u < c.n; u++ {
			lu, wu := lam[u], c.w[u]
			gu := 1.0
			if wu*c.unserved < lu {
				gu--
			}
			for k := c.off[u]; k < c.off[u+1]; k++ {
				if wu*c.dist[k] >= lu {
					break
				}
				if chosen[c.site[k]] {
					gu--
				}
			}
			g[u] = gu
			norm += gu * gu
		}
		if norm == 0 {
			// The relaxed solution assigns every client once: it is feasible, so lower is
			// the optimum itself.
			best = math.Max(best, lower)
			break
		}
		gapTarget := upper - lower
		if gapTarget <= 0 {
			gapTarget = 1e-3 * math.Max(1, math.Abs(upper))
		}
		t := theta * gapTarget / norm
		for u := 0; u < c.n; u++ {
			lam[u] += t * g[u]
		}
	}
	return best, bestSites, nil
}

// lagSelect reorders sites so that the k with the smallest key come first (in any order),
// by quickselect with deterministic middle pivots.
func lagSelect(sites []int32, k int, key []float64) {
	lo, hi := 0, len(sites)-1
	for lo < hi && k > lo && k <= hi {
		pivot := key[sites[(lo+hi)/2]]
		i, j := lo, hi
		for i <= j {
			for key[sites[i]] < pivot {
				i++
			}
			for key[sites[j]] > pivot {
				j--
			}
			if i <= j {
				sites[i], sites[j] = sites[j], sites[i]
				i++
				j--
			}
		}
		// Now sites[lo..j] ≤ pivot ≤ sites[i..hi].
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return
		}
	}
}
