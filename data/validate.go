package data

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// Row numbers in cross-table checks: decoders append rows in file order
// skipping blank ones, so the validator keeps no row numbers of its own and
// names records by their IDs instead, with the row where it can find it.

// validate runs the cross-table checks on a decoded dataset.
func validate(ds *Dataset, p *problems) {
	townships := map[[2]string]bool{}
	counties := map[string]bool{}
	areas := make(map[string]int, len(ds.Areas))
	for i, a := range ds.Areas {
		if j, dup := areas[a.ID]; dup {
			p.addAt("areas", i, "area_id", "duplicate ID %q (first at row %d); expected each area once", a.ID, p.rowOf("areas", j))
			continue
		}
		areas[a.ID] = i
		townships[[2]string{a.County, a.Township}] = true
		counties[a.County] = true
	}
	checkRegion(p, "areas", len(ds.Areas), func(i int) (float64, float64) { return ds.Areas[i].Lon, ds.Areas[i].Lat })
	checkRegion(p, "schools", len(ds.Schools), func(i int) (float64, float64) { return ds.Schools[i].Lon, ds.Schools[i].Lat })
	checkRegion(p, "candidates", len(ds.Candidates), func(i int) (float64, float64) { return ds.Candidates[i].Lon, ds.Candidates[i].Lat })

	place := func(table string, i int, county, township string) {
		if !counties[county] {
			p.addAt(table, i, "county", "unknown county %q; expected a county named in the areas file", county)
			return
		}
		if township != "" && !townships[[2]string{county, township}] {
			p.addAt(table, i, "township", "unknown township %q in %s; expected a township named in the areas file", township, county)
		}
	}

	// Duplicate rows are found by keys packed into integers rather than by
	// strings: population and enrolment run to millions of rows, and small
	// keys keep the maps small and fast. Years (1949–2100), ages (0–100)
	// and grades are range-checked by the decoders.
	popPlaces := map[[2]string]uint64{}
	seenPop := make(map[uint64]int, len(ds.Population))
	popYears := map[int]bool{}
	for i, r := range ds.Population {
		place("population", i, r.County, r.Township)
		at, ok := popPlaces[[2]string{r.County, r.Township}]
		if !ok {
			at = uint64(len(popPlaces))
			popPlaces[[2]string{r.County, r.Township}] = at
		}
		k := at<<32 | uint64(r.Year)<<16 | uint64(r.Sex)<<8 | uint64(r.Age)
		if j, dup := seenPop[k]; dup {
			p.addAt("population", i, "", "duplicate row for %s %s %d %s age %d (first at row %d); expected one", r.County, r.Township, r.Year, r.Sex, r.Age, p.rowOf("population", j))
			continue
		}
		seenPop[k] = i
		popYears[r.Year] = true
	}
	if g, _ := gaps(popYears); g != "" {
		p.warn(p.file("population"), 0, "year", "years %s are missing between the first and the last; the forecast interpolates migration across them", g)
	}

	type birthKey struct {
		county, township string
		year             int
	}
	seenBirth := map[birthKey]int{}
	birthYears := map[[2]string]map[int]int{} // year → record
	for i, r := range ds.Births {
		place("births", i, r.County, r.Township)
		k := birthKey{r.County, r.Township, r.Year}
		if j, dup := seenBirth[k]; dup {
			p.addAt("births", i, "", "duplicate row for %s %s %d (first at row %d); expected one", r.County, r.Township, r.Year, p.rowOf("births", j))
			continue
		}
		seenBirth[k] = i
		ck := [2]string{r.County, r.Township}
		if birthYears[ck] == nil {
			birthYears[ck] = map[int]int{}
		}
		birthYears[ck][r.Year] = i
	}
	for _, ck := range sortedKeys(birthYears) {
		if g, after := gaps(birthYears[ck]); g != "" {
			p.addAt("births", birthYears[ck][after], "year", "%s: no row for %s; expected one row per year without gaps", strings.TrimSpace(ck[0]+" "+ck[1]), g)
		}
	}

	schools := make(map[string]int, len(ds.Schools))
	for i := range ds.Schools {
		s := &ds.Schools[i]
		if j, dup := schools[s.ID]; dup {
			p.addAt("schools", i, "school_id", "duplicate ID %q (first at row %d); expected each school once", s.ID, p.rowOf("schools", j))
			continue
		}
		schools[s.ID] = i
		place("schools", i, s.County, s.Township)
		if s.Type == Kindergarten && !s.Grades.IsZero() && s.Grades.Hi > GradeK3 {
			p.addAt("schools", i, "grades", "kindergarten with grades %s; expected grades within K0-K3", s.Grades)
		}
		if s.Type != Kindergarten && !s.Grades.IsZero() && s.Grades.Lo <= GradeK3 && s.Type != TwelveYear {
			p.warnAt("schools", i, "grades", "a %s with kindergarten grades %s; kindergarten classes are counted with the school", s.Type, s.Grades)
		}
	}

	seenEnrol := make(map[uint64]int, len(ds.Enrolment))
	enrolYears := map[string]map[int]int{} // year → first record
	for i, e := range ds.Enrolment {
		si, ok := schools[e.SchoolID]
		if !ok {
			p.addAt("enrolment", i, "school_id", "unknown school %q; expected an ID from the schools file", e.SchoolID)
			continue
		}
		s := &ds.Schools[si]
		if span := s.GradeSpan(); !span.Contains(e.Grade) {
			p.addAt("enrolment", i, "grade", "grade %s at %s (%s, grades %s); expected a grade the school teaches", e.Grade, s.ID, s.Type, span)
		}
		k := uint64(si)<<32 | uint64(e.Year)<<8 | uint64(e.Grade-GradeK0)
		if j, dup := seenEnrol[k]; dup {
			p.addAt("enrolment", i, "", "duplicate row for %s %d grade %s (first at row %d); expected one", e.SchoolID, e.Year, e.Grade, p.rowOf("enrolment", j))
			continue
		}
		seenEnrol[k] = i
		if enrolYears[e.SchoolID] == nil {
			enrolYears[e.SchoolID] = map[int]int{}
		}
		if _, ok := enrolYears[e.SchoolID][e.Year]; !ok {
			enrolYears[e.SchoolID][e.Year] = i
		}
	}
	for _, s := range ds.Schools {
		ys, ok := enrolYears[s.ID]
		if !ok {
			p.warnAt("schools", schools[s.ID], "school_id", "school %s (%s) has no enrolment history; it is forecast from its catchment only", s.ID, s.Name)
			continue
		}
		if g, after := gaps(ys); g != "" {
			p.addAt("enrolment", ys[after], "year", "school %s: no rows for %s; expected every year between the first and the last", s.ID, g)
		}
	}

	seenTeach := make(map[uint64]int, len(ds.Teachers))
	for i, t := range ds.Teachers {
		si, ok := schools[t.SchoolID]
		if !ok {
			p.addAt("teachers", i, "school_id", "unknown school %q; expected an ID from the schools file", t.SchoolID)
			continue
		}
		k := uint64(si)<<32 | uint64(t.Year)<<8 | uint64(levelRank(t.Level))
		if j, dup := seenTeach[k]; dup {
			p.addAt("teachers", i, "", "duplicate row for %s %d %s (first at row %d); expected one", t.SchoolID, t.Year, t.Level, p.rowOf("teachers", j))
			continue
		}
		seenTeach[k] = i
	}

	type zoneKey struct {
		area  string
		level Level
	}
	seenZone := map[zoneKey]int{}
	for i, z := range ds.Zones {
		if _, ok := areas[z.AreaID]; !ok {
			p.addAt("zones", i, "area_id", "unknown area %q; expected an ID from the areas file", z.AreaID)
		}
		si, ok := schools[z.SchoolID]
		if !ok {
			p.addAt("zones", i, "school_id", "unknown school %q; expected an ID from the schools file", z.SchoolID)
			continue
		}
		if z.Level == LevelHigh {
			p.addAt("zones", i, "level", "high schools have no attendance zones; expected kindergarten, primary or middle")
			continue
		}
		s := &ds.Schools[si]
		if !teaches(s, z.Level) {
			p.addAt("zones", i, "school_id", "%s (%s, grades %s) does not teach %s; expected a school of that level", s.ID, s.Type, s.GradeSpan(), z.Level)
		}
		k := zoneKey{z.AreaID, z.Level}
		if j, dup := seenZone[k]; dup {
			p.addAt("zones", i, "", "area %s has a second %s school (first at row %d); expected one school per area and level", z.AreaID, z.Level, p.rowOf("zones", j))
			continue
		}
		seenZone[k] = i
	}

	sites := map[string]int{}
	for i, c := range ds.Candidates {
		if j, dup := sites[c.ID]; dup {
			p.addAt("candidates", i, "site_id", "duplicate ID %q (first at row %d); expected each site once", c.ID, p.rowOf("candidates", j))
			continue
		}
		sites[c.ID] = i
		place("candidates", i, c.County, "")
	}
}

// teaches reports whether school s teaches any grade of level l.
func teaches(s *School, l Level) bool {
	span := s.GradeSpan()
	for g := span.Lo; g <= span.Hi; g++ {
		if g.Level(s.PrimaryYears) == l {
			return true
		}
	}
	return false
}

// checkRegion reports points far outside the region most points lie in: the
// box of the 1st–99th percentiles widened by half its size and at least one
// degree. A hint is added when swapping lon and lat would put it inside.
func checkRegion(p *problems, file string, n int, at func(int) (lon, lat float64)) {
	if n < 10 {
		return
	}
	lons := make([]float64, n)
	lats := make([]float64, n)
	for i := range n {
		lons[i], lats[i] = at(i)
	}
	slices.Sort(lons)
	slices.Sort(lats)
	box := func(v []float64) (float64, float64) {
		// Leave out at least the extreme on each side, or with fewer than
		// 100 points a single stray point would widen the box to itself.
		k := max(1, len(v)/100)
		lo, hi := v[k], v[len(v)-1-k]
		m := math.Max(1, (hi-lo)/2)
		return lo - m, hi + m
	}
	lonLo, lonHi := box(lons)
	latLo, latHi := box(lats)
	inside := func(lon, lat float64) bool { return lon >= lonLo && lon <= lonHi && lat >= latLo && lat <= latHi }
	for i := range n {
		lon, lat := at(i)
		if inside(lon, lat) {
			continue
		}
		hint := ""
		if inside(lat, lon) {
			hint = "; lon and lat look swapped"
		}
		p.addAt(file, i, "lon", "point (%g, %g) is far outside the region of the other points (lon %.2f to %.2f, lat %.2f to %.2f)%s", lon, lat, lonLo, lonHi, latLo, latHi, hint)
	}
}

// gaps lists the years missing between the first and last of ys, and
// returns the first year present after a missing one.
func gaps[V any](ys map[int]V) (string, int) {
	if len(ys) < 2 {
		return "", 0
	}
	lo, hi := math.MaxInt, math.MinInt
	for y := range ys {
		lo, hi = min(lo, y), max(hi, y)
	}
	var missing []int
	after := 0
	for y := lo; y <= hi; y++ {
		if _, ok := ys[y]; !ok {
			missing = append(missing, y)
		} else if after == 0 && len(missing) > 0 {
			after = y
		}
	}
	if len(missing) == 0 {
		return "", 0
	}
	s := fmt.Sprint(missing[0])
	for _, y := range missing[1:] {
		s += fmt.Sprintf(", %d", y)
	}
	return s, after
}

func sortedKeys[V any](m map[[2]string]V) [][2]string {
	keys := make([][2]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i][0] != keys[j][0] {
			return keys[i][0] < keys[j][0]
		}
		return keys[i][1] < keys[j][1]
	})
	return keys
}
