package optimize

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/seatplan/seatplan/data"
)

// Hand-built layouts around 36.45N 115.98E whose proposals are known in
// advance. At this latitude 0.001° of longitude is about 89.5 m and 0.001°
// of latitude about 111 m.

const hLon, hLat = 115.98, 36.45

// hYears are the forecast years of the hand layouts.
var hYears = []int{2025, 2026, 2027}

// hGrades spreads pupils evenly over grades lo..hi.
func hGrades(lo, hi data.Grade, pupils float64) GradePupils {
	var gp GradePupils
	n := float64(hi - lo + 1)
	for g := lo; g <= hi; g++ {
		gp.Set(g, Estimate{pupils / n, pupils / n})
	}
	return gp
}

// hConst gives the same pupils in the base year and every forecast year.
func hConst(gp GradePupils) map[int]GradePupils {
	out := map[int]GradePupils{2024: gp}
	for _, y := range hYears {
		out[y] = gp
	}
	return out
}

// hDemand gives an area the same demand by level every forecast year.
func hDemand(k, p, m float64) map[int]LevelPupils {
	out := map[int]LevelPupils{}
	for _, y := range append([]int{2024}, hYears...) {
		var lp LevelPupils
		lp.Set(data.LevelKindergarten, Estimate{k, k})
		lp.Set(data.LevelPrimary, Estimate{p, p})
		lp.Set(data.LevelMiddle, Estimate{m, m})
		out[y] = lp
	}
	return out
}

func hArea(id string, dlon, dlat float64) data.Area {
	return data.Area{ID: id, Name: id, County: "县", Township: "镇", Lon: hLon + dlon, Lat: hLat + dlat, Residents: 2000}
}

func hSchool(id string, typ data.SchoolType, rooms int, dlon, dlat float64) data.School {
	return data.School{ID: id, Name: id, County: "县", Township: "镇", Lon: hLon + dlon, Lat: hLat + dlat, Type: typ, Public: true,
		Classrooms: rooms, MaxClassrooms: rooms}
}

// hInput is the layout input of a hand layout: base year 2024, target 2027.
func hInput(ds *data.Dataset, sf map[string]map[int]GradePupils, ad map[string]map[int]LevelPupils) LayoutInput {
	return LayoutInput{Dataset: ds, BaseYear: 2024, TargetYear: 2027, Years: hYears, SchoolForecast: sf, AreaDemand: ad}
}

func hLayout(t *testing.T, ds *data.Dataset, sf map[string]map[int]GradePupils, ad map[string]map[int]LevelPupils) *Layout {
	t.Helper()
	lay, err := ProposeLayout(context.Background(), hInput(ds, sf, ad), LayoutOptions{Workers: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return lay
}

// hLevel returns level l's allocation among rs.
func hLevel(rs []Reallocation, l data.Level) *Reallocation {
	for k := range rs {
		if rs[k].Level == l {
			return &rs[k]
		}
	}
	return nil
}

func hRealloc(lay *Layout, l data.Level) *Reallocation { return hLevel(lay.Reallocation, l) }

func hLog(t *testing.T, lay *Layout) {
	t.Helper()
	t.Logf("merges %+v", lay.Merges.Proposals)
	t.Logf("reuses %+v", lay.Reuses)
	t.Logf("conversions %+v", lay.Conversions)
	t.Logf("new schools %+v", lay.NewSchools)
	for _, r := range lay.Reallocation {
		t.Logf("%s: pupils %d assigned %d unmet %d short %+v", r.Level, r.Pupils, r.Assigned, r.Unmet, r.Short)
	}
	t.Logf("warnings %q", lay.Warnings)
}

// A small primary school with 42 pupils and 6 classrooms, 1 km from a large
// primary with room for them, closes; 100 kindergarten children next to it
// have no kindergarten at all, so its building is proposed for
// kindergarten use: 4 classrooms of 30 places serve all 100.
func TestHandReuseClosedPrimary(t *testing.T) {
	ds := &data.Dataset{
		Areas: []data.Area{hArea("A1", 0, 0), hArea("A2", 0.011, 0)},
		Schools: []data.School{
			hSchool("P1", data.Primary, 6, 0.001, 0),
			hSchool("P2", data.Primary, 24, 0.011, 0.001),
		},
	}
	sf := map[string]map[int]GradePupils{
		"P1": hConst(hGrades(1, 6, 42)),
		"P2": hConst(hGrades(1, 6, 600)),
	}
	ad := map[string]map[int]LevelPupils{"A1": hDemand(100, 42, 0), "A2": hDemand(0, 600, 0)}
	lay := hLayout(t, ds, sf, ad)
	hLog(t, lay)
	if ps := lay.Merges.Proposals; len(ps) != 1 || ps[0].SchoolID != "P1" || ps[0].Pupils != 42 || len(ps[0].Receivers) != 1 ||
		ps[0].Receivers[0].SchoolID != "P2" {
		t.Fatalf("merges %+v, want P1 (42 pupils) into P2", ps)
	}
	kg := hRealloc(lay, data.LevelKindergarten)
	if kg == nil || kg.Unmet != 100 || len(kg.Short) != 1 || !kg.Short[0].NoSchoolInReach {
		t.Fatalf("kindergarten %+v, want 100 unmet in A1 with no school in reach", kg)
	}
	if len(lay.Reuses) != 1 {
		t.Fatalf("reuses %+v, want one", lay.Reuses)
	}
	r := lay.Reuses[0]
	if r.SchoolID != "P1" || r.Classrooms != 4 || r.Seats != 120 || r.Deficit != 100 || r.Served != 100 ||
		len(r.Areas) != 1 || r.Areas[0] != "A1" || r.Year != lay.Merges.Proposals[0].RecommendedYear {
		t.Errorf("reuse %+v, want P1: 4 classrooms, 120 places, deficit 100 all served, area A1, year of the merge", r)
	}
	if !strings.Contains(r.Reason, "4 classrooms give 120 places and take 100") || !strings.Contains(r.ReasonZH, "提供120个学位") {
		t.Errorf("reuse reason %q / %q", r.Reason, r.ReasonZH)
	}
}

// hSeries gives pupils per grade lo..hi in 2024 and each of hYears.
func hSeries(lo, hi data.Grade, perGrade ...float64) map[int]GradePupils {
	out := map[int]GradePupils{}
	for k, y := range append([]int{2024}, hYears...) {
		var gp GradePupils
		for g := lo; g <= hi; g++ {
			gp.Set(g, Estimate{perGrade[k], perGrade[k]})
		}
		out[y] = gp
	}
	return out
}

// hPairs is the layout of TestHandConversionPair: PA and MA about 600 m
// apart with primary pupils falling and middle pupils rising, PB and MB
// 3 km apart and full.
func hPairs() (*data.Dataset, map[string]map[int]GradePupils, map[string]map[int]LevelPupils) {
	ds := &data.Dataset{
		Areas: []data.Area{hArea("A1", 0, 0), hArea("A2", 0.5, 0)},
		Schools: []data.School{
			hSchool("PA", data.Primary, 18, 0, 0.001),
			hSchool("MA", data.Middle, 9, 0.0067, 0.001),
			hSchool("PB", data.Primary, 12, 0.5, 0.001),
			hSchool("MB", data.Middle, 6, 0.5335, 0.001),
		},
	}
	sf := map[string]map[int]GradePupils{
		"PA": hSeries(1, 6, 90, 84, 78, 72),
		"MA": hSeries(7, 9, 100, 110, 120, 130),
		"PB": hSeries(1, 6, 90, 90, 90, 90),
		"MB": hSeries(7, 9, 100, 100, 100, 100),
	}
	ad := map[string]map[int]LevelPupils{"A1": hDemand(0, 432, 390), "A2": hDemand(0, 540, 300)}
	return ds, sf, ad
}

// A primary and a middle school about 600 m apart, primary pupils falling
// from 540 to 432 and middle pupils rising from 300 to 390, are proposed as
// a nine-year pair; a primary and a middle school 3 km apart are not, and
// being full neither can host the other section.
func TestHandConversionPair(t *testing.T) {
	ds, sf, ad := hPairs()
	lay := hLayout(t, ds, sf, ad)
	hLog(t, lay)
	if len(lay.Conversions) != 1 {
		t.Fatalf("conversions %+v, want only PA + MA", lay.Conversions)
	}
	c := lay.Conversions[0]
	if c.Rank != 1 || c.Kind != "pair" || c.PrimaryID != "PA" || c.MiddleID != "MA" {
		t.Fatalf("conversion %+v, want pair PA + MA ranked 1", c)
	}
	// 600 m straight × circuity 1.3.
	if c.Metres < 770 || c.Metres > 790 {
		t.Errorf("metres %.0f, want about 780", c.Metres)
	}
	// 2024: 12 primary + 6 middle classes; 2025–2027: 12 + 9 = 21.
	// Pupils peak at 840 in 2024 and are 432 + 390 = 822 in 2027.
	if c.MaxClasses != 21 || c.MaxPupils != 840 || c.Pupils.P50 != 822 || c.Classrooms != 27 || c.SpareClassrooms != 6 {
		t.Errorf("classes %d, pupils %d (2027 %.0f), classrooms %d spare %d; want 21, 840 (822), 27, 6",
			c.MaxClasses, c.MaxPupils, c.Pupils.P50, c.Classrooms, c.SpareClassrooms)
	}
	if math.Abs(c.PrimaryChange+0.2) > 1e-9 || math.Abs(c.MiddleRise-0.3) > 1e-9 || c.MiddlePeakYear != 2027 {
		t.Errorf("primary change %.3f, middle rise %.3f in %d; want -0.2, 0.3 in 2027", c.PrimaryChange, c.MiddleRise, c.MiddlePeakYear)
	}
	// 30·(1 − 21/45) + 30·(0.2 + 0.3) + 20·6/27 + 20·(1 − m/1000).
	want := math.Round(10*(30*(1-21.0/45)+30*0.5+20*6.0/27+20*(1-c.Metres/1000))) / 10
	if c.Score != want {
		t.Errorf("score %.1f, want %.1f", c.Score, want)
	}
	for _, c := range lay.Conversions {
		if c.PrimaryID == "PB" || c.MiddleID == "MB" {
			t.Errorf("schools 3 km apart or full proposed: %+v", c)
		}
	}
}

// The pair of TestHandConversionPair with a 30-pupil primary school 900 m
// from PA that closes into it from 2025: the conversion counts the 5 pupils
// per grade PA receives, so the pair has 462 + 390 = 852 pupils in 2027 and
// peaks at 534 + 330 = 864 in 2025 (the closure is not in the base year).
func TestHandConversionCountsMergedPupils(t *testing.T) {
	ds, sf, ad := hPairs()
	ds.Areas = append(ds.Areas, hArea("A3", 0.01, 0))
	ds.Schools = append(ds.Schools, hSchool("PS", data.Primary, 6, 0.01, 0.001))
	sf["PS"] = hSeries(1, 6, 5, 5, 5, 5)
	ad["A3"] = hDemand(0, 30, 0)
	lay := hLayout(t, ds, sf, ad)
	hLog(t, lay)
	if ps := lay.Merges.Proposals; len(ps) != 1 || ps[0].SchoolID != "PS" || ps[0].Pupils != 30 || len(ps[0].Receivers) != 1 ||
		ps[0].Receivers[0].SchoolID != "PA" || ps[0].RecommendedYear != 2025 {
		t.Fatalf("merges %+v, want PS (30 pupils) into PA from 2025", ps)
	}
	if len(lay.Conversions) != 1 || lay.Conversions[0].PrimaryID != "PA" || lay.Conversions[0].MiddleID != "MA" {
		t.Fatalf("conversions %+v, want only PA + MA", lay.Conversions)
	}
	c := lay.Conversions[0]
	if c.Pupils.P50 != 852 || c.MaxPupils != 864 || c.MaxClasses != 21 {
		t.Errorf("pupils 2027 %.0f, most pupils %d, most classes %d; want 852, 864, 21", c.Pupils.P50, c.MaxPupils, c.MaxClasses)
	}
}

// hAllocate runs the seat allocation alone (no merges, no new schools) on
// a hand layout.
func hAllocate(t *testing.T, ds *data.Dataset, sf map[string]map[int]GradePupils, ad map[string]map[int]LevelPupils) *layAlloc {
	t.Helper()
	in := hInput(ds, sf, ad)
	opt := LayoutOptions{Workers: 1}.withDefaults()
	m, err := newLayModel(context.Background(), &in, opt)
	if err != nil {
		t.Fatal(err)
	}
	al, err := m.reallocate(context.Background(), nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return al
}

// An area with 60 kindergarten children, 270 primary and 150 middle pupils
// and no school of any kind within reach: the allocation marks the demand
// "no school in reach"; the plan puts a new 18-class nine-year school at
// the candidate site 300 m away and a 3-class kindergarten (60 children,
// 2 classes needed) on a site generated over the area, and leaves nobody
// unmet.
func TestHandNoSchoolInReach(t *testing.T) {
	ds := &data.Dataset{
		Areas:      []data.Area{hArea("A1", 0, 0)},
		Schools:    []data.School{hSchool("FAR", data.NineYear, 18, 0.5, 0)},
		Candidates: []data.Candidate{{ID: "C1", Name: "候选", County: "县", Lon: hLon + 0.0034, Lat: hLat, Cost: 5e7}},
	}
	sf := map[string]map[int]GradePupils{"FAR": hConst(hGrades(1, 9, 270))}
	ad := map[string]map[int]LevelPupils{"A1": hDemand(60, 270, 150)}
	kg := hLevel(hAllocate(t, ds, sf, ad).levels, data.LevelKindergarten)
	if kg == nil || kg.Unmet != 60 || len(kg.Short) != 1 || kg.Short[0].AreaID != "A1" || kg.Short[0].Pupils != 60 ||
		!kg.Short[0].NoSchoolInReach || !strings.HasPrefix(kg.Short[0].Reason, "no kindergarten school within 20 minutes") {
		t.Errorf("kindergarten %+v, want 60 unmet in A1, no school in reach", kg)
	}
	lay := hLayout(t, ds, sf, ad)
	hLog(t, lay)
	if len(lay.NewSchools) != 2 {
		t.Fatalf("new schools %+v, want a nine-year school at C1 and a kindergarten", lay.NewSchools)
	}
	ns := lay.NewSchools[0]
	// 270 primary pupils need 6 classes of 45, 150 middle pupils 3 of 50:
	// 9 classes, the smallest standard size 18, spare split 6:3.
	if ns.SiteID != "C1" || ns.Type != data.NineYear || ns.Generated || ns.PrimaryPupils != 270 || ns.MiddlePupils != 150 || ns.Classrooms != 18 ||
		ns.PrimaryClassrooms != 12 || ns.MiddleClassrooms != 6 || len(ns.Areas) != 1 || ns.Areas[0] != "A1" || ns.Cost != 5e7 {
		t.Errorf("new school %+v, want C1: 270 + 150 pupils, 18 classrooms (12 + 6), area A1", ns)
	}
	k := lay.NewSchools[1]
	if k.Type != data.Kindergarten || !k.Generated || !strings.HasPrefix(k.SiteID, "GK") || k.KinderPupils != 60 || k.KinderClassrooms != 3 ||
		k.Classrooms != 3 || !strings.Contains(k.ReasonZH, "新建3班幼儿园") {
		t.Errorf("kindergarten %+v, want a generated site with 60 children in 3 classes", k)
	}
	for _, l := range []data.Level{data.LevelKindergarten, data.LevelPrimary, data.LevelMiddle} {
		if r := hRealloc(lay, l); r == nil || r.Unmet != 0 {
			t.Errorf("%s after the new schools: %+v, want none unmet", l, r)
		}
	}
}

// An area of 100 kindergarten children whose only kindergarten, 300 m
// away, has 2 classrooms (60 places) and may not grow: the allocation
// leaves 40 unmet because the school is full; the plan gives them a new
// 3-class kindergarten.
func TestHandNoSeats(t *testing.T) {
	ds := &data.Dataset{
		Areas:   []data.Area{hArea("A1", 0, 0)},
		Schools: []data.School{hSchool("K1", data.Kindergarten, 2, 0.0034, 0)},
	}
	sf := map[string]map[int]GradePupils{"K1": hConst(hGrades(data.GradeK0, data.GradeK0+2, 60))}
	ad := map[string]map[int]LevelPupils{"A1": hDemand(100, 0, 0)}
	kg := hLevel(hAllocate(t, ds, sf, ad).levels, data.LevelKindergarten)
	if kg == nil || kg.Pupils != 100 || kg.Assigned != 60 || kg.Unmet != 40 || len(kg.Short) != 1 {
		t.Fatalf("kindergarten %+v, want 60 seated and 40 unmet", kg)
	}
	if d := kg.Short[0]; d.AreaID != "A1" || d.Pupils != 40 || d.NoSchoolInReach || !strings.Contains(d.Reason, "are full") ||
		!strings.Contains(d.ReasonZH, "学位不足") {
		t.Errorf("unmet %+v, want 40 in A1 because the school in reach is full", d)
	}
	lay := hLayout(t, ds, sf, ad)
	hLog(t, lay)
	if len(lay.Reuses) != 0 || len(lay.NewSchools) != 1 || lay.NewSchools[0].Type != data.Kindergarten || lay.NewSchools[0].KinderPupils != 40 ||
		lay.NewSchools[0].Classrooms != 3 {
		t.Errorf("reuses %+v, new schools %+v; want one new 3-class kindergarten for 40", lay.Reuses, lay.NewSchools)
	}
	if r := hRealloc(lay, data.LevelKindergarten); r == nil || r.Unmet != 0 || r.Assigned != 100 {
		t.Errorf("kindergarten after the plan %+v, want all 100 placed", r)
	}
}

// Reuse needs the deficit within the kindergarten limit of 20 minutes by
// the children's mode. A building closing 1.6 km (about 2.1 km by road)
// from the deficit is 28 minutes' walk for an urban area, beyond reach, so
// nothing is proposed; a rural area's children ride at 30 km/h and reach
// it in 4 minutes, so it is proposed. This is why the sample, whose unmet
// kindergarten areas are all urban and at least 2.1 km from any closed
// building, gets no reuse.
func TestHandReuseReach(t *testing.T) {
	for _, urban := range []bool{true, false} {
		a1 := hArea("A1", 0, 0)
		a1.Urban = urban
		ds := &data.Dataset{
			Areas: []data.Area{a1, hArea("A2", -0.028, 0), hArea("A3", -0.018, 0.001)},
			Schools: []data.School{
				hSchool("P1", data.Primary, 6, -0.018, 0),
				hSchool("P2", data.Primary, 24, -0.028, 0.001),
			},
		}
		sf := map[string]map[int]GradePupils{
			"P1": hConst(hGrades(1, 6, 42)),
			"P2": hConst(hGrades(1, 6, 600)),
		}
		ad := map[string]map[int]LevelPupils{"A1": hDemand(100, 0, 0), "A2": hDemand(0, 600, 0), "A3": hDemand(0, 42, 0)}
		lay := hLayout(t, ds, sf, ad)
		hLog(t, lay)
		if ps := lay.Merges.Proposals; len(ps) != 1 || ps[0].SchoolID != "P1" {
			t.Fatalf("urban %v: merges %+v, want P1 closed", urban, ps)
		}
		switch {
		case urban && len(lay.Reuses) != 0:
			t.Errorf("urban: reuses %+v, want none (28 min walk)", lay.Reuses)
		case !urban && (len(lay.Reuses) != 1 || lay.Reuses[0].SchoolID != "P1" || lay.Reuses[0].Served != 100 || lay.Reuses[0].Seats != 120):
			t.Errorf("rural: reuses %+v, want P1 serving 100 with 120 places", lay.Reuses)
		}
	}
}

// A teaching point whose last pupils leave before the target year (6 in
// 2025, 3 in 2026, none in 2027) sends nobody anywhere: it is closed from
// 2027, when it is empty, not from 2025 while six children still attend it
// with no school named for them, and the reason says so.
func TestHandMergeEmptiesByItself(t *testing.T) {
	ds := &data.Dataset{
		Areas: []data.Area{hArea("A1", 0, 0)},
		Schools: []data.School{
			hSchool("T1", data.TeachingPoint, 3, 0.001, 0),
			hSchool("P1", data.Primary, 24, 0.011, 0.001),
		},
	}
	sf := map[string]map[int]GradePupils{
		"T1": hSeries(1, 3, 2, 2, 1, 0),
		"P1": hConst(hGrades(1, 6, 600)),
	}
	ad := map[string]map[int]LevelPupils{"A1": hDemand(0, 600, 0)}
	lay := hLayout(t, ds, sf, ad)
	hLog(t, lay)
	ps := lay.Merges.Proposals
	if len(ps) != 1 || ps[0].SchoolID != "T1" || ps[0].Pupils != 0 || len(ps[0].Receivers) != 0 {
		t.Fatalf("merges %+v, want T1 with nobody to move", ps)
	}
	p := ps[0]
	if p.RecommendedYear != 2027 {
		t.Errorf("recommended year %d, want 2027 (the first year without pupils)", p.RecommendedYear)
	}
	if !strings.Contains(p.Reason, "none are forecast from 2027 on (6 in 2025), so no pupils move") || strings.Contains(p.Reason, "move to ;") {
		t.Errorf("reason %q", p.Reason)
	}
	if !strings.Contains(p.ReasonZH, "自2027年起预计无在校生（2025年6人）") || strings.Contains(p.ReasonZH, "分流至；") {
		t.Errorf("reason %q", p.ReasonZH)
	}
}

// 1,500 high-school pupils live by a high school of 10 classrooms (500
// seats, no room to grow), a candidate site 1.8 km away: the 1,000 left
// without a seat get a new high school there, 20 classes needed, planned
// at the standard 24 (8 a grade), and nobody is left unmet.
func TestHandNewHighSchool(t *testing.T) {
	ds := &data.Dataset{
		Areas:      []data.Area{hArea("A1", 0, 0)},
		Schools:    []data.School{hSchool("H1", data.High, 10, 0.001, 0)},
		Candidates: []data.Candidate{{ID: "C1", Name: "城北校址", County: "县", Lon: hLon + 0.02, Lat: hLat, MaxClassrooms: 60}},
	}
	sf := map[string]map[int]GradePupils{"H1": hConst(hGrades(10, 12, 500))}
	ad := map[string]map[int]LevelPupils{"A1": {}}
	for _, y := range append([]int{2024}, hYears...) {
		var lp LevelPupils
		lp.Set(data.LevelHigh, Estimate{1500, 1500})
		ad["A1"][y] = lp
	}
	lay := hLayout(t, ds, sf, ad)
	hLog(t, lay)
	if len(lay.NewSchools) != 1 {
		t.Fatalf("new schools %+v, want one high school", lay.NewSchools)
	}
	n := lay.NewSchools[0]
	if n.SiteID != "C1" || n.Type != data.High || n.HighPupils != 1000 || n.HighClassrooms != 24 || n.Classrooms != 24 ||
		n.PrimaryClassrooms != 0 || n.MiddleClassrooms != 0 {
		t.Errorf("new school %+v, want C1: a 24-class high school for 1,000 pupils", n)
	}
	if !strings.Contains(n.Reason, "1000 high-school pupils in 1 area") || !strings.Contains(n.ReasonZH, "新建24班普通高中（每年级8班）") {
		t.Errorf("reason %q / %q", n.Reason, n.ReasonZH)
	}
	high := hRealloc(lay, data.LevelHigh)
	if high == nil || high.Pupils != 1500 || high.Assigned != 1500 || high.Unmet != 0 {
		t.Fatalf("high-school reallocation %+v, want all 1,500 placed", high)
	}
	for _, s := range lay.Schedules {
		if s.SchoolID == "C1" {
			t.Errorf("a classroom schedule for the new high school: %+v", s)
		}
	}
}

// 3,000 high-school pupils have no seat and one candidate site 1.8 km
// away, where a high school takes at most 1,800: a second school goes on a
// site generated over the pupils, which, being nearer, takes the full
// 1,800 (36 classes), the candidate the other 1,200 (24 classes), and
// nobody is left unmet.
func TestHandNewHighSchoolGridRound(t *testing.T) {
	ds := &data.Dataset{
		Areas:      []data.Area{hArea("A1", 0, 0)},
		Candidates: []data.Candidate{{ID: "C1", Name: "城北校址", County: "县", Lon: hLon + 0.02, Lat: hLat, MaxClassrooms: 60}},
	}
	ad := map[string]map[int]LevelPupils{"A1": {}}
	for _, y := range append([]int{2024}, hYears...) {
		var lp LevelPupils
		lp.Set(data.LevelHigh, Estimate{3000, 3000})
		ad["A1"][y] = lp
	}
	lay := hLayout(t, ds, map[string]map[int]GradePupils{}, ad)
	hLog(t, lay)
	if len(lay.NewSchools) != 2 {
		t.Fatalf("new schools %+v, want two high schools", lay.NewSchools)
	}
	a, b := lay.NewSchools[0], lay.NewSchools[1]
	if a.SiteID != "C1" || a.HighPupils != 1200 || a.Classrooms != 24 {
		t.Errorf("first %+v, want C1 with 1,200 pupils in 24 classes", a)
	}
	if !b.Generated || !strings.HasPrefix(b.SiteID, "GHr1-") || b.HighPupils != 1800 || b.Classrooms != 36 || b.Type != data.High {
		t.Errorf("second %+v, want a generated GHr1- site with 1,800 pupils in 36 classes", b)
	}
	if high := hRealloc(lay, data.LevelHigh); high == nil || high.Unmet != 0 || high.Assigned != 3000 {
		t.Errorf("high-school reallocation %+v, want all 3,000 placed", high)
	}
}

// Zones change where capacity or a real gain asks for it. A1's zoned
// primary S1 is 0.9 km away and S2 0.3 km: 0.6 km saved is under the
// 1 km stay preference, so A1 stays (it moves when the preference is
// off). A2's S1 is 4.5 km away and S3 0.1 km: it moves, the reason saying
// a nearer school has room. A3's S4 has 2 classrooms that may not grow
// (90 seats) for 150 pupils: 60 move, the reason saying it is full.
func TestHandZoneStay(t *testing.T) {
	ds := &data.Dataset{
		Areas: []data.Area{hArea("A1", 0, 0), hArea("A2", 0.06, 0), hArea("A3", 0.2, 0)},
		Schools: []data.School{
			hSchool("S1", data.Primary, 24, 0.010, 0),
			hSchool("S2", data.Primary, 24, 0.0034, 0),
			hSchool("S3", data.Primary, 24, 0.06, 0.001),
			hSchool("S4", data.Primary, 2, 0.2, 0.001),
			hSchool("S5", data.Primary, 24, 0.21, 0),
		},
		Zones: []data.Zone{
			{AreaID: "A1", Level: data.LevelPrimary, SchoolID: "S1"},
			{AreaID: "A2", Level: data.LevelPrimary, SchoolID: "S1"},
			{AreaID: "A3", Level: data.LevelPrimary, SchoolID: "S4"},
		},
	}
	ds.Schools[3].Keep = true
	sf := map[string]map[int]GradePupils{}
	for _, s := range ds.Schools {
		sf[s.ID] = hConst(hGrades(1, 6, 300))
	}
	ad := map[string]map[int]LevelPupils{"A1": hDemand(0, 100, 0), "A2": hDemand(0, 100, 0), "A3": hDemand(0, 150, 0)}
	moves := func(opt LayoutOptions) map[string]ZoneChange {
		lay, err := ProposeLayout(context.Background(), hInput(ds, sf, ad), opt, nil)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]ZoneChange{}
		for _, z := range hRealloc(lay, data.LevelPrimary).Moves {
			out[z.AreaID] = z
		}
		return out
	}
	got := moves(LayoutOptions{Workers: 1})
	if _, ok := got["A1"]; ok {
		t.Errorf("A1 moved %+v; want it kept at S1 (0.6 km saved)", got["A1"])
	}
	if z, ok := got["A2"]; !ok || z.From != "S1" || z.To != "S3" || !strings.Contains(z.Reason, "a nearer school has room") ||
		!strings.Contains(z.ReasonZH, "有更近学校有余位") {
		t.Errorf("A2 %+v; want S1 → S3, a nearer school has room", z)
	}
	if z, ok := got["A3"]; !ok || z.From != "S4" || z.Pupils != 60 || !strings.Contains(z.Reason, "current school is full") ||
		!strings.Contains(z.ReasonZH, "原对口学校学位不足") {
		t.Errorf("A3 %+v; want 60 leaving S4 because it is full", z)
	}
	if z, ok := moves(LayoutOptions{Workers: 1, ZoneStayMetres: -1})["A1"]; !ok || z.To != "S2" {
		t.Errorf("without the stay preference A1 %+v; want it moved to S2", z)
	}
}

// A primary with spare classrooms and no middle school within 1 km may add
// a middle section only for children who would fill it and only if it is
// not a small school itself: with 150 middle pupils in its zone (3 classes
// of 50) it is a single-site candidate saying so; with none, or with 90
// pupils of its own, it is not.
func TestHandSingleSiteNeedsZoneDemand(t *testing.T) {
	single := func(own, zoneMiddle float64) *Conversion {
		ds := &data.Dataset{
			Areas: []data.Area{hArea("A1", 0, 0)},
			Schools: []data.School{
				hSchool("P1", data.Primary, 18, 0.001, 0),
				hSchool("M1", data.Middle, 24, 0.06, 0),
			},
			Zones: []data.Zone{
				{AreaID: "A1", Level: data.LevelPrimary, SchoolID: "P1"},
				{AreaID: "A1", Level: data.LevelMiddle, SchoolID: "M1"},
			},
		}
		ds.Schools[0].Keep = true
		sf := map[string]map[int]GradePupils{"P1": hConst(hGrades(1, 6, own)), "M1": hConst(hGrades(7, 9, 600))}
		ad := map[string]map[int]LevelPupils{"A1": hDemand(0, own, zoneMiddle)}
		lay := hLayout(t, ds, sf, ad)
		for k := range lay.Conversions {
			if c := &lay.Conversions[k]; c.Kind == "single_site" && c.PrimaryID == "P1" {
				return c
			}
		}
		return nil
	}
	c := single(200, 150)
	if c == nil || c.ZonePupils != 150 || !strings.Contains(c.Reason, "its zone has 150 middle pupils in 2027 (3 classes of 50)") ||
		!strings.Contains(c.ReasonZH, "本校服务片区有初中学生150人（3个50人班）") || strings.Contains(c.Reason, "middle up to") {
		t.Errorf("single site %+v; want P1 with 150 middle pupils in its zone", c)
	}
	if c := single(200, 0); c != nil {
		t.Errorf("single site %+v with no middle pupils in its zone; want none", c)
	}
	if c := single(90, 150); c != nil {
		t.Errorf("single site %+v for a 90-pupil school; want none", c)
	}
}
