package geo

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// scatter returns n points normally spread (sd degrees) around centre,
// wrapped into valid longitudes and clamped to valid latitudes.
func scatter(rng *rand.Rand, n int, centre orb.Point, sd float64) []orb.Point {
	pts := make([]orb.Point, n)
	for i := range pts {
		lon := centre[0] + rng.NormFloat64()*sd
		for lon > 180 {
			lon -= 360
		}
		for lon < -180 {
			lon += 360
		}
		lat := max(-90, min(90, centre[1]+rng.NormFloat64()*sd))
		pts[i] = orb.Point{lon, lat}
	}
	return pts
}

// bruteWithin lists the points within radius of p, sorted by distance and
// index.
func bruteWithin(pts []orb.Point, p orb.Point, radius float64) []Neighbor {
	var out []Neighbor
	for j, q := range pts {
		if d := GreatCircle(p, q); d <= radius {
			out = append(out, Neighbor{Index: j, Metres: d})
		}
	}
	sortNeighbors(out)
	return out
}

func bruteNearest(pts []orb.Point, p orb.Point, k int) []Neighbor {
	out := make([]Neighbor, len(pts))
	for j, q := range pts {
		out[j] = Neighbor{Index: j, Metres: GreatCircle(p, q)}
	}
	sortNeighbors(out)
	return out[:min(k, len(out))]
}

func sortNeighbors(ns []Neighbor) {
	slices.SortFunc(ns, func(a, b Neighbor) int {
		if a.Metres != b.Metres {
			if a.Metres < b.Metres {
				return -1
			}
			return 1
		}
		return a.Index - b.Index
	})
}

func TestIndexMatchesBruteForce(t *testing.T) {
	// Places chosen for their geometry: a city, high latitude where
	// equirectangular cells are most distorted, both sides of the
	// antimeridian, and around a pole.
	tests := []struct {
		name   string
		centre orb.Point
		sd     float64
		radii  []float64
	}{
		{"Liaocheng", orb.Point{115.986, 36.457}, 0.3, []float64{0, 500, 3000, 10000, 40000}},
		{"Shandong", orb.Point{118.7, 36.4}, 2, []float64{3000, 10000, 100000}},
		{"high latitude", orb.Point{20, 78}, 2, []float64{5000, 50000, 300000}},
		{"antimeridian", orb.Point{179.9, -17}, 0.5, []float64{1000, 20000, 80000}},
		{"north pole", orb.Point{0, 89.7}, 0.4, []float64{2000, 30000, 100000}},
		{"whole earth", orb.Point{0, 0}, 90, []float64{1e6, 1e7, 2.1e7}},
	}
	for ti, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, uint64(ti)))
			pts := scatter(rng, 400, tc.centre, tc.sd)
			// Duplicated points must all be found.
			pts = append(pts, pts[:10]...)
			ix, err := NewIndex(pts)
			if err != nil {
				t.Fatal(err)
			}
			queries := scatter(rng, 200, tc.centre, tc.sd*1.5)
			queries = append(queries, pts[:5]...)
			var got []Neighbor
			for _, q := range queries {
				for _, r := range tc.radii {
					got = ix.Within(got, q, r)
					if want := bruteWithin(pts, q, r); !slices.Equal(got, want) {
						t.Fatalf("Within(%v, %v): got %d points, want %d\ngot  %v\nwant %v", q, r, len(got), len(want), head(got), head(want))
					}
				}
				for _, k := range []int{1, 5, 15, len(pts), len(pts) + 3} {
					got = ix.Nearest(got, q, k)
					if want := bruteNearest(pts, q, k); !slices.Equal(got, want) {
						t.Fatalf("Nearest(%v, %d):\ngot  %v\nwant %v", q, k, head(got), head(want))
					}
				}
			}
		})
	}
}

func head[T any](s []T) []T { return s[:min(len(s), 8)] }

// TestIndexWindowIsConservative places points exactly at the query radius in
// every direction: the ones that the exact distance admits must be found.
func TestIndexWindowIsConservative(t *testing.T) {
	for _, lat := range []float64{0, 36.457, 60, 85, -89.9} {
		centre := orb.Point{116, lat}
		for _, r := range []float64{300, 3000, 10000, 200000} {
			var pts []orb.Point
			for b := 0.0; b < 360; b += 7.5 {
				pts = append(pts, pointAt(centre, b, r))
			}
			ix, err := NewIndex(pts)
			if err != nil {
				t.Fatal(err)
			}
			for _, rr := range []float64{r, r * (1 - 1e-12), r * (1 + 1e-12)} {
				got := ix.Within(nil, centre, rr)
				if want := bruteWithin(pts, centre, rr); !slices.Equal(got, want) {
					t.Errorf("lat %v radius %v: found %d of %d points", lat, rr, len(got), len(want))
				}
			}
		}
	}
}

// pointAt returns the point at bearing b degrees and distance d metres from
// p on the sphere of radius EarthRadius.
func pointAt(p orb.Point, b, d float64) orb.Point {
	phi, lam := p[1]*math.Pi/180, p[0]*math.Pi/180
	th, delta := b*math.Pi/180, d/EarthRadius
	phi2 := math.Asin(math.Sin(phi)*math.Cos(delta) + math.Cos(phi)*math.Sin(delta)*math.Cos(th))
	lam2 := lam + math.Atan2(math.Sin(th)*math.Sin(delta)*math.Cos(phi), math.Cos(delta)-math.Sin(phi)*math.Sin(phi2))
	lon := math.Remainder(lam2*180/math.Pi, 360)
	return orb.Point{lon, phi2 * 180 / math.Pi}
}

func TestIndexEdgeCases(t *testing.T) {
	empty, err := NewIndex(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := empty.Within(nil, orb.Point{116, 36}, 1e7); len(got) != 0 {
		t.Errorf("empty Within = %v", got)
	}
	if got := empty.Nearest(nil, orb.Point{116, 36}, 3); len(got) != 0 {
		t.Errorf("empty Nearest = %v", got)
	}
	one, err := NewIndex([]orb.Point{{116, 36}})
	if err != nil {
		t.Fatal(err)
	}
	if got := one.Nearest(nil, orb.Point{-60, -40}, 2); len(got) != 1 || got[0].Index != 0 {
		t.Errorf("far Nearest = %v", got)
	}
	if got := one.Nearest(nil, orb.Point{116, 36}, 0); len(got) != 0 {
		t.Errorf("Nearest k=0 = %v", got)
	}
	for _, p := range []orb.Point{{math.NaN(), 36}, {116, math.Inf(1)}, {200, 36}} {
		if got := one.Nearest(nil, p, 1); len(got) != 0 {
			t.Errorf("Nearest(%v) = %v, want nothing", p, got)
		}
		if got := one.Within(nil, p, 1e6); len(got) != 0 {
			t.Errorf("Within(%v) = %v, want nothing", p, got)
		}
	}

	bad := []struct {
		name string
		p    orb.Point
		want string
	}{
		{"latitude", orb.Point{116, 91}, "point 1: latitude 91"},
		{"longitude", orb.Point{-181, 36}, "point 1: longitude -181"},
		{"NaN", orb.Point{math.NaN(), 36}, "point 1: coordinate (NaN, 36) is not finite"},
	}
	for _, tc := range bad {
		_, err := NewIndex([]orb.Point{{116, 36}, tc.p})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: NewIndex error %v, want %q", tc.name, err, tc.want)
		}
	}
}

func inBox(b latLonBox, q orb.Point) bool {
	if q[1] < b.latLo || q[1] > b.latHi {
		return false
	}
	for w := range b.windows {
		if q[0] >= b.lonLo[w] && q[0] <= b.lonHi[w] {
			return true
		}
	}
	return false
}

// TestCapBox checks the query window on its own, where grid cells cannot
// hide a window that is too small: every point of the cap is in the box,
// and the box is not much bigger than the cap.
func TestCapBox(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 1))
	centres := []orb.Point{{115.986, 36.457}, {0, 0}, {179.95, 10}, {-179.95, -10}, {30, 89.99}, {30, -89.5}, {116, 70}}
	for range 50 {
		centres = append(centres, orb.Point{rng.Float64()*360 - 180, rng.Float64()*178 - 89})
	}
	for _, c := range centres {
		for _, r := range []float64{1, 300, 3000, 15000, 500000, 5e6} {
			b := capBox(c, r)
			maxDLon := 0.0
			for k := range 3600 {
				bearing := float64(k) / 10
				if k%10 == 0 {
					bearing += rng.Float64() * 0.1
				}
				q := pointAt(c, bearing, r)
				if GreatCircle(c, q) <= r && !inBox(b, q) {
					t.Fatalf("centre %v radius %v: %v at bearing %v (%.9f m) is outside %+v", c, r, q, bearing, GreatCircle(c, q), b)
				}
				dl := math.Abs(math.Remainder(q[0]-c[0], 360))
				maxDLon = max(maxDLon, dl)
			}
			if b.windows == 1 && b.lonLo[0] == -180 && b.lonHi[0] == 180 {
				continue // the cap reaches a pole
			}
			// Tightness: the latitude span is exact, the longitude half-width
			// at most a sampling error above the largest sampled one.
			d := r / EarthRadius * 180 / math.Pi
			if b.latHi-c[1] > d*(1+1e-6)+1e-8 || c[1]-b.latLo > d*(1+1e-6)+1e-8 {
				t.Errorf("centre %v radius %v: latitudes %v…%v, want ±%v", c, r, b.latLo, b.latHi, d)
			}
			half := (b.lonHi[0] - b.lonLo[0] + b.lonHi[1] - b.lonLo[1]) / 2
			if half > maxDLon*(1+1e-4)+1e-8 {
				t.Errorf("centre %v radius %v: longitude half-width %v, cap reaches %v", c, r, half, maxDLon)
			}
		}
	}
}

func TestSelectChord(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 0))
	for trial := range 2000 {
		n := 1 + rng.IntN(60)
		cs := make([]cand, n)
		for j := range cs {
			cs[j] = cand{id: int32(j), m: float64(rng.IntN(1 + trial%20))} // many ties
		}
		sorted := slices.Clone(cs)
		slices.SortFunc(sorted, func(a, b cand) int { return int(a.m - b.m) })
		i := rng.IntN(n)
		if got := selectChord(cs, i); got != sorted[i].m {
			t.Fatalf("n=%d i=%d: got %v, want %v", n, i, got, sorted[i].m)
		}
		for j := range cs {
			if j < i && cs[j].m > cs[i].m || j > i && cs[j].m < cs[i].m {
				t.Fatalf("n=%d i=%d: not partitioned at %d", n, i, j)
			}
		}
	}
}
