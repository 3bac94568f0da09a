package synth_test

import (
	"context"
	"errors"
	"math"
	"reflect"
	"sync"
	"testing"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/data/synth"
)

var city = sync.OnceValues(func() (*data.Dataset, error) {
	return synth.Generate(synth.Config{Scale: synth.City, Seed: 1})
})

func cityDataset(t testing.TB) *data.Dataset {
	t.Helper()
	ds, err := city()
	if err != nil {
		t.Fatalf("Generate(City, 1): %v", err)
	}
	return ds
}

// stats are the figures the tests check, computed once per dataset.
type stats struct {
	counties, townships            int
	schoolsByType                  map[data.SchoolType]int
	pupils                         map[string]int // school ID → pupils in LastYear
	byLevel                        map[data.Level]int
	teachers                       map[data.Level]int
	births                         map[int]int // year → births
	firstGrade                     map[int]int // year → grade-1 pupils
	grade                          map[[2]int]int
	population                     map[int]int // year → persons
	residents, urbanResidents      int
	oversized, extraOversized      int // grade rows with ≥ 56 and ≥ 66 pupils per class
	smallPublicPrimaries           int // public primary schools under 100 pupils in LastYear
	zonesPerArea                   map[string]int
	minLon, maxLon, minLat, maxLat float64
}

func collect(ds *data.Dataset) *stats {
	st := &stats{
		schoolsByType: map[data.SchoolType]int{},
		pupils:        map[string]int{},
		byLevel:       map[data.Level]int{},
		teachers:      map[data.Level]int{},
		births:        map[int]int{},
		firstGrade:    map[int]int{},
		grade:         map[[2]int]int{},
		population:    map[int]int{},
		zonesPerArea:  map[string]int{},
		minLon:        math.Inf(1), minLat: math.Inf(1),
		maxLon: math.Inf(-1), maxLat: math.Inf(-1),
	}
	counties, townships := map[string]bool{}, map[[2]string]bool{}
	for _, a := range ds.Areas {
		counties[a.County] = true
		townships[[2]string{a.County, a.Township}] = true
		st.residents += a.Residents
		if a.Urban {
			st.urbanResidents += a.Residents
		}
		st.minLon, st.maxLon = math.Min(st.minLon, a.Lon), math.Max(st.maxLon, a.Lon)
		st.minLat, st.maxLat = math.Min(st.minLat, a.Lat), math.Max(st.maxLat, a.Lat)
	}
	st.counties, st.townships = len(counties), len(townships)
	years := map[string]int{}
	for _, s := range ds.Schools {
		st.schoolsByType[s.Type]++
		years[s.ID] = s.PrimaryYears
	}
	for _, e := range ds.Enrolment {
		if e.Grade >= 1 {
			st.grade[[2]int{e.Year, int(e.Grade)}] += e.Students
		}
		if e.Grade == 1 {
			st.firstGrade[e.Year] += e.Students
		}
		if e.Year == synth.LastYear {
			st.pupils[e.SchoolID] += e.Students
			st.byLevel[e.Grade.Level(years[e.SchoolID])] += e.Students
		}
		if e.Classes > 0 {
			size := float64(e.Students) / float64(e.Classes)
			if size >= 56 {
				st.oversized++
			}
			if size >= 66 {
				st.extraOversized++
			}
		}
	}
	for _, s := range ds.Schools {
		if s.Type == data.Primary && s.Public && st.pupils[s.ID] < 100 {
			st.smallPublicPrimaries++
		}
	}
	for _, r := range ds.Teachers {
		if r.Year == synth.LastYear {
			st.teachers[r.Level] += r.Teachers
		}
	}
	for _, b := range ds.Births {
		st.births[b.Year] += b.Births
	}
	for _, p := range ds.Population {
		st.population[p.Year] += p.Persons
	}
	for _, z := range ds.Zones {
		st.zonesPerArea[z.AreaID]++
	}
	return st
}

func TestCityCounts(t *testing.T) {
	ds := cityDataset(t)
	st := collect(ds)
	nonKinder := len(ds.Schools) - st.schoolsByType[data.Kindergarten]
	cases := []struct {
		name     string
		got      int
		min, max int
	}{
		{"counties and functional zones", st.counties, 11, 11},
		{"townships", st.townships, 120, 200},
		{"areas", len(ds.Areas), 5000, 8000},
		{"schools and kindergartens", len(ds.Schools), 1200, 4000},
		{"schools other than kindergartens", nonKinder, 800, 2000},
		{"kindergartens", st.schoolsByType[data.Kindergarten], 600, 2000},
		{"teaching points", st.schoolsByType[data.TeachingPoint], 30, 300},
		{"nine-year schools", st.schoolsByType[data.NineYear], 10, 100},
		{"twelve-year schools", st.schoolsByType[data.TwelveYear], 1, 11},
		{"complete middle schools", st.schoolsByType[data.CompleteMiddle], 1, 11},
		{"high schools", st.schoolsByType[data.High], 11, 60},
		{"public primaries under 100 pupils", st.smallPublicPrimaries, 100, 700},
		{"grade rows with 56 or more per class", st.oversized, 20, 5000},
		{"grade rows with 66 or more per class", st.extraOversized, 1, 500},
		{"candidate sites", len(ds.Candidates), 10, 20},
		{"zones", len(ds.Zones), 3 * len(ds.Areas), 3 * len(ds.Areas)},
	}
	for _, c := range cases {
		if c.got < c.min || c.got > c.max {
			t.Errorf("%s = %d; want %d to %d", c.name, c.got, c.min, c.max)
		}
	}
	for _, typ := range data.SchoolTypes {
		if st.schoolsByType[typ] == 0 {
			t.Errorf("no school of type %s", typ)
		}
	}
	for _, a := range ds.Areas {
		if st.zonesPerArea[a.ID] != 3 {
			t.Errorf("area %s has %d zones; want one per level (3)", a.ID, st.zonesPerArea[a.ID])
			break
		}
	}
	fiveYear, keep, boarding := 0, 0, 0
	for _, s := range ds.Schools {
		if s.PrimaryYears == 5 {
			fiveYear++
		}
		if s.Keep {
			keep++
		}
		if s.Boarding && s.Type == data.Middle {
			boarding++
		}
		if s.MaxClassrooms < s.Classrooms || s.Classrooms < 1 {
			t.Errorf("school %s: classrooms %d, max %d; want 1 ≤ classrooms ≤ max", s.ID, s.Classrooms, s.MaxClassrooms)
		}
	}
	if fiveYear == 0 || keep == 0 || boarding == 0 {
		t.Errorf("5-year primaries %d, keep %d, boarding middle schools %d; want some of each", fiveYear, keep, boarding)
	}
}

func TestCityPopulation(t *testing.T) {
	st := collect(cityDataset(t))
	const census = 5952128
	cases := []struct {
		name     string
		got      float64
		min, max float64
	}{
		{"2020 population", float64(st.population[2020]), census * 0.99, census * 1.01},
		{"area residents", float64(st.residents), census * 0.99, census * 1.01},
		// 2023 estimate 585.93万.
		{"2023 population", float64(st.population[2023]), 5.80e6, 5.92e6},
		{"urban share", float64(st.urbanResidents) / float64(st.residents), 0.53, 0.59},
	}
	for _, c := range cases {
		if c.got < c.min || c.got > c.max {
			t.Errorf("%s = %.4g; want %.4g to %.4g", c.name, c.got, c.min, c.max)
		}
	}
	// Age 0 in year y are the survivors of year y's births.
	ds := cityDataset(t)
	age0 := map[int]int{}
	for _, p := range ds.Population {
		if p.Age == 0 {
			age0[p.Year] += p.Persons
		}
	}
	for y := synth.FirstPopulationYear; y <= synth.LastYear; y++ {
		if r := float64(age0[y]) / float64(st.births[y]); r < 0.97 || r > 1.01 {
			t.Errorf("%d: age 0 = %d for %d births (ratio %.3f); want 0.97 to 1.01", y, age0[y], st.births[y], r)
		}
	}
}

func TestCityBirths(t *testing.T) {
	ds := cityDataset(t)
	st := collect(ds)
	peakYear, peak := 0, 0
	for y := synth.FirstBirthYear; y <= synth.LastYear; y++ {
		if st.births[y] > peak {
			peakYear, peak = y, st.births[y]
		}
	}
	if peakYear != 2016 && peakYear != 2017 {
		t.Errorf("births peak in %d; want 2016 or 2017", peakYear)
	}
	if math.Abs(float64(peak)-101500)/101500 > 0.05 {
		t.Errorf("peak births %d; want 101,500 ± 5 %%", peak)
	}
	if r := float64(st.births[2023]) / float64(peak); r < 0.35 || r > 0.45 {
		t.Errorf("2023 births are %.1f %% of the peak; want 35 to 45 %%", 100*r)
	}
	if st.births[2024] <= st.births[2023] {
		t.Errorf("2024 births %d ≤ 2023 births %d; want a small uptick", st.births[2024], st.births[2023])
	}
	perCounty := map[string]int{}
	for _, b := range ds.Births {
		perCounty[b.County]++
	}
	for c, n := range perCounty {
		if n != synth.LastYear-synth.FirstBirthYear+1 {
			t.Errorf("%s has %d birth years; want %d", c, n, synth.LastYear-synth.FirstBirthYear+1)
		}
	}
}

// TestEntrantsFollowBirths fits entrants(t) = r·(⅓·B(t−7) + ⅔·B(t−6)) over
// the city and checks r and the year-to-year fit.
func TestEntrantsFollowBirths(t *testing.T) {
	st := collect(cityDataset(t))
	var num, den float64
	for y := synth.FirstEnrolmentYear; y <= synth.LastYear; y++ {
		blend := float64(st.births[y-7])/3 + 2*float64(st.births[y-6])/3
		if blend == 0 {
			t.Fatalf("no births for entrants of %d", y)
		}
		num += float64(st.firstGrade[y]) * blend
		den += blend * blend
		if r := float64(st.firstGrade[y]) / blend; r < 0.9 || r > 1.15 {
			t.Errorf("%d: %d first-graders for blended births %.0f (r = %.3f); want 0.9 to 1.15", y, st.firstGrade[y], blend, r)
		}
	}
	if r := num / den; r < 0.9 || r > 1.15 {
		t.Errorf("fitted r = %.3f; want 0.9 to 1.15", r)
	}
	// Grade progression ratios over the city, grades 2–6.
	for y := synth.FirstEnrolmentYear + 1; y <= synth.LastYear; y++ {
		for g := 2; g <= 6; g++ {
			prev := st.grade[[2]int{y - 1, g - 1}]
			if r := float64(st.grade[[2]int{y, g}]) / float64(prev); r < 0.95 || r > 1.05 {
				t.Errorf("%d grade %d / %d grade %d = %.3f; want 0.95 to 1.05", y, g, y-1, g-1, r)
			}
		}
	}
}

func TestCityStaffing(t *testing.T) {
	st := collect(cityDataset(t))
	cases := []struct {
		level    data.Level
		min, max float64 // pupils per teacher
	}{
		{data.LevelKindergarten, 5, 10},
		{data.LevelPrimary, 14, 22},
		{data.LevelMiddle, 10, 17},
		{data.LevelHigh, 9, 16},
	}
	for _, c := range cases {
		r := float64(st.byLevel[c.level]) / float64(st.teachers[c.level])
		if r < c.min || r > c.max {
			t.Errorf("%s: %d pupils, %d teachers (1:%.1f); want 1:%g to 1:%g", c.level, st.byLevel[c.level], st.teachers[c.level], r, c.min, c.max)
		}
	}
}

// TestCityLoads writes the city with data.WriteCSV and reads it back
// through the validating loader: no problems, no warnings.
func TestCityLoads(t *testing.T) {
	ds := cityDataset(t)
	dir := t.TempDir() + "/city"
	if err := data.WriteCSV(context.Background(), dir, ds, data.CSVOptions{Gzip: true}); err != nil {
		t.Fatal(err)
	}
	got, warnings, err := data.Load(dir)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	for _, w := range warnings {
		t.Errorf("warning: %v", w)
	}
	if len(got.Schools) != len(ds.Schools) || len(got.Enrolment) != len(ds.Enrolment) || len(got.Population) != len(ds.Population) {
		t.Errorf("loaded %d schools, %d enrolment rows, %d population rows; want %d, %d, %d",
			len(got.Schools), len(got.Enrolment), len(got.Population), len(ds.Schools), len(ds.Enrolment), len(ds.Population))
	}
}

func TestDeterministic(t *testing.T) {
	a := cityDataset(t)
	b, err := synth.Generate(synth.Config{Scale: synth.City, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Error("two Generate(City, 1) calls differ")
	}
	z, err := synth.Generate(synth.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, z) {
		t.Error("the zero Config differs from City with seed 1")
	}
	c, err := synth.Generate(synth.Config{Scale: synth.City, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(a.Enrolment, c.Enrolment) {
		t.Error("seeds 1 and 2 give the same enrolment")
	}
	if c.Source != "synthetic sample (city, seed 2)" || !c.Synthetic {
		t.Errorf("Source %q, Synthetic %v; want the synthetic label with the seed", c.Source, c.Synthetic)
	}
}

func TestParseScale(t *testing.T) {
	cases := []struct {
		in      string
		want    synth.Scale
		wantErr bool
	}{
		{"city", synth.City, false},
		{" Province ", synth.Province, false},
		{"county", "", true},
		{"", "", true},
	}
	for _, c := range cases {
		got, err := synth.ParseScale(c.in)
		if got != c.want || (err != nil) != c.wantErr {
			t.Errorf("ParseScale(%q) = %q, %v; want %q, error %v", c.in, got, err, c.want, c.wantErr)
		}
		if err != nil && !errors.Is(err, synth.ErrScale) {
			t.Errorf("ParseScale(%q) error %v; want ErrScale", c.in, err)
		}
	}
	if _, err := synth.Generate(synth.Config{Scale: "county"}); !errors.Is(err, synth.ErrScale) {
		t.Errorf("Generate(county) error %v; want ErrScale", err)
	}
}

func TestProvince(t *testing.T) {
	if testing.Short() {
		t.Skip("province generation is heavy; skipped with -short")
	}
	ds, err := synth.Generate(synth.Config{Scale: synth.Province, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	st := collect(ds)
	nonKinder := len(ds.Schools) - st.schoolsByType[data.Kindergarten]
	cases := []struct {
		name     string
		got      float64
		min, max float64
	}{
		{"counties", float64(st.counties), 130, 140},
		{"townships", float64(st.townships), 1600, 2000},
		{"areas", float64(len(ds.Areas)), 60000, 80000},
		{"schools other than kindergartens", float64(nonKinder), 13000, 17000},
		{"kindergartens", float64(st.schoolsByType[data.Kindergarten]), 17000, 23000},
		{"2020 population", float64(st.population[2020]), 99e6, 101e6},
		{"enrolment years", float64(len(st.firstGrade)), 10, 10},
		{"westmost longitude", st.minLon, 114.8, 122.7},
		{"eastmost longitude", st.maxLon, 114.8, 122.7},
		{"southmost latitude", st.minLat, 34.4, 38.4},
		{"northmost latitude", st.maxLat, 34.4, 38.4},
	}
	for _, c := range cases {
		if c.got < c.min || c.got > c.max {
			t.Errorf("%s = %.6g; want %.6g to %.6g", c.name, c.got, c.min, c.max)
		}
	}
	for _, typ := range data.SchoolTypes {
		if st.schoolsByType[typ] == 0 {
			t.Errorf("no school of type %s", typ)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	for _, bc := range []struct {
		name  string
		scale synth.Scale
	}{
		{"city", synth.City},
		{"province", synth.Province},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := synth.Generate(synth.Config{Scale: bc.scale, Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
