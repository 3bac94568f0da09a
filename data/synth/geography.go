package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// countyPlan is a county-level unit before its townships exist.
type countyPlan struct {
	index        int // 1-based, used in IDs and random streams
	name         string
	lon, lat     float64 // county seat
	pop          int     // 2020 residents
	streets      int     // urban townships (街道)
	towns        int     // rural townships (镇)
	streetShare  float64 // share of residents living in streets
	radiusKm     float64
	core         bool // a city district or functional zone
	primaryYears int  // 6, or 5 where the county runs 五四制
	fertility    float64
	births       []float64 // births by year from histFrom to LastYear
}

// histFrom is the first birth year the generator models internally: the
// 2003 first-graders were born in 1996–1997.
const histFrom = 1990

// cityPlans lays out Liaocheng-scale units: the 2020 census figures of
// DESIGN.md §8 where published, the remainder split by the 2023 estimates.
func cityPlans() []*countyPlan {
	const censusTotal = 5952128
	type unit struct {
		name             string
		lat, lon         float64
		pop, wan2023     float64
		streets, towns   int
		streetShare, rKm float64
		core             bool
		primaryYears     int
	}
	units := []unit{
		{"东昌府区", 36.457, 115.986, 1008594, 0, 10, 7, 0.66, 17, true, 6},
		{"茌平区", 36.58, 116.25, 517600, 0, 5, 9, 0.44, 21, true, 6},
		{"临清市", 36.84, 115.71, 0, 78, 4, 12, 0.40, 22, false, 6},
		{"阳谷县", 36.11, 115.79, 0, 68.87, 3, 15, 0.38, 22, false, 6},
		{"莘县", 36.23, 115.67, 0, 91.22, 4, 20, 0.33, 24, false, 6},
		{"东阿县", 36.33, 116.25, 346100, 0, 3, 7, 0.42, 18, false, 5},
		{"冠县", 36.48, 115.44, 0, 70, 4, 14, 0.37, 22, false, 6},
		{"高唐县", 36.87, 116.23, 0, 44.82, 3, 9, 0.42, 20, false, 6},
		{"聊城经济技术开发区", 36.425, 116.065, 209200, 0, 3, 2, 0.68, 8, true, 6},
		{"聊城高新技术产业开发区", 36.505, 116.075, 149400, 0, 2, 2, 0.64, 8, true, 6},
		{"江北水城旅游度假区", 36.395, 115.935, 121700, 0, 2, 1, 0.62, 7, true, 6},
	}
	known := 0
	var est []float64
	var estAt []int
	for i, u := range units {
		if u.pop > 0 {
			known += int(u.pop)
		} else {
			est = append(est, u.wan2023)
			estAt = append(estAt, i)
		}
	}
	split := apportion(censusTotal-known, est)
	plans := make([]*countyPlan, len(units))
	for i, u := range units {
		plans[i] = &countyPlan{
			index: i + 1, name: u.name, lon: u.lon, lat: u.lat, pop: int(u.pop),
			streets: u.streets, towns: u.towns, streetShare: u.streetShare,
			radiusKm: u.rKm, core: u.core, primaryYears: u.primaryYears,
		}
	}
	for k, i := range estAt {
		plans[i].pop = split[k]
	}
	return plans
}

// Province box and totals.
const (
	provinceLonMin, provinceLonMax = 114.8, 122.7
	provinceLatMin, provinceLatMax = 34.4, 38.4
	provincePop                    = 100_000_000
	provincePrefectures            = 16
	provinceCounties               = 136
)

// provincePlans lays out a province: prefectures on a jittered grid in the
// box, each with two to four urban districts near its seat and counties on a
// ring around it.
func provincePlans(seed uint64) []*countyPlan {
	r := newRand(seed, 0, streamLayout, 0)
	prefNames := newNamer()
	type pref struct {
		name     string
		lon, lat float64
		weight   float64
		counties int
		py       int
	}
	prefs := make([]pref, provincePrefectures)
	cols, rows := 4, 4
	cellLon := (provinceLonMax - provinceLonMin - 0.6) / float64(cols)
	cellLat := (provinceLatMax - provinceLatMin - 0.6) / float64(rows)
	for i := range prefs {
		cx, cy := i%cols, i/cols
		prefs[i] = pref{
			name:     prefNames.take(func() string { return pick(r, prefHead) + pick(r, prefTail) + "市" }),
			lon:      provinceLonMin + 0.3 + cellLon*(float64(cx)+0.3+0.4*r.Float64()),
			lat:      provinceLatMin + 0.3 + cellLat*(float64(cy)+0.3+0.4*r.Float64()),
			weight:   math.Exp(0.3 * r.NormFloat64()),
			counties: provinceCounties / provincePrefectures,
			py:       6,
		}
	}
	for i := range provinceCounties % provincePrefectures {
		prefs[(i*5)%provincePrefectures].counties++
	}
	prefs[3].py, prefs[10].py = 5, 5

	var plans []*countyPlan
	var weights []float64
	for _, pf := range prefs {
		names := newNamer()
		districts := 2 + r.IntN(3)
		ring := 2 * math.Pi * r.Float64()
		rest := pf.counties - districts
		for k := range pf.counties {
			cp := &countyPlan{index: len(plans) + 1, primaryYears: pf.py}
			var w float64
			if k < districts {
				cp.core = true
				a := 2*math.Pi*float64(k)/float64(districts) + 0.4*r.Float64()
				d := 3 + 7*r.Float64()
				if k == 0 {
					d = 0
				}
				cp.lon, cp.lat = offsetKm(pf.lon, pf.lat, d*math.Cos(a), d*math.Sin(a))
				cp.name = names.take(func() string { return pf.name + pick(r, countyWords) + "区" })
				cp.streetShare = 0.6 + 0.18*r.Float64()
				w = 1.3 * math.Exp(0.25*r.NormFloat64())
			} else {
				j := k - districts
				a := ring + 2*math.Pi*float64(j)/float64(rest) + 0.35*(r.Float64()-0.5)
				d := 28 + 32*r.Float64()
				cp.lon, cp.lat = offsetKm(pf.lon, pf.lat, d*math.Cos(a), d*math.Sin(a))
				suffix := "县"
				if r.IntN(4) == 0 {
					suffix = "市"
				}
				cp.name = names.take(func() string { return pf.name + pick(r, countyWords) + suffix })
				cp.streetShare = 0.30 + 0.12*r.Float64()
				w = math.Exp(0.3 * r.NormFloat64())
			}
			cp.lon = clamp(cp.lon, provinceLonMin+0.15, provinceLonMax-0.15)
			cp.lat = clamp(cp.lat, provinceLatMin+0.15, provinceLatMax-0.15)
			plans = append(plans, cp)
			weights = append(weights, w*pf.weight)
		}
	}
	pops := apportion(provincePop, weights)
	for i, cp := range plans {
		cp.pop = pops[i]
		n := max(6, int(math.Round(float64(cp.pop)/55500*(0.85+0.3*r.Float64()))))
		if cp.core {
			cp.streets = max(2, int(math.Round(float64(n)*(0.5+0.25*r.Float64()))))
			cp.radiusKm = 7 + 0.7*float64(n)
		} else {
			cp.streets = 2 + r.IntN(3)
			cp.radiusKm = 12 + 0.8*float64(n)
		}
		cp.towns = max(1, n-cp.streets)
	}
	return plans
}

// township is a street (街道) or town (镇) with its areas.
type township struct {
	index      int // 1-based within the county
	name       string
	street     bool
	lon, lat   float64
	radiusKm   float64
	pop        int     // 2020 residents
	birthShare float64 // share of the county's births
	firstArea  int     // index of its first area in the county's areas
	areas      int     // number of areas; the first is the seat
}

// buildTownships places a county's streets around its seat and its towns
// on a ring further out, keeping each town nearer (relative to county size)
// to its own seat than to any other.
func buildTownships(plans []*countyPlan, ci int, seed uint64) []township {
	cp := plans[ci]
	r := newRand(seed, cp.index, streamTownships, 0)
	names := newNamer()
	n := cp.streets + cp.towns
	tws := make([]township, n)
	townR := cp.radiusKm / math.Sqrt(float64(cp.towns)+float64(cp.streets)/3) * 0.95
	streetRing := 3.2
	if cp.core {
		streetRing = 5.5
	}
	if cp.radiusKm < 10 {
		streetRing = 2.6
	}
	streetW := make([]float64, cp.streets)
	townW := make([]float64, cp.towns)
	phase := 2 * math.Pi * r.Float64()
	for k := range n {
		t := &tws[k]
		t.index = k + 1
		if k < cp.streets {
			t.street = true
			t.name = names.streetName(r)
			t.radiusKm = 1.0 + 0.5*r.Float64()
			if k == 0 {
				t.lon, t.lat = offsetKm(cp.lon, cp.lat, 0.4*r.NormFloat64(), 0.4*r.NormFloat64())
			} else {
				a := 2*math.Pi*float64(k-1)/float64(max(1, cp.streets-1)) + 0.5*r.Float64()
				d := 1.6 + (streetRing-1.6)*r.Float64()
				t.lon, t.lat = offsetKm(cp.lon, cp.lat, d*math.Cos(a), d*math.Sin(a))
			}
			streetW[k] = math.Exp(0.25 * r.NormFloat64())
			continue
		}
		j := k - cp.streets
		t.name = names.townName(r)
		t.radiusKm = townR
		var lon, lat float64
		for try := range 40 {
			a := phase + 2*math.Pi*(float64(j)+0.7*(r.Float64()-0.5))/float64(cp.towns)
			lo := 0.35
			if try > 20 {
				lo = 0.15
			}
			d := cp.radiusKm * math.Sqrt(lo*lo+(1-lo*lo)*r.Float64())
			lon, lat = offsetKm(cp.lon, cp.lat, d*math.Cos(a), d*math.Sin(a))
			if ownSeat(plans, ci, lon, lat) {
				break
			}
		}
		t.lon, t.lat = lon, lat
		townW[j] = math.Exp(0.3 * r.NormFloat64())
	}
	streetPop := int(math.Round(float64(cp.pop) * cp.streetShare))
	sp := apportion(streetPop, streetW)
	tp := apportion(cp.pop-streetPop, townW)
	for k := range tws {
		if k < cp.streets {
			tws[k].pop = sp[k]
		} else {
			tws[k].pop = tp[k-cp.streets]
		}
	}
	shares := make([]float64, n)
	var sum float64
	for k, t := range tws {
		f := 1.04
		if t.street {
			f = 0.93
		}
		shares[k] = float64(t.pop) * f * math.Exp(0.04*r.NormFloat64())
		sum += shares[k]
	}
	for k := range tws {
		tws[k].birthShare = shares[k] / sum
	}
	return tws
}

// ownSeat reports whether county ci's seat is the nearest to (lon, lat) when
// distances are measured in county radii.
func ownSeat(plans []*countyPlan, ci int, lon, lat float64) bool {
	own := distKm(lon, lat, plans[ci].lon, plans[ci].lat) / plans[ci].radiusKm
	for j, p := range plans {
		if j == ci || math.Abs(p.lat-lat) > 1 || math.Abs(p.lon-lon) > 1.2 {
			continue
		}
		if distKm(lon, lat, p.lon, p.lat)/p.radiusKm < own {
			return false
		}
	}
	return true
}

// area is a demand unit while the county is built.
type area struct {
	id, name   string
	township   int // index into the county's townships
	lon, lat   float64
	urban      bool
	seat       bool // a community at a town seat or any street community
	residents  int
	kidWeight  float64 // relative children per resident
	birthShare float64 // share of the county's births
	kids       [5]int
	// zone holds the zoned school of each level (kindergarten, primary,
	// middle) and zoneOld the one used before a newer school opened.
	zone, zoneOld [3]int
	teachingPoint int // school index of a teaching point in the village, or -1
}

// buildAreas makes the communities and villages of one township; the first
// area is the seat.
func buildAreas(cp *countyPlan, t *township, ti int, p *params, seed uint64) []area {
	r := newRand(seed, cp.index, streamAreas, t.index)
	names := newNamer()
	var sizes []float64
	var out []area
	add := func(name string, lon, lat float64, urban, seat bool, size float64) {
		out = append(out, area{
			name: name, township: ti, lon: lon, lat: lat, urban: urban, seat: seat,
			kidWeight: 1 + 0.12*r.NormFloat64(), teachingPoint: -1,
		})
		sizes = append(sizes, size)
	}
	if t.street {
		n := max(4, int(math.Round(float64(t.pop)/p.communitySize*(0.85+0.3*r.Float64()))))
		for k := range n {
			dx, dy := 0.0, 0.0
			if k > 0 {
				dx = clamp(t.radiusKm*0.55*r.NormFloat64(), -2*t.radiusKm, 2*t.radiusKm)
				dy = clamp(t.radiusKm*0.55*r.NormFloat64(), -2*t.radiusKm, 2*t.radiusKm)
			}
			lon, lat := offsetKm(t.lon, t.lat, dx, dy)
			add(names.communityName(r), lon, lat, true, true, math.Exp(0.35*r.NormFloat64()))
		}
	} else {
		seats := 2 + r.IntN(2)
		if t.pop > 40000 {
			seats++
		}
		seatShare := 0.14 + 0.08*r.Float64()
		for k := range seats {
			dx, dy := 0.0, 0.0
			if k > 0 {
				dx, dy = 0.5*r.NormFloat64(), 0.5*r.NormFloat64()
			}
			lon, lat := offsetKm(t.lon, t.lat, dx, dy)
			add(names.communityName(r), lon, lat, true, true, seatShare/float64(seats)*math.Exp(0.2*r.NormFloat64()))
		}
		villagePop := float64(t.pop) * (1 - seatShare)
		n := max(8, int(math.Round(villagePop/p.villageSize*(0.85+0.3*r.Float64()))))
		vs := make([]float64, n)
		var vsum float64
		for k := range vs {
			vs[k] = math.Exp(0.5 * r.NormFloat64())
			vsum += vs[k]
		}
		for k := range n {
			a := 2 * math.Pi * r.Float64()
			d := t.radiusKm * (0.12 + 0.98*math.Sqrt(r.Float64()))
			lon, lat := offsetKm(t.lon, t.lat, d*math.Cos(a), d*math.Sin(a))
			add(names.villageName(r), lon, lat, false, false, (1-seatShare)*vs[k]/vsum)
		}
	}
	res := apportion(t.pop, sizes)
	for k := range out {
		out[k].residents = res[k]
		out[k].id = fmt.Sprintf("A%03d%02d%03d", cp.index, t.index, k+1)
		lon, lat := p.inBox(out[k].lon, out[k].lat)
		out[k].lon, out[k].lat = round6(lon), round6(lat)
	}
	var wsum float64
	for _, a := range out {
		wsum += float64(a.residents) * a.kidWeight
	}
	for k := range out {
		out[k].birthShare = t.birthShare * float64(out[k].residents) * out[k].kidWeight / wsum
	}
	return out
}

// offsetKm moves (lon, lat) by dx km east and dy km north.
func offsetKm(lon, lat, dx, dy float64) (float64, float64) {
	return lon + dx/(111.32*math.Cos(lat*math.Pi/180)), lat + dy/110.57
}

// distKm is the equirectangular distance between two points, accurate to a
// fraction of a percent at these ranges.
func distKm(lon1, lat1, lon2, lat2 float64) float64 {
	dx := (lon2 - lon1) * 111.32 * math.Cos((lat1+lat2)/2*math.Pi/180)
	dy := (lat2 - lat1) * 110.57
	return math.Hypot(dx, dy)
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }

// apportion splits total into integer parts proportional to weights by the
// largest-remainder method, so the parts sum to total exactly.
func apportion(total int, weights []float64) []int {
	out := make([]int, len(weights))
	if len(weights) == 0 {
		return out
	}
	var sum float64
	for _, w := range weights {
		sum += w
	}
	if sum <= 0 {
		out[0] = total
		return out
	}
	type rem struct {
		i int
		f float64
	}
	rems := make([]rem, len(weights))
	given := 0
	for i, w := range weights {
		x := float64(total) * w / sum
		out[i] = int(math.Floor(x))
		given += out[i]
		rems[i] = rem{i, x - math.Floor(x)}
	}
	// Partial selection of the largest remainders; ties go to the lower
	// index so the result is deterministic.
	left := total - given
	for k := 0; k < left; k++ {
		best := -1
		for j := range rems {
			if rems[j].f < 0 {
				continue
			}
			if best < 0 || rems[j].f > rems[best].f {
				best = j
			}
		}
		out[rems[best].i]++
		rems[best].f = -1
	}
	return out
}

// lognormal returns a multiplicative noise factor with median 1.
func lognormal(r *rand.Rand, sigma float64) float64 { return math.Exp(sigma * r.NormFloat64()) }
