package geo

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/paulmach/orb"
)

// Network is an undirected road graph read from GeoJSON: its nodes are the
// distinct vertices of the lines and its edges the segments between
// consecutive vertices, each as long as the great-circle distance between
// its ends. Vertices whose coordinates round to the same multiple of 1e-7°
// (about 1 cm) are one node, so lines sharing an end or a crossing vertex
// join; lines that cross without a shared vertex do not. Every road can be travelled both ways by every mode; feature
// properties (highway class, speed_kmh, oneway) are ignored, so travel
// times are road metres over the mode's speed. A Network is read-only and
// safe for concurrent use.
type Network struct {
	nodes []orb.Point
	comp  []int32 // connected component of each node
	ncomp int

	// CSR adjacency: the neighbours of node u are adjNode[adjStart[u]:adjStart[u+1]].
	adjStart []int32
	adjNode  []int32
	adjLen   []float64

	segU, segV []int32
	segLen     []float64

	grid segGrid
}

// ErrNoRoads is returned by ReadRoads when the input holds no road segment of
// positive length.
var ErrNoRoads = errors.New("geo: roads: no road segment of positive length")

// ErrDisconnected is returned by Network.Distance when the two points snap to
// parts of the network that no road joins.
var ErrDisconnected = errors.New("geo: points are on disconnected parts of the road network")

// RoadError is a problem with one feature of a roads GeoJSON file.
type RoadError struct {
	// Feature is the position of the feature in the features array,
	// counting from 0.
	Feature int
	// Err is the problem.
	Err error
}

// Error names the feature and the problem.
func (e *RoadError) Error() string {
	return fmt.Sprintf("geo: roads: feature %d: %v", e.Feature, e.Err)
}

// Unwrap returns the problem without the feature.
func (e *RoadError) Unwrap() error { return e.Err }

// nodeMerge is the coordinate quantum in degrees (about 1 cm): vertices that
// round to the same multiple of it in both coordinates are one node.
const nodeMerge = 1e-7

// ReadRoads reads a GeoJSON FeatureCollection whose features are LineString
// or MultiLineString roads and builds their network. Each problem is
// reported as an error naming the feature and what was expected: a geometry
// of another type or null, a position that is not two or three numbers, a
// coordinate out of range, a line of fewer than two positions, or a segment
// crossing the antimeridian (networks must not). A file with no segment of
// positive length returns ErrNoRoads.
func ReadRoads(r io.Reader) (*Network, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("geo: roads: %w", err)
	}
	lines, err := parseRoads(data)
	if err != nil {
		return nil, err
	}
	return buildNetwork(lines)
}

// roadLine is one line of a feature, with the feature's position for errors.
type roadLine struct {
	feature int
	points  []orb.Point
}

// The GeoJSON is decoded here rather than by orb/geojson because the latter
// reads a position such as [116.0] or [null, 36.4] as a point with a zero
// coordinate and no error; a road file must be checked strictly. The
// structure is decoded in one pass by encoding/json and the coordinates by
// a small scanner (see coords.go); only when the structure is wrong is the
// file decoded again, feature by feature, to name the feature at fault.
type rawCollection[F any] struct {
	Type     string `json:"type"`
	Features []F    `json:"features"`
}

type rawFeature struct {
	Type     string       `json:"type"`
	Geometry *rawGeometry `json:"geometry"`
}

type rawGeometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

func parseRoads(data []byte) ([]roadLine, error) {
	var fc rawCollection[rawFeature]
	if err := json.Unmarshal(data, &fc); err != nil {
		return nil, explainRoads(data, err)
	}
	if fc.Type != "FeatureCollection" {
		return nil, fmt.Errorf("geo: roads: type is %q, want FeatureCollection", fc.Type)
	}
	var lines []roadLine
	for i, f := range fc.Features {
		parts, err := featureLines(f)
		if err != nil {
			return nil, &RoadError{Feature: i, Err: err}
		}
		for _, pts := range parts {
			lines = append(lines, roadLine{feature: i, points: pts})
		}
	}
	return lines, nil
}

// explainRoads decodes the features one by one to say which one made the
// whole file fail to decode.
func explainRoads(data []byte, err error) error {
	var fc rawCollection[json.RawMessage]
	if err := json.Unmarshal(data, &fc); err != nil {
		return fmt.Errorf("geo: roads: want a GeoJSON FeatureCollection: %w", err)
	}
	for i, raw := range fc.Features {
		var f struct {
			Type     string          `json:"type"`
			Geometry json.RawMessage `json:"geometry"`
		}
		if err := json.Unmarshal(raw, &f); err != nil {
			return &RoadError{Feature: i, Err: fmt.Errorf("want a Feature object: %w", err)}
		}
		var g rawGeometry
		if err := json.Unmarshal(f.Geometry, &g); err != nil {
			return &RoadError{Feature: i, Err: fmt.Errorf("geometry: want a LineString or MultiLineString object: %w", err)}
		}
	}
	return fmt.Errorf("geo: roads: want a GeoJSON FeatureCollection: %w", err)
}

// featureLines checks one feature and returns its lines.
func featureLines(f rawFeature) ([][]orb.Point, error) {
	if f.Type != "Feature" {
		return nil, fmt.Errorf("type is %q, want Feature", f.Type)
	}
	if f.Geometry == nil {
		return nil, errors.New("geometry is null, want LineString or MultiLineString")
	}
	var parts [][]orb.Point
	switch f.Geometry.Type {
	case "LineString":
		line, err := parseLine(f.Geometry.Coordinates)
		if err != nil {
			return nil, fmt.Errorf("LineString coordinates: %w", err)
		}
		parts = [][]orb.Point{line}
	case "MultiLineString":
		var err error
		if parts, err = parseLines(f.Geometry.Coordinates); err != nil {
			return nil, fmt.Errorf("MultiLineString coordinates: %w", err)
		}
	default:
		return nil, fmt.Errorf("geometry is %q, want LineString or MultiLineString", f.Geometry.Type)
	}
	for l, pts := range parts {
		if len(pts) < 2 {
			return nil, fmt.Errorf("line %d has %d positions, want at least 2", l, len(pts))
		}
		for k, p := range pts {
			if err := checkPoint(p); err != nil {
				return nil, fmt.Errorf("line %d position %d: %w", l, k, err)
			}
			if k > 0 && math.Abs(p[0]-pts[k-1][0]) > 180 {
				return nil, fmt.Errorf("line %d positions %d–%d cross the antimeridian, which road networks must not", l, k-1, k)
			}
		}
	}
	return parts, nil
}

func buildNetwork(lines []roadLine) (*Network, error) {
	nw := &Network{}
	ids := make(map[[2]int64]int32)
	node := func(p orb.Point) int32 {
		key := [2]int64{int64(math.Round(p[0] / nodeMerge)), int64(math.Round(p[1] / nodeMerge))}
		id, ok := ids[key]
		if !ok {
			id = int32(len(nw.nodes))
			ids[key] = id
			nw.nodes = append(nw.nodes, p)
		}
		return id
	}
	for _, line := range lines {
		prev := node(line.points[0])
		for _, p := range line.points[1:] {
			cur := node(p)
			if cur != prev {
				if len(nw.segU) >= math.MaxInt32/2 {
					return nil, &RoadError{Feature: line.feature, Err: errors.New("too many road segments")}
				}
				nw.segU = append(nw.segU, prev)
				nw.segV = append(nw.segV, cur)
			}
			prev = cur
		}
	}
	if len(nw.segU) == 0 {
		return nil, ErrNoRoads
	}
	nw.segLen = make([]float64, len(nw.segU))
	for e := range nw.segU {
		nw.segLen[e] = GreatCircle(nw.nodes[nw.segU[e]], nw.nodes[nw.segV[e]])
	}

	// Undirected CSR adjacency, neighbours in segment order.
	n := len(nw.nodes)
	nw.adjStart = make([]int32, n+1)
	for e := range nw.segU {
		nw.adjStart[nw.segU[e]+1]++
		nw.adjStart[nw.segV[e]+1]++
	}
	for u := 1; u <= n; u++ {
		nw.adjStart[u] += nw.adjStart[u-1]
	}
	next := make([]int32, n)
	copy(next, nw.adjStart[:n])
	nw.adjNode = make([]int32, 2*len(nw.segU))
	nw.adjLen = make([]float64, 2*len(nw.segU))
	for e := range nw.segU {
		u, v, d := nw.segU[e], nw.segV[e], nw.segLen[e]
		nw.adjNode[next[u]], nw.adjLen[next[u]] = v, d
		next[u]++
		nw.adjNode[next[v]], nw.adjLen[next[v]] = u, d
		next[v]++
	}

	nw.labelComponents()
	nw.grid = newSegGrid(nw.nodes, nw.segU, nw.segV)
	return nw, nil
}

// labelComponents numbers the connected components in order of their
// lowest node.
func (nw *Network) labelComponents() {
	nw.comp = make([]int32, len(nw.nodes))
	for i := range nw.comp {
		nw.comp[i] = -1
	}
	var stack []int32
	for s := range nw.nodes {
		if nw.comp[s] >= 0 {
			continue
		}
		c := int32(nw.ncomp)
		nw.ncomp++
		nw.comp[s] = c
		stack = append(stack[:0], int32(s))
		for len(stack) > 0 {
			u := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for j := nw.adjStart[u]; j < nw.adjStart[u+1]; j++ {
				if v := nw.adjNode[j]; nw.comp[v] < 0 {
					nw.comp[v] = c
					stack = append(stack, v)
				}
			}
		}
	}
}

// Nodes returns the number of distinct road vertices.
func (nw *Network) Nodes() int { return len(nw.nodes) }

// Segments returns the number of road segments (graph edges).
func (nw *Network) Segments() int { return len(nw.segU) }

// Components returns the number of connected parts of the network.
func (nw *Network) Components() int { return nw.ncomp }

// Segment returns the ends of road segment i and its length in metres.
func (nw *Network) Segment(i int) (a, b orb.Point, metres float64) {
	return nw.nodes[nw.segU[i]], nw.nodes[nw.segV[i]], nw.segLen[i]
}
