package geo

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// Neighbor is a point found by an Index query.
type Neighbor struct {
	// Index is the position of the point in the slice given to NewIndex.
	Index int
	// Metres is the great-circle distance from the query point.
	Metres float64
}

// Index is a static spatial index over points, answering "all points within
// a great-circle distance" and "the k nearest points". It is safe for
// concurrent queries.
//
// The index is a uniform grid stored in compressed rows. For the sizes this
// package serves (about 15,000 schools queried from about 70,000 areas) it is
// faster than a quadtree or a kd-tree: it is built by one counting sort, and a
// query window is one contiguous run of points per grid row, with no pointer
// chasing. The grid lives in the equirectangular projection
// scaled by cos(lat0) at the middle latitude of the points, so cells are close
// to square on the ground. That projection is affine in lon/lat, so the exact
// lon/lat bounding box of the spherical cap around a query point maps to an
// exact rectangle of cells: the window never misses a point within the
// radius, at any latitude. Candidates are screened by their squared chord
// (three multiplications, monotone in the great-circle distance) and decided
// by the exact haversine distance.
type Index struct {
	pts   []orb.Point  // points in cell order
	unit  [][3]float64 // the points as unit vectors, for a cheap prefilter
	ids   []int32      // original index of pts[i]
	start []int32      // cell c holds pts[start[c]:start[c+1]], cells row-major
	nx    int
	ny    int

	minLon, minLat, maxLon, maxLat float64
	cellLon, cellLat               float64 // cell size in degrees
	cellMetres                     float64 // cell height in metres
}

// metresPerDegree is the length of one degree of a great circle.
const metresPerDegree = EarthRadius * math.Pi / 180

// NewIndex indexes points, given as lon/lat WGS84 degrees; Neighbor.Index
// refers to positions in points. It returns an error naming the first point
// that is not a finite coordinate with longitude in [-180, 180] and latitude
// in [-90, 90].
func NewIndex(points []orb.Point) (*Index, error) {
	return newIndex(points, 0)
}

// checkPoints reports the first point that is not a valid lon/lat coordinate.
func checkPoints(what string, points []orb.Point) error {
	if len(points) > math.MaxInt32-1 {
		return fmt.Errorf("geo: %d %s: at most %d supported", len(points), what, math.MaxInt32-1)
	}
	for i, p := range points {
		if err := checkPoint(p); err != nil {
			return fmt.Errorf("geo: %s %d: %w", what, i, err)
		}
	}
	return nil
}

func checkPoint(p orb.Point) error {
	switch {
	case !finitePoint(p):
		return fmt.Errorf("coordinate (%v, %v) is not finite", p[0], p[1])
	case p[0] < -180 || p[0] > 180:
		return fmt.Errorf("longitude %v outside [-180, 180]", p[0])
	case p[1] < -90 || p[1] > 90:
		return fmt.Errorf("latitude %v outside [-90, 90]", p[1])
	}
	return nil
}

// newIndex builds the grid with cells cellMetres high, or a size chosen from
// the density of the points when cellMetres <= 0.
func newIndex(points []orb.Point, cellMetres float64) (*Index, error) {
	if err := checkPoints("point", points); err != nil {
		return nil, err
	}
	ix := &Index{}
	n := len(points)
	if n == 0 {
		ix.start = []int32{0, 0}
		ix.nx, ix.ny = 1, 1
		ix.cellLon, ix.cellLat, ix.cellMetres = 360, 180, math.Pi*EarthRadius
		return ix, nil
	}
	ix.minLon, ix.minLat = points[0][0], points[0][1]
	ix.maxLon, ix.maxLat = ix.minLon, ix.minLat
	for _, p := range points[1:] {
		ix.minLon = min(ix.minLon, p[0])
		ix.maxLon = max(ix.maxLon, p[0])
		ix.minLat = min(ix.minLat, p[1])
		ix.maxLat = max(ix.maxLat, p[1])
	}
	// Cells are square on the ground at the middle latitude; near the poles
	// the factor is bounded so that cells stay finite.
	cosMid := max(math.Cos((ix.minLat+ix.maxLat)/2*math.Pi/180), 1e-3)
	if cellMetres <= 0 {
		w := (ix.maxLon - ix.minLon) * metresPerDegree * cosMid
		h := (ix.maxLat - ix.minLat) * metresPerDegree
		// About two points per cell on average.
		cellMetres = math.Sqrt(w * h * 2 / float64(n))
		if !(cellMetres >= 100) {
			cellMetres = max(100, w, h)
		}
	}
	maxCells := 4*float64(n) + 64
	for {
		ix.cellMetres = cellMetres
		ix.cellLat = cellMetres / metresPerDegree
		ix.cellLon = ix.cellLat / cosMid
		nx := math.Floor((ix.maxLon-ix.minLon)/ix.cellLon) + 1
		ny := math.Floor((ix.maxLat-ix.minLat)/ix.cellLat) + 1
		if nx*ny <= maxCells {
			ix.nx, ix.ny = int(nx), int(ny)
			break
		}
		cellMetres *= 1.5
	}

	cells := make([]int32, n)
	ix.start = make([]int32, ix.nx*ix.ny+1)
	for i, p := range points {
		c := int32(ix.cellY(p[1])*ix.nx + ix.cellX(p[0]))
		cells[i] = c
		ix.start[c+1]++
	}
	for c := 1; c < len(ix.start); c++ {
		ix.start[c] += ix.start[c-1]
	}
	next := slices.Clone(ix.start[:len(ix.start)-1])
	ix.pts = make([]orb.Point, n)
	ix.unit = make([][3]float64, n)
	ix.ids = make([]int32, n)
	for i, p := range points {
		at := next[cells[i]]
		next[cells[i]]++
		ix.pts[at] = p
		ix.unit[at] = unitVector(p)
		ix.ids[at] = int32(i)
	}
	return ix, nil
}

// Len returns the number of indexed points.
func (ix *Index) Len() int { return len(ix.pts) }

// unitVector returns p on the unit sphere. The squared chord between two
// such vectors is 4·sin²(θ/2) for the central angle θ, monotone in the
// great-circle distance and far cheaper than the haversine.
func unitVector(p orb.Point) [3]float64 {
	sinLat, cosLat := math.Sincos(p[1] * math.Pi / 180)
	sinLon, cosLon := math.Sincos(p[0] * math.Pi / 180)
	return [3]float64{cosLat * cosLon, cosLat * sinLon, sinLat}
}

// chord2Bound returns a squared chord that every point within r metres
// stays under, with ample room for rounding in either computation.
func chord2Bound(r float64) float64 {
	delta := r / EarthRadius
	if delta >= math.Pi {
		return math.Inf(1)
	}
	s := math.Sin(delta / 2)
	return 4*s*s*(1+1e-6) + 1e-18
}

func (ix *Index) cellX(lon float64) int {
	return clampInt(int(math.Floor((lon-ix.minLon)/ix.cellLon)), 0, ix.nx-1)
}

func (ix *Index) cellY(lat float64) int {
	return clampInt(int(math.Floor((lat-ix.minLat)/ix.cellLat)), 0, ix.ny-1)
}

func clampInt(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// Within appends to dst[:0] the points whose great-circle distance from p is
// at most radius metres (points on the circle are in), sorted by distance and
// then by index, and returns the result. An invalid lon/lat point p or a
// negative radius finds nothing.
func (ix *Index) Within(dst []Neighbor, p orb.Point, radius float64) []Neighbor {
	if checkPoint(p) != nil {
		return dst[:0]
	}
	cs := ix.collect(nil, p, radius, 1, -1, nil)
	sortCands(cs)
	return appendNeighbors(dst[:0], cs)
}

// Nearest appends to dst[:0] the k points nearest to p by great-circle
// distance, sorted by distance and then by index (so ties at the k-th
// distance go to the lower index), and returns the result. It returns every
// point when k >= Len(), and nothing for an invalid lon/lat point p.
func (ix *Index) Nearest(dst []Neighbor, p orb.Point, k int) []Neighbor {
	if checkPoint(p) != nil {
		return dst[:0]
	}
	cs := ix.nearest(nil, p, k, 1, 0, -1, nil)
	return appendNeighbors(dst[:0], cs)
}

func appendNeighbors(dst []Neighbor, cs []cand) []Neighbor {
	for _, c := range cs {
		dst = append(dst, Neighbor{Index: int(c.id), Metres: c.m})
	}
	return dst
}

// cand is a candidate pair: a target index and its travel metres; fb marks
// a great-circle fallback between disconnected parts of a road network.
type cand struct {
	id int32
	fb bool
	m  float64
}

// compFilter keeps only the targets outside one road-network component.
type compFilter struct {
	comp []int32 // component of each indexed point
	skip int32   // the component to leave out
}

func compareCands(a, b cand) int {
	if c := cmp.Compare(a.m, b.m); c != 0 {
		return c
	}
	return cmp.Compare(a.id, b.id)
}

func sortCands(cs []cand) { slices.SortFunc(cs, compareCands) }

// row returns in dst[:0] the candidates of one source: every point within
// limit travel metres, or the k nearest when fewer are within the limit
// (limit < 0: none), sorted. The arguments are as for collect; hint carries
// a guess of the k-th distance from row to row (sources are often listed
// by place), which saves time but never changes the result.
func (ix *Index) row(dst []cand, p orb.Point, limit float64, k int, circuity float64, self int32, f *compFilter, hint *float64) []cand {
	dst = ix.collect(dst[:0], p, limit, circuity, self, f)
	if len(dst) < k {
		dst = ix.nearest(dst, p, k, circuity, max(2*limit, *hint), self, f)
		if n := len(dst); n > 0 {
			*hint = dst[n-1].m * 1.25
		}
		return dst
	}
	sortCands(dst)
	return dst
}

// collect appends every point q other than self (and outside f's component
// when f is not nil, marked fb) whose travel distance GreatCircle(p, q) *
// circuity is at most limit, in no particular order.
func (ix *Index) collect(dst []cand, p orb.Point, limit, circuity float64, self int32, f *compFilter) []cand {
	if len(ix.pts) == 0 || !(limit >= 0) {
		return dst
	}
	r := limit / circuity
	return ix.scan(dst, p, r, chord2Bound(r), self, f, true, limit, circuity)
}

// scan visits the points other than self (and outside f's component) in the
// grid cells under the lon/lat box of the cap of radius r metres around p,
// and keeps those whose squared chord to p is at most c2. With exact, it
// then appends those whose travel distance is at most limit, with that
// distance; otherwise it appends all of them with their squared chord in m
// and their position in cell order in id. The squared chord is a cheap,
// rounding-safe prefilter; the haversine decides.
func (ix *Index) scan(dst []cand, p orb.Point, r, c2 float64, self int32, f *compFilter, exact bool, limit, circuity float64) []cand {
	b := capBox(p, r)
	if b.latHi < ix.minLat || b.latLo > ix.maxLat {
		return dst
	}
	u := unitVector(p)
	cy0, cy1 := ix.cellY(b.latLo), ix.cellY(b.latHi)
	for w := range b.windows {
		if b.lonHi[w] < ix.minLon || b.lonLo[w] > ix.maxLon {
			continue
		}
		cx0, cx1 := ix.cellX(b.lonLo[w]), ix.cellX(b.lonHi[w])
		for cy := cy0; cy <= cy1; cy++ {
			row := cy * ix.nx
			lo, hi := ix.start[row+cx0], ix.start[row+cx1+1]
			for j := lo; j < hi; j++ {
				v := &ix.unit[j]
				dx, dy, dz := u[0]-v[0], u[1]-v[1], u[2]-v[2]
				d2 := dx*dx + dy*dy + dz*dz
				if d2 > c2 {
					continue
				}
				id := ix.ids[j]
				if id == self || (f != nil && f.comp[id] == f.skip) {
					continue
				}
				if !exact {
					dst = append(dst, cand{id: j, fb: f != nil, m: d2})
					continue
				}
				if m := GreatCircle(p, ix.pts[j]) * circuity; m <= limit {
					dst = append(dst, cand{id: id, fb: f != nil, m: m})
				}
			}
		}
	}
	return dst
}

// latLonBox is a box in lon/lat degrees; across the antimeridian it is two
// longitude windows.
type latLonBox struct {
	latLo, latHi float64
	lonLo, lonHi [2]float64
	windows      int
}

// capBox returns a lon/lat box holding the spherical cap of radius r metres
// around p, padded so that rounding cannot leave out a point the exact
// haversine puts within r. Away from the poles the cap spans latitudes φ ± δ
// and longitudes λ ± asin(sin δ / cos φ), δ = r/R; a cap reaching a pole
// spans all longitudes.
func capBox(p orb.Point, r float64) latLonBox {
	b := latLonBox{latLo: -90, latHi: 90, lonLo: [2]float64{-180}, lonHi: [2]float64{180}, windows: 1}
	delta := r/EarthRadius*(1+1e-9) + 1e-12 // radians
	if delta >= math.Pi {
		return b
	}
	d := delta * 180 / math.Pi
	b.latLo, b.latHi = p[1]-d-1e-9, p[1]+d+1e-9
	if b.latLo <= -90 || b.latHi >= 90 {
		return b
	}
	s := math.Sin(delta) / math.Cos(p[1]*math.Pi/180)
	dl := math.Asin(min(s, 1))*180/math.Pi + 1e-9
	lo, hi := p[0]-dl, p[0]+dl
	b.lonLo[0], b.lonHi[0] = lo, hi
	switch {
	case lo < -180:
		b.lonLo[0] = -180
		b.lonLo[1], b.lonHi[1] = lo+360, 180
		b.windows = 2
	case hi > 180:
		b.lonHi[0] = 180
		b.lonLo[1], b.lonHi[1] = -180, hi-360
		b.windows = 2
	}
	return b
}

// nearest returns in dst[:0] the k points other than self (and outside f's
// component when f is not nil) with the least travel distance
// GreatCircle(p, q)*circuity, sorted. It scans windows of growing radius,
// starting from start travel metres, until one holds k points by squared
// chord (monotone in the great-circle distance); only the points whose chord
// is within rounding of the k-th get an exact distance. The answer does not
// depend on start.
func (ix *Index) nearest(dst []cand, p orb.Point, k int, circuity, start float64, self int32, f *compFilter) []cand {
	dst = dst[:0]
	if k <= 0 || len(ix.pts) == 0 {
		return dst
	}
	// Without a start, guess the radius holding k points from the cells,
	// which hold about two points on average.
	h := start / circuity
	if !(h > 0) {
		h = ix.cellMetres * math.Sqrt(float64(k)/2)
	}
	h = max(h, ix.cellMetres/4)
	if k >= len(ix.pts) {
		h = math.Inf(1)
	}
	var thr float64
	for {
		c2 := chord2Bound(h)
		// The window is a little wider than h so that it holds every point
		// the chord bound admits.
		dst = ix.scan(dst[:0], p, h*(1+1e-5), c2, self, f, false, 0, 0)
		if math.IsInf(c2, 1) {
			thr = c2 // every point has been seen
			break
		}
		if len(dst) >= k {
			kth := selectChord(dst, k-1)
			if thr = kth*(1+1e-6) + 1e-18; thr <= c2 {
				break
			}
		}
		h *= 2
	}
	n := 0
	for _, c := range dst {
		if c.m <= thr {
			j := c.id
			dst[n] = cand{id: ix.ids[j], fb: c.fb, m: GreatCircle(p, ix.pts[j]) * circuity}
			n++
		}
	}
	dst = dst[:n]
	sortCands(dst)
	return dst[:min(k, n)]
}

// selectChord reorders cs so that cs[i] holds the value of m it would have
// if cs were sorted by m, and returns that value (Hoare's selection, with a
// median-of-three pivot).
func selectChord(cs []cand, i int) float64 {
	lo, hi := 0, len(cs)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		if cs[mid].m < cs[lo].m {
			cs[mid], cs[lo] = cs[lo], cs[mid]
		}
		if cs[hi].m < cs[lo].m {
			cs[hi], cs[lo] = cs[lo], cs[hi]
		}
		if cs[hi].m < cs[mid].m {
			cs[hi], cs[mid] = cs[mid], cs[hi]
		}
		pivot := cs[mid].m
		a, b := lo, hi
		for a <= b {
			for cs[a].m < pivot {
				a++
			}
			for cs[b].m > pivot {
				b--
			}
			if a <= b {
				cs[a], cs[b] = cs[b], cs[a]
				a++
				b--
			}
		}
		switch {
		case i <= b:
			hi = b
		case i >= a:
			lo = a
		default:
			return cs[i].m
		}
	}
	return cs[i].m
}
