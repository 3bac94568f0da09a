package optimize

import (
	"fmt"
	"math"
	"strings"

	"github.com/seatplan/seatplan/data"
)

// ClassroomSchedule is the year-by-year split of a nine- or twelve-year
// school's classrooms between its primary and middle sections (调整小学、
// 初中班级比例), with the moves that keep both sections in standard classes.
type ClassroomSchedule struct {
	SchoolID string `json:"school_id"`
	Name     string `json:"name"`
	County   string `json:"county"`
	// Source is "existing", "conversion" (a ranked Conversion) or "new" (a
	// NewSchool).
	Source string `json:"source"`
	// Classrooms is the classrooms the two sections share.
	Classrooms int             `json:"classrooms"`
	Years      []ScheduleYear  `json:"years"`
	Moves      []ClassroomMove `json:"moves"`
	Summary    string          `json:"summary"`
	SummaryZH  string          `json:"summary_zh"`
}

// ScheduleYear is one year of a schedule. Classes are needed classes at the
// standard class size: P50, and P90 as the safe figure the rooms follow.
type ScheduleYear struct {
	Year           int      `json:"year"`
	PrimaryClasses Estimate `json:"primary_classes"`
	MiddleClasses  Estimate `json:"middle_classes"`
	PrimaryRooms   int      `json:"primary_rooms"`
	MiddleRooms    int      `json:"middle_rooms"`
	// Short is the P90 classes without a classroom after the moves.
	Short int `json:"short"`
}

// ClassroomMove is classrooms handed from one section to the other in a
// year, e.g. "2028: 3 primary classrooms → middle".
type ClassroomMove struct {
	Year       int        `json:"year"`
	Classrooms int        `json:"classrooms"`
	From       data.Level `json:"from"`
	To         data.Level `json:"to"`
	Text       string     `json:"text"`
	TextZH     string     `json:"text_zh"`
}

// schSplit follows the safe (P90) class needs of the two sections through
// the years: it starts from primaryRooms of rooms in the first year and
// moves a classroom only when one section needs more than it has and the
// other has one to spare, as few as needed.
func schSplit(years []int, rooms, primaryRooms int, need [][2]Estimate) ([]ScheduleYear, []ClassroomMove) {
	p := min(max(primaryRooms, 0), rooms)
	mid := rooms - p
	out := make([]ScheduleYear, len(years))
	var moves []ClassroomMove
	for k, y := range years {
		np, nm := int(need[k][0].P90), int(need[k][1].P90)
		if k > 0 {
			switch {
			case nm > mid && p > np:
				n := min(nm-mid, p-np)
				p -= n
				mid += n
				moves = append(moves, schMove(y, n, data.LevelPrimary, data.LevelMiddle))
			case np > p && mid > nm:
				n := min(np-p, mid-nm)
				p += n
				mid -= n
				moves = append(moves, schMove(y, n, data.LevelMiddle, data.LevelPrimary))
			}
		}
		out[k] = ScheduleYear{Year: y, PrimaryClasses: need[k][0], MiddleClasses: need[k][1], PrimaryRooms: p, MiddleRooms: mid,
			Short: max(0, np-p) + max(0, nm-mid)}
	}
	return out, moves
}

func schMove(y, n int, from, to data.Level) ClassroomMove {
	en := map[data.Level]string{data.LevelPrimary: "primary", data.LevelMiddle: "middle"}
	return ClassroomMove{Year: y, Classrooms: n, From: from, To: to,
		Text:   fmt.Sprintf("%d: %d %s classrooms → %s", y, n, en[from], en[to]),
		TextZH: fmt.Sprintf("%d年：%d间%s教室调整为%s教室", y, n, from.Label(), to.Label())}
}

// schedules builds the classroom schedule of every existing nine- or
// twelve-year school left open, every conversion, and every new school.
func (m *layModel) schedules(convs []Conversion, news []NewSchool) []ClassroomSchedule {
	out := []ClassroomSchedule{}
	years := m.allYears()
	for i := range m.schools {
		s := &m.schools[i]
		if m.closed[i] || (s.Type != data.NineYear && s.Type != data.TwelveYear) {
			continue
		}
		rooms := s.rooms + m.mergeRoom[i]
		if s.Type == data.TwelveYear {
			rooms -= m.highReserve(i, years)
		}
		out = append(out, m.schoolSchedule([]int{i}, s.ID, s.Name, s.County, "existing", max(rooms, 0), years))
	}
	for _, c := range convs {
		var idx []int
		for _, id := range []string{c.PrimaryID, c.MiddleID} {
			if id != "" {
				idx = append(idx, m.schoolByID[id])
			}
		}
		id := c.PrimaryID
		if c.Kind == "pair" {
			id = c.PrimaryID + "+" + c.MiddleID
		} else if id == "" {
			id = c.MiddleID
		}
		out = append(out, m.schoolSchedule(idx, id, c.Name, c.County, "conversion", c.Classrooms, years))
	}
	for _, ns := range news {
		if ns.Type != data.NineYear {
			continue
		}
		pc := layCeilDiv(ns.PrimaryPupils, m.st.ClassSize.At(data.LevelPrimary))
		mc := layCeilDiv(ns.MiddlePupils, m.st.ClassSize.At(data.LevelMiddle))
		need := [][2]Estimate{{{float64(pc), float64(pc)}, {float64(mc), float64(mc)}}}
		ys, moves := schSplit([]int{m.target}, ns.Classrooms, ns.PrimaryClassrooms, need)
		sc := ClassroomSchedule{SchoolID: ns.SiteID, Name: ns.Name, County: ns.County, Source: "new", Classrooms: ns.Classrooms,
			Years: ys, Moves: moves}
		sc.Summary = fmt.Sprintf("new school for %d: %d primary and %d middle classrooms", m.target, ns.PrimaryClassrooms, ns.MiddleClassrooms)
		sc.SummaryZH = fmt.Sprintf("%d年新建：小学%d间、初中%d间教室", m.target, ns.PrimaryClassrooms, ns.MiddleClassrooms)
		out = append(out, sc)
	}
	return out
}

// baseClasses returns, per school, the primary classes the enrolment file
// shows in the base year, computed once.
func (m *layModel) baseClasses() []int {
	if m.primaryClasses != nil {
		return m.primaryClasses
	}
	m.primaryClasses = make([]int, len(m.schools))
	for _, e := range m.ds.Enrolment {
		if e.Year != m.base || e.Grade < 1 {
			continue
		}
		if i, ok := m.schoolByID[e.SchoolID]; ok && e.Grade.Level(m.schools[i].py) == data.LevelPrimary {
			m.primaryClasses[i] += e.Classes
		}
	}
	return m.primaryClasses
}

// highReserve returns the most classrooms a twelve-year school's high
// section needs (P90) in any year; they are kept out of the schedule.
func (m *layModel) highReserve(i int, years []int) int {
	s := &m.schools[i]
	size := m.st.ClassSize.At(data.LevelHigh)
	most := 0
	for _, y := range years {
		fc := s.fc[y]
		n := 0
		for g := data.Grade(10); g <= min(s.span.Hi, 12); g++ {
			n += layCeilDiv(int(math.Round(fc.At(g).P90)), size)
		}
		most = max(most, n)
	}
	return most
}

// schoolSchedule builds the schedule of schools idx run as one, starting
// from the primary classes they hold in the base year.
func (m *layModel) schoolSchedule(idx []int, id, name, county, source string, rooms int, years []int) ClassroomSchedule {
	py := m.schools[idx[0]].py
	need := make([][2]Estimate, len(years))
	for k, y := range years {
		gp := m.gradeSum(idx, y)
		cl, _ := m.sectionClasses(&gp, py)
		need[k] = cl
	}
	// Base-year primary classes in use, from enrolment; else the need.
	start := 0
	for _, i := range idx {
		start += m.baseClasses()[i]
	}
	if start == 0 {
		start = int(need[0][0].P90)
	}
	ys, moves := schSplit(years, rooms, start, need)
	sc := ClassroomSchedule{SchoolID: id, Name: name, County: county, Source: source, Classrooms: rooms, Years: ys, Moves: moves}
	if sc.Moves == nil {
		sc.Moves = []ClassroomMove{}
	}
	first, last := ys[0], ys[len(ys)-1]
	peak := first
	for _, y := range ys {
		if y.MiddleClasses.P90 > peak.MiddleClasses.P90 {
			peak = y
		}
	}
	var mv, mvZH []string
	for _, x := range moves {
		mv = append(mv, x.Text)
		mvZH = append(mvZH, x.TextZH)
	}
	plan, planZH := "no classroom needs to change section", "无需调整教室"
	if len(mv) > 0 {
		plan, planZH = strings.Join(mv, "; "), strings.Join(mvZH, "；")
	}
	sc.Summary = fmt.Sprintf("primary classes (P90) %g in %d → %g in %d; middle %g → peak %g in %d; %s",
		first.PrimaryClasses.P90, first.Year, last.PrimaryClasses.P90, last.Year, first.MiddleClasses.P90, peak.MiddleClasses.P90, peak.Year, plan)
	sc.SummaryZH = fmt.Sprintf("小学班数（P90）%d年%g班→%d年%g班；初中%g班→%d年峰值%g班；%s",
		first.Year, first.PrimaryClasses.P90, last.Year, last.PrimaryClasses.P90, first.MiddleClasses.P90, peak.Year, peak.MiddleClasses.P90, planZH)
	return sc
}
