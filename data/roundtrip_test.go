package data

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// smallDataset is a hand-made valid dataset with one of everything.
func smallDataset() *Dataset {
	ds := &Dataset{
		Areas: []Area{
			{ID: "A1", Name: "古楼社区", County: "东昌府区", Township: "古楼街道", Lon: 115.986, Lat: 36.457, Urban: true, Residents: 5200, Kids: [5]int{150, 160, 320, 150, 140}, HasKids: true},
			{ID: "A2", Name: "张庄村, 北", County: "东昌府区", Township: "沙镇", Lon: 115.81, Lat: 36.39, Residents: 830, Kids: [5]int{20, 22, 50, 24, 21}, HasKids: true},
		},
		Births: []BirthRow{
			{County: "东昌府区", Year: 2016, Births: 15000},
			{County: "东昌府区", Year: 2017, Births: 15400},
		},
		Schools: []School{
			{ID: "S1", Name: "古楼小学", County: "东昌府区", Township: "古楼街道", Lon: 115.99, Lat: 36.46, Type: Primary, Public: true, Classrooms: 24, MaxClassrooms: 30, Capacity: 1080, PrimaryYears: 6},
			{ID: "S2", Name: "=HYPERLINK(\"x\")", County: "东昌府区", Township: "沙镇", Lon: 115.8, Lat: 36.4, Type: NineYear, Public: true, Classrooms: 18, MaxClassrooms: 18, Grades: GradeRange{1, 9}, Boarding: true, SiteAreaM2: 20000.5, FloorAreaM2: 8000, Keep: true, PrimaryYears: 6},
			{ID: "K1", Name: "沙镇幼儿园", County: "东昌府区", Township: "沙镇", Lon: 115.805, Lat: 36.395, Type: Kindergarten, Classrooms: 6, MaxClassrooms: 9, PrimaryYears: 6},
		},
		Enrolment: []EnrolmentRow{
			{SchoolID: "K1", Year: 2024, Grade: GradeK1, Students: 25, Classes: 1},
			{SchoolID: "S1", Year: 2023, Grade: 1, Students: 180, Classes: 4},
			{SchoolID: "S1", Year: 2024, Grade: 1, Students: 170, Classes: 4},
			{SchoolID: "S2", Year: 2024, Grade: 7, Students: 90, Classes: 2},
		},
		Teachers:   []TeacherRow{{SchoolID: "S2", Year: 2024, Level: LevelPrimary, Teachers: 12}, {SchoolID: "S2", Year: 2024, Level: LevelMiddle, Teachers: 9}},
		Zones:      []Zone{{AreaID: "A1", Level: LevelPrimary, SchoolID: "S1"}, {AreaID: "A2", Level: LevelMiddle, SchoolID: "S2"}},
		Candidates: []Candidate{{ID: "C1", Name: "新区北", County: "东昌府区", Lon: 116.0, Lat: 36.5, MaxClassrooms: 36, Cost: 12000}},
	}
	for _, sex := range []Sex{Male, Female} {
		for age := 0; age <= 100; age++ {
			ds.Population = append(ds.Population, PopulationRow{County: "东昌府区", Township: "古楼街道", Year: 2024, Sex: sex, Age: age, Persons: 100 + age})
		}
	}
	ds.sort()
	return ds
}

func TestRoundTrip(t *testing.T) {
	want := smallDataset()
	tests := []struct {
		name  string
		write func(dir string) (string, error)
	}{
		{"csv", func(dir string) (string, error) {
			p := filepath.Join(dir, "d")
			return p, WriteCSV(context.Background(), p, want, CSVOptions{})
		}},
		{"csv.gz", func(dir string) (string, error) {
			p := filepath.Join(dir, "d")
			return p, WriteCSV(context.Background(), p, want, CSVOptions{Gzip: true})
		}},
		{"xlsx", func(dir string) (string, error) {
			p := filepath.Join(dir, "d.xlsx")
			return p, WriteXLSX(context.Background(), p, want)
		}},
		{"gbk", func(dir string) (string, error) {
			p := filepath.Join(dir, "d")
			if err := WriteCSV(context.Background(), p, want, CSVOptions{}); err != nil {
				return "", err
			}
			return p, reencode(p)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := tc.write(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			got, warnings, err := Load(p)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range warnings {
				t.Logf("warning: %v", w)
			}
			got.Source = ""
			if !reflect.DeepEqual(got, want) {
				t.Errorf("loaded dataset differs:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

// reencode rewrites every CSV in dir as GBK (GB18030), with Chinese text.
func reencode(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		g, err := simplifiedchinese.GBK.NewEncoder().Bytes(b)
		if err != nil {
			return err
		}
		if err := os.WriteFile(p, g, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func TestTemplateValidates(t *testing.T) {
	p := filepath.Join(t.TempDir(), "template.xlsx")
	if err := WriteTemplate(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	got, warnings, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings on the template: %v", warnings)
	}
	got.Source = ""
	if want := TemplateExample(); !reflect.DeepEqual(got, want) {
		t.Errorf("template loads as\n%+v\nwant\n%+v", got, want)
	}
}
