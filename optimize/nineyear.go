package optimize

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/geo"
)

// Conversion proposes running a primary and a middle school as one
// nine-year school (九年一贯制), or opening the other section on a site with
// spare classrooms. Conversions are ranked by Score, best first.
type Conversion struct {
	Rank int `json:"rank"`
	// Kind is "pair" (a primary and a middle school within walking
	// distance) or "single_site" (one school adds the other section).
	Kind      string `json:"kind"`
	PrimaryID string `json:"primary_id"`
	MiddleID  string `json:"middle_id"`
	Name      string `json:"name"`
	County    string `json:"county"`
	// Metres is the distance between the two schools of a pair.
	Metres float64 `json:"metres"`
	// Pupils is the combined compulsory pupils in the target year and
	// MaxClasses the most classes (on P90) in any forecast year.
	Pupils     Estimate `json:"pupils"`
	MaxClasses int      `json:"max_classes"`
	MaxPupils  int      `json:"max_pupils"`
	// Classrooms is the combined classrooms now and SpareClassrooms those
	// the target year (P90) leaves free.
	Classrooms      int `json:"classrooms"`
	SpareClassrooms int `json:"spare_classrooms"`
	// PrimaryChange is the relative change of primary pupils from the base
	// to the target year, MiddleRise the largest relative rise of middle
	// pupils over the base year in any forecast year, and MiddlePeakYear
	// that year.
	PrimaryChange  float64 `json:"primary_change"`
	MiddleRise     float64 `json:"middle_rise"`
	MiddlePeakYear int     `json:"middle_peak_year"`
	// ZonePupils is, for a single site, the target-year pupils of the
	// section it adds who live in its zone (0 for a pair).
	ZonePupils int `json:"zone_pupils"`
	// Score (0–100) weighs headroom under the caps (30), falling primary
	// against rising middle pupils (30), spare classrooms (20) and closeness
	// (20).
	Score    float64 `json:"score"`
	Reason   string  `json:"reason"`
	ReasonZH string  `json:"reason_zh"`
}

// gradeSum returns the summed forecast of schools by grade in year y,
// with the pupils the merge plan sends them from that closure's
// recommended year on.
func (m *layModel) gradeSum(idx []int, y int) GradePupils {
	var out GradePupils
	for _, i := range idx {
		fc := m.schools[i].fc[y]
		for k := range out {
			out[k] = out[k].add(fc[k])
		}
		for _, sh := range m.mergeFrom[i] {
			if y < sh.year {
				continue
			}
			from := m.schools[sh.from].fc[y]
			for k, f := range sh.share {
				if f > 0 {
					out[k] = out[k].add(Estimate{from[k].P50 * f, from[k].P90 * f})
				}
			}
		}
	}
	return out
}

// mergeShare is what one closed school sends a receiver: from the year
// year on, share[k] of its pupils of grade slot k (K0 = 0).
type mergeShare struct {
	from  int
	year  int
	share [16]float64
}

// sectionClasses returns the primary and middle classes (P50 and P90) and
// pupils of grades 1–9 in gp, with py primary years.
func (m *layModel) sectionClasses(gp *GradePupils, py int) (classes [2]Estimate, pupils [2]Estimate) {
	for g := data.Grade(1); g <= 9; g++ {
		l := g.Level(py)
		k := 0
		if l == data.LevelMiddle {
			k = 1
		}
		size := m.st.ClassSize.At(l)
		e := gp.At(g)
		classes[k].P50 += float64(layCeilDiv(int(math.Round(e.P50)), size))
		classes[k].P90 += float64(layCeilDiv(int(math.Round(e.P90)), size))
		pupils[k] = pupils[k].add(e)
	}
	return classes, pupils
}

// allYears returns the base year followed by the forecast years.
func (m *layModel) allYears() []int { return append([]int{m.base}, m.years...) }

// proposeConversions finds and ranks nine-year conversions.
func (m *layModel) proposeConversions(ctx context.Context) ([]Conversion, error) {
	out := []Conversion{}
	var prim, mid []int
	for i := range m.schools {
		if m.closed[i] {
			continue
		}
		switch m.schools[i].Type {
		case data.Primary:
			prim = append(prim, i)
		case data.Middle:
			mid = append(mid, i)
		}
	}
	pp := make([]orb.Point, len(prim))
	for k, i := range prim {
		pp[k] = m.schoolPoint(i)
	}
	mp := make([]orb.Point, len(mid))
	for k, i := range mid {
		mp[k] = m.schoolPoint(i)
	}
	hasNear := func(from, to []orb.Point) ([]bool, *geo.Pairs, error) {
		near := make([]bool, len(from))
		if len(from) == 0 || len(to) == 0 {
			return near, nil, nil
		}
		pr, err := geo.Generate(ctx, from, to, geo.Limit{Metres: m.st.NineYearMetres}, m.pairOptions())
		if err != nil {
			return nil, nil, fmt.Errorf("optimize: nine-year pairs: %w", err)
		}
		for k := range from {
			tos, _, _ := pr.Row(k)
			near[k] = len(tos) > 0
		}
		return near, pr, nil
	}
	primNear, pairs, err := hasNear(pp, mp)
	if err != nil {
		return nil, err
	}
	midNear, _, err := hasNear(mp, pp)
	if err != nil {
		return nil, err
	}
	if pairs != nil {
		for k, i := range prim {
			tos, metres, _ := pairs.Row(k)
			for j, t := range tos {
				if c, ok := m.scoreConversion([]int{i, mid[t]}, metres[j]); ok {
					out = append(out, c)
				}
			}
		}
	}
	// A single site's other section serves the children of its own zone:
	// the middle pupils of a primary's areas, the primary pupils of a
	// middle school's.
	zoneDemand := func(own, other data.Level) map[int]int {
		out := map[int]int{}
		for a, i := range m.currentSchools(own) {
			if i >= 0 {
				out[i] += m.areaDemand(a, other)
			}
		}
		return out
	}
	midOfPrim := zoneDemand(data.LevelPrimary, data.LevelMiddle)
	primOfMid := zoneDemand(data.LevelMiddle, data.LevelPrimary)
	for k, i := range prim {
		if !primNear[k] {
			if c, ok := m.scoreSingleSite(i, midOfPrim[i]); ok {
				out = append(out, c)
			}
		}
	}
	for k, i := range mid {
		if !midNear[k] {
			if c, ok := m.scoreSingleSite(i, primOfMid[i]); ok {
				out = append(out, c)
			}
		}
	}
	slices.SortFunc(out, func(a, b Conversion) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		if c := cmp.Compare(a.PrimaryID, b.PrimaryID); c != 0 {
			return c
		}
		return cmp.Compare(a.MiddleID, b.MiddleID)
	})
	for k := range out {
		out[k].Rank = k + 1
	}
	return out, nil
}

// scoreSingleSite scores school i adding the other section, whose zone
// holds zoneOther pupils of that section's level in the target year; ok is
// false when the school will be small (under the small-school size) or
// its zone too few for one class a grade at half the standard class size
// (a section nobody would fill), or as for scoreConversion.
func (m *layModel) scoreSingleSite(i, zoneOther int) (Conversion, bool) {
	s := &m.schools[i]
	otherLevel, grades := data.LevelMiddle, 9-s.py
	if s.Type == data.Middle {
		otherLevel, grades = data.LevelPrimary, s.py
	}
	least := grades * m.st.ClassSize.At(otherLevel) / 2
	if zoneOther < least {
		return Conversion{}, false
	}
	c, ok := m.scoreConversion([]int{i}, 0)
	if !ok || c.Pupils.P50 < float64(m.st.SmallSchool) {
		return c, false
	}
	c.ZonePupils = zoneOther
	classes := layCeilDiv(zoneOther, m.st.ClassSize.At(otherLevel))
	c.Reason += fmt.Sprintf("; its zone has %d %s pupils in %d (%d classes of %d)", zoneOther, otherLevel, m.target, classes, m.st.ClassSize.At(otherLevel))
	c.ReasonZH += fmt.Sprintf("；%d年本校服务片区有%s学生%d人（%d个%d人班）", m.target, otherLevel.Label(), zoneOther, classes, m.st.ClassSize.At(otherLevel))
	return c, true
}

// scoreConversion scores schools idx (a primary then a middle school, or
// one school) as a nine-year school; ok is false when it would exceed the
// nine-year caps or, for one school, lacks the spare classrooms for the
// other section.
func (m *layModel) scoreConversion(idx []int, metres float64) (Conversion, bool) {
	py := m.schools[idx[0]].py
	c := Conversion{Metres: metres, County: m.schools[idx[0]].County}
	rooms := 0
	for _, i := range idx {
		rooms += m.schools[i].rooms
	}
	c.Classrooms = rooms
	years := m.allYears()
	var prim0, mid0 float64
	for _, y := range years {
		gp := m.gradeSum(idx, y)
		cl, pu := m.sectionClasses(&gp, py)
		classes := int(cl[0].P90 + cl[1].P90)
		pupils := int(math.Round(pu[0].P90 + pu[1].P90))
		c.MaxClasses = max(c.MaxClasses, classes)
		c.MaxPupils = max(c.MaxPupils, pupils)
		if y == m.base {
			prim0, mid0 = pu[0].P50, pu[1].P50
		}
		if rise := (pu[1].P50 - mid0) / math.Max(mid0, 1); y > m.base && rise > c.MiddleRise {
			c.MiddleRise, c.MiddlePeakYear = rise, y
		}
		if y == m.target {
			c.Pupils = pu[0].add(pu[1])
			c.PrimaryChange = (pu[0].P50 - prim0) / math.Max(prim0, 1)
			c.SpareClassrooms = max(0, rooms-classes)
		}
	}
	if c.MaxClasses > m.st.MaxClasses.Through || c.MaxPupils > m.st.MaxPupilsThrough {
		return c, false
	}
	head := 1 - float64(c.MaxClasses)/float64(m.st.MaxClasses.Through)
	comp := math.Min(1, math.Max(0, -c.PrimaryChange)+math.Max(0, c.MiddleRise))
	spare := 0.0
	if rooms > 0 {
		spare = float64(c.SpareClassrooms) / float64(rooms)
	}
	near := 1.0
	if len(idx) == 2 && m.st.NineYearMetres > 0 {
		near = 1 - metres/m.st.NineYearMetres
	}
	c.Score = math.Round(10*(30*head+30*comp+20*spare+20*near)) / 10
	a := m.schools[idx[0]]
	trend := fmt.Sprintf("primary pupils %+.0f%% by %d, middle up to %+.0f%%", 100*c.PrimaryChange, m.target, 100*c.MiddleRise)
	trendZH := fmt.Sprintf("至%d年小学生%+.0f%%，初中生最多%+.0f%%", m.target, 100*c.PrimaryChange, 100*c.MiddleRise)
	if c.MiddlePeakYear > 0 {
		trend += fmt.Sprintf(" (%d)", c.MiddlePeakYear)
		trendZH += fmt.Sprintf("（%d年）", c.MiddlePeakYear)
	}
	if len(idx) == 2 {
		b := m.schools[idx[1]]
		c.Kind, c.PrimaryID, c.MiddleID = "pair", a.ID, b.ID
		c.Name = a.Name + " + " + b.Name
		c.Reason = fmt.Sprintf("%s and %s are %.0f m apart; together at most %d classes and %d pupils (caps %d, %d); %s; %d spare classrooms in %d can follow the cohorts; no pupil travels farther",
			a.Name, b.Name, metres, c.MaxClasses, c.MaxPupils, m.st.MaxClasses.Through, m.st.MaxPupilsThrough, trend, c.SpareClassrooms, m.target)
		c.ReasonZH = fmt.Sprintf("%s与%s相距%.0f米；合并后最多%d班、%d人（上限%d班、%d人）；%s；%d年有%d间富余教室可随年级调配；学生上学距离不增加",
			a.Name, b.Name, metres, c.MaxClasses, c.MaxPupils, m.st.MaxClasses.Through, m.st.MaxPupilsThrough, trendZH, m.target, c.SpareClassrooms)
		return c, true
	}
	// One site: it must have room for one class per grade of the other
	// section (two for a middle section).
	c.Kind, c.Name = "single_site", a.Name
	need := 2 * (9 - py)
	other, otherZH := "middle", "初中"
	if a.Type == data.Middle {
		need = py
		other, otherZH = "primary", "小学"
		c.MiddleID = a.ID
	} else {
		c.PrimaryID = a.ID
	}
	if c.SpareClassrooms < need {
		return c, false
	}
	// The school's own section's trend: the other section has no pupils
	// yet.
	trend = fmt.Sprintf("primary pupils %+.0f%% by %d", 100*c.PrimaryChange, m.target)
	trendZH = fmt.Sprintf("至%d年小学生%+.0f%%", m.target, 100*c.PrimaryChange)
	if a.Type == data.Middle {
		trend = fmt.Sprintf("middle pupils up to %+.0f%%", 100*c.MiddleRise)
		trendZH = fmt.Sprintf("初中生最多%+.0f%%", 100*c.MiddleRise)
		if c.MiddlePeakYear > 0 {
			trend += fmt.Sprintf(" (%d)", c.MiddlePeakYear)
			trendZH += fmt.Sprintf("（%d年）", c.MiddlePeakYear)
		}
	}
	c.Reason = fmt.Sprintf("%s has %d spare classrooms in %d, enough for a %s section of %d classes, and no %s school within %.0f m; %s",
		a.Name, c.SpareClassrooms, m.target, other, need, other, m.st.NineYearMetres, trend)
	c.ReasonZH = fmt.Sprintf("%s%d年有%d间富余教室，可设%d个班的%s部，且%.0f米内无%s学校；%s",
		a.Name, m.target, c.SpareClassrooms, need, otherZH, m.st.NineYearMetres, otherZH, trendZH)
	return c, true
}
