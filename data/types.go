package data

import (
	"fmt"
	"strconv"
	"strings"
)

// SchoolType is the kind of school as the bureau registers it.
type SchoolType string

// School types of the data contract.
const (
	Kindergarten   SchoolType = "kindergarten"
	TeachingPoint  SchoolType = "teaching_point"
	Primary        SchoolType = "primary"
	Middle         SchoolType = "middle"
	NineYear       SchoolType = "nine_year"
	TwelveYear     SchoolType = "twelve_year"
	CompleteMiddle SchoolType = "complete_middle"
	High           SchoolType = "high"
)

// SchoolTypes lists every valid school type in a stable order.
var SchoolTypes = []SchoolType{Kindergarten, TeachingPoint, Primary, Middle, NineYear, TwelveYear, CompleteMiddle, High}

// Label returns the Chinese name of the school type.
func (t SchoolType) Label() string {
	switch t {
	case Kindergarten:
		return "幼儿园"
	case TeachingPoint:
		return "教学点"
	case Primary:
		return "小学"
	case Middle:
		return "初中"
	case NineYear:
		return "九年一贯制学校"
	case TwelveYear:
		return "十二年一贯制学校"
	case CompleteMiddle:
		return "完全中学"
	case High:
		return "高中"
	}
	return string(t)
}

// Valid reports whether t is one of SchoolTypes.
func (t SchoolType) Valid() bool {
	for _, v := range SchoolTypes {
		if v == t {
			return true
		}
	}
	return false
}

// DefaultGrades returns the grade span a school of this type teaches when the
// schools file gives none. primaryYears is 6 (六三制) or 5 (五四制).
func (t SchoolType) DefaultGrades(primaryYears int) GradeRange {
	if primaryYears != 5 {
		primaryYears = 6
	}
	switch t {
	case Kindergarten:
		return GradeRange{GradeK1, GradeK3}
	case TeachingPoint:
		return GradeRange{1, 3}
	case Primary:
		return GradeRange{1, Grade(primaryYears)}
	case Middle:
		return GradeRange{Grade(primaryYears + 1), 9}
	case NineYear:
		return GradeRange{1, 9}
	case TwelveYear:
		return GradeRange{1, 12}
	case CompleteMiddle:
		return GradeRange{7, 12}
	case High:
		return GradeRange{10, 12}
	}
	return GradeRange{}
}

// Level is a school level (学段).
type Level string

// School levels.
const (
	LevelKindergarten Level = "kindergarten"
	LevelPrimary      Level = "primary"
	LevelMiddle       Level = "middle"
	LevelHigh         Level = "high"
)

// Levels lists the levels from youngest to oldest.
var Levels = []Level{LevelKindergarten, LevelPrimary, LevelMiddle, LevelHigh}

// Label returns the Chinese name of the level.
func (l Level) Label() string {
	switch l {
	case LevelKindergarten:
		return "学前"
	case LevelPrimary:
		return "小学"
	case LevelMiddle:
		return "初中"
	case LevelHigh:
		return "高中"
	}
	return string(l)
}

// Valid reports whether l is one of Levels.
func (l Level) Valid() bool {
	for _, v := range Levels {
		if v == l {
			return true
		}
	}
	return false
}

// Sex is M or F.
type Sex byte

// Sexes.
const (
	Male   Sex = 'M'
	Female Sex = 'F'
)

// String returns "M" or "F".
func (s Sex) String() string { return string(rune(s)) }

// Grade is a school grade: GradeK0..GradeK3 for kindergarten (K0 are
// two-year-olds in a 托班), 1..12 for primary to high school. Grades order
// naturally: K0 < K1 < K2 < K3 < 1 < … < 12.
type Grade int8

// Kindergarten grades.
const (
	GradeK0 Grade = -3
	GradeK1 Grade = -2
	GradeK2 Grade = -1
	GradeK3 Grade = 0
)

// String returns "K0".."K3" or "1".."12".
func (g Grade) String() string {
	if g <= GradeK3 {
		return "K" + strconv.Itoa(int(g-GradeK0))
	}
	return strconv.Itoa(int(g))
}

// Valid reports whether g is K0..K3 or 1..12.
func (g Grade) Valid() bool { return g >= GradeK0 && g <= 12 }

// Level returns the school level of grade g for a primary school of
// primaryYears years (6 or 5).
func (g Grade) Level(primaryYears int) Level {
	if primaryYears != 5 {
		primaryYears = 6
	}
	switch {
	case g <= GradeK3:
		return LevelKindergarten
	case int(g) <= primaryYears:
		return LevelPrimary
	case g <= 9:
		return LevelMiddle
	}
	return LevelHigh
}

// ParseGrade reads "K0".."K3" (also "k1", "小班" style labels are not
// accepted) or "1".."12".
func ParseGrade(s string) (Grade, error) {
	s = strings.TrimSpace(s)
	if len(s) == 2 && (s[0] == 'K' || s[0] == 'k') && s[1] >= '0' && s[1] <= '3' {
		return GradeK0 + Grade(s[1]-'0'), nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 12 {
		return 0, fmt.Errorf("grade %q: expected K0, K1, K2, K3 or 1 to 12", s)
	}
	return Grade(n), nil
}

// GradeRange is an inclusive span of grades, e.g. 1–6.
type GradeRange struct{ Lo, Hi Grade }

// Contains reports whether g lies in the range.
func (r GradeRange) Contains(g Grade) bool { return g >= r.Lo && g <= r.Hi }

// IsZero reports whether the range is unset.
func (r GradeRange) IsZero() bool { return r == GradeRange{} }

// String formats the range as "1-6" or "K1-K3".
func (r GradeRange) String() string {
	if r.IsZero() {
		return ""
	}
	return r.Lo.String() + "-" + r.Hi.String()
}

// ParseGradeRange reads "1-6", "7-9", "K1-K3" or a single grade.
func ParseGradeRange(s string) (GradeRange, error) {
	lo, hi, found := strings.Cut(strings.TrimSpace(s), "-")
	if !found {
		hi = lo
	}
	a, err := ParseGrade(lo)
	if err != nil {
		return GradeRange{}, fmt.Errorf("grades %q: expected a span such as 1-6, 7-9 or K1-K3", s)
	}
	b, err := ParseGrade(hi)
	if err != nil || b < a {
		return GradeRange{}, fmt.Errorf("grades %q: expected a span such as 1-6, 7-9 or K1-K3", s)
	}
	return GradeRange{a, b}, nil
}

// Area is a demand unit: a village, community or residential compound (片区).
type Area struct {
	ID        string
	Name      string
	County    string
	Township  string
	Lon, Lat  float64
	Urban     bool
	Residents int
	// Kids holds the optional child counts by age band 0–2, 3–5, 6–11,
	// 12–14 and 15–17; HasKids tells whether the file gave them.
	Kids    [5]int
	HasKids bool
}

// KidBands names the age bands of Area.Kids.
var KidBands = [5]string{"kids_0_2", "kids_3_5", "kids_6_11", "kids_12_14", "kids_15_17"}

// PopulationRow is the resident population of one sex and single year of age
// (100 = 100 and over) in a township (or a whole county when Township is
// empty) in one year.
type PopulationRow struct {
	County   string
	Township string
	Year     int
	Sex      Sex
	Age      int
	Persons  int
}

// BirthRow is the number of births in a county or township in one year.
type BirthRow struct {
	County   string
	Township string
	Year     int
	Births   int
}

// School is a school or kindergarten with its buildings.
type School struct {
	ID            string
	Name          string
	County        string
	Township      string
	Lon, Lat      float64
	Type          SchoolType
	Public        bool
	Classrooms    int
	MaxClassrooms int
	// Grades is the span taught; zero means the type's default.
	Grades GradeRange
	// Capacity in pupils; zero means classrooms × standard class size.
	Capacity    int
	Boarding    bool
	SiteAreaM2  float64
	FloorAreaM2 float64
	// Keep marks a school that must never be proposed for closing.
	Keep bool
	// PrimaryYears is 6 (六三制, the default) or 5 (五四制).
	PrimaryYears int
}

// GradeSpan returns the grades the school teaches, defaulting by type.
func (s *School) GradeSpan() GradeRange {
	if !s.Grades.IsZero() {
		return s.Grades
	}
	return s.Type.DefaultGrades(s.PrimaryYears)
}

// EnrolmentRow is the number of pupils and classes of one grade of a school
// in one (autumn) year.
type EnrolmentRow struct {
	SchoolID string
	Year     int
	Grade    Grade
	Students int
	Classes  int
}

// TeacherRow is the number of teachers of one level at a school in a year.
type TeacherRow struct {
	SchoolID string
	Year     int
	Level    Level
	Teachers int
}

// Zone assigns an area to its current school for one level (学区).
type Zone struct {
	AreaID   string
	Level    Level
	SchoolID string
}

// Candidate is a site where a new school may be built.
type Candidate struct {
	ID            string
	Name          string
	County        string
	Lon, Lat      float64
	MaxClassrooms int
	Cost          float64
}

// Dataset is one validated set of inputs.
type Dataset struct {
	Areas      []Area
	Population []PopulationRow
	Births     []BirthRow
	Schools    []School
	Enrolment  []EnrolmentRow
	Teachers   []TeacherRow
	Zones      []Zone
	Candidates []Candidate
	// Roads is the raw roads.geojson, nil when absent; package geo parses it.
	Roads []byte
	// Source describes where the dataset came from (a path, or the
	// embedded sample).
	Source string
	// Synthetic is true for generated sample data; every output says so.
	Synthetic bool
}
