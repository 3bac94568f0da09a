package forecast

import (
	"context"
	"testing"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/data/sample"
)

func loadSample(t testing.TB) *data.Dataset {
	t.Helper()
	ds, _, err := sample.Load()
	if err != nil {
		t.Fatalf("sample: %v", err)
	}
	return ds
}

func TestSampleForecast(t *testing.T) {
	ds := loadSample(t)
	sc := Default()
	sc.Draws = 100
	res, err := Run(context.Background(), ds, sc, Options{Areas: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Synthetic {
		t.Error("sample result not marked synthetic")
	}
	obs := actuals(ds, sc)
	first := res.City.Years[0]
	for _, lf := range first.Levels {
		prev := obs.county[""][res.BaseYear][levelIndex(lf.Level)]
		if r := lf.Pupils.P50 / prev; r < 0.8 || r > 1.2 {
			t.Errorf("%s: %d P50 %.0f against %.0f in %d", lf.Level, first.Year, lf.Pupils.P50, prev, res.BaseYear)
		}
	}
	if n := len(res.Areas); n != len(ds.Areas) {
		t.Errorf("%d areas of %d", n, len(ds.Areas))
	}
	kinds := map[WarningKind]int{}
	for _, w := range res.FirstWarnings {
		kinds[w.Kind]++
	}
	t.Logf("first warnings by kind: %v", kinds)
	for _, k := range []WarningKind{SeatShortage, UnderUse, SmallSchool} {
		if kinds[k] == 0 {
			t.Errorf("no %s warning on the sample", k)
		}
	}
	for _, n := range res.Notes {
		t.Log(n)
	}
}

// sampleBacktest runs the sample's 5-year backtest with 200 draws and logs
// every accuracy row.
func sampleBacktest(t *testing.T, knownBirths bool) *BacktestResult {
	t.Helper()
	if testing.Short() {
		t.Skip("backtest of the sample: five forecasts")
	}
	ds := loadSample(t)
	sc := Default()
	sc.Draws = 200
	bt, err := Backtest(context.Background(), ds, sc, BacktestSpec{Holdout: 5, KnownBirths: knownBirths}, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("origins %v, last year %d, %d draws, known births %v", bt.Origins, bt.LastYear, bt.Draws, bt.KnownBirths)
	t.Logf("level         scale   lead  n    MAPE%%  signed%%  naive%%  cover")
	for _, la := range bt.Levels {
		for _, sc := range []struct {
			name string
			acc  []LeadAccuracy
		}{{"city", la.City}, {"county", la.County}, {"school", la.School}} {
			for _, a := range sc.acc {
				t.Logf("%-13s %-7s %4d %4d %6.2f %8.2f %7.2f %6.2f", la.Level, sc.name, a.Lead, a.N, a.MAPE, a.MeanSignedError, a.NaiveMAPE, a.Coverage)
			}
		}
		t.Logf("%-13s city    all  %4d %6.2f %8.2f %7.2f %6.2f", la.Level, la.CityPooled.N, la.CityPooled.MAPE, la.CityPooled.MeanSignedError, la.CityPooled.NaiveMAPE, la.CityPooled.Coverage)
	}
	t.Logf("P10–P90 coverage: city %.2f, county %.2f, school %.2f", bt.Coverage.City, bt.Coverage.County, bt.Coverage.School)
	return bt
}

// cityLead returns level l's city accuracy at lead h.
func cityLead(t *testing.T, bt *BacktestResult, l data.Level, h int) LeadAccuracy {
	t.Helper()
	for _, la := range bt.Levels {
		if la.Level != l {
			continue
		}
		for _, a := range la.City {
			if a.Lead == h {
				return a
			}
		}
	}
	t.Fatalf("no city accuracy for %s at lead %d", l, h)
	return LeadAccuracy{}
}

// TestSampleBacktest runs `backtest --holdout 5` on the sample and checks
// the accuracy goals: better than the naive last value at every lead ≥ 2
// for every level at city, county and school scale, city 5-year MAPE ≤ 2 % per level (kindergarten's
// births-driven part is checked ex post by TestSampleBacktestKnownBirths)
// and P10–P90 coverage between 70 and 90 %.
func TestSampleBacktest(t *testing.T) {
	bt := sampleBacktest(t, false)
	for _, la := range bt.Levels {
		// Over the whole 5-year holdout (every origin, every lead) the
		// city error stays within 2 % for every level, kindergarten too.
		if p := la.CityPooled; p.N == 0 || p.MAPE > 2 || p.MAPE >= p.NaiveMAPE {
			t.Errorf("%s city MAPE over leads 1–5 %.2f %% (n %d, naive %.2f %%); expected ≤ 2 %% and below naive", la.Level, p.MAPE, p.N, p.NaiveMAPE)
		}
		// Every scale beats the naive value from lead 2: a school-scale
		// loss flags schools forecast from the wrong base (as middle
		// schools zoned to new primaries once were).
		for _, sc := range []struct {
			name string
			acc  []LeadAccuracy
		}{{"county", la.County}, {"school", la.School}} {
			for _, a := range sc.acc {
				if a.Lead >= 2 && a.MAPE >= a.NaiveMAPE {
					t.Errorf("%s %s lead %d: MAPE %.2f not below naive %.2f", la.Level, sc.name, a.Lead, a.MAPE, a.NaiveMAPE)
				}
			}
		}
		for _, a := range la.City {
			if a.Lead >= 2 && a.MAPE >= a.NaiveMAPE {
				t.Errorf("%s city lead %d: MAPE %.2f not below naive %.2f", la.Level, a.Lead, a.MAPE, a.NaiveMAPE)
			}
			// Kindergarten pupils of year t+5 include children born in
			// t+1 and t+2, after the origin: the sample's 2020–2021 births
			// collapse (−23 %, −13 %) is not foreseeable from the births
			// to 2019 (whose fitted drift is zero), so its 5-year error is
			// reported here and the model behind it is held to 2 % ex post.
			if a.Lead == 5 && la.Level != data.LevelKindergarten && a.MAPE > 2 {
				t.Errorf("%s city 5-year MAPE %.2f %% above 2 %%", la.Level, a.MAPE)
			}
		}
	}
	for _, c := range []struct {
		name string
		v    float64
	}{{"city", bt.Coverage.City}, {"county", bt.Coverage.County}, {"school", bt.Coverage.School}} {
		if c.v < 0.7 || c.v > 0.9 {
			t.Errorf("%s P10–P90 coverage %.2f outside 0.70–0.90", c.name, c.v)
		}
	}
}

// TestSampleBacktestKnownBirths runs the same backtest ex post, each origin
// given the births recorded after it: every level's city MAPE, kindergarten
// included, is then within 2 % at every lead, and the kindergarten 5-year
// error of the ex-ante backtest is shown to be the births forecast's.
func TestSampleBacktestKnownBirths(t *testing.T) {
	post := sampleBacktest(t, true)
	if !post.KnownBirths {
		t.Error("result does not record the ex-post mode")
	}
	for _, la := range post.Levels {
		for _, a := range la.City {
			if a.MAPE > 2 || (a.Lead >= 2 && a.MAPE >= a.NaiveMAPE) {
				t.Errorf("ex post %s city lead %d: MAPE %.2f %% (naive %.2f %%); expected ≤ 2 %% and below naive from lead 2", la.Level, a.Lead, a.MAPE, a.NaiveMAPE)
			}
		}
	}
	ante := sampleBacktest(t, false)
	k5a := cityLead(t, ante, data.LevelKindergarten, 5)
	k5p := cityLead(t, post, data.LevelKindergarten, 5)
	t.Logf("kindergarten city 5-year MAPE: %.2f %% ex ante, %.2f %% with the recorded births", k5a.MAPE, k5p.MAPE)
	if k5p.MAPE*10 > k5a.MAPE {
		t.Errorf("kindergarten 5-year MAPE %.2f %% ex post vs %.2f %% ex ante; expected the births forecast to account for at least nine tenths", k5p.MAPE, k5a.MAPE)
	}
}
