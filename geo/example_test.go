package geo_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/paulmach/orb"
	"github.com/seatplan/seatplan/geo"
)

func ExampleGreatCircle() {
	liaocheng := orb.Point{115.986, 36.457} // lon, lat
	jinan := orb.Point{117.120, 36.651}
	fmt.Printf("%.1f km\n", geo.GreatCircle(liaocheng, jinan)/1000)
	// Output:
	// 103.6 km
}

func ExampleMetric() {
	m := geo.DefaultMetric()
	home := orb.Point{115.986, 36.457}
	school := orb.Point{115.996, 36.457}
	metres := m.Distance(home, school) // great circle × 1.3
	fmt.Printf("%.0f m, %.1f min on foot\n", metres, m.Seconds(metres)/60)
	m.Mode = geo.Bus
	fmt.Printf("%.1f min by bus\n", m.Seconds(metres)/60)
	// Output:
	// 1163 m, 15.5 min on foot
	// 2.3 min by bus
}

func ExampleMetric_Validate() {
	m := geo.DefaultMetric()
	m.Circuity = 0.8
	fmt.Println(m.Validate())
	// Output:
	// geo: circuity 0.8: want a finite number of at least 1
}

func ExampleParseMode() {
	mode, err := geo.ParseMode("Bus")
	fmt.Println(mode, err)
	// Output:
	// bus <nil>
}

func ExampleIndex() {
	schools := []orb.Point{
		{115.986, 36.457}, // 0: in town
		{115.990, 36.460}, // 1: 0.35 km away
		{116.050, 36.457}, // 2: 5.7 km east
	}
	ix, err := geo.NewIndex(schools)
	if err != nil {
		log.Fatal(err)
	}
	home := orb.Point{115.987, 36.458}
	for _, n := range ix.Within(nil, home, 1000) {
		fmt.Printf("within 1 km: school %d at %.0f m\n", n.Index, n.Metres)
	}
	for _, n := range ix.Nearest(nil, home, 3) {
		fmt.Printf("nearest: school %d at %.0f m\n", n.Index, n.Metres)
	}
	// Output:
	// within 1 km: school 0 at 143 m
	// within 1 km: school 1 at 348 m
	// nearest: school 0 at 143 m
	// nearest: school 1 at 348 m
	// nearest: school 2 at 5635 m
}

func ExampleGenerate() {
	areas := []orb.Point{{115.986, 36.457}, {116.030, 36.470}}
	schools := []orb.Point{{115.990, 36.460}, {116.020, 36.470}, {116.200, 36.500}}
	// Every school within 3 km of travel, and at least the nearest one.
	pairs, err := geo.Generate(context.Background(), areas, schools, geo.Limit{Metres: 3000, K: 1}, geo.Options{})
	if err != nil {
		log.Fatal(err)
	}
	for a := range pairs.Sources() {
		to, metres, seconds := pairs.Row(a)
		for j := range to {
			fmt.Printf("area %d → school %d: %.0f m, %.0f min walk\n", a, to[j], metres[j], seconds[j]/60)
		}
	}
	fmt.Println(pairs.Len(), "pairs")
	// Output:
	// area 0 → school 0: 636 m, 8 min walk
	// area 1 → school 1: 1162 m, 15 min walk
	// 2 pairs
}

func ExampleGenerateAmong() {
	schools := []orb.Point{{115.986, 36.457}, {115.990, 36.460}, {116.200, 36.500}}
	// Possible merge receivers: the other schools within 10 minutes by
	// bus, and at least the nearest one.
	m := geo.DefaultMetric()
	m.Mode = geo.Bus
	pairs, err := geo.GenerateAmong(context.Background(), schools, geo.Limit{Seconds: 600, K: 1}, geo.Options{Metric: m})
	if err != nil {
		log.Fatal(err)
	}
	for s := range pairs.Sources() {
		to, metres, seconds := pairs.Row(s)
		for j := range to {
			fmt.Printf("school %d → school %d: %.1f km, %.0f min\n", s, to[j], metres[j]/1000, seconds[j]/60)
		}
	}
	// Output:
	// school 0 → school 1: 0.6 km, 1 min
	// school 1 → school 0: 0.6 km, 1 min
	// school 2 → school 1: 25.1 km, 50 min
}

// Two streets meeting at a corner and a school beside the far end.
const roads = `{"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"name": "Dongchang Road"},
   "geometry": {"type": "LineString", "coordinates": [[115.98, 36.45], [116.00, 36.45]]}},
  {"type": "Feature", "properties": {"name": "Liuyuan Road"},
   "geometry": {"type": "LineString", "coordinates": [[116.00, 36.45], [116.00, 36.47]]}}
]}`

func ExampleReadRoads() {
	nw, err := geo.ReadRoads(strings.NewReader(roads))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(nw.Nodes(), "nodes,", nw.Segments(), "segments,", nw.Components(), "component")

	_, err = geo.ReadRoads(strings.NewReader(`{"type": "FeatureCollection", "features": [
	  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [116, 36.45]}}]}`))
	fmt.Println(err)
	// Output:
	// 3 nodes, 2 segments, 1 component
	// geo: roads: feature 0: geometry is "Point", want LineString or MultiLineString
}

func ExampleNetwork_Distance() {
	nw, err := geo.ReadRoads(strings.NewReader(roads))
	if err != nil {
		log.Fatal(err)
	}
	home := orb.Point{115.98, 36.4501}  // 11 m north of the west end
	school := orb.Point{116.001, 36.47} // 90 m east of the north end
	d, err := nw.Distance(home, school)
	if err != nil {
		log.Fatal(err)
	}
	m := geo.DefaultMetric()
	fmt.Printf("by road %.0f m; great circle × 1.3: %.0f m\n", d, m.Distance(home, school))
	// Output:
	// by road 4113 m; great circle × 1.3: 3773 m
}

func ExampleNetwork_Snap() {
	nw, err := geo.ReadRoads(strings.NewReader(roads))
	if err != nil {
		log.Fatal(err)
	}
	s, err := nw.Snap(orb.Point{115.99, 36.4505})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("segment %d at (%.3f, %.3f), %.0f m along, %.0f m off-road\n", s.Segment, s.Point[0], s.Point[1], s.Along, s.OffRoad)
	// Output:
	// segment 0 at (115.990, 36.450), 894 m along, 56 m off-road
}

func ExampleGenerate_roads() {
	nw, err := geo.ReadRoads(strings.NewReader(roads))
	if err != nil {
		log.Fatal(err)
	}
	areas := []orb.Point{{115.98, 36.4501}, {116.03, 36.46}}
	schools := []orb.Point{{116.001, 36.47}}
	pairs, err := geo.Generate(context.Background(), areas, schools, geo.Limit{Metres: 5000}, geo.Options{Roads: nw})
	if err != nil {
		log.Fatal(err)
	}
	for a := range pairs.Sources() {
		to, metres, _ := pairs.Row(a)
		for j := range to {
			fmt.Printf("area %d → school %d: %.0f m by road\n", a, to[j], metres[j])
		}
	}
	// Output:
	// area 0 → school 0: 4113 m by road
	// area 1 → school 0: 3884 m by road
}

func ExampleLimit_Validate() {
	fmt.Println(geo.Limit{}.Validate())
	fmt.Println(geo.Limit{Metres: 3000, K: 15}.Validate())
	// Output:
	// geo: limit has no distance, time or nearest count
	// <nil>
}
