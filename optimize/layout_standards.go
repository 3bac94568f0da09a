package optimize

import (
	"fmt"
	"math"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/geo"
)

// Standards are the planning standards and unit costs a layout is built on
// (DESIGN.md §7). Every field has a default (DefaultStandards) and a source,
// listed by Table, so that the workbook can show what was assumed.
type Standards struct {
	// ClassSize is the standard class size per level (班额): kindergarten 30,
	// primary 45, middle 50, high 50.
	ClassSize LevelInts `json:"class_size"`
	// OversizedClass is the class size from which a class counts as
	// oversized (大班额, 56).
	OversizedClass int `json:"oversized_class"`
	// MaxClasses caps the classes of a school by type: kindergarten 12,
	// primary and middle 36, nine-year 45, high 60.
	MaxClasses TypeCaps `json:"max_classes"`
	// MaxPupils caps the pupils of a school (2,000) and MaxPupilsThrough the
	// compulsory part of a nine- or twelve-year school (2,500).
	MaxPupils        int `json:"max_pupils"`
	MaxPupilsThrough int `json:"max_pupils_through"`
	// SmallSchool is the size under which a village school is small-scale
	// (乡村小规模学校, 100 pupils).
	SmallSchool int `json:"small_school"`
	// WalkRadius is the urban service radius per level in metres:
	// kindergarten 300, primary 500, middle 1,000 (high: none).
	WalkRadius LevelFloats `json:"walk_radius_m"`
	// Minutes is the longest journey to school per level in minutes, used
	// for area-to-school allocation: kindergarten 20, primary 30 (binding
	// for grades 1–3, who do not board), middle 45, high 90.
	Minutes LevelFloats `json:"minutes"`
	// LowerPrimaryMinutes (30) and UpperPrimaryMinutes (40) limit the
	// journey of grades 1–3 and 4–6 when a school is merged into another.
	LowerPrimaryMinutes float64 `json:"lower_primary_minutes"`
	UpperPrimaryMinutes float64 `json:"upper_primary_minutes"`
	// MergePrimaryMetres (5,000) and MergeMiddleMetres (10,000) are the
	// longest one-way road distances to a receiver when a school is merged:
	// a primary pupil is not sent further than 5 km even where a bus would
	// make the journey within the time limit.
	MergePrimaryMetres float64 `json:"merge_primary_m"`
	MergeMiddleMetres  float64 `json:"merge_middle_m"`
	// SchoolBusKmh is the average speed of a rural school bus on its round,
	// stops included (25 km/h), and BusAccessMinutes the walk to the stop and
	// the wait (10 minutes); a merged pupil's journey by bus takes
	// BusAccessMinutes + distance / SchoolBusKmh.
	SchoolBusKmh     float64 `json:"school_bus_kmh"`
	BusAccessMinutes float64 `json:"bus_access_minutes"`
	// WalkMetres is the distance up to which a rural pupil of a merged
	// school walks (1,500 m, about 20 minutes); beyond it the pupil needs a
	// school-bus seat.
	WalkMetres float64 `json:"walk_m"`
	// BusSeatCost is the annual cost of one school-bus seat: a 19-seat bus
	// with driver and attendant, fuel, insurance and depreciation, about
	// 150,000 CNY a year, carrying about 38 pupils in two runs (CNY per
	// pupil per year, 4,000).
	BusSeatCost float64 `json:"bus_seat_cost"`
	// Metric gives the circuity factor and the walking and bus speeds.
	Metric geo.Metric `json:"-"`
	// UrbanWalk makes urban kindergarten and primary pupils walk; everyone
	// else, and all rural pupils, travel by (school) bus.
	UrbanWalk bool `json:"urban_walk"`
	// PupilsPerStaff is the staffing ratio per level (staff : pupils
	// 1:7, 1:19, 1:13.5, 1:12.5).
	PupilsPerStaff LevelFloats `json:"pupils_per_staff"`
	// StaffPerClassSmall is the minimum staff per class of a small school,
	// which is staffed by classes rather than pupils (1.5).
	StaffPerClassSmall float64 `json:"staff_per_class_small"`
	// SchoolFixedCost is the annual cost of keeping a school site open
	// apart from its teachers: the running funds a small school receives
	// (funded as 100 pupils at the primary benchmark of 720 CNY, 72,000),
	// plus a guard, heating and upkeep (about 78,000) — CNY per year,
	// 150,000.
	SchoolFixedCost float64 `json:"school_fixed_cost"`
	// TeacherCost is the annual cost of one teacher post, salary with the
	// employer's contributions (CNY, 120,000). Closing a school saves the
	// posts it needs as a small school (its staff, at most StaffPerClassSmall
	// per class) above the posts its pupils need at the receivers
	// (PupilsPerStaff).
	TeacherCost float64 `json:"teacher_cost"`
	// PupilKmCost is the annual cost of one pupil travelling one more
	// kilometre each way beyond the bus seat: two trips on about 190 school
	// days at about 0.5 CNY (running cost and pupils' and escorts' time) —
	// CNY per pupil-km per year, 190.
	PupilKmCost float64 `json:"pupil_km_cost"`
	// ClassroomCost is the one-off cost of one added classroom with its
	// share of circulation and site works (CNY, 600,000), annualised over
	// ClassroomLifeYears (30) at DiscountRate (0.03).
	ClassroomCost      float64 `json:"classroom_cost"`
	ClassroomLifeYears int     `json:"classroom_life_years"`
	DiscountRate       float64 `json:"discount_rate"`
	// NineYearMetres is how close a primary and a middle school must be to
	// be run as one nine-year school (1,000 m).
	NineYearMetres float64 `json:"nine_year_m"`
}

// LevelInts holds one integer per level in the order of data.Levels.
type LevelInts [4]int

// At returns the value of level l.
func (v LevelInts) At(l data.Level) int { return v[layLevelIndex(l)] }

// LevelFloats holds one number per level in the order of data.Levels.
type LevelFloats [4]float64

// At returns the value of level l.
func (v LevelFloats) At(l data.Level) float64 { return v[layLevelIndex(l)] }

// TypeCaps holds the class caps of a school by kind.
type TypeCaps struct {
	Kindergarten int `json:"kindergarten"`
	Primary      int `json:"primary"`
	Middle       int `json:"middle"`
	Through      int `json:"nine_year"`
	High         int `json:"high"`
}

// layLevelIndex returns the position of l in data.Levels; it panics on an
// unknown level, which is a programming error.
func layLevelIndex(l data.Level) int {
	switch l {
	case data.LevelKindergarten:
		return 0
	case data.LevelPrimary:
		return 1
	case data.LevelMiddle:
		return 2
	case data.LevelHigh:
		return 3
	}
	panic(fmt.Sprintf("optimize: unknown level %q", l))
}

// DefaultStandards returns the standards of DESIGN.md §7 and the default
// unit costs.
func DefaultStandards() Standards {
	return Standards{
		ClassSize:           LevelInts{30, 45, 50, 50},
		OversizedClass:      56,
		MaxClasses:          TypeCaps{Kindergarten: 12, Primary: 36, Middle: 36, Through: 45, High: 60},
		MaxPupils:           2000,
		MaxPupilsThrough:    2500,
		SmallSchool:         100,
		WalkRadius:          LevelFloats{300, 500, 1000, 0},
		Minutes:             LevelFloats{20, 30, 45, 90},
		LowerPrimaryMinutes: 30,
		UpperPrimaryMinutes: 40,
		MergePrimaryMetres:  5000,
		MergeMiddleMetres:   10000,
		SchoolBusKmh:        25,
		BusAccessMinutes:    10,
		WalkMetres:          1500,
		BusSeatCost:         4000,
		Metric:              geo.DefaultMetric(),
		UrbanWalk:           true,
		PupilsPerStaff:      LevelFloats{7, 19, 13.5, 12.5},
		StaffPerClassSmall:  1.5,
		SchoolFixedCost:     150000,
		TeacherCost:         120000,
		PupilKmCost:         190,
		ClassroomCost:       600000,
		ClassroomLifeYears:  30,
		DiscountRate:        0.03,
		NineYearMetres:      1000,
	}
}

// fillMergeDefaults sets the merge distances and the school-bus speed to
// their defaults when they are zero, so that standards written before these
// fields existed still load.
func (s *Standards) fillMergeDefaults() {
	d := DefaultStandards()
	if s.MergePrimaryMetres == 0 {
		s.MergePrimaryMetres = d.MergePrimaryMetres
	}
	if s.MergeMiddleMetres == 0 {
		s.MergeMiddleMetres = d.MergeMiddleMetres
	}
	if s.SchoolBusKmh == 0 {
		s.SchoolBusKmh = d.SchoolBusKmh
	}
}

// Validate reports the first standard that cannot be used.
func (s *Standards) Validate() error {
	for i, v := range s.ClassSize {
		if v <= 0 {
			return fmt.Errorf("optimize: standards: class size of %s is %d, want > 0", data.Levels[i], v)
		}
	}
	caps := []int{s.MaxClasses.Kindergarten, s.MaxClasses.Primary, s.MaxClasses.Middle, s.MaxClasses.Through, s.MaxClasses.High}
	for _, v := range caps {
		if v <= 0 {
			return fmt.Errorf("optimize: standards: class cap %d, want > 0", v)
		}
	}
	if s.MaxPupils <= 0 || s.MaxPupilsThrough <= 0 || s.SmallSchool < 0 {
		return fmt.Errorf("optimize: standards: pupil caps %d/%d and small-school size %d must be positive",
			s.MaxPupils, s.MaxPupilsThrough, s.SmallSchool)
	}
	for i, v := range s.Minutes {
		if !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("optimize: standards: travel limit of %s is %v minutes, want a positive number", data.Levels[i], v)
		}
	}
	if !(s.LowerPrimaryMinutes > 0) || !(s.UpperPrimaryMinutes > 0) {
		return fmt.Errorf("optimize: standards: merge travel limits %v/%v minutes must be positive", s.LowerPrimaryMinutes, s.UpperPrimaryMinutes)
	}
	if !(s.MergePrimaryMetres > 0) || !(s.MergeMiddleMetres > 0) || !(s.SchoolBusKmh > 0) ||
		math.IsInf(s.MergePrimaryMetres+s.MergeMiddleMetres+s.SchoolBusKmh, 0) {
		return fmt.Errorf("optimize: standards: merge distances %v/%v m and school-bus speed %v km/h must be positive",
			s.MergePrimaryMetres, s.MergeMiddleMetres, s.SchoolBusKmh)
	}
	for _, v := range []float64{s.BusAccessMinutes, s.WalkMetres, s.BusSeatCost} {
		if !(v >= 0) || math.IsInf(v, 0) {
			return fmt.Errorf("optimize: standards: bus access time, walking distance and seat cost must be finite and ≥ 0, got %v", v)
		}
	}
	if err := s.Metric.Validate(); err != nil {
		return fmt.Errorf("optimize: standards: %w", err)
	}
	for i, v := range s.PupilsPerStaff {
		if !(v > 0) {
			return fmt.Errorf("optimize: standards: pupils per staff of %s is %v, want > 0", data.Levels[i], v)
		}
	}
	for _, v := range []float64{s.StaffPerClassSmall, s.SchoolFixedCost, s.TeacherCost, s.PupilKmCost, s.ClassroomCost, s.DiscountRate, s.NineYearMetres} {
		if !(v >= 0) || math.IsInf(v, 0) {
			return fmt.Errorf("optimize: standards: cost or ratio %v must be a finite number ≥ 0", v)
		}
	}
	if s.ClassroomLifeYears <= 0 {
		return fmt.Errorf("optimize: standards: classroom life %d years, want > 0", s.ClassroomLifeYears)
	}
	return nil
}

// ClassroomAnnualCost is ClassroomCost spread over ClassroomLifeYears as an
// annuity at DiscountRate.
func (s *Standards) ClassroomAnnualCost() float64 {
	n := float64(s.ClassroomLifeYears)
	if s.DiscountRate == 0 {
		return s.ClassroomCost / n
	}
	r := s.DiscountRate
	return s.ClassroomCost * r / (1 - math.Pow(1+r, -n))
}

// mode returns how pupils of a level living in an urban or rural area
// travel.
func (s *Standards) mode(l data.Level, urban bool) geo.Mode {
	if urban && s.UrbanWalk && (l == data.LevelKindergarten || l == data.LevelPrimary) {
		return geo.Walk
	}
	return geo.Bus
}

// limitMetres returns the longest travel distance of a level for pupils
// travelling by mode.
func (s *Standards) limitMetres(minutes float64, m geo.Mode) float64 {
	return minutes * 60 * s.Metric.Speed(m)
}

// classCap returns the most classes a school of type t may have.
func (s *Standards) classCap(t data.SchoolType) int {
	switch t {
	case data.Kindergarten:
		return s.MaxClasses.Kindergarten
	case data.TeachingPoint, data.Primary:
		return s.MaxClasses.Primary
	case data.Middle:
		return s.MaxClasses.Middle
	case data.NineYear:
		return s.MaxClasses.Through
	case data.TwelveYear:
		return s.MaxClasses.Through + s.MaxClasses.High
	case data.CompleteMiddle:
		return s.MaxClasses.Middle + s.MaxClasses.High
	case data.High:
		return s.MaxClasses.High
	}
	return s.MaxClasses.Primary
}

// pupilCap returns the most pupils a school of type t may have. The
// 2,000/2,500 caps bind compulsory education; a high section is bounded by
// its class cap alone.
func (s *Standards) pupilCap(t data.SchoolType) int {
	high := s.MaxClasses.High * s.ClassSize.At(data.LevelHigh)
	switch t {
	case data.NineYear:
		return s.MaxPupilsThrough
	case data.TwelveYear:
		return s.MaxPupilsThrough + high
	case data.CompleteMiddle:
		return s.MaxPupils + high
	case data.High:
		return high
	}
	return s.MaxPupils
}

// StandardRow is one line of the assumptions table: a standard, its value
// and where it comes from.
type StandardRow struct {
	Name   string `json:"name"`
	NameZH string `json:"name_zh"`
	Value  string `json:"value"`
	Source string `json:"source"`
}

// Table lists every standard with its value and source, for the
// assumptions sheet.
func (s *Standards) Table() []StandardRow {
	f := func(v float64) string { return fmt.Sprintf("%g", v) }
	return []StandardRow{
		{"standard class size (K/primary/middle/high)", "标准班额", fmt.Sprintf("%d/%d/%d/%d", s.ClassSize[0], s.ClassSize[1], s.ClassSize[2], s.ClassSize[3]),
			"建标102-2002; 建标109-2008; 山东省2018年意见; 幼儿园工作规程"},
		{"oversized class from", "大班额起点", fmt.Sprint(s.OversizedClass), "教育部大班额定义 (56–65 大班额, ≥66 超大班额)"},
		{"class caps (K/primary/middle/nine-year/high)", "办学规模上限(班)", fmt.Sprintf("%d/%d/%d/%d/%d",
			s.MaxClasses.Kindergarten, s.MaxClasses.Primary, s.MaxClasses.Middle, s.MaxClasses.Through, s.MaxClasses.High),
			"山东省2018年意见; 教督〔2017〕6号"},
		{"pupil caps (school / through-school compulsory part)", "在校生上限", fmt.Sprintf("%d/%d", s.MaxPupils, s.MaxPupilsThrough), "教督〔2017〕6号"},
		{"small school below", "小规模学校标准", fmt.Sprint(s.SmallSchool), "国办发〔2018〕27号"},
		{"urban walking radius m (K/primary/middle)", "服务半径(米)", fmt.Sprintf("%g/%g/%g", s.WalkRadius[0], s.WalkRadius[1], s.WalkRadius[2]), "GB 50180; 山东省2018年意见"},
		{"travel limit minutes (K/primary/middle/high)", "最长上学时间(分钟)", fmt.Sprintf("%g/%g/%g/%g", s.Minutes[0], s.Minutes[1], s.Minutes[2], s.Minutes[3]),
			"国办发〔2018〕27号 (grades 1–3 ≤ 30 min, no boarding); others: assumption"},
		{"merge travel limit minutes (grades 1–3 / 4–6)", "撤并后上学时间(1–3/4–6年级)", fmt.Sprintf("%g/%g", s.LowerPrimaryMinutes, s.UpperPrimaryMinutes),
			"国办发〔2018〕27号; 2012年国务院办公厅意见 (grades 4–6 mainly day pupils)"},
		{"circuity, walk km/h, bus km/h", "绕行系数、步行、校车速度", fmt.Sprintf("%g, %g, %g", s.Metric.Circuity, s.Metric.WalkKmh, s.Metric.BusKmh), "assumption"},
		{"merge receiver within road km (primary/middle)", "撤并接收学校最远距离(公里,小学/初中)", fmt.Sprintf("%g/%g", s.MergePrimaryMetres/1000, s.MergeMiddleMetres/1000),
			"国办发〔2018〕27号 (就近走读; closing must not leave pupils too far from school); values: assumption (5 km ≈ 30 min door to door by rural school bus)"},
		{"rural school bus km/h, walk to stop and wait min", "农村校车平均速度、候车时间", fmt.Sprintf("%g, %g", s.SchoolBusKmh, s.BusAccessMinutes),
			"assumption: a bus round with village stops; door-to-door time counted against the 30-minute limit of 国办发〔2018〕27号"},
		{"rural pupils walk up to m", "农村学生步行上学最远距离(米)", f(s.WalkMetres), "assumption (about 20 minutes at a young pupil's pace)"},
		{"annual cost per school-bus seat, CNY", "每生校车年成本(元)", f(s.BusSeatCost),
			"assumption: 19-seat bus with driver and attendant (校车安全管理条例), ≈150,000 CNY a year, two runs of 19 pupils"},
		{"staff : pupils (K/primary/middle/high)", "师生比", fmt.Sprintf("1:%g/1:%g/1:%g/1:%g", s.PupilsPerStaff[0], s.PupilsPerStaff[1], s.PupilsPerStaff[2], s.PupilsPerStaff[3]),
			"中央编办发〔2014〕72号; 教师〔2013〕1号"},
		{"staff per class in small schools", "小规模学校班师比", f(s.StaffPerClassSmall), "国办发〔2018〕27号 (class–teacher ratio for small schools); value: assumption"},
		{"annual site cost per school, CNY", "每校年运行成本(元)", f(s.SchoolFixedCost),
			"国办发〔2018〕27号 (small schools funded as 100 pupils) × 生均公用经费基准定额 primary 720 CNY (2023) = 72,000, plus guard, heating and upkeep (assumption); replace with county budget figures"},
		{"annual cost per teacher post, CNY", "每名教师年成本(元)", f(s.TeacherCost),
			"assumption: salary with employer contributions, not below local civil servants (义务教育法 art. 31); saving = posts needed as a small school − posts the pupils need at the receivers"},
		{"annual cost per pupil-km, CNY", "每生公里年交通成本(元)", f(s.PupilKmCost), "assumption: 2 trips × 190 days × ≈0.5 CNY (running cost, pupils' and escorts' time)"},
		{"cost per added classroom, CNY (annualised)", "新增教室成本(元,年化)", fmt.Sprintf("%g (%.0f per year over %d years at %g)",
			s.ClassroomCost, s.ClassroomAnnualCost(), s.ClassroomLifeYears, s.DiscountRate), "assumption"},
		{"nine-year pairing distance m", "九年一贯制配对距离(米)", f(s.NineYearMetres), "assumption (walking distance)"},
	}
}
