package forecast

import (
	"context"
	"syscall"
	"testing"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/data/synth"
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

// peakRSS is the process's peak resident set in GB. B/op leaves out the
// sample slab, which is mapped outside the Go heap, so the memory goals
// are checked against this (a peak since the process started: run one
// size per process to read it for that size alone).
func peakRSS() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) * 1024 / 1e9 // Linux reports kB
}

func benchmarkRun(b *testing.B, ds *data.Dataset, draws int) {
	sc := Default()
	sc.Draws = draws
	b.ReportAllocs()
	c0 := cpuSeconds()
	for b.Loop() {
		if _, err := Run(context.Background(), ds, sc, Options{Workers: 2}, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuSeconds()-c0)/float64(b.N), "cpu-s/op")
	b.ReportMetric(peakRSS(), "GB-peak-rss")
}

// BenchmarkRun sizes: the tiny hand-made county, the embedded city sample
// (goal ≤ 3 s and ≤ 1 GB with 1,000 draws) and a generated province (goal
// ≤ 60 s and ≤ 8 GB).
func BenchmarkRun(b *testing.B) {
	b.Run("tiny/1000", func(b *testing.B) { benchmarkRun(b, tinyDataset(), 1000) })
	b.Run("city/1000", func(b *testing.B) { benchmarkRun(b, loadSample(b), 1000) })
	b.Run("province/1000", func(b *testing.B) {
		ds, err := synth.Generate(synth.Config{Scale: synth.Province, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		benchmarkRun(b, ds, 1000)
	})
}

func BenchmarkBacktest(b *testing.B) {
	ds := loadSample(b)
	sc := Default()
	sc.Draws = 200
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Backtest(context.Background(), ds, sc, BacktestSpec{Holdout: 5}, Options{}, nil); err != nil {
			b.Fatal(err)
		}
	}
}
