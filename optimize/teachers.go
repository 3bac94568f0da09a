package optimize

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/seatplan/seatplan/data"
)

// TeacherShift is, for one county and year, how many primary teachers the
// falling primary enrolment frees while middle schools need more
// (县管校聘: posts are county-managed and can follow the pupils).
type TeacherShift struct {
	County string `json:"county"`
	Year   int    `json:"year"`
	// PrimaryNeed and MiddleNeed are the staff the P50 pupils need at the
	// staffing ratios.
	PrimaryNeed float64 `json:"primary_need"`
	MiddleNeed  float64 `json:"middle_need"`
	// PrimaryFreed is the fall of PrimaryNeed since the year before,
	// MiddleExtra the rise of MiddleNeed; Movable = ⌊min of the two⌋ and
	// Cumulative its running sum.
	PrimaryFreed float64 `json:"primary_freed"`
	MiddleExtra  float64 `json:"middle_extra"`
	Movable      int     `json:"movable"`
	Cumulative   int     `json:"cumulative"`
	Reason       string  `json:"reason"`
	ReasonZH     string  `json:"reason_zh"`
}

// teacherShifts counts, per county and forecast year, the primary teachers
// who could move to middle schools.
func (m *layModel) teacherShifts() []TeacherShift {
	years := m.allYears()
	type acc struct{ p, q []float64 }
	byCounty := map[string]*acc{}
	for i := range m.schools {
		s := &m.schools[i]
		a := byCounty[s.County]
		if a == nil {
			a = &acc{make([]float64, len(years)), make([]float64, len(years))}
			byCounty[s.County] = a
		}
		for k, y := range years {
			fc := s.fc[y]
			for g := max(s.span.Lo, 1); g <= min(s.span.Hi, 9); g++ {
				if g.Level(s.py) == data.LevelPrimary {
					a.p[k] += fc.At(g).P50
				} else {
					a.q[k] += fc.At(g).P50
				}
			}
		}
	}
	counties := make([]string, 0, len(byCounty))
	for c := range byCounty {
		counties = append(counties, c)
	}
	slices.Sort(counties)
	rp, rm := m.st.PupilsPerStaff.At(data.LevelPrimary), m.st.PupilsPerStaff.At(data.LevelMiddle)
	out := []TeacherShift{}
	for _, c := range counties {
		a := byCounty[c]
		cum := 0
		for k := 1; k < len(years); k++ {
			t := TeacherShift{County: c, Year: years[k], PrimaryNeed: a.p[k] / rp, MiddleNeed: a.q[k] / rm}
			t.PrimaryFreed = math.Max(0, a.p[k-1]/rp-t.PrimaryNeed)
			t.MiddleExtra = math.Max(0, t.MiddleNeed-a.q[k-1]/rm)
			t.Movable = int(math.Floor(math.Min(t.PrimaryFreed, t.MiddleExtra)))
			cum += t.Movable
			t.Cumulative = cum
			t.Reason = fmt.Sprintf("primary needs %.0f fewer staff (1:%g), middle %.0f more (1:%g): %d primary teachers can move to middle schools",
				t.PrimaryFreed, rp, t.MiddleExtra, rm, t.Movable)
			t.ReasonZH = fmt.Sprintf("小学减少编制需求%.0f人（1:%g），初中增加%.0f人（1:%g）：可调剂%d名小学教师到初中",
				t.PrimaryFreed, rp, t.MiddleExtra, rm, t.Movable)
			out = append(out, t)
		}
	}
	slices.SortStableFunc(out, func(x, y TeacherShift) int {
		if c := cmp.Compare(x.County, y.County); c != 0 {
			return c
		}
		return cmp.Compare(x.Year, y.Year)
	})
	return out
}
