package report

import (
	"fmt"
	"math"

	"github.com/xuri/excelize/v2"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/forecast"
	"github.com/seatplan/seatplan/optimize"
)

var teacherColumns = []Column{
	{ZH: "区县", EN: "County", Width: 14},
	{ZH: "年份", EN: "Year", Format: Year, Width: 8},
	{ZH: "学段", EN: "Level", Width: 16},
	{ZH: "所需教师P10", EN: "Needed P10", Format: Integer},
	{ZH: "所需教师P50", EN: "Needed P50", Format: Integer},
	{ZH: "所需教师P90", EN: "Needed P90", Format: Integer},
	{ZH: "现有教师", EN: "Present", Format: Integer},
	{ZH: "缺口P50(+缺/-余)", EN: "Gap P50 (+short/-spare)", Format: Integer},
	{ZH: "小学可减编制", EN: "Primary staff freed", Format: Integer},
	{ZH: "初中需增编制", EN: "Middle staff extra", Format: Integer},
	{ZH: "可调剂小学→初中", EN: "Movable primary→middle", Format: Integer},
	{ZH: "累计调剂", EN: "Cumulative moved", Format: Integer},
	{ZH: "说明", EN: "Note (中文)", Width: 60},
	{ZH: "Note", EN: "Note (English)", Width: 60},
}

// teacherSheet lists the teachers needed by county, year and level against
// those present, with the optimiser's primary-to-middle shifts on the
// primary and middle rows.
func teacherSheet(f *excelize.File, st *styles, sheet, title string, p *Plan) error {
	t, err := newTable(f, st, sheet, title, teacherColumns)
	if err != nil {
		return err
	}
	type key struct {
		county string
		year   int
	}
	shifts := map[key]*optimize.TeacherShift{}
	for i := range p.Layout.TeacherShifts {
		s := &p.Layout.TeacherShifts[i]
		shifts[key{s.County, s.Year}] = s
	}
	res := p.Forecast
	counties := append([]forecast.CountyForecast{res.City}, res.Counties...)
	for ci, c := range counties {
		name := c.County
		if ci == 0 {
			name = "全市 City"
		}
		for _, y := range c.Years {
			sh := shifts[key{c.County, y.Year}]
			for _, l := range y.Levels {
				if l.TeachersNeeded.P50 == 0 && l.TeachersPresent == 0 {
					continue
				}
				gap := math.Round(float64(l.TeachersNeeded.P50) - l.TeachersPresent)
				zh, en := teacherNote(y.Year, l)
				var freed, extra, movable, cum any
				if sh != nil && (l.Level == data.LevelPrimary || l.Level == data.LevelMiddle) {
					freed, extra, movable, cum = sh.PrimaryFreed, sh.MiddleExtra, sh.Movable, sh.Cumulative
					zh += "；" + sh.ReasonZH
					en += "; " + sh.Reason
				}
				var over map[int]int
				if gap > 0 && l.TeachersPresent > 0 && gap/l.TeachersPresent > 0.1 {
					over = map[int]int{7: st.red}
				} else if gap > 0 {
					over = map[int]int{7: st.amber}
				}
				err := t.addStyled(over, name, y.Year, l.Level.Label()+" "+string(l.Level),
					l.TeachersNeeded.P10, l.TeachersNeeded.P50, l.TeachersNeeded.P90, l.TeachersPresent, gap,
					freed, extra, movable, cum, zh, en)
				if err != nil {
					return err
				}
			}
		}
	}
	return t.close()
}

// teacherNote says in words how the teachers needed compare with those
// present.
func teacherNote(year int, l forecast.LevelForecast) (zh, en string) {
	need, have := math.Round(float64(l.TeachersNeeded.P50)), math.Round(l.TeachersPresent)
	switch {
	case need > have:
		return fmt.Sprintf("%d年%s按编制标准需教师%.0f人（P50），现有%.0f人，缺%.0f人", year, l.Level.Label(), need, have, need-have),
			fmt.Sprintf("%d: %s needs %.0f teachers at the staffing standard (P50), %.0f present, %.0f short", year, l.Level, need, have, need-have)
	case need < have:
		return fmt.Sprintf("%d年%s按编制标准需教师%.0f人（P50），现有%.0f人，富余%.0f人", year, l.Level.Label(), need, have, have-need),
			fmt.Sprintf("%d: %s needs %.0f teachers at the staffing standard (P50), %.0f present, %.0f spare", year, l.Level, need, have, have-need)
	}
	return fmt.Sprintf("%d年%s教师数与编制需求持平（%.0f人）", year, l.Level.Label(), need),
		fmt.Sprintf("%d: %s teachers match the need (%.0f)", year, l.Level, need)
}
