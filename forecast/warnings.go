package forecast

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/seatplan/seatplan/data"
)

// WarningKind names an early warning (预警).
type WarningKind string

// Warning kinds.
const (
	// SeatShortage: pupils above the seats (red > 100 %, amber > 90 %).
	SeatShortage WarningKind = "seat_shortage"
	// LargeClass: average class size 56–65 (大班额) if classrooms stay.
	LargeClass WarningKind = "large_class"
	// HugeClass: average class size ≥ 66 (超大班额).
	HugeClass WarningKind = "huge_class"
	// UnderUse: utilisation below 50 % and falling.
	UnderUse WarningKind = "under_use"
	// SmallSchool: fewer than 100 pupils (小规模学校).
	SmallSchool WarningKind = "small_school"
	// TeacherShortage and TeacherSurplus compare a county's teachers of a
	// level with the staffing standard.
	TeacherShortage WarningKind = "teacher_shortage"
	TeacherSurplus  WarningKind = "teacher_surplus"
)

// Label returns the Chinese name of the warning kind.
func (k WarningKind) Label() string {
	switch k {
	case SeatShortage:
		return "学位不足"
	case LargeClass:
		return "大班额"
	case HugeClass:
		return "超大班额"
	case UnderUse:
		return "学位闲置"
	case SmallSchool:
		return "小规模学校"
	case TeacherShortage:
		return "师资缺口"
	case TeacherSurplus:
		return "教师富余"
	}
	return string(k)
}

// Severity grades a warning.
type Severity string

// Severities, most urgent first.
const (
	Red   Severity = "red"
	Amber Severity = "amber"
)

// Warning is one early warning for a school (or a county's level) in one
// year, with the sentence a planner reads.
type Warning struct {
	Kind     WarningKind `json:"kind"`
	Severity Severity    `json:"severity"`
	Year     int         `json:"year"`
	// FirstYear is the first forecast year this warning (any severity)
	// appears for the same school or county and level.
	FirstYear  int        `json:"first_year"`
	County     string     `json:"county"`
	SchoolID   string     `json:"school_id,omitempty"`
	SchoolName string     `json:"school_name,omitempty"`
	Level      data.Level `json:"level,omitempty"`
	// Value is the measure compared (utilisation, class size, pupils, or
	// the teachers short or in surplus as a share of the need) and
	// Threshold the limit it crossed.
	Value     float64 `json:"value"`
	Threshold float64 `json:"threshold"`
	// Probability is the share of draws in which the condition holds, where
	// it is computed (seat shortage, small school); otherwise zero.
	Probability float64 `json:"probability,omitempty"`
	MessageZH   string  `json:"message_zh"`
	MessageEN   string  `json:"message_en"`
}

// warn derives the warnings from the P50 forecasts.
func warn(m *model, r *Result, pr probs) {
	sc := &m.sc
	nY := len(m.years)
	var ws []Warning
	for i := range r.Schools {
		sf := &r.Schools[i]
		s := &m.schools[i]
		compulsory := false
		for _, l := range s.levels {
			if l != lvK {
				compulsory = true
			}
		}
		prevUtil := math.NaN()
		if s.capacity > 0 {
			prevUtil = s.basePupils / s.capacity
		}
		for yi := range sf.Years {
			sy := &sf.Years[yi]
			add := func(k WarningKind, sev Severity, v, th, p float64, zh, en string) {
				ws = append(ws, Warning{Kind: k, Severity: sev, Year: sy.Year, County: sf.County, SchoolID: sf.SchoolID,
					SchoolName: sf.Name, Value: v, Threshold: th, Probability: p, MessageZH: zh, MessageEN: en})
				sy.Warnings = append(sy.Warnings, k)
			}
			p := sy.Pupils
			util := sy.Utilisation.P50
			pi := i*nY + yi
			if s.capacity > 0 {
				switch {
				case util > sc.SeatRed:
					add(SeatShortage, Red, util, sc.SeatRed, float64(pr.red[pi]),
						fmt.Sprintf("%d年%s预计在校生%.0f人（P10–P90：%.0f–%.0f），为学位%.0f个的%.0f%%，学位不足，需扩容或分流。", sy.Year, sf.Name, p.P50, p.P10, p.P90, s.capacity, 100*util),
						fmt.Sprintf("In %d %s expects %.0f pupils (P10–P90 %.0f–%.0f), %.0f%% of its %.0f seats: seat shortage; expand or redirect pupils.", sy.Year, sf.Name, p.P50, p.P10, p.P90, 100*util, s.capacity))
				case util > sc.SeatAmber:
					add(SeatShortage, Amber, util, sc.SeatAmber, float64(pr.amber[pi]),
						fmt.Sprintf("%d年%s预计在校生%.0f人，达学位%.0f个的%.0f%%，接近满员。", sy.Year, sf.Name, p.P50, s.capacity, 100*util),
						fmt.Sprintf("In %d %s expects %.0f pupils, %.0f%% of its %.0f seats: nearly full.", sy.Year, sf.Name, p.P50, 100*util, s.capacity))
				}
			}
			if compulsory && sy.ClassSize >= sc.LargeClass {
				k, sev, th, zh := LargeClass, Amber, sc.LargeClass, "大班额"
				if sy.ClassSize >= sc.HugeClass {
					k, sev, th, zh = HugeClass, Red, sc.HugeClass, "超大班额"
				}
				add(k, sev, sy.ClassSize, th, 0,
					fmt.Sprintf("%d年%s若不增加教室，平均班额约%.0f人，出现%s（标准%s）。", sy.Year, sf.Name, sy.ClassSize, zh, classRule(sc, k)),
					fmt.Sprintf("In %d %s would average %.0f pupils per class without more classrooms: %s classes (%s).", sy.Year, sf.Name, sy.ClassSize, enClass(k), classRuleEN(sc, k)))
			}
			if s.capacity > 0 && util < sc.UnderUse && !math.IsNaN(prevUtil) && util < prevUtil {
				sev := Amber
				if util < sc.UnderUseRed {
					sev = Red
				}
				add(UnderUse, sev, util, sc.UnderUse, 0,
					fmt.Sprintf("%d年%s学位利用率降至%.0f%%（上年%.0f%%），学位闲置且仍在下降。", sy.Year, sf.Name, 100*util, 100*prevUtil),
					fmt.Sprintf("In %d %s uses %.0f%% of its seats (%.0f%% a year before): under-used and falling.", sy.Year, sf.Name, 100*util, 100*prevUtil))
			}
			if compulsory && p.P50 < sc.SmallSchool {
				add(SmallSchool, Amber, p.P50, sc.SmallSchool, float64(pr.small[pi]),
					fmt.Sprintf("%d年%s预计在校生%.0f人，不足%.0f人，属小规模学校。", sy.Year, sf.Name, p.P50, sc.SmallSchool),
					fmt.Sprintf("In %d %s expects %.0f pupils, fewer than %.0f: a small-scale school.", sy.Year, sf.Name, p.P50, sc.SmallSchool))
			}
			prevUtil = util
		}
	}
	for ci := range r.Counties {
		cf := &r.Counties[ci]
		for _, cy := range cf.Years {
			for _, lf := range cy.Levels {
				need, have := lf.TeachersNeeded.P50, lf.TeachersPresent
				if have <= 0 || need <= 0 {
					continue
				}
				add := func(k WarningKind, sev Severity, v, th float64, zh, en string) {
					ws = append(ws, Warning{Kind: k, Severity: sev, Year: cy.Year, County: cf.County, Level: lf.Level,
						Value: v, Threshold: th, MessageZH: zh, MessageEN: en})
				}
				gap := (need - have) / need
				switch {
				case gap > sc.TeacherShortageAmber:
					sev, th := Amber, sc.TeacherShortageAmber
					if gap > sc.TeacherShortageRed {
						sev, th = Red, sc.TeacherShortageRed
					}
					add(TeacherShortage, sev, gap, th,
						fmt.Sprintf("%d年%s%s按编制标准需教师%.0f人，现有%.0f人，缺口%.0f人（%.0f%%）。", cy.Year, cf.County, lf.Level.Label(), need, have, need-have, 100*gap),
						fmt.Sprintf("In %d %s needs %.0f %s teachers by the staffing standard and has %.0f: %.0f short (%.0f%%).", cy.Year, cf.County, need, lf.Level, have, need-have, 100*gap))
				case -gap > sc.TeacherSurplusAmber:
					sev, th := Amber, sc.TeacherSurplusAmber
					if -gap > sc.TeacherSurplusRed {
						sev, th = Red, sc.TeacherSurplusRed
					}
					add(TeacherSurplus, sev, -gap, th,
						fmt.Sprintf("%d年%s%s按编制标准需教师%.0f人，现有%.0f人，富余%.0f人（%.0f%%），宜统筹调配。", cy.Year, cf.County, lf.Level.Label(), need, have, have-need, -100*gap),
						fmt.Sprintf("In %d %s needs %.0f %s teachers and has %.0f: %.0f in surplus (%.0f%%); reassign across schools or levels.", cy.Year, cf.County, need, lf.Level, have, have-need, -100*gap))
				}
			}
		}
	}
	// First year of each warning of a subject; large and huge classes count
	// as one warning.
	type key struct {
		county, school string
		level          data.Level
		kind           WarningKind
	}
	first := map[key]int{}
	norm := func(k WarningKind) WarningKind {
		if k == HugeClass {
			return LargeClass
		}
		return k
	}
	for _, w := range ws {
		k := key{w.County, w.SchoolID, w.Level, norm(w.Kind)}
		if y, ok := first[k]; !ok || w.Year < y {
			first[k] = w.Year
		}
	}
	for i := range ws {
		ws[i].FirstYear = first[key{ws[i].County, ws[i].SchoolID, ws[i].Level, norm(ws[i].Kind)}]
	}
	slices.SortStableFunc(ws, func(a, b Warning) int {
		return cmp.Or(cmp.Compare(a.County, b.County), cmp.Compare(a.SchoolID, b.SchoolID), cmp.Compare(a.Level, b.Level),
			cmp.Compare(norm(a.Kind), norm(b.Kind)), cmp.Compare(a.Year, b.Year))
	})
	r.Warnings = ws
	r.FirstWarnings = nil
	for _, w := range ws {
		if w.Year == w.FirstYear {
			r.FirstWarnings = append(r.FirstWarnings, w)
		}
	}
}

func classRule(sc *Scenario, k WarningKind) string {
	if k == HugeClass {
		return fmt.Sprintf("≥%.0f人", sc.HugeClass)
	}
	return fmt.Sprintf("%.0f–%.0f人", sc.LargeClass, sc.HugeClass-1)
}

func classRuleEN(sc *Scenario, k WarningKind) string {
	if k == HugeClass {
		return fmt.Sprintf("%.0f or more", sc.HugeClass)
	}
	return fmt.Sprintf("%.0f–%.0f", sc.LargeClass, sc.HugeClass-1)
}

func enClass(k WarningKind) string {
	if k == HugeClass {
		return "extra-oversized"
	}
	return "oversized"
}
