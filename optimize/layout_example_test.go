package optimize_test

import (
	"context"
	"fmt"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/optimize"
)

// A nine-year school with 30 classrooms whose primary section shrinks while
// its middle section grows: the schedule says when classrooms change hands.
func ExampleProposeLayout() {
	ds := &data.Dataset{
		Areas: []data.Area{{ID: "A1", Name: "村", County: "县", Township: "镇", Lon: 116, Lat: 36.5, Residents: 5000}},
		Schools: []data.School{{ID: "S1", Name: "一贯制学校", County: "县", Township: "镇", Lon: 116.001, Lat: 36.5,
			Type: data.NineYear, Public: true, Classrooms: 30, MaxClassrooms: 30}},
	}
	// Classes per year: primary then middle, one grade at a time.
	plan := map[int][9]int{
		2024: {4, 4, 3, 3, 3, 3, 3, 3, 3},
		2025: {4, 3, 3, 3, 3, 3, 4, 4, 3},
		2026: {3, 3, 3, 3, 3, 3, 4, 4, 4},
	}
	fc := map[int]optimize.GradePupils{}
	for y, classes := range plan {
		var gp optimize.GradePupils
		for k, c := range classes {
			size := 45
			if k >= 6 {
				size = 50
			}
			v := float64(c * size)
			gp.Set(data.Grade(k+1), optimize.Estimate{P50: v, P90: v})
			if y == 2024 {
				ds.Enrolment = append(ds.Enrolment, data.EnrolmentRow{SchoolID: "S1", Year: y, Grade: data.Grade(k + 1), Students: c * size, Classes: c})
			}
		}
		fc[y] = gp
	}
	in := optimize.LayoutInput{Dataset: ds, BaseYear: 2024, TargetYear: 2026,
		SchoolForecast: map[string]map[int]optimize.GradePupils{"S1": fc}}
	lay, err := optimize.ProposeLayout(context.Background(), in, optimize.LayoutOptions{}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, mv := range lay.Schedules[0].Moves {
		fmt.Println(mv.Text)
	}
	// Output:
	// 2025: 1 primary classrooms → middle
	// 2026: 1 primary classrooms → middle
}
