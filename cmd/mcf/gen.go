package main

import (
	"math"
	"math/rand/v2"

	"github.com/seatplan/seatplan/optimize"
)

// transportSpec describes a synthetic seat-allocation instance: areas and
// schools at random points of a square city, each area linked to its nearest
// schools, and an unmet-demand arc per area.
type transportSpec struct {
	Areas, Schools int
	Nearest        int    // schools linked to each area
	Seed           uint64 // draws use rand.NewPCG(Seed, k)
}

// Parameters of the synthetic city. Costs are metres: the straight-line
// distance between points on a 40 km square grid. Pupils per area are 1–100;
// seats per school are the mean share of pupils ×0.5–1.5, so there are about
// as many seats as pupils but not always in the right place. Unmet demand
// costs 100 km per pupil, more than any link.
const (
	genSide    = 40000
	genPupils  = 100
	genPenalty = 100000
)

// transportation builds the instance: node i < Areas is area i (supply −pupils),
// node Areas+j is school j (supply +seats), then the unmet-demand node added by
// AddUnmetDemand. Arcs run school → area with infinite capacity.
func transportation(spec transportSpec) *optimize.FlowNetwork {
	A, S := spec.Areas, spec.Schools
	k := min(spec.Nearest, S)
	rngPts := rand.New(rand.NewPCG(spec.Seed, 1))
	rngSize := rand.New(rand.NewPCG(spec.Seed, 2))

	ax, ay := make([]float64, A), make([]float64, A)
	for i := range A {
		ax[i], ay[i] = rngPts.Float64()*genSide, rngPts.Float64()*genSide
	}
	sx, sy := make([]float64, S), make([]float64, S)
	for j := range S {
		sx[j], sy[j] = rngPts.Float64()*genSide, rngPts.Float64()*genSide
	}

	g := optimize.NewFlowNetwork(0)
	g.Grow(A+S+1, A*(k+1)+S)
	var pupils int64
	for range A {
		p := 1 + rngSize.Int64N(genPupils)
		pupils += p
		g.AddNode(-p)
	}
	mean := float64(pupils) / float64(max(S, 1))
	for range S {
		g.AddNode(int64(mean * (0.5 + rngSize.Float64())))
	}

	// Nearest schools by brute force with a small sorted buffer: 8 million
	// distances for 20,000 × 400, a few tens of milliseconds.
	near := make([]int, 0, k+1)
	dist := make([]float64, 0, k+1)
	for i := range A {
		near, dist = near[:0], dist[:0]
		for j := range S {
			dx, dy := ax[i]-sx[j], ay[i]-sy[j]
			d := dx*dx + dy*dy
			if len(near) == k && d >= dist[k-1] {
				continue
			}
			p := len(near)
			if p < k {
				near, dist = append(near, 0), append(dist, 0)
			} else {
				p = k - 1
			}
			for p > 0 && dist[p-1] > d {
				near[p], dist[p] = near[p-1], dist[p-1]
				p--
			}
			near[p], dist[p] = j, d
		}
		for q, j := range near {
			g.AddArc(A+j, i, optimize.InfiniteCapacity, int64(math.Round(math.Sqrt(dist[q]))))
		}
	}
	g.AddUnmetDemand(genPenalty)
	return g
}
