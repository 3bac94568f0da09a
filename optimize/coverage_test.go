package optimize

import (
	"context"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestMaxCoverageSmall(t *testing.T) {
	// Clients on a line at 0, 1, 2, 10, 11 (weights 1, 1, 1, 2, 2), sites at the same
	// points, radius 1. One site covers at most {0,1,2} (weight 3, from site 1) or
	// {10,11} (weight 4, from 10 or 11).
	prob := NewDenseLocationProblem(pmLine(), 1)
	prob.Weights = []float64{1, 1, 1, 2, 2}
	tests := []struct {
		p           int
		wantCovered float64
	}{
		{1, 4},
		{2, 7},
		{3, 7},
	}
	for _, tc := range tests {
		prob.P = tc.p
		res, err := MaxCoverage(context.Background(), prob, 1, LocationOptions{Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		if res.Covered != tc.wantCovered || res.Total != 7 || res.Coverable != 7 {
			t.Errorf("p=%d: covered %v of %v (coverable %v), want %v of 7", tc.p, res.Covered, res.Total, res.Coverable, tc.wantCovered)
		}
		if !res.Optimal || res.Bound != res.Covered || res.Gap != 0 {
			t.Errorf("p=%d: bound %v gap %v optimal %v, want a proof", tc.p, res.Bound, res.Gap, res.Optimal)
		}
		if len(res.Open) != tc.p {
			t.Errorf("p=%d: open %v", tc.p, res.Open)
		}
	}
}

func TestSetCoverageSmall(t *testing.T) {
	prob := NewDenseLocationProblem(pmLine(), 0)
	tests := []struct {
		name     string
		radius   float64
		required []int
		want     int
	}{
		{"radius 1", 1, nil, 2},          // sites 1 and 10 (or 11)
		{"radius 0", 0, nil, 5},          // every point needs its own site
		{"radius 10", 10, nil, 1},        // site 2 is within 10 of every point
		{"required far", 1, []int{0}, 3}, // 0 is open anyway; 2 and the right pair still need a site each
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			prob.Required = tc.required
			res, err := SetCoverage(context.Background(), prob, tc.radius, LocationOptions{Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Open) != tc.want || res.Covered != res.Coverable || res.Covered != 5 {
				t.Errorf("open %v covering %v of %v, want %d sites covering all 5", res.Open, res.Covered, res.Coverable, tc.want)
			}
			if !res.Optimal || res.Bound != float64(tc.want) {
				t.Errorf("bound %v optimal %v, want a proof of %d", res.Bound, res.Optimal, tc.want)
			}
		})
	}
}

// covBrute returns the best covered weight over all openings of p sites, and the fewest
// sites covering every coverable client.
func covBrute(prob *LocationProblem, radius float64) (best float64, fewest int) {
	m := prob.Sites
	w := func(i int) float64 {
		if prob.Weights == nil {
			return 1
		}
		return prob.Weights[i]
	}
	covered := func(mask uint) (float64, bool) {
		total, all := 0.0, true
		for i, list := range prob.Clients {
			hit, can := false, false
			for _, r := range list {
				if r.Dist <= radius {
					can = true
					if mask&(1<<r.Site) != 0 {
						hit = true
					}
				}
			}
			if hit {
				total += w(i)
			} else if can && w(i) > 0 {
				all = false
			}
		}
		return total, all
	}
	fewest = m + 1
	for mask := uint(0); mask < 1<<m; mask++ {
		k := bits.OnesCount(mask)
		c, all := covered(mask)
		if k == prob.P {
			best = math.Max(best, c)
		}
		if all && k < fewest {
			fewest = k
		}
	}
	return best, fewest
}

func TestCoverageBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for k := 0; k < 40; k++ {
		n, m := 10+rng.IntN(30), 4+rng.IntN(10)
		prob := pmRandom(rng, n, m, 1+rng.IntN(min(4, m)))
		radius := float64(10 + rng.IntN(30))
		best, fewest := covBrute(prob, radius)
		res, err := MaxCoverage(context.Background(), prob, radius, LocationOptions{Seed: uint64(k), Starts: 8})
		if err != nil {
			t.Fatal(err)
		}
		if res.Covered != best {
			t.Errorf("case %d max coverage (n=%d m=%d p=%d r=%v): covered %v, brute force %v", k, n, m, prob.P, radius, res.Covered, best)
		}
		if res.Bound < best-1e-9 {
			t.Errorf("case %d: upper bound %v below optimum %v", k, res.Bound, best)
		}
		sres, err := SetCoverage(context.Background(), prob, radius, LocationOptions{Seed: uint64(k), Starts: 8})
		if err != nil {
			t.Fatal(err)
		}
		if len(sres.Open) != fewest || sres.Covered != sres.Coverable {
			t.Errorf("case %d set coverage: %d sites covering %v of %v, brute force %d", k, len(sres.Open), sres.Covered, sres.Coverable, fewest)
		}
		if sres.Bound > float64(fewest) {
			t.Errorf("case %d: lower bound %v above optimum %d", k, sres.Bound, fewest)
		}
		for u, s := range sres.Assign {
			if s >= 0 && !slices.ContainsFunc(prob.Clients[u], func(r Reach) bool { return r.Site == s && r.Dist <= radius }) {
				t.Errorf("case %d: client %d assigned to site %d out of reach", k, u, s)
			}
		}
	}
}

func TestCoverageErrors(t *testing.T) {
	prob := NewDenseLocationProblem(pmLine(), 2)
	if _, err := MaxCoverage(context.Background(), prob, -1, LocationOptions{}); err == nil {
		t.Error("MaxCoverage accepted a negative radius")
	}
	if _, err := SetCoverage(context.Background(), prob, math.NaN(), LocationOptions{}); err == nil {
		t.Error("SetCoverage accepted a NaN radius")
	}
	prob.P = 9
	if _, err := MaxCoverage(context.Background(), prob, 1, LocationOptions{}); err == nil {
		t.Error("MaxCoverage accepted p above the number of sites")
	}
}
