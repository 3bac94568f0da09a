package geo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// region is a synthetic planning region: demand points (villages and
// communities) and facilities (schools) clustered around township seats.
type region struct {
	name       string
	box        orb.Bound
	seats      int
	demand     int
	facilities int
}

var (
	// cityRegion is about Liaocheng's size.
	cityRegion = region{"city", orb.Bound{Min: orb.Point{115.2, 35.8}, Max: orb.Point{116.6, 37.0}}, 140, 6000, 1200}
	// provinceRegion is a Shandong-sized box with about as many townships,
	// villages and schools as Shandong.
	provinceRegion = region{"province", orb.Bound{Min: orb.Point{114.8, 34.4}, Max: orb.Point{122.7, 38.4}}, 1800, 70000, 15000}
)

// points returns the region's demand and facility points, from a fixed
// seed: seats uniform in the box, demand within a few kilometres of a seat
// (sd 3 km) and facilities nearer (sd 2 km).
func (r region) points() (demand, facilities []orb.Point) {
	rng := rand.New(rand.NewPCG(2035, 371500))
	seats := make([]orb.Point, r.seats)
	for i := range seats {
		seats[i] = orb.Point{
			r.box.Min[0] + rng.Float64()*(r.box.Max[0]-r.box.Min[0]),
			r.box.Min[1] + rng.Float64()*(r.box.Max[1]-r.box.Min[1]),
		}
	}
	around := func(n int, sdMetres float64) []orb.Point {
		pts := make([]orb.Point, n)
		for i := range pts {
			s := seats[rng.IntN(len(seats))]
			dLat := rng.NormFloat64() * sdMetres / metresPerDegree
			dLon := rng.NormFloat64() * sdMetres / metresPerDegree / math.Cos(s[1]*math.Pi/180)
			pts[i] = orb.Point{s[0] + dLon, s[1] + dLat}
		}
		return pts
	}
	return around(r.demand, 3000), around(r.facilities, 2000)
}

func BenchmarkGenerate(b *testing.B) {
	limits := []struct {
		name string
		lim  Limit
	}{
		{"3km", Limit{Metres: 3000}},   // primary
		{"10km", Limit{Metres: 10000}}, // middle
		{"k=15", Limit{K: 15}},         // the 15 nearest
		{"3km+k=3", Limit{Metres: 3000, K: 3}},
	}
	for _, r := range []region{cityRegion, provinceRegion} {
		demand, facilities := r.points()
		for _, l := range limits {
			b.Run(fmt.Sprintf("%s/%dx%d/%s", r.name, len(demand), len(facilities), l.name), func(b *testing.B) {
				b.ReportAllocs()
				var p *Pairs
				for b.Loop() {
					var err error
					p, err = Generate(context.Background(), demand, facilities, l.lim, Options{Workers: 2})
					if err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(p.Len()), "pairs")
			})
		}
	}
}

func BenchmarkGenerateAmong(b *testing.B) {
	_, facilities := provinceRegion.points()
	b.ReportAllocs()
	var p *Pairs
	for b.Loop() {
		var err error
		p, err = GenerateAmong(context.Background(), facilities, Limit{Metres: 10000, K: 5}, Options{Workers: 2})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(p.Len()), "pairs")
}

// gridRoads writes a street grid of n×n nodes spacing degrees apart from
// origin, with every fifth street missing a block so paths must detour.
func gridRoads(origin orb.Point, n int, spacing float64) string {
	var sb strings.Builder
	sb.WriteString(`{"type":"FeatureCollection","features":[`)
	first := true
	line := func(a, b orb.Point) {
		if !first {
			sb.WriteByte(',')
		}
		first = false
		fmt.Fprintf(&sb, `{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[%.7f,%.7f],[%.7f,%.7f]]}}`, a[0], a[1], b[0], b[1])
	}
	at := func(i, j int) orb.Point {
		return orb.Point{origin[0] + float64(i)*spacing*1.25, origin[1] + float64(j)*spacing}
	}
	for i := range n {
		for j := range n {
			if i+1 < n && (j%5 != 0 || i%7 != 3) {
				line(at(i, j), at(i+1, j))
			}
			if j+1 < n && (i%5 != 0 || j%7 != 3) {
				line(at(i, j), at(i, j+1))
			}
		}
	}
	sb.WriteString("]}")
	return sb.String()
}

func BenchmarkRoadPairs(b *testing.B) {
	// A 40 km × 40 km city of 200 m blocks: 40,000 nodes, 80,000 segments.
	origin := orb.Point{115.75, 36.28}
	nw, err := ReadRoads(strings.NewReader(gridRoads(origin, 200, 0.0018)))
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	scatterBox := func(n int) []orb.Point {
		pts := make([]orb.Point, n)
		for i := range pts {
			pts[i] = orb.Point{origin[0] + rng.Float64()*0.45, origin[1] + rng.Float64()*0.36}
		}
		return pts
	}
	areas, schools := scatterBox(20000), scatterBox(1500)
	for _, l := range []struct {
		name string
		lim  Limit
	}{{"3km", Limit{Metres: 3000}}, {"k=15", Limit{K: 15}}} {
		b.Run(fmt.Sprintf("%dx%d/%s", len(areas), len(schools), l.name), func(b *testing.B) {
			b.ReportAllocs()
			var p *Pairs
			for b.Loop() {
				p, err = Generate(context.Background(), areas, schools, l.lim, Options{Roads: nw, Workers: 2})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(p.Len()), "pairs")
		})
	}
}

func BenchmarkReadRoads(b *testing.B) {
	// 80,000 two-position features, as a city street export.
	data := gridRoads(orb.Point{115.75, 36.28}, 200, 0.0018)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadRoads(strings.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
