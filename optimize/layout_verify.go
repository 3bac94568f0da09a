package optimize

import (
	"errors"
	"fmt"
	"math"

	"github.com/seatplan/seatplan/data"
)

// Verify checks a layout against the input it was made from and returns
// every broken rule joined into one error, or nil:
//
//   - every pupil of every area is assigned once or reported unmet;
//   - no school takes more pupils than its seats after the plan's
//     expansions, and no expansion goes beyond the school's limit;
//   - no journey exceeds its level's limit, no grade 1–3 pupil travels
//     longer than the grade 1–3 limit, merged or reallocated, nor is sent
//     further than the primary merge distance;
//   - every class is within the standard size (classes needed ≤
//     classrooms);
//   - the merge plan's lower bound does not exceed its cost, and no
//     closed school receives pupils.
func (l *Layout) Verify(in *LayoutInput) error {
	st := in.Standards
	if st.ClassSize == (LevelInts{}) {
		st = DefaultStandards()
	}
	st.fillMergeDefaults()
	var errs []error
	bad := func(format string, args ...any) {
		if len(errs) < 50 {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	q := func(e Estimate) int {
		if l.Safe {
			return int(math.Round(e.P90))
		}
		return int(math.Round(e.P50))
	}
	lowerLimit := math.Min(st.Minutes.At(data.LevelPrimary), st.LowerPrimaryMinutes)
	closed := map[string]bool{}
	for _, p := range l.Merges.Proposals {
		closed[p.SchoolID] = true
	}
	for _, r := range l.Reallocation {
		got := map[string]int{}
		for _, f := range r.Flows {
			got[f.AreaID] += f.Pupils
			limit := st.Minutes.At(r.Level)
			if r.Level == data.LevelPrimary {
				limit = lowerLimit
			}
			if f.Minutes > limit+1e-6 {
				bad("%s: area %s → school %s takes %.1f min, limit %g", r.Level, f.AreaID, f.SchoolID, f.Minutes, limit)
			}
			if closed[f.SchoolID] {
				bad("%s: area %s sent to closed school %s", r.Level, f.AreaID, f.SchoolID)
			}
		}
		for _, u := range r.Short {
			got[u.AreaID] += u.Pupils
		}
		total := 0
		for _, a := range in.Dataset.Areas {
			d := in.AreaDemand[a.ID][l.TargetYear]
			want := q(d.At(r.Level))
			total += want
			if got[a.ID] != want {
				bad("%s: area %s has %d pupils but %d are assigned or unmet", r.Level, a.ID, want, got[a.ID])
			}
		}
		if r.Assigned+r.Unmet != r.Pupils || r.Pupils != total {
			bad("%s: %d assigned + %d unmet ≠ %d pupils (demand %d)", r.Level, r.Assigned, r.Unmet, r.Pupils, total)
		}
		for _, s := range r.Schools {
			if s.Pupils > s.Seats {
				bad("%s: school %s takes %d pupils in %d seats", r.Level, s.SchoolID, s.Pupils, s.Seats)
			}
			if s.ClassesNeeded > s.Classrooms {
				bad("%s: school %s needs %d classes in %d classrooms", r.Level, s.SchoolID, s.ClassesNeeded, s.Classrooms)
			}
		}
	}
	byID := map[string]*data.School{}
	for i := range in.Dataset.Schools {
		byID[in.Dataset.Schools[i].ID] = &in.Dataset.Schools[i]
	}
	for _, e := range l.Expansions {
		s := byID[e.SchoolID]
		if s == nil {
			bad("expansion of unknown school %s", e.SchoolID)
			continue
		}
		if e.County != s.County {
			bad("expansion of school %s names county %q, the school is in %q", e.SchoolID, e.County, s.County)
		}
		limit := max(min(max(s.MaxClassrooms, s.Classrooms), st.classCap(s.Type)), s.Classrooms)
		if e.RoomsAfter > limit {
			bad("school %s expands to %d classrooms, limit %d", e.SchoolID, e.RoomsAfter, limit)
		}
	}
	for _, p := range l.Merges.Proposals {
		n := 0
		for _, r := range p.Receivers {
			n += r.Pupils
			if closed[r.SchoolID] {
				bad("merge %s: receiver %s is closed too", p.SchoolID, r.SchoolID)
			}
			if r.LowerGrades > 0 && r.Minutes > st.LowerPrimaryMinutes+1e-6 {
				bad("merge %s → %s: grades 1–3 travel %.1f min, limit %g", p.SchoolID, r.SchoolID, r.Minutes, st.LowerPrimaryMinutes)
			}
			if r.LowerGrades > 0 && r.Km*1000 > st.MergePrimaryMetres*(1+1e-6)+1 {
				bad("merge %s → %s: grades 1–3 sent %.1f km, limit %g km", p.SchoolID, r.SchoolID, r.Km, st.MergePrimaryMetres/1000)
			}
		}
		if n != p.Pupils {
			bad("merge %s: %d pupils but %d placed", p.SchoolID, p.Pupils, n)
		}
		if s := byID[p.SchoolID]; s == nil || s.Keep {
			bad("merge %s: unknown school or marked keep", p.SchoolID)
		}
	}
	if m := l.Merges; m.LowerBound > m.Cost*(1+1e-9)+1e-6 {
		bad("merge lower bound %.2f exceeds cost %.2f", m.LowerBound, m.Cost)
	}
	return errors.Join(errs...)
}
