package geo

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"gonum.org/v1/gonum/graph/path"
	"gonum.org/v1/gonum/graph/simple"
)

func readRoadsFile(t testing.TB, name string) *Network {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	nw, err := ReadRoads(f)
	if err != nil {
		t.Fatal(err)
	}
	return nw
}

// The small network of testdata/roads_small.geojson, 0.01° squares near
// Liaocheng (north up; G–H is a separate lane further east):
//
//	C(116.00,36.47) ──── E(116.01,36.47)
//	│               ╱    │
//	│             ╱      │           H(116.05,36.46)
//	B(116.00,36.46)      F(116.01,36.46)   │
//	│                    │           G(116.05,36.45)
//	A(116.00,36.45) ──── D(116.01,36.45)
//
// Lengths, from d = 2R·asin(√(sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2))) with
// R = 6,371,008.8 m, evaluated separately:
//
//	AB = BC = DF = FE = GH = R·0.01·π/180 = 1111.950802 m
//	AD (along 36.45°N) = 894.426133 m
//	CE (along 36.47°N) = 894.195474 m
//	BE (diagonal)      = 1426.927915 m
const (
	lenMeridian = 1111.950802
	lenAD       = 894.426133
	lenCE       = 894.195474
	lenBE       = 1426.927915
)

func TestSmallNetwork(t *testing.T) {
	nw := readRoadsFile(t, "testdata/roads_small.geojson")
	// B appears twice, once 3e-8° off; both round to the same 1e-7° node.
	if nw.Nodes() != 8 || nw.Segments() != 8 || nw.Components() != 2 {
		t.Fatalf("%d nodes, %d segments, %d components; want 8, 8, 2", nw.Nodes(), nw.Segments(), nw.Components())
	}
	var (
		A = orb.Point{116.00, 36.45}
		B = orb.Point{116.00, 36.46}
		C = orb.Point{116.00, 36.47}
		D = orb.Point{116.01, 36.45}
		E = orb.Point{116.01, 36.47}
		F = orb.Point{116.01, 36.46}
		G = orb.Point{116.05, 36.45}
		// P is 0.0005° south of the middle of A–D: it joins the road at
		// (116.005, 36.45), 55.597540 m off-road, AD/2 from A.
		P = orb.Point{116.005, 36.4495}
		// Q is 0.0002° east of the middle of F–E: 17.885063 m off-road.
		Q = orb.Point{116.0102, 36.465}
	)
	const offP, offQ = 55.597540, 17.885063
	tests := []struct {
		name string
		a, b orb.Point
		want float64
		why  string
	}{
		{"A to E", A, E, lenMeridian + lenBE, "A–B–E beats A–B–C–E (3118.10) and A–D–F–E (3118.33)"},
		{"D to C", D, C, 2*lenMeridian + lenCE, "D–F–E–C beats D–A–B–C by AD−CE = 0.23 m"},
		{"D to B", D, B, lenAD + lenMeridian, "D–A–B"},
		{"F to B", F, B, lenMeridian + lenBE, "F–E–B beats F–D–A–B (3118.33)"},
		{"A to A", A, A, 0, "same node"},
		{"P to C", P, C, offP + lenAD/2 + 2*lenMeridian, "off-road, half of A–D, A–B–C"},
		{"P to Q", P, Q, offP + lenAD/2 + lenMeridian + lenMeridian/2 + offQ, "via D–F, half of F–E"},
		{"Q to P", Q, P, offP + lenAD/2 + lenMeridian + lenMeridian/2 + offQ, "symmetric"},
		{"P to A", P, A, offP + lenAD/2, "along its own segment"},
		{"G to H lane", G, orb.Point{116.05, 36.455}, lenMeridian / 2, "within the separate lane"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := nw.Distance(tc.a, tc.b)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-tc.want) > 0.001 {
				t.Errorf("Distance = %.6f m, want %.6f m (%s)", got, tc.want, tc.why)
			}
		})
	}
	if _, err := nw.Distance(A, G); !errors.Is(err, ErrDisconnected) {
		t.Errorf("A to G: error %v, want ErrDisconnected", err)
	}
	if _, err := nw.Distance(A, orb.Point{116, 95}); err == nil {
		t.Error("invalid point: no error")
	}

	snap, err := nw.Snap(P)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := nw.Snap(orb.Point{math.NaN(), 36}); err == nil {
		t.Error("Snap(NaN): no error")
	}
	if a, b, _ := nw.Segment(snap.Segment); a != A || b != D {
		t.Errorf("P snapped to segment %v–%v, want A–D", a, b)
	}
	if math.Abs(snap.OffRoad-offP) > 1e-5 || math.Abs(snap.Along-lenAD/2) > 1e-5 ||
		math.Abs(snap.Point[0]-116.005) > 1e-12 || math.Abs(snap.Point[1]-36.45) > 1e-12 {
		t.Errorf("Snap(P) = %+v", snap)
	}
}

func TestSmallNetworkPairs(t *testing.T) {
	nw := readRoadsFile(t, "testdata/roads_small.geojson")
	schools := []orb.Point{{116.00, 36.47}, {116.0102, 36.465}, {116.0501, 36.455}} // C, Q, by the lane
	areas := []orb.Point{{116.005, 36.4495}, {116.00, 36.46}}                       // P, B
	m := DefaultMetric()
	got, err := Generate(context.Background(), areas, schools, Limit{Metres: 3000}, Options{Metric: m, Roads: nw})
	if err != nil {
		t.Fatal(err)
	}
	// From P: Q at 2188.62 m and C at 2726.71 m by road; the lane school
	// is 0.0451° east and 0.0055° north: too far even as the crow flies.
	// From B: C at 1111.95 m, Q at BE + FE/2 + offQ = 2000.79 m by road.
	want := [][]pairRef{
		{{1, 55.597540 + lenAD/2 + 1.5*lenMeridian + 17.885063, false}, {0, 55.597540 + lenAD/2 + 2*lenMeridian, false}},
		{{0, lenMeridian, false}, {1, lenBE + lenMeridian/2 + 17.885063, false}},
	}
	comparePairs(t, got, want, m, 0.001)

	// With the 2 nearest from a source on the lane: the lane school joins
	// the lane at the source's own place, 0.0001° off-road; the others fall
	// back to great-circle × circuity and are flagged.
	got, err = Generate(context.Background(), []orb.Point{{116.05, 36.455}}, schools, Limit{K: 2}, Options{Metric: m, Roads: nw})
	if err != nil {
		t.Fatal(err)
	}
	want = [][]pairRef{{
		{2, GreatCircle(orb.Point{116.05, 36.455}, orb.Point{116.0501, 36.455}), false},
		{1, m.Distance(orb.Point{116.05, 36.455}, schools[1]), true},
	}}
	comparePairs(t, got, want, m, 0.001)
}

// randomRoads writes a GeoJSON grid of jittered streets, size×size nodes
// about 300 m apart with some streets missing (so some parts are cut off),
// plus a separate village network 5 km away.
func randomRoads(rng *rand.Rand, size int) string {
	node := make([][]orb.Point, size)
	for i := range node {
		node[i] = make([]orb.Point, size)
		for j := range node[i] {
			node[i][j] = orb.Point{116 + float64(i)*0.0034 + rng.NormFloat64()*0.0005, 36.4 + float64(j)*0.0027 + rng.NormFloat64()*0.0005}
		}
	}
	var feats []string
	line := func(pts ...orb.Point) {
		var cs []string
		for _, p := range pts {
			cs = append(cs, fmt.Sprintf("[%.9f,%.9f]", p[0], p[1]))
		}
		feats = append(feats, fmt.Sprintf(`{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[%s]}}`, strings.Join(cs, ",")))
	}
	for i := range size {
		for j := range size {
			if i+1 < size && rng.Float64() < 0.7 {
				line(node[i][j], node[i+1][j])
			}
			if j+1 < size && rng.Float64() < 0.7 {
				line(node[i][j], node[i][j+1])
			}
			if i+1 < size && j+1 < size && rng.Float64() < 0.1 {
				line(node[i][j], node[i+1][j+1])
			}
		}
	}
	v := orb.Point{116 + float64(size)*0.0034 + 0.05, 36.4}
	line(v, orb.Point{v[0] + 0.01, v[1]}, orb.Point{v[0] + 0.01, v[1] + 0.01})
	return `{"type":"FeatureCollection","features":[` + strings.Join(feats, ",\n") + `]}`
}

// bruteRoads is the reference for Generate with roads: a graph of the road
// nodes plus one node per point, joined to both ends of its segment and to
// the points on the same segment, solved by gonum's Dijkstra from every
// source; pairs with no path fall back to great-circle × circuity. It
// returns every pair of every source, unsorted.
func bruteRoads(nw *Network, from, to []orb.Point, among bool, m Metric) [][]pairRef {
	g := simple.NewWeightedUndirectedGraph(0, math.Inf(1))
	n := int64(len(nw.nodes))
	for u := range nw.nodes {
		g.AddNode(simple.Node(u))
	}
	for e := range nw.segU {
		g.SetWeightedEdge(g.NewWeightedEdge(simple.Node(nw.segU[e]), simple.Node(nw.segV[e]), nw.segLen[e]))
	}
	type placed struct {
		id   int64
		snap Snap
	}
	var pts []placed
	add := func(p orb.Point) placed {
		s := bruteSnap(nw, p)
		pl := placed{id: n + int64(len(pts)), snap: s}
		g.AddNode(simple.Node(pl.id))
		e := s.Segment
		g.SetWeightedEdge(g.NewWeightedEdge(simple.Node(pl.id), simple.Node(nw.segU[e]), s.Along))
		g.SetWeightedEdge(g.NewWeightedEdge(simple.Node(pl.id), simple.Node(nw.segV[e]), nw.segLen[e]-s.Along))
		for _, o := range pts {
			if o.snap.Segment == e {
				g.SetWeightedEdge(g.NewWeightedEdge(simple.Node(pl.id), simple.Node(o.id), math.Abs(s.Along-o.snap.Along)))
			}
		}
		pts = append(pts, pl)
		return pl
	}
	src := make([]placed, len(from))
	for i, p := range from {
		src[i] = add(p)
	}
	dst := src
	if !among {
		dst = make([]placed, len(to))
		for j, p := range to {
			dst[j] = add(p)
		}
	}
	rows := make([][]pairRef, len(from))
	for i, s := range src {
		sp := path.DijkstraFrom(simple.Node(s.id), g)
		var all []pairRef
		for j, d := range dst {
			if among && i == j {
				continue
			}
			w := sp.WeightTo(d.id)
			if math.IsInf(w, 1) {
				all = append(all, pairRef{to: int32(j), metres: m.Distance(from[i], to[j]), fallback: true})
				continue
			}
			all = append(all, pairRef{to: int32(j), metres: s.snap.OffRoad + w + d.snap.OffRoad})
		}
		rows[i] = all
	}
	return rows
}

// applyRule returns the rows the limit keeps from complete reference rows.
func applyRule(all [][]pairRef, lim Limit, m Metric) [][]pairRef {
	rows := make([][]pairRef, len(all))
	for i, row := range all {
		rows[i] = rowRule(slices.Clone(row), lim.metres(m), lim.K)
	}
	return rows
}

// bruteSnap tries every segment.
func bruteSnap(nw *Network, p orb.Point) Snap {
	cosP := math.Cos(p[1] * math.Pi / 180)
	best, bestSeg, bestT := math.Inf(1), -1, 0.0
	for e := range nw.segU {
		d2, t := nw.segDist2(p, cosP, int32(e))
		if d2 < best {
			best, bestSeg, bestT = d2, e, t
		}
	}
	a, b := nw.nodes[nw.segU[bestSeg]], nw.nodes[nw.segV[bestSeg]]
	s := orb.Point{a[0] + bestT*(b[0]-a[0]), a[1] + bestT*(b[1]-a[1])}
	return Snap{Point: s, Segment: bestSeg, Along: bestT * nw.segLen[bestSeg], OffRoad: GreatCircle(p, s)}
}

func TestSnapMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 1))
	nw, err := ReadRoads(strings.NewReader(randomRoads(rng, 20)))
	if err != nil {
		t.Fatal(err)
	}
	// Inside the network, beside it and far outside its box.
	queries := scatter(rng, 2000, orb.Point{116.03, 36.425}, 0.03)
	queries = append(queries, scatter(rng, 100, orb.Point{116.03, 36.425}, 1)...)
	for _, q := range queries {
		if got, want := nw.snap(q), bruteSnap(nw, q); got != want {
			t.Fatalf("Snap(%v) = %+v, want %+v", q, got, want)
		}
	}
}

func TestRoadPairsMatchBruteForce(t *testing.T) {
	var fallbacks []bool
	defer func() {
		if !slices.Contains(fallbacks, true) || !slices.Contains(fallbacks, false) {
			t.Error("want both road and fallback pairs among the cases")
		}
	}()
	for seed := range uint64(3) {
		rng := rand.New(rand.NewPCG(seed, 42))
		nw, err := ReadRoads(strings.NewReader(randomRoads(rng, 12+int(seed)*4)))
		if err != nil {
			t.Fatal(err)
		}
		if nw.Components() < 2 {
			t.Fatalf("seed %d: want a network in several parts", seed)
		}
		centre := orb.Point{116.025, 36.42}
		many := scatter(rng, 150, centre, 0.025)
		few := scatter(rng, 40, centre, 0.025)
		few = append(few, many[0]) // a target at a source's place
		m := DefaultMetric()
		cases := []struct {
			name     string
			from, to []orb.Point
			among    bool
			all      [][]pairRef
		}{
			{name: "many to few", from: many, to: few}, // searches from the targets
			{name: "few to many", from: few, to: many}, // searches from the sources
			{name: "among", from: few, to: few, among: true},
		}
		for i := range cases {
			c := &cases[i]
			c.all = bruteRoads(nw, c.from, c.to, c.among, m)
		}
		for _, tc := range limitCases {
			for _, c := range cases {
				t.Run(fmt.Sprintf("seed %d/%s/%s", seed, tc.name, c.name), func(t *testing.T) {
					opt := Options{Metric: m, Roads: nw}
					var got *Pairs
					var err error
					if c.among {
						got, err = GenerateAmong(context.Background(), c.from, tc.lim, opt)
					} else {
						got, err = Generate(context.Background(), c.from, c.to, tc.lim, opt)
					}
					if err != nil {
						t.Fatal(err)
					}
					comparePairs(t, got, applyRule(c.all, tc.lim, m), m, 1e-6)
					fallbacks = append(fallbacks, got.Fallback...)
					for _, w := range []int{1, 3} {
						opt.Workers = w
						again, err := Generate(context.Background(), c.from, c.to, tc.lim, opt)
						if c.among {
							again, err = GenerateAmong(context.Background(), c.from, tc.lim, opt)
						}
						if err != nil || !reflect.DeepEqual(again, got) {
							t.Fatalf("%d workers: result differs (%v)", w, err)
						}
					}
				})
			}
		}
	}
}

func TestReadRoadsErrors(t *testing.T) {
	const ok = `{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[116,36],[116.01,36]]}}`
	fc := func(features ...string) string {
		return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
	}
	geom := func(g string) string { return `{"type":"Feature","properties":null,"geometry":` + g + `}` }
	tests := []struct {
		name    string
		in      string
		feature int // -1: not a feature error
		want    string
	}{
		{"not JSON", `{"type":`, -1, "want a GeoJSON FeatureCollection"},
		{"array", `[1,2]`, -1, "want a GeoJSON FeatureCollection"},
		{"bare feature", ok, -1, `type is "Feature", want FeatureCollection`},
		{"no features", fc(), -1, "no road segment"},
		{"only a point", fc(ok, geom(`{"type":"Point","coordinates":[116,36]}`)), 1, `geometry is "Point", want LineString or MultiLineString`},
		{"polygon", fc(geom(`{"type":"Polygon","coordinates":[[[116,36],[117,36],[117,37],[116,36]]]}`)), 0, `geometry is "Polygon"`},
		{"null geometry", fc(ok, ok, geom(`null`)), 2, "geometry is null"},
		{"missing geometry", fc(`{"type":"Feature"}`), 0, "geometry is null"},
		{"not a feature", fc(ok, `{"type":"Road"}`), 1, `type is "Road", want Feature`},
		{"feature is a number", fc(`7`), 0, "want a Feature object"},
		{"one number", fc(geom(`{"type":"LineString","coordinates":[[116],[116.01,36]]}`)), 0, "position [116]: want an array of 2 or 3 numbers"},
		{"null coordinate", fc(geom(`{"type":"LineString","coordinates":[[116,36],[null,36]]}`)), 0, "position [null,36]"},
		{"string coordinate", fc(geom(`{"type":"LineString","coordinates":[[116,36],["116",36]]}`)), 0, `position ["116",36]`},
		{"nested position", fc(geom(`{"type":"LineString","coordinates":[[116,36],[[116,36]]]}`)), 0, "want an array of 2 or 3 numbers"},
		{"huge number", fc(geom(`{"type":"LineString","coordinates":[[116,36],[1e400,36]]}`)), 0, "position [1e400,36]"},
		{"coordinates not array", fc(geom(`{"type":"LineString","coordinates":{"x":1}}`)), 0, "LineString coordinates: want an array of positions"},
		{"multi not nested", fc(geom(`{"type":"MultiLineString","coordinates":[[116,36],[117,36]]}`)), 0, "MultiLineString coordinates"},
		{"single position", fc(ok, geom(`{"type":"LineString","coordinates":[[116,36]]}`)), 1, "line 0 has 1 positions, want at least 2"},
		{"latitude out of range", fc(geom(`{"type":"MultiLineString","coordinates":[[[116,36],[116,37]],[[116,36],[116,91]]]}`)), 0, "line 1 position 1: latitude 91 outside [-90, 90]"},
		{"swapped", fc(geom(`{"type":"LineString","coordinates":[[36,116],[36,116.1]]}`)), 0, "latitude 116 outside"},
		{"antimeridian", fc(geom(`{"type":"LineString","coordinates":[[179.9,-17],[-179.9,-17]]}`)), 0, "cross the antimeridian"},
		{"zero length", fc(geom(`{"type":"LineString","coordinates":[[116,36],[116.00000001,36]]}`)), -1, "no road segment"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			nw, err := ReadRoads(strings.NewReader(tc.in))
			if err == nil {
				t.Fatalf("no error; network of %d segments", nw.Segments())
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to contain %q", err, tc.want)
			}
			var re *RoadError
			if errors.As(err, &re) != (tc.feature >= 0) || tc.feature >= 0 && re.Feature != tc.feature {
				t.Errorf("error %q: want feature %d", err, tc.feature)
			}
		})
	}
}

func TestReadRoadsAccepts(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		segments int
	}{
		{"altitude", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[[116,36,12.5],[116.01,36,13]]}}]}`, 1},
		{"extra members", `{"type":"FeatureCollection","name":"roads","crs":{},"features":[{"type":"Feature","id":7,"bbox":[1,2,3,4],"properties":{"highway":"primary","speed_kmh":60},"geometry":{"type":"MultiLineString","coordinates":[[[116,36],[116.01,36],[116.02,36]],[[116,36],[116,36.01]]]}}]}`, 3},
		{"repeated vertex", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[[116,36],[116,36],[116.01,36]]}}]}`, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			nw, err := ReadRoads(strings.NewReader(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if nw.Segments() != tc.segments {
				t.Errorf("%d segments, want %d", nw.Segments(), tc.segments)
			}
		})
	}
}

func TestRoadPairsProgressAndCancel(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 0))
	nw, err := ReadRoads(strings.NewReader(randomRoads(rng, 15)))
	if err != nil {
		t.Fatal(err)
	}
	centre := orb.Point{116.025, 36.42}
	areas, schools := scatter(rng, 900, centre, 0.02), scatter(rng, 300, centre, 0.02)
	for _, lim := range []Limit{{Metres: 2000}, {K: 4}} {
		last, wantTotal := 0, len(areas)
		if lim.K == 0 {
			wantTotal += len(schools) // searches from the schools come first
		}
		_, err := Generate(context.Background(), areas, schools, lim, Options{Roads: nw, Progress: func(done, total int) {
			if total != wantTotal || done <= last || done > total {
				t.Errorf("%+v: progress %d/%d after %d", lim, done, total, last)
			}
			last = done
		}})
		if err != nil {
			t.Fatal(err)
		}
		if last != wantTotal {
			t.Errorf("%+v: progress ended at %d of %d", lim, last, wantTotal)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Generate(ctx, areas, schools, Limit{Metres: 2000}, Options{Roads: nw}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: error %v", err)
	}
}

func TestParseCoordinates(t *testing.T) {
	tests := []struct {
		name  string
		multi bool
		in    string
		want  [][]orb.Point
		err   string
	}{
		{"plain", false, `[[116,36],[116.5,36.25]]`, [][]orb.Point{{{116, 36}, {116.5, 36.25}}}, ""},
		{"white space and exponents", false, " [ [ 1.16e2 ,\n 3.6E+1 ] ,\t[-1e-1, 0.0 , 12 ] ] ", [][]orb.Point{{{116, 36}, {-0.1, 0}}}, ""},
		{"empty line", false, `[]`, [][]orb.Point{nil}, ""},
		{"multi", true, `[[[1,2],[3,4]],[],[[5,6],[7,8],[9,10]]]`, [][]orb.Point{{{1, 2}, {3, 4}}, nil, {{5, 6}, {7, 8}, {9, 10}}}, ""},
		{"empty position", false, `[[]]`, nil, "position []: want an array of 2 or 3 numbers"},
		{"bool", false, `[[true,1]]`, nil, "position [true,1]"},
		{"object", false, `[[1,2],{"lon":1}]`, nil, `position {"lon":1}`},
		{"scalar", false, `[116,36]`, nil, "position 116: want"},
		{"not an array", false, `"116,36"`, nil, "want an array of positions"},
		{"missing", false, ``, nil, "want an array of positions"},
		{"multi too flat", true, `[[1,2]]`, nil, "position 1: want"},
		{"multi not an array", true, `{}`, nil, "want an array of arrays of positions"},
		{"long position clipped", false, `[[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,"x"]]`, nil, "position [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,…: want"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got [][]orb.Point
			var err error
			if tc.multi {
				got, err = parseLines([]byte(tc.in))
			} else {
				var line []orb.Point
				line, err = parseLine([]byte(tc.in))
				if err == nil {
					got = [][]orb.Point{line}
				}
			}
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
