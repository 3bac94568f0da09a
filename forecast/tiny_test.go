package forecast

import (
	"github.com/seatplan/seatplan/data"
)

// tinyDataset is a hand-made county of two townships with a primary
// school, a teaching point, a middle school and a kindergarten, births
// 2008–2024, population 2022–2024 and enrolment 2018–2024. Pupils follow
// births with an entry ratio of 0.95 and progression ratios of 0.99.
func tinyDataset() *data.Dataset {
	ds := &data.Dataset{Source: "tiny test county"}
	ds.Areas = []data.Area{
		{ID: "A1", Name: "城关", County: "东县", Township: "城关镇", Lon: 116.00, Lat: 36.45, Urban: true, Residents: 30000},
		{ID: "A2", Name: "北村", County: "东县", Township: "北乡", Lon: 116.05, Lat: 36.50, Residents: 8000},
	}
	births := map[int]float64{}
	for y := 2008; y <= 2024; y++ {
		b := 420.0
		switch {
		case y >= 2016 && y <= 2017:
			b = 520
		case y > 2017:
			b = 520 - 40*float64(y-2017)
		}
		births[y] = b
		ds.Births = append(ds.Births, data.BirthRow{County: "东县", Year: y, Births: int(b)})
	}
	share := map[string]float64{"城关镇": 0.8, "北乡": 0.2}
	for _, tw := range []string{"城关镇", "北乡"} {
		for y := 2022; y <= 2024; y++ {
			for _, sex := range []data.Sex{data.Male, data.Female} {
				for a := 0; a <= 100; a++ {
					var p float64
					switch {
					case y-a >= 2008:
						p = births[y-a] / 2
					case a <= 60:
						p = 260
					default:
						p = 260 * float64(101-a) / 41
					}
					ds.Population = append(ds.Population, data.PopulationRow{County: "东县", Township: tw, Year: y, Sex: sex, Age: a, Persons: int(p * share[tw])})
				}
			}
		}
	}
	ds.Schools = []data.School{
		{ID: "P1", Name: "城关小学", County: "东县", Township: "城关镇", Lon: 116.0, Lat: 36.45, Type: data.Primary, Public: true, Classrooms: 18, MaxClassrooms: 24},
		{ID: "T1", Name: "北村教学点", County: "东县", Township: "北乡", Lon: 116.05, Lat: 36.5, Type: data.TeachingPoint, Public: true, Classrooms: 3, MaxClassrooms: 3},
		{ID: "M1", Name: "东县一中", County: "东县", Township: "城关镇", Lon: 116.01, Lat: 36.46, Type: data.Middle, Public: true, Classrooms: 9, MaxClassrooms: 12},
		{ID: "K1", Name: "城关幼儿园", County: "东县", Township: "城关镇", Lon: 116.0, Lat: 36.44, Type: data.Kindergarten, Public: true, Classrooms: 12, MaxClassrooms: 12},
	}
	ds.Zones = []data.Zone{
		{AreaID: "A1", Level: data.LevelPrimary, SchoolID: "P1"},
		{AreaID: "A2", Level: data.LevelPrimary, SchoolID: "P1"},
		{AreaID: "A1", Level: data.LevelMiddle, SchoolID: "M1"},
		{AreaID: "A2", Level: data.LevelMiddle, SchoolID: "M1"},
		{AreaID: "A1", Level: data.LevelKindergarten, SchoolID: "K1"},
		{AreaID: "A2", Level: data.LevelKindergarten, SchoolID: "K1"},
	}
	for y := 2018; y <= 2024; y++ {
		blend := func(age int) float64 { return births[y-age-1]/3 + 2*births[y-age]/3 }
		add := func(id string, g data.Grade, v float64, size float64) {
			c := int(v/size) + 1
			ds.Enrolment = append(ds.Enrolment, data.EnrolmentRow{SchoolID: id, Year: y, Grade: g, Students: int(v), Classes: c})
		}
		for g := data.Grade(1); g <= 6; g++ {
			v := 0.95 * blend(5+int(g))
			for k := 1; k < int(g); k++ {
				v *= 0.99
			}
			if g <= 3 {
				add("T1", g, 0.1*v, 45)
				v *= 0.9
			}
			add("P1", g, v, 45)
		}
		for g := data.Grade(7); g <= 9; g++ {
			v := 0.95 * blend(5+int(g))
			for k := 1; k < int(g); k++ {
				v *= 0.99
			}
			add("M1", g, v, 50)
		}
		for g := data.GradeK1; g <= data.GradeK3; g++ {
			add("K1", g, 0.5*blend(int(g-data.GradeK1)+3), 30)
		}
	}
	for _, t := range []data.TeacherRow{
		{SchoolID: "P1", Year: 2024, Level: data.LevelPrimary, Teachers: 150},
		{SchoolID: "T1", Year: 2024, Level: data.LevelPrimary, Teachers: 6},
		{SchoolID: "M1", Year: 2024, Level: data.LevelMiddle, Teachers: 60},
		{SchoolID: "K1", Year: 2024, Level: data.LevelKindergarten, Teachers: 40},
	} {
		ds.Teachers = append(ds.Teachers, t)
	}
	return ds
}
