package data

import (
	"strings"
	"testing"
)

func TestSummarize(t *testing.T) {
	s := Summarize(smallDataset())
	checks := []struct {
		name      string
		got, want int
	}{
		{"counties", s.Counties, 1},
		{"townships", s.Townships, 2},
		{"areas", s.Areas, 2},
		{"residents", s.Residents, 6030},
		{"primary schools", s.SchoolsByType[Primary], 1},
		{"nine-year schools", s.SchoolsByType[NineYear], 1},
		{"last year", s.LastYear, 2024},
		{"primary pupils 2024", s.PupilsByLevel[LevelPrimary], 170},
		{"middle pupils 2024", s.PupilsByLevel[LevelMiddle], 90},
		{"kindergarten pupils 2024", s.PupilsByLevel[LevelKindergarten], 25},
		{"first enrolment year", s.EnrolmentYears[0], 2023},
		{"first birth year", s.BirthYears[0], 2016},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
	var b strings.Builder
	if err := s.Write(&b); err != nil {
		t.Fatal(err)
	}
	// Values line up although labels mix Chinese and ASCII.
	col := -1
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n")[1:4] {
		i := strings.LastIndex(line, " ") + 1
		if w := displayWidth(line[:i]); col < 0 {
			col = w
		} else if w != col {
			t.Errorf("value of %q starts at column %d, want %d", line, w, col)
		}
	}
}
