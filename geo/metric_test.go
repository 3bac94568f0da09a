package geo

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// haversineRef is an independent haversine on a sphere of radius
// 6,371,008.8 m: d = 2R·asin(√(sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2))).
func haversineRef(a, b orb.Point) float64 {
	const r = 6371008.8
	p1, p2 := a[1]*math.Pi/180, b[1]*math.Pi/180
	dp, dl := p2-p1, (b[0]-a[0])*math.Pi/180
	h := math.Pow(math.Sin(dp/2), 2) + math.Cos(p1)*math.Cos(p2)*math.Pow(math.Sin(dl/2), 2)
	return 2 * r * math.Asin(math.Sqrt(min(h, 1)))
}

func TestGreatCircle(t *testing.T) {
	// Expected values are d = 2R·asin(√(sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2)))
	// with R = 6,371,008.8 m, evaluated separately; the exact cases are
	// R·π/180 per degree of a great circle, πR/2 and πR.
	tests := []struct {
		name string
		a, b orb.Point
		want float64
	}{
		{"Beijing–Shanghai", orb.Point{116.4074, 39.9042}, orb.Point{121.4737, 31.2304}, 1067311.645},
		{"Liaocheng–Jinan", orb.Point{115.986, 36.457}, orb.Point{117.120, 36.651}, 103562.653},
		{"Guangzhou–Shenzhen", orb.Point{113.2644, 23.1291}, orb.Point{114.0579, 22.5431}, 104203.133},
		{"one degree of the equator", orb.Point{0, 0}, orb.Point{1, 0}, 111195.080},
		{"one degree of a meridian", orb.Point{116, 36}, orb.Point{116, 37}, 111195.080},
		{"quarter circle", orb.Point{0, 0}, orb.Point{90, 0}, 10007557.221},
		{"pole to equator", orb.Point{116, 90}, orb.Point{-64, 0}, 10007557.221},
		{"antipodes", orb.Point{0, 0}, orb.Point{180, 0}, 20015114.442},
		{"same point", orb.Point{115.986, 36.457}, orb.Point{115.986, 36.457}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := GreatCircle(tc.a, tc.b)
			if math.Abs(got-tc.want) > 0.001 {
				t.Errorf("GreatCircle(%v, %v) = %.4f m, want %.3f m", tc.a, tc.b, got, tc.want)
			}
			if back := GreatCircle(tc.b, tc.a); back != got {
				t.Errorf("not symmetric: %v and %v", got, back)
			}
		})
	}
}

func TestGreatCircleMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		a := orb.Point{rng.Float64()*360 - 180, rng.Float64()*180 - 90}
		b := orb.Point{rng.Float64()*360 - 180, rng.Float64()*180 - 90}
		if rng.IntN(2) == 0 { // nearby points, as in a city
			b = orb.Point{a[0] + rng.NormFloat64()*0.05, max(-90, min(90, a[1]+rng.NormFloat64()*0.05))}
		}
		got, want := GreatCircle(a, b), haversineRef(a, b)
		if math.Abs(got-want) > 1e-6*max(1, want*1e-3) {
			t.Fatalf("GreatCircle(%v, %v) = %.9f, reference %.9f", a, b, got, want)
		}
	}
	// Nearly antipodal points, where rounding can push the haversine term
	// above 1, must still give a number. The haversine loses precision
	// there (about √ε·R ≈ 0.1 m), hence the loose tolerance.
	for range 10000 {
		a := orb.Point{rng.Float64()*360 - 180, rng.Float64()*180 - 90}
		b := orb.Point{a[0] + 180, -a[1]}
		if b[0] > 180 {
			b[0] -= 360
		}
		if d := GreatCircle(a, b); math.IsNaN(d) || math.Abs(d-math.Pi*EarthRadius) > 1 {
			t.Fatalf("GreatCircle(%v, %v) = %v, want πR", a, b, d)
		}
	}
}

func TestMetric(t *testing.T) {
	m := DefaultMetric()
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	a, b := orb.Point{0, 0}, orb.Point{1, 0}
	if got, want := m.Distance(a, b), 111195.08023353292*1.3; math.Abs(got-want) > 1e-6 {
		t.Errorf("Distance = %v, want %v", got, want)
	}
	tests := []struct {
		name   string
		mode   Mode
		metres float64
		want   float64
	}{
		{"walk 1 km at 4.5 km/h", Walk, 1000, 800},
		{"walk 4.5 km takes an hour", Walk, 4500, 3600},
		{"bus 1 km at 30 km/h", Bus, 1000, 120},
		{"bus 15 km takes 30 minutes", Bus, 15000, 1800},
		{"no distance", Walk, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := DefaultMetric()
			m.Mode = tc.mode
			if got := m.Seconds(tc.metres); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("Seconds(%v) = %v, want %v", tc.metres, got, tc.want)
			}
		})
	}
}

func TestMetricValidate(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*Metric)
		wantErr string
	}{
		{"default", func(*Metric) {}, ""},
		{"straight line", func(m *Metric) { m.Circuity = 1 }, ""},
		{"circuity below 1", func(m *Metric) { m.Circuity = 0.9 }, "circuity"},
		{"circuity NaN", func(m *Metric) { m.Circuity = math.NaN() }, "circuity"},
		{"circuity infinite", func(m *Metric) { m.Circuity = math.Inf(1) }, "circuity"},
		{"zero walking speed", func(m *Metric) { m.WalkKmh = 0 }, "walking speed"},
		{"negative bus speed", func(m *Metric) { m.BusKmh = -30 }, "bus speed"},
		{"unknown mode", func(m *Metric) { m.Mode = 7 }, "mode"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := DefaultMetric()
			tc.edit(&m)
			err := m.Validate()
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Validate() = %v, want an error about %s", err, tc.wantErr)
			}
		})
	}
}

func TestParseMode(t *testing.T) {
	tests := []struct {
		in      string
		want    Mode
		wantErr bool
	}{
		{"walk", Walk, false},
		{" Bus ", Bus, false},
		{"WALK", Walk, false},
		{"bike", 0, true},
		{"", 0, true},
	}
	for _, tc := range tests {
		got, err := ParseMode(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("ParseMode(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
		if err == nil {
			if back, _ := ParseMode(got.String()); back != got {
				t.Errorf("ParseMode(%v.String()) = %v", got, back)
			}
		}
	}
}
