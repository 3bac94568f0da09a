package forecast

import (
	"context"
	"fmt"
	"math"

	"github.com/seatplan/seatplan/data"
)

// BacktestResult is a rolling-origin backtest: the forecast is run from each
// origin year with only the data up to it, and compared with what the
// dataset records for the following years. Errors are percentages of the
// actual value, forecast minus actual; the naive baseline repeats the value
// of the origin year.
type BacktestResult struct {
	Scenario string `json:"scenario"`
	Source   string `json:"source"`
	// Holdout is the longest lead; Origins the origin years used and
	// LastYear the last year with data.
	Holdout int `json:"holdout"`
	// KnownBirths is true in an ex-post backtest, where each origin's
	// forecast was given the births recorded after it.
	KnownBirths bool  `json:"known_births"`
	Origins     []int `json:"origins"`
	LastYear    int   `json:"last_year"`
	Draws       int   `json:"draws"`
	// Levels holds the accuracy of total pupils by level at city, county
	// and school scale, by lead time.
	Levels []LevelAccuracy `json:"levels"`
	// Coverage is the share of realised values inside the forecast's
	// P10–P90 over all levels, leads and origins, by scale.
	Coverage Coverage `json:"coverage"`
	// Points lists every city and county comparison.
	Points []BacktestPoint `json:"points"`
}

// Coverage is the share of realised values inside the P10–P90 interval.
type Coverage struct {
	City   float64 `json:"city"`
	County float64 `json:"county"`
	School float64 `json:"school"`
}

// LevelAccuracy is one level's accuracy by lead time at each scale.
type LevelAccuracy struct {
	Level  data.Level     `json:"level"`
	City   []LeadAccuracy `json:"city"`
	County []LeadAccuracy `json:"county"`
	// School compares each school's pupils of the level, over schools
	// with at least 50 pupils of it in the actual year.
	School []LeadAccuracy `json:"school"`
	// CityPooled, CountyPooled and SchoolPooled pool the comparisons of
	// every lead 1..Holdout (Lead 0): the accuracy of the whole holdout
	// period, where each origin's later years weigh as much as its first.
	CityPooled   LeadAccuracy `json:"city_pooled"`
	CountyPooled LeadAccuracy `json:"county_pooled"`
	SchoolPooled LeadAccuracy `json:"school_pooled"`
}

// LeadAccuracy summarises the errors at one lead time.
type LeadAccuracy struct {
	Lead int `json:"lead"`
	// N is the number of comparisons.
	N int `json:"n"`
	// MAPE is the mean absolute percentage error of the P50 and
	// MeanSignedError its mean signed percentage error.
	MAPE            float64 `json:"mape"`
	MeanSignedError float64 `json:"mean_signed_error"`
	// NaiveMAPE and NaiveMeanSignedError are those of the last observed
	// value.
	NaiveMAPE            float64 `json:"naive_mape"`
	NaiveMeanSignedError float64 `json:"naive_mean_signed_error"`
	// Coverage is the share of actual values inside P10–P90.
	Coverage float64 `json:"coverage"`
}

// BacktestPoint is one compared value.
type BacktestPoint struct {
	Origin   int        `json:"origin"`
	Year     int        `json:"year"`
	County   string     `json:"county"`
	Level    data.Level `json:"level"`
	Actual   float64    `json:"actual"`
	Forecast Quantiles  `json:"forecast"`
	Naive    float64    `json:"naive"`
}

// minSchoolPupils is the smallest actual enrolment of a school level that
// enters the school-scale errors: below it percentages mean little.
const minSchoolPupils = 50

// BacktestSpec says what a backtest holds back from each origin.
type BacktestSpec struct {
	// Holdout is the longest lead time in years: origins are the Holdout
	// years before the last enrolment year.
	Holdout int
	// KnownBirths gives each origin's forecast the births recorded after
	// it (an ex-post test): the errors are then those of the population
	// and enrolment model alone, without the error of forecasting births,
	// which dominates kindergarten beyond three years and primary entry
	// beyond six. Every other input still stops at the origin.
	KnownBirths bool
}

// Backtest runs rolling-origin forecasts from each of the spec.Holdout
// years before the last enrolment year, with sc.Draws draws each, and
// reports accuracy by lead 1..Holdout. progress counts draws over all
// origins.
func Backtest(ctx context.Context, ds *data.Dataset, sc Scenario, spec BacktestSpec, opt Options, progress func(done, total int)) (*BacktestResult, error) {
	holdout := spec.Holdout
	if ds == nil {
		return nil, fmt.Errorf("backtest: nil dataset")
	}
	if holdout < 1 {
		return nil, fmt.Errorf("backtest: holdout %d; expected at least 1", holdout)
	}
	first, last := math.MaxInt, math.MinInt
	for _, r := range ds.Enrolment {
		first = min(first, r.Year)
		last = max(last, r.Year)
	}
	if last == math.MinInt {
		return nil, fmt.Errorf("backtest: %w", ErrNoHistory)
	}
	if last-holdout-first+1 < 3 {
		return nil, fmt.Errorf("backtest: enrolment %d–%d is too short for holdout %d; expected at least 3 years before the first origin", first, last, holdout)
	}
	actual := actuals(ds, sc)
	br := &BacktestResult{Scenario: sc.Name, Source: ds.Source, Holdout: holdout, KnownBirths: spec.KnownBirths, LastYear: last, Draws: sc.Draws}
	type acc struct {
		n, nCov                      int
		ape, spe, naiveApe, naiveSpe float64
	}
	var city, county, school [nLevel][]acc
	for l := 0; l < nLevel; l++ {
		city[l] = make([]acc, holdout)
		county[l] = make([]acc, holdout)
		school[l] = make([]acc, holdout)
	}
	var cov [3][2]int
	add := func(a *acc, f Quantiles, act, naive float64, scale int) {
		a.n++
		e := (f.P50 - act) / act * 100
		ne := (naive - act) / act * 100
		a.ape += math.Abs(e)
		a.spe += e
		a.naiveApe += math.Abs(ne)
		a.naiveSpe += ne
		cov[scale][1]++
		if f.Contains(act) {
			a.nCov++
			cov[scale][0]++
		}
	}
	sc.Horizon = last
	total := holdout * sc.Draws
	for k, origin := 0, last-holdout; origin < last; k, origin = k+1, origin+1 {
		br.Origins = append(br.Origins, origin)
		var prog func(int, int)
		if progress != nil {
			base := k * sc.Draws
			prog = func(d, _ int) { progress(base+d, total) }
		}
		birthsCutoff := origin
		if spec.KnownBirths {
			birthsCutoff = last
		}
		res, err := run(ctx, ds, sc, opt, origin, birthsCutoff, prog)
		if err != nil {
			return nil, fmt.Errorf("backtest from %d: %w", origin, err)
		}
		for yi, y := range res.Years {
			lead := y - origin
			for c := 0; c <= len(res.Counties); c++ {
				cf := &res.City
				name := ""
				if c < len(res.Counties) {
					cf = &res.Counties[c]
					name = cf.County
				}
				for _, lf := range cf.Years[yi].Levels {
					l := levelIndex(lf.Level)
					act := actual.county[name][y][l]
					naive := actual.county[name][origin][l]
					if act <= 0 {
						continue
					}
					br.Points = append(br.Points, BacktestPoint{Origin: origin, Year: y, County: cf.County, Level: lf.Level, Actual: act, Forecast: lf.Pupils, Naive: naive})
					if name == "" {
						add(&city[l][lead-1], lf.Pupils, act, naive, 0)
					} else {
						add(&county[l][lead-1], lf.Pupils, act, naive, 1)
					}
				}
			}
			for _, sf := range res.Schools {
				for _, sec := range sf.Years[yi].Sections {
					l := levelIndex(sec.Level)
					act := actual.school[sf.SchoolID][y][l]
					if act < minSchoolPupils {
						continue
					}
					add(&school[l][lead-1], sec.Pupils, act, actual.school[sf.SchoolID][origin][l], 2)
				}
			}
		}
	}
	summary := func(a []acc) []LeadAccuracy {
		out := make([]LeadAccuracy, 0, len(a))
		for i, x := range a {
			if x.n == 0 {
				continue
			}
			n := float64(x.n)
			out = append(out, LeadAccuracy{Lead: i + 1, N: x.n, MAPE: x.ape / n, MeanSignedError: x.spe / n,
				NaiveMAPE: x.naiveApe / n, NaiveMeanSignedError: x.naiveSpe / n, Coverage: float64(x.nCov) / n})
		}
		return out
	}
	pooled := func(a []acc) LeadAccuracy {
		var t acc
		for _, x := range a {
			t.n += x.n
			t.nCov += x.nCov
			t.ape += x.ape
			t.spe += x.spe
			t.naiveApe += x.naiveApe
			t.naiveSpe += x.naiveSpe
		}
		s := summary([]acc{t})
		if len(s) == 0 {
			return LeadAccuracy{}
		}
		s[0].Lead = 0
		return s[0]
	}
	for l := 0; l < nLevel; l++ {
		la := LevelAccuracy{Level: data.Levels[l], City: summary(city[l]), County: summary(county[l]), School: summary(school[l]),
			CityPooled: pooled(city[l]), CountyPooled: pooled(county[l]), SchoolPooled: pooled(school[l])}
		if len(la.City) > 0 || len(la.School) > 0 {
			br.Levels = append(br.Levels, la)
		}
	}
	share := func(c [2]int) float64 {
		if c[1] == 0 {
			return 0
		}
		return float64(c[0]) / float64(c[1])
	}
	br.Coverage = Coverage{City: share(cov[0]), County: share(cov[1]), School: share(cov[2])}
	return br, nil
}

// observed holds recorded pupils by county ("" for the city) or school,
// year and level.
type observed struct {
	county map[string]map[int][nLevel]float64
	school map[string]map[int][nLevel]float64
}

func actuals(ds *data.Dataset, sc Scenario) observed {
	ob := observed{county: map[string]map[int][nLevel]float64{}, school: map[string]map[int][nLevel]float64{}}
	type info struct {
		county       string
		primaryYears int
	}
	schools := make(map[string]info, len(ds.Schools))
	for _, s := range ds.Schools {
		py := s.PrimaryYears
		if py != 5 || sc.fiveYearCounty(s.County) {
			py = 6
			if sc.fiveYearCounty(s.County) {
				py = 5
			}
		}
		schools[s.ID] = info{s.County, py}
	}
	addTo := func(m map[string]map[int][nLevel]float64, k string, y, l int, v float64) {
		if m[k] == nil {
			m[k] = map[int][nLevel]float64{}
		}
		a := m[k][y]
		a[l] += v
		m[k][y] = a
	}
	for _, r := range ds.Enrolment {
		s, ok := schools[r.SchoolID]
		if !ok {
			continue
		}
		l := levelIndex(r.Grade.Level(s.primaryYears))
		v := float64(r.Students)
		addTo(ob.county, s.county, r.Year, l, v)
		addTo(ob.county, "", r.Year, l, v)
		addTo(ob.school, r.SchoolID, r.Year, l, v)
	}
	return ob
}
