package optimize

import (
	"context"
	"slices"
	"testing"

	"github.com/seatplan/seatplan/data"
)

// The known answer: 30 classrooms, 20 primary and 9 middle classes in use in
// 2024, then primary needs 19, 18, 16, 16 classes and middle 11, 12, 14, 13.
// The spare classroom serves middle first; after that middle takes one
// classroom in 2025, one in 2026 and two in 2027, and nothing moves in 2028.
var schHand = struct {
	years   []int
	primary []int
	middle  []int
	moves   []ClassroomMove
}{
	years:   []int{2024, 2025, 2026, 2027, 2028},
	primary: []int{20, 19, 18, 16, 16},
	middle:  []int{9, 11, 12, 14, 13},
	moves: []ClassroomMove{
		{Year: 2025, Classrooms: 1, From: data.LevelPrimary, To: data.LevelMiddle},
		{Year: 2026, Classrooms: 1, From: data.LevelPrimary, To: data.LevelMiddle},
		{Year: 2027, Classrooms: 2, From: data.LevelPrimary, To: data.LevelMiddle},
	},
}

func TestSchSplitHand(t *testing.T) {
	need := make([][2]Estimate, len(schHand.years))
	for k := range need {
		p, m := float64(schHand.primary[k]), float64(schHand.middle[k])
		need[k] = [2]Estimate{{p - 1, p}, {m - 1, m}}
	}
	ys, moves := schSplit(schHand.years, 30, 20, need)
	checkMoves(t, moves)
	if last := ys[len(ys)-1]; last.PrimaryRooms != 16 || last.MiddleRooms != 14 || last.Short != 0 {
		t.Errorf("2028 split %+v, want 16 primary and 14 middle rooms, none short", last)
	}
}

func checkMoves(t *testing.T, moves []ClassroomMove) {
	t.Helper()
	strip := func(ms []ClassroomMove) []ClassroomMove {
		out := make([]ClassroomMove, len(ms))
		for k, m := range ms {
			out[k] = ClassroomMove{Year: m.Year, Classrooms: m.Classrooms, From: m.From, To: m.To}
		}
		return out
	}
	if got := strip(moves); !slices.Equal(got, schHand.moves) {
		t.Errorf("moves %+v, want %+v", got, schHand.moves)
	}
}

// handSchool is a nine-year school whose forecast needs the classes of
// schHand, six primary grades and three middle ones, each class full.
func handSchool() (*data.Dataset, map[string]map[int]GradePupils) {
	ds := &data.Dataset{
		Areas:   []data.Area{{ID: "A1", Name: "村", County: "县", Township: "镇", Lon: 116, Lat: 36.5, Residents: 5000}},
		Schools: []data.School{{ID: "S1", Name: "一贯制学校", County: "县", Township: "镇", Lon: 116.001, Lat: 36.5, Type: data.NineYear, Public: true, Classrooms: 30, MaxClassrooms: 30}},
	}
	spread := func(classes, grades int) []int {
		out := make([]int, grades)
		for k := range out {
			out[k] = classes / grades
			if k < classes%grades {
				out[k]++
			}
		}
		return out
	}
	fc := map[int]GradePupils{}
	for k, y := range schHand.years {
		var gp GradePupils
		for g, c := range spread(schHand.primary[k], 6) {
			v := float64(45 * c)
			gp.Set(data.Grade(g+1), Estimate{v, v})
			if k == 0 {
				ds.Enrolment = append(ds.Enrolment, data.EnrolmentRow{SchoolID: "S1", Year: y, Grade: data.Grade(g + 1), Students: 45 * c, Classes: c})
			}
		}
		for g, c := range spread(schHand.middle[k], 3) {
			v := float64(50 * c)
			gp.Set(data.Grade(g+7), Estimate{v, v})
			if k == 0 {
				ds.Enrolment = append(ds.Enrolment, data.EnrolmentRow{SchoolID: "S1", Year: y, Grade: data.Grade(g + 7), Students: 50 * c, Classes: c})
			}
		}
		fc[y] = gp
	}
	return ds, map[string]map[int]GradePupils{"S1": fc}
}

func TestScheduleHandSchool(t *testing.T) {
	ds, fc := handSchool()
	in := LayoutInput{Dataset: ds, BaseYear: 2024, TargetYear: 2028, SchoolForecast: fc}
	lay, err := ProposeLayout(context.Background(), in, LayoutOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(lay.Schedules) != 1 {
		t.Fatalf("%d schedules, want 1", len(lay.Schedules))
	}
	sc := lay.Schedules[0]
	checkMoves(t, sc.Moves)
	if sc.Moves[2].Text != "2027: 2 primary classrooms → middle" {
		t.Errorf("text %q", sc.Moves[2].Text)
	}
	t.Log(sc.Summary)
	t.Log(sc.SummaryZH)
	// Primary falls 20 → 16, middle rises 9 → 14 by 2027 (the peak).
	if first, peak := sc.Years[0], sc.Years[3]; first.PrimaryClasses.P90 != 20 || peak.MiddleClasses.P90 != 14 {
		t.Errorf("schedule years %+v", sc.Years)
	}
}
