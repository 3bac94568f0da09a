package geo_test

import (
	"context"
	"sync"
	"testing"

	"github.com/paulmach/orb"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/data/synth"
	"github.com/seatplan/seatplan/geo"
)

// provincePoints generates the province-size synthetic dataset once and
// returns its areas and the schools teaching each level.
var provincePoints = sync.OnceValues(func() ([]orb.Point, map[data.Level][]orb.Point) {
	ds, err := synth.Generate(synth.Config{Scale: synth.Province, Seed: 1})
	if err != nil {
		panic(err)
	}
	areas := make([]orb.Point, len(ds.Areas))
	for i, a := range ds.Areas {
		areas[i] = orb.Point{a.Lon, a.Lat}
	}
	schools := map[data.Level][]orb.Point{}
	for i := range ds.Schools {
		s := &ds.Schools[i]
		span := s.GradeSpan()
		seen := map[data.Level]bool{}
		for g := span.Lo; g <= span.Hi; g++ {
			l := g.Level(s.PrimaryYears)
			if !seen[l] {
				seen[l] = true
				schools[l] = append(schools[l], orb.Point{s.Lon, s.Lat})
			}
		}
	}
	return areas, schools
})

// BenchmarkProvinceSamplePairs generates the within-limit area → school
// pairs of the province-size synthetic dataset (≈ 70,000 areas, ≈ 35,000
// schools and kindergartens) for each level: kindergartens within 3 km,
// primaries within 5 km, middle schools within 15 km, each with at least
// the 3 nearest.
func BenchmarkProvinceSamplePairs(b *testing.B) {
	areas, schools := provincePoints()
	limits := map[data.Level]geo.Limit{
		data.LevelKindergarten: {Metres: 3000, K: 3},
		data.LevelPrimary:      {Metres: 5000, K: 3},
		data.LevelMiddle:       {Metres: 15000, K: 3},
	}
	opt := geo.Options{Metric: geo.DefaultMetric(), Workers: 2}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		pairs := 0
		for _, l := range []data.Level{data.LevelKindergarten, data.LevelPrimary, data.LevelMiddle} {
			p, err := geo.Generate(context.Background(), areas, schools[l], limits[l], opt)
			if err != nil {
				b.Fatal(err)
			}
			pairs += p.Len()
		}
		b.ReportMetric(float64(pairs), "pairs")
	}
	b.ReportMetric(float64(len(areas)), "areas")
}
