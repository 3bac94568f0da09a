package forecast_test

import (
	"context"
	"fmt"
	"log"
	"math"
	"strings"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/forecast"
)

// exampleCounty is a one-township county with one primary school whose
// entrants are 95 % of the blended births and whose pupils all progress.
func exampleCounty() *data.Dataset {
	ds := &data.Dataset{Source: "example"}
	ds.Areas = []data.Area{{ID: "A", County: "东县", Township: "城关镇", Lon: 116, Lat: 36.4, Residents: 20000}}
	births := func(y int) float64 { return 300 - 10*float64(max(0, y-2016)) }
	for y := 2008; y <= 2024; y++ {
		ds.Births = append(ds.Births, data.BirthRow{County: "东县", Year: y, Births: int(births(y))})
	}
	for _, sex := range []data.Sex{data.Male, data.Female} {
		for a := 0; a <= 100; a++ {
			p := 150.0
			if 2024-a >= 2008 {
				p = births(2024-a) / 2
			}
			ds.Population = append(ds.Population, data.PopulationRow{County: "东县", Township: "城关镇", Year: 2024, Sex: sex, Age: a, Persons: int(p)})
		}
	}
	ds.Schools = []data.School{{ID: "P", Name: "城关小学", County: "东县", Township: "城关镇", Lon: 116, Lat: 36.4, Type: data.Primary, Classrooms: 30, MaxClassrooms: 36}}
	for y := 2018; y <= 2024; y++ {
		for g := 1; g <= 6; g++ {
			b := births(y-g-6)/3 + 2*births(y-g-5)/3
			ds.Enrolment = append(ds.Enrolment, data.EnrolmentRow{SchoolID: "P", Year: y, Grade: data.Grade(g), Students: int(0.95 * b), Classes: 6})
		}
	}
	return ds
}

func ExampleRun() {
	sc := forecast.Default()
	sc.Draws = 200
	res, err := forecast.Run(context.Background(), exampleCounty(), sc, forecast.Options{}, nil)
	if err != nil {
		log.Fatal(err)
	}
	y := res.City.Year(2030)
	p := y.Level(data.LevelPrimary).Pupils
	fmt.Printf("forecast %d–%d from %d\n", res.Years[0], res.Years[len(res.Years)-1], res.BaseYear)
	fmt.Printf("2030 primary pupils: P50 about %.0f\n", math.Round(p.P50/10)*10)
	fmt.Println("P10 ≤ P50 ≤ P90:", p.P10 <= p.P50 && p.P50 <= p.P90)
	// Output:
	// forecast 2025–2035 from 2024
	// 2030 primary pupils: P50 about 1410
	// P10 ≤ P50 ≤ P90: true
}

func ExampleBacktest() {
	sc := forecast.Default()
	sc.Draws = 100
	bt, err := forecast.Backtest(context.Background(), exampleCounty(), sc, forecast.BacktestSpec{Holdout: 3}, forecast.Options{}, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("origins:", bt.Origins)
	for _, a := range bt.Levels[0].City {
		fmt.Printf("%s lead %d: %d forecasts, beats naive: %v\n", bt.Levels[0].Level, a.Lead, a.N, a.MAPE < a.NaiveMAPE)
	}
	// Output:
	// origins: [2021 2022 2023]
	// primary lead 1: 3 forecasts, beats naive: true
	// primary lead 2: 2 forecasts, beats naive: true
	// primary lead 3: 1 forecasts, beats naive: true
}

func ExampleDecodeScenario() {
	sc, err := forecast.DecodeScenario(strings.NewReader(`
base = "low"
draws = 500
[class_size]
primary = 40
`), "toml")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sc.Name, sc.Draws, sc.ClassSize.Primary, sc.TFRMultiplier)
	_, err = forecast.DecodeScenario(strings.NewReader("drawz: 5\n"), "yaml")
	fmt.Println(err != nil && strings.Contains(err.Error(), "drawz"))
	// Output:
	// custom-low 500 40 0.8
	// true
}

func ExampleBuiltin() {
	for _, name := range forecast.BuiltinNames {
		sc, _ := forecast.Builtin(name)
		fmt.Printf("%s: fertility ×%.1f, migration %+.3f\n", sc.Name, sc.TFRMultiplier, sc.MigrationShift)
	}
	// Output:
	// low: fertility ×0.8, migration -0.003
	// medium: fertility ×1.0, migration +0.000
	// high: fertility ×1.2, migration +0.003
}

func ExampleEntryBlend() {
	// China's births in 万: entrants of autumn 2023 were born Sep 2016–Aug
	// 2017.
	births := map[int]float64{2016: 1786, 2017: 1723}
	b := forecast.EntryBlend(func(y int) float64 { return births[y] }, 2023, 6, 1.0/3)
	fmt.Printf("%.1f\n", b)
	// Output: 1744.0
}

func ExampleQuantile() {
	x := []float32{5, 1, 4, 2, 3}
	fmt.Println(forecast.Quantile(x, 0.5), forecast.Quantile(x, 0.9))
	// Output: 3 4.6
}

func ExampleCohortStep() {
	surv := forecast.ModelSurvival(1)
	pop := make([]float64, 202)
	mig := make([]float64, 202)
	pop[10] = 1000 // boys aged 10
	next := make([]float64, 202)
	forecast.CohortStep(next, pop, &surv, mig, 0.01, 0, 1.1)
	fmt.Printf("boys aged 11 a year later: %.0f\n", next[11])
	// Output: boys aged 11 a year later: 1009
}

func ExampleRake() {
	// Two townships' children aged 6 and 7 controlled to the county's.
	m := []float64{10, 20, 30, 40}
	forecast.Rake(m, 2, 2, []float64{40, 60}, []float64{30, 70}, 20, make([]float64, 2))
	fmt.Printf("%.1f %.1f | %.1f %.1f\n", m[0], m[1], m[2], m[3])
	// Output: 10.0 30.0 | 20.0 40.0
}

func ExampleProgressionRatios() {
	// Two grades over three years: grade 2 keeps 98 % of last year's grade 1.
	hist := [][]float64{{100, 95}, {110, 98}, {105, 107.8}}
	r := forecast.ProgressionRatios(hist, 0.4)
	next := forecast.Progress(nil, hist[2], r, 100)
	fmt.Printf("ratio %.3f, next year's grade 2 %.1f\n", r[1], next[1])
	// Output: ratio 0.980, next year's grade 2 102.9
}
