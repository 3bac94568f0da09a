package data

import (
	"slices"
	"strings"
)

// decodeTable reads all rows of src as table t into ds. csv says the rows
// come from a CSV file, whose formula-like text carries a quote to drop.
func decodeTable(ds *Dataset, t *Table, loc string, src rowSource, csv bool, p *problems) {
	r := &tableReader{loc: loc, t: t, p: p, csv: csv}
	row, header, ok, err := src.next()
	if err != nil {
		p.add(loc, row, "", "%v", err)
		return
	}
	if !ok {
		p.add(loc, 0, "", "empty file; expected a header row with the columns %s", t.keyList())
		return
	}
	if !r.readHeader(row, header) {
		return
	}
	if p.rows == nil {
		p.rows, p.locs = map[string][]int{}, map[string]string{}
	}
	p.locs[t.Name] = loc
	ds.reserve(t.Name, src.sizeHint())
	p.rows[t.Name] = slices.Grow(p.rows[t.Name], src.sizeHint())
	decode := decoders[t.Name]
	rows := 0
	for {
		row, cells, ok, err := src.next()
		if err != nil {
			p.add(loc, row, "", "%v", err)
			return
		}
		if !ok {
			break
		}
		if !r.start(row, cells) {
			continue
		}
		rows++
		decode(ds, r)
		if !r.bad {
			p.rows[t.Name] = append(p.rows[t.Name], row)
		}
	}
	if rows == 0 && t.Required {
		p.add(loc, 0, "", "no data rows; expected at least one row below the header")
	}
}

// reserve makes room for n more records of table, so that a large table
// is not copied as it grows.
func (ds *Dataset) reserve(table string, n int) {
	switch table {
	case "areas":
		ds.Areas = slices.Grow(ds.Areas, n)
	case "population":
		ds.Population = slices.Grow(ds.Population, n)
	case "births":
		ds.Births = slices.Grow(ds.Births, n)
	case "schools":
		ds.Schools = slices.Grow(ds.Schools, n)
	case "enrolment":
		ds.Enrolment = slices.Grow(ds.Enrolment, n)
	case "teachers":
		ds.Teachers = slices.Grow(ds.Teachers, n)
	case "zones":
		ds.Zones = slices.Grow(ds.Zones, n)
	case "candidates":
		ds.Candidates = slices.Grow(ds.Candidates, n)
	}
}

var decoders = map[string]func(*Dataset, *tableReader){
	"areas":      decodeArea,
	"population": decodePopulation,
	"births":     decodeBirth,
	"schools":    decodeSchool,
	"enrolment":  decodeEnrolment,
	"teachers":   decodeTeacher,
	"zones":      decodeZone,
	"candidates": decodeCandidate,
}

const maxCount = 100_000_000

func decodeArea(ds *Dataset, r *tableReader) {
	a := Area{
		ID:        r.text("area_id", true),
		Name:      r.text("name", true),
		County:    r.text("county", true),
		Township:  r.text("township", true),
		Urban:     r.flag("urban", true),
		Residents: r.count("residents", true, 0, maxCount),
	}
	a.Lon, a.Lat = r.coords()
	for i, k := range KidBands {
		if r.has(k) {
			a.HasKids = true
			a.Kids[i] = r.count(k, true, 0, maxCount)
		}
	}
	if !r.bad {
		ds.Areas = append(ds.Areas, a)
	}
}

func (r *tableReader) sex(key string) Sex {
	switch strings.ToUpper(r.raw(key)) {
	case "M", "男", "MALE":
		return Male
	case "F", "女", "FEMALE":
		return Female
	case "":
		r.fail(key, "empty; expected M or F")
	default:
		r.fail(key, "%q; expected M or F (男/女)", clip(r.raw(key)))
	}
	return 0
}

func decodePopulation(ds *Dataset, r *tableReader) {
	p := PopulationRow{
		County:   r.text("county", true),
		Township: r.text("township", false),
		Year:     r.year("year"),
		Sex:      r.sex("sex"),
		Age:      r.count("age", true, 0, 100),
		Persons:  r.count("persons", true, 0, maxCount),
	}
	if !r.bad {
		ds.Population = append(ds.Population, p)
	}
}

func decodeBirth(ds *Dataset, r *tableReader) {
	b := BirthRow{
		County:   r.text("county", true),
		Township: r.text("township", false),
		Year:     r.year("year"),
		Births:   r.count("births", true, 0, maxCount),
	}
	if !r.bad {
		ds.Births = append(ds.Births, b)
	}
}

// ParseSchoolType reads an English type name or its Chinese label.
func ParseSchoolType(s string) (SchoolType, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, t := range SchoolTypes {
		if s == string(t) || s == t.Label() {
			return t, true
		}
	}
	return "", false
}

// ParseLevel reads an English level name or its Chinese label.
func ParseLevel(s string) (Level, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, l := range Levels {
		if s == string(l) || s == l.Label() {
			return l, true
		}
	}
	if s == "幼儿园" {
		return LevelKindergarten, true
	}
	return "", false
}

func decodeSchool(ds *Dataset, r *tableReader) {
	s := School{
		ID:            r.text("school_id", true),
		Name:          r.text("name", true),
		County:        r.text("county", true),
		Township:      r.text("township", true),
		Classrooms:    r.count("classrooms", true, 0, 10000),
		MaxClassrooms: r.count("max_classrooms", true, 0, 10000),
		Capacity:      r.count("capacity", false, 0, 1000000),
		Boarding:      r.flag("boarding", false),
		SiteAreaM2:    r.real("site_area_m2", false, 0, 1e8),
		FloorAreaM2:   r.real("floor_area_m2", false, 0, 1e8),
		Keep:          r.flag("keep", false),
		PrimaryYears:  6,
	}
	s.Lon, s.Lat = r.coords()
	if raw := r.raw("type"); raw == "" {
		r.fail("type", "empty; expected %s", r.expect("type"))
	} else if t, ok := ParseSchoolType(raw); ok {
		s.Type = t
	} else {
		r.fail("type", "%q is not a school type; expected %s", clip(raw), r.expect("type"))
	}
	switch strings.ToLower(r.raw("ownership")) {
	case "public", "公办":
		s.Public = true
	case "private", "民办":
	case "":
		r.fail("ownership", "empty; expected public or private")
	default:
		r.fail("ownership", "%q; expected public or private (公办/民办)", clip(r.raw("ownership")))
	}
	if raw := r.raw("grades"); raw != "" {
		g, err := ParseGradeRange(raw)
		if err != nil {
			r.fail("grades", "%v", err)
		}
		s.Grades = g
	}
	if r.raw("primary_years") != "" {
		s.PrimaryYears = r.count("primary_years", false, 5, 6)
	}
	if !r.bad && s.MaxClassrooms < s.Classrooms {
		r.fail("max_classrooms", "%d is less than classrooms %d; expected max_classrooms ≥ classrooms", s.MaxClassrooms, s.Classrooms)
	}
	if !r.bad {
		ds.Schools = append(ds.Schools, s)
	}
}

func decodeEnrolment(ds *Dataset, r *tableReader) {
	e := EnrolmentRow{
		SchoolID: r.text("school_id", true),
		Year:     r.year("year"),
		Students: r.count("students", true, 0, 100000),
		Classes:  r.count("classes", true, 0, 1000),
	}
	if raw := r.raw("grade"); raw == "" {
		r.fail("grade", "empty; expected K0, K1, K2, K3 or 1 to 12")
	} else if g, err := ParseGrade(raw); err != nil {
		r.fail("grade", "%q is not a grade; expected K0, K1, K2, K3 or 1 to 12", clip(raw))
	} else {
		e.Grade = g
	}
	if !r.bad {
		switch {
		case e.Classes > e.Students:
			r.fail("classes", "%d classes for %d students; expected classes ≤ students", e.Classes, e.Students)
		case e.Students > 0 && e.Classes == 0:
			r.fail("classes", "0 classes for %d students; expected at least one class", e.Students)
		case e.Classes > 0 && e.Students > 100*e.Classes:
			r.fail("students", "%d students in %d classes is more than 100 per class; expected ≤ 100 per class", e.Students, e.Classes)
		}
	}
	if !r.bad {
		ds.Enrolment = append(ds.Enrolment, e)
	}
}

func (r *tableReader) level(key string) Level {
	raw := r.raw(key)
	if raw == "" {
		r.fail(key, "empty; expected kindergarten, primary, middle or high")
		return ""
	}
	l, ok := ParseLevel(raw)
	if !ok {
		r.fail(key, "%q is not a level; expected kindergarten, primary, middle or high", clip(raw))
	}
	return l
}

func decodeTeacher(ds *Dataset, r *tableReader) {
	t := TeacherRow{
		SchoolID: r.text("school_id", true),
		Year:     r.year("year"),
		Level:    r.level("level"),
		Teachers: r.count("teachers", true, 0, 100000),
	}
	if !r.bad {
		ds.Teachers = append(ds.Teachers, t)
	}
}

func decodeZone(ds *Dataset, r *tableReader) {
	z := Zone{
		AreaID:   r.text("area_id", true),
		Level:    r.level("level"),
		SchoolID: r.text("school_id", true),
	}
	if !r.bad {
		ds.Zones = append(ds.Zones, z)
	}
}

func decodeCandidate(ds *Dataset, r *tableReader) {
	c := Candidate{
		ID:            r.text("site_id", true),
		Name:          r.text("name", true),
		County:        r.text("county", true),
		MaxClassrooms: r.count("max_classrooms", true, 1, 10000),
		Cost:          r.real("cost", false, 0, 1e12),
	}
	c.Lon, c.Lat = r.coords()
	if !r.bad {
		ds.Candidates = append(ds.Candidates, c)
	}
}

// coords reads lon and lat, with a hint when they look swapped.
func (r *tableReader) coords() (lon, lat float64) {
	lon, okLon := r.number("lon", true)
	lat, okLat := r.number("lat", true)
	if !okLon || !okLat {
		return 0, 0
	}
	switch {
	case (lat < -90 || lat > 90) && lon >= -90 && lon <= 90:
		r.fail("lat", "%s is outside -90 to 90; lon and lat look swapped (expected lon first, e.g. lon 115.98, lat 36.46)", r.raw("lat"))
	case lat < -90 || lat > 90:
		r.fail("lat", "%s is outside -90 to 90; expected latitude in WGS84 degrees", r.raw("lat"))
	case lon < -180 || lon > 180:
		r.fail("lon", "%s is outside -180 to 180; expected longitude in WGS84 degrees", r.raw("lon"))
	}
	return lon, lat
}
