package forecast

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/seatplan/seatplan/data"
)

// Options tune how a forecast runs without changing its numbers.
type Options struct {
	// Workers is the number of goroutines running draws (default 2). The
	// results do not depend on it.
	Workers int
	// Areas asks for the per-area demand in Result.Areas.
	Areas bool
}

func (o Options) workers() int {
	w := o.Workers
	if w <= 0 {
		w = 2
	}
	return max(1, min(w, runtime.GOMAXPROCS(0)))
}

// Run forecasts ds under scenario sc from the last enrolment year to
// sc.Horizon with sc.Draws Monte Carlo draws. progress, when not nil, is
// called from the calling goroutine after each draw. The same scenario
// (including its seed) gives the same numbers whatever the number of
// workers.
func Run(ctx context.Context, ds *data.Dataset, sc Scenario, opt Options, progress func(done, total int)) (*Result, error) {
	return run(ctx, ds, sc, opt, math.MaxInt, math.MaxInt, progress)
}

func run(ctx context.Context, ds *data.Dataset, sc Scenario, opt Options, cutoff, birthsCutoff int, progress func(done, total int)) (*Result, error) {
	if ds == nil {
		return nil, fmt.Errorf("forecast: nil dataset")
	}
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	m, err := newModel(ds, sc, cutoff, birthsCutoff)
	if err != nil {
		return nil, fmt.Errorf("forecast %s: %w", ds.Source, err)
	}
	lay := newLayout(m)
	if need := int64(sc.Draws) * int64(lay.size) * 4; need > maxSampleBytes {
		return nil, &data.ParseError{File: "scenario " + sc.Name, Err: fmt.Errorf(
			"draws: %d draws of %d quantities (%d years) need %.1f GB; expected at most %d draws for this dataset and horizon",
			sc.Draws, lay.size, lay.nY, float64(need)/1e9, maxSampleBytes/(int64(lay.size)*4))}
	}
	samples, release := newSlab(sc.Draws * lay.size)
	adviseHugePages(samples)
	err = simulate(ctx, m, lay, samples, sc.Draws, opt.workers(), progress)
	if err != nil {
		release()
		return nil, fmt.Errorf("forecast %s: %w", ds.Source, err)
	}
	q, probs := summarise(m, lay, samples, sc.Draws, opt.workers())
	// Every goroutine reading the samples has returned.
	release()
	return assemble(m, lay, q, probs, opt), nil
}

// maxSampleBytes bounds the block of draws × quantities float32 samples
// a run holds. A province of 35,000 schools needs 5.3 GB for 1,000 draws
// to 2035; the bound keeps a run within a machine's memory instead of
// letting draws or horizon ask for tens of gigabytes.
const maxSampleBytes = 6 << 30

// simulate runs the draws on workers goroutines; draw k writes row k of
// samples. It returns once every worker has stopped.
func simulate(ctx context.Context, m *model, lay layout, samples []float32, draws, workers int, progress func(done, total int)) error {
	var next atomic.Int64
	done := make(chan struct{}, draws)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wk := newWorker(m, lay)
			for {
				k := int(next.Add(1) - 1)
				if k >= draws || ctx.Err() != nil {
					return
				}
				wk.draw(uint64(k), samples[k*lay.size:(k+1)*lay.size])
				done <- struct{}{}
			}
		}()
	}
	for i := 0; i < draws; i++ {
		select {
		case <-done:
			if progress != nil {
				progress(i+1, draws)
			}
		case <-ctx.Done():
			wg.Wait()
			return ctx.Err()
		}
	}
	wg.Wait()
	return nil
}

// probs holds, per school and year, the share of draws in which the pupils
// exceed the red and amber seat thresholds or fall below the small-school
// size.
type probs struct {
	red, amber, small []float32
}

// summarise takes P10/P50/P90 of every quantity, transposing the
// draw-major samples block by block.
func summarise(m *model, lay layout, samples []float32, draws, workers int) ([]Quantiles, probs) {
	q := make([]Quantiles, lay.size)
	nS := len(m.schools)
	pr := probs{red: make([]float32, nS*lay.nY), amber: make([]float32, nS*lay.nY), small: make([]float32, nS*lay.nY)}
	const block = 256
	nBlocks := (lay.size + block - 1) / block
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]float32, block*draws)
			var qt quantiler
			for {
				b := int(next.Add(1) - 1)
				if b >= nBlocks {
					return
				}
				q0 := b * block
				n := min(block, lay.size-q0)
				for k := 0; k < draws; k++ {
					src := samples[k*lay.size+q0 : k*lay.size+q0+n]
					for i, v := range src {
						buf[i*draws+k] = v
					}
				}
				for i := 0; i < n; i++ {
					x := buf[i*draws : (i+1)*draws]
					qi := q0 + i
					if qi >= lay.school && qi < lay.sect && (qi-lay.school)%nSchoolField == sfPupils {
						ys := (qi - lay.school) / nSchoolField
						si, yi := ys%lay.nS, ys/lay.nS
						sy := si*lay.nY + yi
						s := &m.schools[si]
						red := float32(m.sc.SeatRed * s.capacity)
						amber := float32(m.sc.SeatAmber * s.capacity)
						small := float32(m.sc.SmallSchool)
						var cr, ca, cs int
						for _, v := range x {
							if v > red {
								cr++
							}
							if v > amber {
								ca++
							}
							if v < small {
								cs++
							}
						}
						pr.red[sy] = float32(cr) / float32(draws)
						pr.amber[sy] = float32(ca) / float32(draws)
						pr.small[sy] = float32(cs) / float32(draws)
					}
					q[qi] = qt.of(x)
				}
			}
		}()
	}
	wg.Wait()
	return q, pr
}

func ratioQ(q Quantiles, d float64) Quantiles {
	if d <= 0 {
		return Quantiles{}
	}
	return q.Scale(1 / d)
}

// assemble builds the result from the quantiles.
func assemble(m *model, lay layout, q []Quantiles, pr probs, opt Options) *Result {
	ds := m.ds
	r := &Result{
		Scenario: m.sc, Source: ds.Source, Synthetic: ds.Synthetic, Draws: m.sc.Draws, Seed: m.sc.Seed,
		BaseYear: m.enrolBase, PopulationBaseYear: m.popBase, Years: m.years, Notes: m.notes,
	}
	if m.birthsLast > math.MinInt {
		r.BirthsLastYear = m.birthsLast
	}
	nC := len(m.counties)
	// Seats, teachers and classrooms by county and level.
	seats := make([][nLevel]float64, nC+1)
	teachers := make([][nLevel]float64, nC+1)
	has := make([][nLevel]bool, nC+1)
	for i := range m.schools {
		s := &m.schools[i]
		for _, c := range [2]int{s.county, nC} {
			for _, l := range s.levels {
				seats[c][l] += s.seats[l]
				has[c][l] = true
			}
			for l := 0; l < nLevel; l++ {
				teachers[c][l] += s.teachers[l]
			}
		}
	}
	county := func(c int, name string) CountyForecast {
		cf := CountyForecast{County: name, Years: make([]CountyYear, lay.nY)}
		for yi, y := range m.years {
			res := q[lay.c(c, yi, cfResidents)]
			cy := CountyYear{Year: y, Residents: res, Births: q[lay.c(c, yi, cfBirths)], TFR: q[lay.c(c, yi, cfTFR)]}
			for b := 0; b < nBand; b++ {
				cy.Ages.set(b, q[lay.c(c, yi, cfBand0+b)])
			}
			for l := 0; l < nLevel; l++ {
				if !has[c][l] {
					continue
				}
				o := cfLevel + 4*l
				pupils := q[lay.c(c, yi, o)]
				lf := LevelForecast{
					Level: data.Levels[l], Pupils: pupils, Classes: q[lay.c(c, yi, o+1)],
					Seats: seats[c][l], Utilisation: ratioQ(pupils, seats[c][l]),
					TeachersNeeded: q[lay.c(c, yi, o+2)], TeachersPresent: teachers[c][l],
					PupilsPer1000: q[lay.c(c, yi, o+3)],
				}
				if res.P10 > 0 {
					lf.SeatsPer1000 = Quantiles{seats[c][l] * 1000 / res.P90, seats[c][l] * 1000 / res.P50, seats[c][l] * 1000 / res.P10}
				}
				cy.Levels = append(cy.Levels, lf)
			}
			cf.Years[yi] = cy
		}
		return cf
	}
	r.City = county(nC, "全市 City")
	r.Counties = make([]CountyForecast, nC)
	for c, name := range m.counties {
		r.Counties[c] = county(c, name)
	}
	r.Townships = make([]TownshipForecast, len(m.units))
	for u := range m.units {
		un := &m.units[u]
		tf := TownshipForecast{County: m.counties[un.county], Township: un.township, Years: make([]TownshipYear, lay.nY)}
		for yi, y := range m.years {
			ty := TownshipYear{Year: y, Residents: q[lay.u(u, yi, ufResidents)], Births: q[lay.u(u, yi, ufBirths)]}
			for b := 0; b < nBand; b++ {
				ty.Ages.set(b, q[lay.u(u, yi, ufBand0+b)])
			}
			for l := 0; l < nLevel; l++ {
				ty.Demand.set(l, q[lay.u(u, yi, ufDemand0+l)])
			}
			tf.Years[yi] = ty
		}
		r.Townships[u] = tf
	}
	if opt.Areas {
		r.Areas = m.areas(lay, q)
	}
	r.Schools = make([]SchoolForecast, len(m.schools))
	for i := range m.schools {
		s := &m.schools[i]
		src := &ds.Schools[s.ds]
		sf := SchoolForecast{SchoolID: s.id, Name: src.Name, County: src.County, Township: src.Township, Type: src.Type,
			Capacity: s.capacity, Classrooms: src.Classrooms, BasePupils: s.basePupils, Years: make([]SchoolYear, lay.nY)}
		for yi, y := range m.years {
			pupils := q[lay.s(i, yi, sfPupils)]
			classes := q[lay.s(i, yi, sfClasses)]
			sy := SchoolYear{Year: y, Pupils: pupils, Classes: classes, Utilisation: ratioQ(pupils, s.capacity)}
			if avail := math.Min(classes.P50, s.usable); avail > 0 {
				sy.ClassSize = pupils.P50 / avail
			}
			for _, l := range s.levels {
				sec := SectionYear{Level: data.Levels[l], Pupils: pupils, Classes: classes, Seats: s.seats[l]}
				if k := s.section[l]; k >= 0 {
					sec.Pupils = q[lay.sc(k, yi, sfPupils)]
					sec.Classes = q[lay.sc(k, yi, sfClasses)]
				}
				sec.TeachersNeeded = sec.Pupils.Scale(1 / m.staffing(l))
				sy.Sections = append(sy.Sections, sec)
			}
			sf.Years[yi] = sy
		}
		r.Schools[i] = sf
	}
	warn(m, r, pr)
	return r
}

// areas spreads each township's forecast over its areas in proportion to
// their children of each band (or their residents).
func (m *model) areas(lay layout, q []Quantiles) []AreaForecast {
	areas := m.ds.Areas
	unitOf := make([]int, len(areas))
	tot := make([][nBand]float64, len(m.units))
	hasKids := make([]bool, len(m.units))
	for u := range hasKids {
		hasKids[u] = true
	}
	for i, a := range areas {
		unitOf[i] = m.unitFor(a.County, a.Township)
		if !a.HasKids {
			hasKids[unitOf[i]] = false
		}
	}
	raw := func(i, b int) float64 {
		if hasKids[unitOf[i]] {
			return float64(areas[i].Kids[b])
		}
		return float64(areas[i].Residents)
	}
	for i := range areas {
		for b := 0; b < nBand; b++ {
			tot[unitOf[i]][b] += raw(i, b)
		}
	}
	out := make([]AreaForecast, len(areas))
	for i, a := range areas {
		u := unitOf[i]
		af := AreaForecast{AreaID: a.ID, County: a.County, Township: a.Township, Years: make([]AreaYear, lay.nY)}
		var share [nBand]float64
		for b := range share {
			if tot[u][b] > 0 {
				share[b] = raw(i, b) / tot[u][b]
			}
		}
		for yi, y := range m.years {
			ay := AreaYear{Year: y}
			for b := 0; b < nBand; b++ {
				ay.Ages.set(b, q[lay.u(u, yi, ufBand0+b)].Scale(share[b]))
			}
			for l := 0; l < nLevel; l++ {
				ay.Demand.set(l, q[lay.u(u, yi, ufDemand0+l)].Scale(share[bandOfLevel[l]]))
			}
			af.Years[yi] = ay
		}
		out[i] = af
	}
	return out
}
