package geo

import (
	"context"
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// pairRef is one pair of a brute-force reference table.
type pairRef struct {
	to       int32
	metres   float64
	fallback bool
}

// rowRule applies the Limit rule to all candidates of one source: every
// candidate within the limit, and at least the k nearest, sorted by distance
// and then index.
func rowRule(all []pairRef, limit float64, k int) []pairRef {
	slices.SortFunc(all, func(a, b pairRef) int {
		if a.metres != b.metres {
			if a.metres < b.metres {
				return -1
			}
			return 1
		}
		return int(a.to - b.to)
	})
	keep := 0
	for keep < len(all) && all[keep].metres <= limit {
		keep++
	}
	return all[:min(max(keep, k), len(all))]
}

// bruteGreatCircle is the O(n·m) reference for Generate without roads.
func bruteGreatCircle(from, to []orb.Point, among bool, lim Limit, m Metric) [][]pairRef {
	limit := lim.metres(m)
	rows := make([][]pairRef, len(from))
	for i, p := range from {
		var all []pairRef
		for j, q := range to {
			if among && i == j {
				continue
			}
			all = append(all, pairRef{to: int32(j), metres: m.Distance(p, q)})
		}
		rows[i] = rowRule(all, limit, lim.K)
	}
	return rows
}

// comparePairs checks got against the reference; distances must agree within
// tol metres (0: exactly).
func comparePairs(t *testing.T, got *Pairs, want [][]pairRef, m Metric, tol float64) {
	t.Helper()
	if got.Sources() != len(want) {
		t.Fatalf("%d sources, want %d", got.Sources(), len(want))
	}
	n := 0
	for i, w := range want {
		to, metres, seconds := got.Row(i)
		if len(to) != len(w) {
			t.Fatalf("source %d: %d pairs, want %d\ngot  %v %v\nwant %v", i, len(to), len(w), head(to), head(metres), head(w))
		}
		for j := range w {
			if to[j] != w[j].to || !(metres[j] == w[j].metres || tol > 0 && abs(metres[j]-w[j].metres) <= tol) {
				t.Fatalf("source %d pair %d: got (%d, %v), want (%d, %v)", i, j, to[j], metres[j], w[j].to, w[j].metres)
			}
			if seconds[j] != m.Seconds(metres[j]) {
				t.Fatalf("source %d pair %d: %v s for %v m", i, j, seconds[j], metres[j])
			}
			if got.Fallback != nil && got.Fallback[int(got.Offsets[i])+j] != w[j].fallback {
				t.Fatalf("source %d pair %d (to %d): fallback %v, want %v", i, j, to[j], !w[j].fallback, w[j].fallback)
			}
		}
		n += len(w)
	}
	if got.Len() != n || len(got.Metres) != n || len(got.Seconds) != n {
		t.Fatalf("%d pairs, want %d", got.Len(), n)
	}
}

func abs(x float64) float64 { return max(x, -x) }

var limitCases = []struct {
	name string
	lim  Limit
}{
	{"3 km", Limit{Metres: 3000}},
	{"10 km", Limit{Metres: 10000}},
	{"k=15", Limit{K: 15}},
	{"3 km or 5 nearest", Limit{Metres: 3000, K: 5}},
	{"40 minutes walking", Limit{Seconds: 2400}},
	{"10 km and 30 minutes", Limit{Metres: 10000, Seconds: 1800}},
	{"k above n", Limit{K: 1000}},
}

func TestGenerateMatchesBruteForce(t *testing.T) {
	for seed := range uint64(4) {
		rng := rand.New(rand.NewPCG(seed, 99))
		centre := orb.Point{115.5 + rng.Float64(), 36 + rng.Float64()}
		from := scatter(rng, 300+rng.IntN(300), centre, 0.1)
		to := scatter(rng, 50+rng.IntN(100), centre, 0.1)
		for _, tc := range limitCases {
			for _, among := range []bool{false, true} {
				name := tc.name
				if among {
					name += "/among"
				}
				t.Run(name, func(t *testing.T) {
					m := DefaultMetric()
					if seed%2 == 1 {
						m.Circuity, m.Mode = 1.45, Bus
					}
					var got *Pairs
					var err error
					if among {
						got, err = GenerateAmong(context.Background(), to, tc.lim, Options{Metric: m})
					} else {
						got, err = Generate(context.Background(), from, to, tc.lim, Options{Metric: m})
					}
					if err != nil {
						t.Fatal(err)
					}
					if got.Fallback != nil {
						t.Error("Fallback set without roads")
					}
					src := from
					if among {
						src = to
					}
					comparePairs(t, got, bruteGreatCircle(src, to, among, tc.lim, m), m, 0)
				})
			}
		}
	}
}

func TestGenerateDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	from := scatter(rng, 5000, orb.Point{116, 36.5}, 0.3)
	to := scatter(rng, 700, orb.Point{116, 36.5}, 0.3)
	lim := Limit{Metres: 3000, K: 3}
	var first *Pairs
	for _, workers := range []int{1, 2, 3, 8} {
		got, err := Generate(context.Background(), from, to, lim, Options{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = got
			continue
		}
		if !reflect.DeepEqual(got, first) {
			t.Fatalf("%d workers: result differs from 1 worker", workers)
		}
	}
}

func TestGenerateErrors(t *testing.T) {
	ok := []orb.Point{{116, 36}, {116.01, 36.01}}
	tests := []struct {
		name     string
		from, to []orb.Point
		lim      Limit
		opt      Options
		want     string
	}{
		{"no limit", ok, ok, Limit{}, Options{}, "no distance, time or nearest count"},
		{"negative metres", ok, ok, Limit{Metres: -1}, Options{}, "distance limit -1"},
		{"negative k", ok, ok, Limit{K: -1}, Options{}, "nearest count -1"},
		{"bad metric", ok, ok, Limit{K: 1}, Options{Metric: Metric{Circuity: 0.5, WalkKmh: 4.5, BusKmh: 30}}, "circuity 0.5"},
		{"bad source", []orb.Point{{116, 36}, {36, 116}}, ok, Limit{K: 1}, Options{}, "source 1: latitude 116"},
		{"bad target", ok, []orb.Point{{200, 36}}, Limit{K: 1}, Options{}, "target 0: longitude 200"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Generate(context.Background(), tc.from, tc.to, tc.lim, tc.opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestGenerateCancelAndProgress(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	from := scatter(rng, 3000, orb.Point{116, 36.5}, 0.3)
	to := scatter(rng, 300, orb.Point{116, 36.5}, 0.3)

	var last, calls int
	_, err := Generate(context.Background(), from, to, Limit{Metres: 3000}, Options{
		Progress: func(done, total int) {
			if total != len(from) || done < last {
				t.Errorf("progress %d/%d after %d", done, total, last)
			}
			last, calls = done, calls+1
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if last != len(from) || calls != numChunks(len(from)) {
		t.Errorf("progress ended at %d after %d calls", last, calls)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Generate(ctx, from, to, Limit{Metres: 3000}, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: error %v", err)
	}
}

func TestGenerateEmpty(t *testing.T) {
	got, err := Generate(context.Background(), nil, []orb.Point{{116, 36}}, Limit{K: 2}, Options{})
	if err != nil || got.Sources() != 0 || got.Len() != 0 || len(got.Offsets) != 1 {
		t.Fatalf("no sources: %+v, %v", got, err)
	}
	got, err = Generate(context.Background(), []orb.Point{{116, 36}}, nil, Limit{K: 2}, Options{})
	if err != nil || got.Sources() != 1 || got.Len() != 0 {
		t.Fatalf("no targets: %+v, %v", got, err)
	}
}
