package geo

import (
	"bytes"
	"errors"
	"math"
	"os"
	"testing"

	"github.com/paulmach/orb"
)

// FuzzReadRoads checks that no input makes ReadRoads panic, that every
// failure is an error, and that whatever it accepts can be snapped to and
// routed over.
func FuzzReadRoads(f *testing.F) {
	small, err := os.ReadFile("testdata/roads_small.geojson")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(small)
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[[116,36],[116.01,36]]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"MultiLineString","coordinates":[[[-180,-90],[180,90]],[[0,0],[0,0.5,3]]]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[[116],[null,2]]}}]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		nw, err := ReadRoads(bytes.NewReader(data))
		if err != nil {
			if nw != nil {
				t.Fatal("network and error both returned")
			}
			var re *RoadError
			if errors.As(err, &re) && re.Feature < 0 {
				t.Fatalf("negative feature index: %v", err)
			}
			return
		}
		if nw.Segments() == 0 || nw.Nodes() < 2 || nw.Components() < 1 {
			t.Fatalf("accepted a network of %d segments, %d nodes", nw.Segments(), nw.Nodes())
		}
		a, b, _ := nw.Segment(0)
		mid := orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}
		s, err := nw.Snap(mid)
		if err != nil || s.Segment < 0 || s.Segment >= nw.Segments() || math.IsNaN(s.OffRoad) || math.IsNaN(s.Along) {
			t.Fatalf("Snap(%v) = %+v", mid, s)
		}
		d, err := nw.Distance(a, b)
		if err != nil || math.IsNaN(d) || d < 0 {
			t.Fatalf("Distance(%v, %v) = %v, %v", a, b, d, err)
		}
	})
}
