package data

import (
	"fmt"
	"io"
	"strings"
	"unicode"
)

// Summary counts what a dataset holds, as `seatplan validate` prints it.
type Summary struct {
	Source        string
	Synthetic     bool
	Counties      int
	Townships     int
	Areas         int
	Residents     int
	SchoolsByType map[SchoolType]int
	// LastYear is the last enrolment year; PupilsByLevel counts its pupils.
	LastYear      int
	PupilsByLevel map[Level]int
	// Year spans (first, last) of each history table; zero when absent.
	PopulationYears, BirthYears, EnrolmentYears, TeacherYears [2]int
	Zones, Candidates                                         int
	HasRoads                                                  bool
}

// Summarize counts the dataset's contents.
func Summarize(ds *Dataset) Summary {
	s := Summary{Source: ds.Source, Synthetic: ds.Synthetic, Areas: len(ds.Areas), SchoolsByType: map[SchoolType]int{},
		PupilsByLevel: map[Level]int{}, Zones: len(ds.Zones), Candidates: len(ds.Candidates), HasRoads: ds.Roads != nil}
	counties, townships := map[string]bool{}, map[[2]string]bool{}
	for _, a := range ds.Areas {
		counties[a.County] = true
		townships[[2]string{a.County, a.Township}] = true
		s.Residents += a.Residents
	}
	s.Counties, s.Townships = len(counties), len(townships)
	primaryYears := map[string]int{}
	for _, sc := range ds.Schools {
		s.SchoolsByType[sc.Type]++
		primaryYears[sc.ID] = sc.PrimaryYears
	}
	span := func(y int, sp *[2]int) {
		if sp[0] == 0 || y < sp[0] {
			sp[0] = y
		}
		if y > sp[1] {
			sp[1] = y
		}
	}
	for _, p := range ds.Population {
		span(p.Year, &s.PopulationYears)
	}
	for _, b := range ds.Births {
		span(b.Year, &s.BirthYears)
	}
	for _, t := range ds.Teachers {
		span(t.Year, &s.TeacherYears)
	}
	for _, e := range ds.Enrolment {
		span(e.Year, &s.EnrolmentYears)
	}
	s.LastYear = s.EnrolmentYears[1]
	for _, e := range ds.Enrolment {
		if e.Year == s.LastYear {
			s.PupilsByLevel[e.Grade.Level(primaryYears[e.SchoolID])] += e.Students
		}
	}
	return s
}

// Write prints the summary as an aligned bilingual table.
func (s Summary) Write(w io.Writer) error {
	tw := &columns{}
	years := func(sp [2]int) string {
		if sp[0] == 0 {
			return "—"
		}
		return fmt.Sprintf("%d–%d", sp[0], sp[1])
	}
	fmt.Fprintf(tw, "数据 dataset\t%s\n", s.Source)
	if s.Synthetic {
		fmt.Fprintf(tw, "\t合成示例数据，非真实统计 / synthetic sample data, not real statistics\n")
	}
	fmt.Fprintf(tw, "区县 counties\t%d\n", s.Counties)
	fmt.Fprintf(tw, "乡镇 townships\t%d\n", s.Townships)
	fmt.Fprintf(tw, "片区 areas\t%d\n", s.Areas)
	fmt.Fprintf(tw, "常住人口 residents\t%d\n", s.Residents)
	total := 0
	for _, t := range SchoolTypes {
		total += s.SchoolsByType[t]
	}
	fmt.Fprintf(tw, "学校 schools\t%d\n", total)
	for _, t := range SchoolTypes {
		if n := s.SchoolsByType[t]; n > 0 {
			fmt.Fprintf(tw, "  %s %s\t%d\n", t.Label(), t, n)
		}
	}
	fmt.Fprintf(tw, "在校生 pupils %d\t\n", s.LastYear)
	for _, l := range Levels {
		if n, ok := s.PupilsByLevel[l]; ok {
			fmt.Fprintf(tw, "  %s %s\t%d\n", l.Label(), l, n)
		}
	}
	fmt.Fprintf(tw, "人口年份 population years\t%s\n", years(s.PopulationYears))
	fmt.Fprintf(tw, "出生年份 birth years\t%s\n", years(s.BirthYears))
	fmt.Fprintf(tw, "在校生年份 enrolment years\t%s\n", years(s.EnrolmentYears))
	fmt.Fprintf(tw, "教师年份 teacher years\t%s\n", years(s.TeacherYears))
	fmt.Fprintf(tw, "学区 zone rows\t%d\n", s.Zones)
	fmt.Fprintf(tw, "候选校址 candidate sites\t%d\n", s.Candidates)
	roads := "no"
	if s.HasRoads {
		roads = "yes"
	}
	fmt.Fprintf(tw, "路网 road network\t%s\n", roads)
	return tw.flush(w)
}

// columns aligns "label\tvalue" lines for a terminal, counting East Asian
// wide characters as two columns (text/tabwriter counts them as one).
type columns struct{ lines [][2]string }

func (c *columns) Write(p []byte) (int, error) {
	label, value, _ := strings.Cut(strings.TrimSuffix(string(p), "\n"), "\t")
	c.lines = append(c.lines, [2]string{label, value})
	return len(p), nil
}

func (c *columns) flush(w io.Writer) error {
	width := 0
	for _, l := range c.lines {
		width = max(width, displayWidth(l[0]))
	}
	for _, l := range c.lines {
		pad := strings.Repeat(" ", width-displayWidth(l[0])+2)
		if _, err := fmt.Fprintln(w, strings.TrimRight(l[0]+pad+l[1], " ")); err != nil {
			return err
		}
	}
	return nil
}

// displayWidth is the number of terminal columns s takes.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xff60) {
			n += 2
		} else {
			n++
		}
	}
	return n
}
