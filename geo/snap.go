package geo

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// segGrid is a uniform lon/lat grid over road segments: each segment is
// listed in every cell its bounding box touches, so a segment missing from a
// block of cells lies wholly outside that block.
type segGrid struct {
	minLon, minLat   float64
	cellLon, cellLat float64
	nx, ny           int
	start            []int32 // cell c lists segs[start[c]:start[c+1]]
	segs             []int32
}

func newSegGrid(nodes []orb.Point, segU, segV []int32) segGrid {
	g := segGrid{minLon: nodes[0][0], minLat: nodes[0][1]}
	maxLon, maxLat := g.minLon, g.minLat
	for _, p := range nodes {
		g.minLon, maxLon = min(g.minLon, p[0]), max(maxLon, p[0])
		g.minLat, maxLat = min(g.minLat, p[1]), max(maxLat, p[1])
	}
	cosMid := max(math.Cos((g.minLat+maxLat)/2*math.Pi/180), 1e-3)
	w := (maxLon - g.minLon) * metresPerDegree * cosMid
	h := (maxLat - g.minLat) * metresPerDegree
	n := len(segU)
	// About one segment per cell on average, but never below 50 m.
	cell := math.Sqrt(w * h / float64(n))
	if !(cell >= 50) {
		cell = max(50, w, h)
	}
	for {
		g.cellLat = cell / metresPerDegree
		g.cellLon = g.cellLat / cosMid
		nx := math.Floor((maxLon-g.minLon)/g.cellLon) + 1
		ny := math.Floor((maxLat-g.minLat)/g.cellLat) + 1
		if nx*ny <= 2*float64(n)+64 {
			g.nx, g.ny = int(nx), int(ny)
			// Long segments are listed in many cells; coarsen the grid if
			// the lists would grow far beyond the number of segments.
			if g.entries(nodes, segU, segV) <= 16*n+1024 {
				break
			}
		}
		cell *= 1.5
	}
	g.start = make([]int32, g.nx*g.ny+1)
	g.eachCell(nodes, segU, segV, func(c, _ int) { g.start[c+1]++ })
	for c := 1; c < len(g.start); c++ {
		g.start[c] += g.start[c-1]
	}
	next := make([]int32, g.nx*g.ny)
	copy(next, g.start)
	g.segs = make([]int32, g.start[len(g.start)-1])
	g.eachCell(nodes, segU, segV, func(c, e int) {
		g.segs[next[c]] = int32(e)
		next[c]++
	})
	return g
}

// entries counts the (cell, segment) pairs of the grid.
func (g *segGrid) entries(nodes []orb.Point, segU, segV []int32) int {
	total := 0
	for e := range segU {
		a, b := nodes[segU[e]], nodes[segV[e]]
		nx := g.cellX(max(a[0], b[0])) - g.cellX(min(a[0], b[0])) + 1
		ny := g.cellY(max(a[1], b[1])) - g.cellY(min(a[1], b[1])) + 1
		total += nx * ny
	}
	return total
}

// eachCell calls fn for every (cell, segment) pair where the segment's
// bounding box touches the cell, in segment order.
func (g *segGrid) eachCell(nodes []orb.Point, segU, segV []int32, fn func(cell, seg int)) {
	for e := range segU {
		a, b := nodes[segU[e]], nodes[segV[e]]
		x0, x1 := g.cellX(min(a[0], b[0])), g.cellX(max(a[0], b[0]))
		y0, y1 := g.cellY(min(a[1], b[1])), g.cellY(max(a[1], b[1]))
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				fn(y*g.nx+x, e)
			}
		}
	}
}

func (g *segGrid) cellX(lon float64) int {
	return clampInt(int(math.Floor((lon-g.minLon)/g.cellLon)), 0, g.nx-1)
}

func (g *segGrid) cellY(lat float64) int {
	return clampInt(int(math.Floor((lat-g.minLat)/g.cellLat)), 0, g.ny-1)
}

// Snap is where a point joins the road network.
type Snap struct {
	// Point is the nearest point of the network.
	Point orb.Point
	// Segment is the index of the segment Point lies on.
	Segment int
	// Along is the road distance in metres from the segment's first end to
	// Point.
	Along float64
	// OffRoad is the great-circle distance in metres from the query point
	// to Point, walked straight (circuity 1).
	OffRoad float64
}

// Snap returns where p joins the network: the nearest point of the nearest
// segment, nearness measured in the equirectangular projection centred on p
// (exact enough over the few kilometres that matter); ties go to the lower
// segment index. It returns an error for an invalid lon/lat point.
func (nw *Network) Snap(p orb.Point) (Snap, error) {
	if err := checkPoint(p); err != nil {
		return Snap{}, fmt.Errorf("geo: snap: %w", err)
	}
	return nw.snap(p), nil
}

// snap is Snap for a valid point.
func (nw *Network) snap(p orb.Point) Snap {
	g := &nw.grid
	cosP := math.Cos(p[1] * math.Pi / 180)
	cx, cy := g.cellX(p[0]), g.cellY(p[1])
	best, bestSeg, bestT := math.Inf(1), -1, 0.0
	// Grid extent in degrees.
	gLon0, gLat0 := g.minLon, g.minLat
	gLon1, gLat1 := g.minLon+float64(g.nx)*g.cellLon, g.minLat+float64(g.ny)*g.cellLat
	for r := 0; ; r++ {
		x0, x1 := max(cx-r, 0), min(cx+r, g.nx-1)
		y0, y1 := max(cy-r, 0), min(cy+r, g.ny-1)
		for y := y0; y <= y1; y++ {
			onEdgeRow := y == cy-r || y == cy+r
			for x := x0; x <= x1; x++ {
				if !onEdgeRow && x != cx-r && x != cx+r {
					continue // scanned in an earlier ring
				}
				c := y*g.nx + x
				for _, e := range g.segs[g.start[c]:g.start[c+1]] {
					d2, t := nw.segDist2(p, cosP, e)
					if d2 < best || (d2 == best && int(e) < bestSeg) {
						best, bestSeg, bestT = d2, int(e), t
					}
				}
			}
		}
		// Any segment not yet seen lies wholly in the grid outside the
		// scanned block; stop when that region is no nearer than the best.
		rLon0, rLon1 := gLon0+float64(x0)*g.cellLon, gLon0+float64(x1+1)*g.cellLon
		rLat0, rLat1 := gLat0+float64(y0)*g.cellLat, gLat0+float64(y1+1)*g.cellLat
		bound := math.Inf(1)
		if x0 > 0 {
			bound = min(bound, boxDist2(p, cosP, gLon0, rLon0, gLat0, gLat1))
		}
		if x1 < g.nx-1 {
			bound = min(bound, boxDist2(p, cosP, rLon1, gLon1, gLat0, gLat1))
		}
		if y0 > 0 {
			bound = min(bound, boxDist2(p, cosP, rLon0, rLon1, gLat0, rLat0))
		}
		if y1 < g.ny-1 {
			bound = min(bound, boxDist2(p, cosP, rLon0, rLon1, rLat1, gLat1))
		}
		if bound > best || math.IsInf(bound, 1) {
			break
		}
	}
	a, b := nw.nodes[nw.segU[bestSeg]], nw.nodes[nw.segV[bestSeg]]
	s := orb.Point{a[0] + bestT*(b[0]-a[0]), a[1] + bestT*(b[1]-a[1])}
	return Snap{
		Point:   s,
		Segment: bestSeg,
		Along:   bestT * nw.segLen[bestSeg],
		OffRoad: GreatCircle(p, s),
	}
}

// segDist2 returns the squared distance, in degrees of latitude, from p to
// segment e in the equirectangular projection centred on p, and the
// position 0…1 of the nearest point along the segment.
func (nw *Network) segDist2(p orb.Point, cosP float64, e int32) (float64, float64) {
	a, b := nw.nodes[nw.segU[e]], nw.nodes[nw.segV[e]]
	ax, ay := (a[0]-p[0])*cosP, a[1]-p[1]
	dx, dy := (b[0]-a[0])*cosP, b[1]-a[1]
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = min(max(-(ax*dx+ay*dy)/l2, 0), 1)
	}
	x, y := ax+t*dx, ay+t*dy
	return x*x + y*y, t
}

// boxDist2 returns the squared distance from p to a lon/lat box in the same
// projection as segDist2.
func boxDist2(p orb.Point, cosP, lon0, lon1, lat0, lat1 float64) float64 {
	dx := max(lon0-p[0], 0, p[0]-lon1) * cosP
	dy := max(lat0-p[1], 0, p[1]-lat1)
	return dx*dx + dy*dy
}
