package data

import "strings"

// Column describes one column of an input table: its English key, its
// Chinese label, whether it is required, and a short description of what it
// holds (used in the template's instructions and in error messages).
type Column struct {
	Key      string
	Label    string
	Required bool
	Expect   string
}

// Table describes one input file or sheet.
type Table struct {
	Name     string
	Label    string
	Required bool
	Columns  []Column
	Purpose  string
}

// Header returns the bilingual header the template writes for c: the
// Chinese label then the English key, which the loaders accept as well as
// either alone.
func (c Column) Header() string { return c.Label + " " + c.Key }

// Tables is the data contract (DESIGN.md §2): every table in the order the
// loaders read and the template writes them.
var Tables = []Table{
	{Name: "areas", Label: "片区", Required: true, Purpose: "demand units: villages, communities, residential compounds / 需求单元：村、社区、小区", Columns: []Column{
		{"area_id", "片区编码", true, "a unique text ID"},
		{"name", "名称", true, "the area's name"},
		{"county", "区县", true, "county or district name"},
		{"township", "乡镇", true, "township or street name"},
		{"lon", "经度", true, "longitude in WGS84 degrees"},
		{"lat", "纬度", true, "latitude in WGS84 degrees"},
		{"urban", "城镇", true, "0 (rural) or 1 (urban)"},
		{"residents", "常住人口", true, "resident population, a whole number ≥ 0"},
		{"kids_0_2", "0-2岁", false, "children aged 0-2, a whole number ≥ 0"},
		{"kids_3_5", "3-5岁", false, "children aged 3-5, a whole number ≥ 0"},
		{"kids_6_11", "6-11岁", false, "children aged 6-11, a whole number ≥ 0"},
		{"kids_12_14", "12-14岁", false, "children aged 12-14, a whole number ≥ 0"},
		{"kids_15_17", "15-17岁", false, "children aged 15-17, a whole number ≥ 0"},
	}},
	{Name: "population", Label: "人口", Required: true, Purpose: "resident population by single year of age and sex / 分年龄分性别常住人口", Columns: []Column{
		{"county", "区县", true, "county or district name"},
		{"township", "乡镇", false, "township name, empty for county-level rows"},
		{"year", "年份", true, "a year such as 2020"},
		{"sex", "性别", true, "M or F (男/女)"},
		{"age", "年龄", true, "age 0-100 (100 = 100 and over)"},
		{"persons", "人数", true, "persons, a whole number ≥ 0"},
	}},
	{Name: "births", Label: "出生", Purpose: "births per year / 历年出生人口", Columns: []Column{
		{"county", "区县", true, "county or district name"},
		{"township", "乡镇", false, "township name, empty for county totals"},
		{"year", "年份", true, "a year such as 2017"},
		{"births", "出生人数", true, "births, a whole number ≥ 0"},
	}},
	{Name: "schools", Label: "学校", Required: true, Purpose: "schools and kindergartens / 学校与幼儿园", Columns: []Column{
		{"school_id", "学校编码", true, "a unique text ID"},
		{"name", "名称", true, "the school's name"},
		{"county", "区县", true, "county or district name"},
		{"township", "乡镇", true, "township or street name"},
		{"lon", "经度", true, "longitude in WGS84 degrees"},
		{"lat", "纬度", true, "latitude in WGS84 degrees"},
		{"type", "类型", true, "kindergarten, teaching_point, primary, middle, nine_year, twelve_year, complete_middle or high"},
		{"ownership", "办学性质", true, "public or private (公办/民办)"},
		{"classrooms", "教室数", true, "classrooms in use, a whole number ≥ 0"},
		{"max_classrooms", "最大教室数", true, "classrooms the site can hold, ≥ classrooms"},
		{"grades", "年级", false, "grade span such as 1-6, 7-9, K1-K3"},
		{"capacity", "学位数", false, "seats, a whole number ≥ 0"},
		{"boarding", "寄宿", false, "0 or 1"},
		{"site_area_m2", "占地面积", false, "site area in m², ≥ 0"},
		{"floor_area_m2", "建筑面积", false, "floor area in m², ≥ 0"},
		{"keep", "保留", false, "1 = never propose closing"},
		{"primary_years", "小学学制", false, "6 (六三制) or 5 (五四制)"},
	}},
	{Name: "enrolment", Label: "在校生", Required: true, Purpose: "pupils and classes by grade and year / 分年级在校生与班数", Columns: []Column{
		{"school_id", "学校编码", true, "an ID from the schools sheet"},
		{"year", "年份", true, "autumn term year such as 2024"},
		{"grade", "年级", true, "K0, K1, K2, K3 or 1 to 12"},
		{"students", "学生数", true, "pupils, a whole number ≥ 0"},
		{"classes", "班数", true, "classes, a whole number ≥ 0"},
	}},
	{Name: "teachers", Label: "教职工", Purpose: "teachers by level / 分学段教师数", Columns: []Column{
		{"school_id", "学校编码", true, "an ID from the schools sheet"},
		{"year", "年份", true, "a year such as 2024"},
		{"level", "学段", true, "kindergarten, primary, middle or high"},
		{"teachers", "教师数", true, "teachers, a whole number ≥ 0"},
	}},
	{Name: "zones", Label: "学区", Purpose: "current attendance zones / 现行学区划分", Columns: []Column{
		{"area_id", "片区编码", true, "an ID from the areas sheet"},
		{"level", "学段", true, "kindergarten, primary or middle"},
		{"school_id", "学校编码", true, "an ID from the schools sheet"},
	}},
	{Name: "candidates", Label: "候选校址", Purpose: "sites where a new school may be built / 新建学校候选校址", Columns: []Column{
		{"site_id", "校址编码", true, "a unique text ID"},
		{"name", "名称", true, "the site's name"},
		{"county", "区县", true, "county or district name"},
		{"lon", "经度", true, "longitude in WGS84 degrees"},
		{"lat", "纬度", true, "latitude in WGS84 degrees"},
		{"max_classrooms", "最大教室数", true, "classrooms the site can hold, a whole number > 0"},
		{"cost", "造价", false, "building cost in 万元, ≥ 0"},
	}},
}

// TableByName returns the table whose English name or Chinese label is name.
func TableByName(name string) (Table, bool) {
	for _, t := range Tables {
		if t.Name == name || t.Label == name {
			return t, true
		}
	}
	return Table{}, false
}

// headerTokens splits a header cell into the words a column can be known
// by: "学校编码 school_id", "学校编码(school_id)", "school_id/学校编码".
func headerTokens(h string) []string {
	h = strings.TrimPrefix(strings.TrimSpace(h), "\ufeff")
	h = strings.ToLower(h)
	f := strings.FieldsFunc(h, func(r rune) bool {
		switch r {
		case ' ', '\t', '\n', '\r', '(', ')', '（', '）', '/', '|', '[', ']', '【', '】', '　':
			return true
		}
		return false
	})
	return append(f, h)
}

// match returns the index of the column the header names, or -1.
func (t *Table) match(header string) int {
	for _, tok := range headerTokens(header) {
		for i, c := range t.Columns {
			if tok == c.Key || tok == strings.ToLower(c.Label) {
				return i
			}
		}
	}
	return -1
}
