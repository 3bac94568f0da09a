package report

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"github.com/seatplan/seatplan/data"
)

var reallocationColumns = []Column{
	{ZH: "类别", EN: "Kind", Width: 18},
	{ZH: "学段", EN: "Level", Width: 16},
	{ZH: "片区编码", EN: "Area ID", Width: 12},
	{ZH: "片区", EN: "Area", Width: 20},
	{ZH: "区县", EN: "County", Width: 12},
	{ZH: "原对口学校", EN: "From school", Width: 28},
	{ZH: "调剂至学校", EN: "To school", Width: 28},
	{ZH: "学生", EN: "Pupils", Format: Integer},
	{ZH: "距离(公里)", EN: "Km", Format: Decimal1},
	{ZH: "时间(分钟)", EN: "Minutes", Format: Decimal1},
	{ZH: "理由", EN: "Reason (中文)", Width: 60},
	{ZH: "Reason", EN: "Reason (English)", Width: 60},
}

// names looks up area and school names for the sheets that show IDs.
type names struct {
	areas   map[string]*data.Area
	schools map[string]string
}

func newNames(p *Plan) *names {
	n := &names{areas: map[string]*data.Area{}, schools: map[string]string{}}
	if p.Dataset != nil {
		for i := range p.Dataset.Areas {
			a := &p.Dataset.Areas[i]
			n.areas[a.ID] = a
		}
		for i := range p.Dataset.Schools {
			s := &p.Dataset.Schools[i]
			n.schools[s.ID] = s.Name
		}
	}
	for _, s := range p.Layout.NewSchools {
		n.schools[s.SiteID] = s.Name
	}
	return n
}

// school returns "ID name", or "" for an empty ID.
func (n *names) school(id string) string {
	if id == "" {
		return ""
	}
	if name, ok := n.schools[id]; ok {
		return id + " " + name
	}
	return id
}

func (n *names) area(id string) (name, county string) {
	if a, ok := n.areas[id]; ok {
		return a.Name, a.County
	}
	return "", ""
}

// reallocationSheet lists, per level, the proposed zone changes, the demand
// left unmet and the full target-year allocation of areas to schools.
func reallocationSheet(f *excelize.File, st *styles, title string, p *Plan) error {
	lay := p.Layout
	moved, unmet, flows := 0, 0, 0
	for _, r := range lay.Reallocation {
		moved += len(r.Moves)
		unmet += r.Unmet
		flows += len(r.Flows)
	}
	title += fmt.Sprintf(" — 学区调整 %d zone changes, 未满足 %d unmet pupils, %d flows", moved, unmet, flows)
	t, err := newTable(f, st, SheetReallocation, title, reallocationColumns)
	if err != nil {
		return err
	}
	nm := newNames(p)
	for _, r := range lay.Reallocation {
		level := r.Level.Label() + " " + string(r.Level)
		for _, m := range r.Moves {
			name, county := nm.area(m.AreaID)
			if m.AreaName != "" {
				name = m.AreaName
			}
			if err := t.add("学区调整 zone change", level, m.AreaID, name, county, nm.school(m.From), nm.school(m.To),
				m.Pupils, nil, nil, m.ReasonZH, m.Reason); err != nil {
				return err
			}
		}
		for _, u := range r.Short {
			if err := t.addStyled(map[int]int{0: st.amber}, "未满足 unmet", level, u.AreaID, u.Name, u.County, nil, nil,
				u.Pupils, nil, nil, u.ReasonZH, u.Reason); err != nil {
				return err
			}
		}
	}
	for _, r := range lay.Reallocation {
		level := r.Level.Label() + " " + string(r.Level)
		for _, fl := range r.Flows {
			name, county := nm.area(fl.AreaID)
			zh := fmt.Sprintf("%d年%s学生%d人就读%s（%.1f公里，%.0f分钟）：在上学时间限度和学校容量内总路程最短的分配（最小费用流）",
				r.Year, r.Level.Label(), fl.Pupils, fl.SchoolID, fl.Km, fl.Minutes)
			en := fmt.Sprintf("%d %s pupils attend %s in %d (%.1f km, %.0f min): the allocation of least total travel within the travel limit and capacities (min-cost flow)",
				fl.Pupils, r.Level, fl.SchoolID, r.Year, fl.Km, fl.Minutes)
			if err := t.add("分配 allocation", level, fl.AreaID, name, county, nil, nm.school(fl.SchoolID),
				fl.Pupils, fl.Km, fl.Minutes, zh, en); err != nil {
				return err
			}
		}
	}
	return t.close()
}
