package report

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/data/sample"
	"github.com/seatplan/seatplan/data/synth"
	"github.com/seatplan/seatplan/forecast"
	"github.com/seatplan/seatplan/optimize"
)

// cpuSeconds is the process's user and system CPU time, reported beside
// the wall time because benchmarks may share the machine.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}

// benchPlan forecasts ds with the default scenario and draws draws (the
// workbook's size does not depend on them) and proposes its layout.
func benchPlan(b *testing.B, ds *data.Dataset, draws int) *Plan {
	b.Helper()
	sc := forecast.Default()
	sc.Draws = draws
	res, err := forecast.Run(context.Background(), ds, sc, forecast.Options{Areas: true}, nil)
	if err != nil {
		b.Fatal(err)
	}
	in, err := optimize.InputFromForecast(ds, res, 0, optimize.DefaultStandards())
	if err != nil {
		b.Fatal(err)
	}
	lay, err := optimize.ProposeLayout(context.Background(), in, optimize.LayoutOptions{Seed: sc.Seed}, nil)
	if err != nil {
		b.Fatal(err)
	}
	return &Plan{Dataset: ds, Forecast: res, Layout: lay}
}

func benchmarkWorkbook(b *testing.B, p *Plan) {
	path := filepath.Join(b.TempDir(), "plan.xlsx")
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuSeconds()
	for b.Loop() {
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := WritePlanWorkbook(context.Background(), f, p); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuSeconds()-c0)/float64(b.N), "cpu-s/op")
	b.StopTimer()
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(st.Size())/(1<<20), "MB-file")
}

// BenchmarkWritePlanWorkbook writes the plan workbook (without the map) of
// the embedded city sample and of the generated province. The setup
// forecasts with 100 draws and proposes the layout, which takes minutes
// and several gigabytes at province scale.
func BenchmarkWritePlanWorkbook(b *testing.B) {
	b.Run("city", func(b *testing.B) {
		ds, _, err := sample.Load()
		if err != nil {
			b.Fatal(err)
		}
		benchmarkWorkbook(b, benchPlan(b, ds, 100))
	})
	b.Run("province", func(b *testing.B) {
		ds, err := synth.Generate(synth.Config{Scale: synth.Province, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		benchmarkWorkbook(b, benchPlan(b, ds, 100))
	})
}
