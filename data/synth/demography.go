package synth

import (
	"math"
	"math/rand/v2"

	"github.com/seatplan/seatplan/data"
)

// peakBirths is the city's 2017 births (聊城市卫计委 via 齐鲁晚报
// 2018-01-19); peakBirthRate scales it to any population.
const (
	peakBirths    = 101500
	peakBirthRate = peakBirths / 5952128.0
)

// birthShape is births relative to the 2017 peak for histFrom…LastYear:
// flat in the 2000s, a jump with the 2014 separate two-child policy, the
// 2016–2017 universal two-child peak (2016 = 100,789, 711 below 2017), then
// Shandong's fall to about 40 % by 2023 and a small 2024 uptick.
var birthShape = []float64{
	1.05, 0.98, 0.90, 0.88, 0.86, 0.83, 0.80, 0.77, 0.73, 0.69, // 1990–1999
	0.66, 0.64, 0.62, 0.61, 0.62, 0.63, 0.64, 0.66, 0.67, 0.66, // 2000–2009
	0.67, 0.68, 0.71, 0.68, 0.82, 0.74, 0.993, 1.00, 0.77, 0.69, // 2010–2019
	0.53, 0.46, 0.42, 0.40, 0.43, // 2020–2024
}

// nationalBirths is China's births in 万 by year of birth 1920–2004, the
// shape of the adult age pyramid (National Bureau of Statistics from 1949;
// an even level before).
var nationalBirths = []float64{
	1300, 1300, 1300, 1300, 1300, 1300, 1300, 1300, 1300, 1300, // 1920s
	1300, 1300, 1300, 1300, 1300, 1300, 1300, 1250, 1200, 1200, // 1930s
	1200, 1200, 1200, 1200, 1200, 1200, 1250, 1250, 1250, 1275, // 1940s
	1419, 1349, 1622, 1637, 2232, 1965, 1961, 2138, 1889, 1635, // 1950s
	1402, 949, 2451, 2934, 2721, 2679, 2554, 2543, 2731, 2690, // 1960s
	2710, 2551, 2550, 2447, 2226, 2102, 1849, 1783, 1733, 1715, // 1970s
	1776, 2064, 2230, 2052, 2050, 2196, 2374, 2508, 2445, 2396, // 1980s
	2374, 2250, 2113, 2120, 2098, 2052, 2057, 2028, 1934, 1827, // 1990s
	1765, 1696, 1641, 1594, 1588, // 2000–2004
}

// planBirths gives every county its births for histFrom…LastYear: residents
// × the peak birth rate × the shape × a county fertility level, with yearly
// noise. For the city, each year is rescaled so the county sum follows the
// shape of the city total exactly.
func planBirths(plans []*countyPlan, seed uint64, rescale bool) {
	n := LastYear - histFrom + 1
	for _, cp := range plans {
		r := newRand(seed, cp.index, streamBirths, 0)
		cp.fertility = clamp(1+0.35*(0.45-cp.streetShare)+0.04*r.NormFloat64(), 0.8, 1.25)
		cp.births = make([]float64, n)
		for k := range n {
			cp.births[k] = float64(cp.pop) * peakBirthRate * birthShape[k] * cp.fertility * (1 + 0.025*r.NormFloat64())
		}
	}
	if !rescale {
		return
	}
	for k := range n {
		var sum float64
		for _, cp := range plans {
			sum += cp.births[k]
		}
		target := peakBirths * birthShape[k]
		for _, cp := range plans {
			cp.births[k] *= target / sum
		}
	}
}

// birthsIn returns a county's births in year y (0 outside the model).
func (cp *countyPlan) birthsIn(y int) float64 {
	k := y - histFrom
	if k < 0 || k >= len(cp.births) {
		return 0
	}
	return cp.births[k]
}

// lifeTable holds one-year survival by sex and age (Gompertz–Makeham,
// life expectancy near 78; death rates near China's 2020 life table at 80
// and 90) and the survival from birth to each age.
type lifeTable struct {
	annual    [2][101]float64
	fromBirth [2][101]float64
}

func newLifeTable() *lifeTable {
	lt := &lifeTable{}
	for s := range 2 {
		cum := 1.0
		for a := range 101 {
			scale := 1.0
			if s == 1 {
				// Women die less, the gap closing in old age.
				scale = 0.55 + 0.35*float64(a)/100
			}
			mu := 0.0003 + scale*4.1e-5*math.Exp(0.092*(float64(a)+0.5))
			if a == 0 {
				mu += 0.004
			}
			lt.annual[s][a] = math.Exp(-mu)
			lt.fromBirth[s][a] = cum
			cum *= lt.annual[s][a]
		}
	}
	return lt
}

// maleShare is the share of boys at birth (sex ratio at birth about 112)
// and in cohorts born before 1980.
const (
	maleShareRecent = 0.528
	maleShareOld    = 0.503
)

// pyramid is one township's persons by year offset (0 = 2020), sex (0 = M)
// and age.
type pyramid [LastYear - FirstPopulationYear + 1][2][101]float64

// buildPopulation makes a township's 2020 census pyramid — children from the
// county's births with migration toward streets, adults from the national
// cohort sizes scaled to the township's residents — and ages it to
// LastYear with survival, births and migration.
func buildPopulation(cp *countyPlan, t *township, lt *lifeTable, r *rand.Rand) *pyramid {
	var p pyramid
	kidDrift, young, mid, old := -0.006, -0.04, -0.009, 0.0
	if t.street {
		kidDrift, young, mid, old = 0.012, 0.014, 0.003, 0.001
	}
	var kids float64
	for a := range 20 {
		b := cp.birthsIn(FirstPopulationYear-a) * t.birthShare * (1 + kidDrift*float64(min(a, 15)))
		for s := range 2 {
			share := maleShareRecent
			if s == 1 {
				share = 1 - share
			}
			p[0][s][a] = b * share * lt.fromBirth[s][a] * (1 + 0.01*r.NormFloat64())
			kids += p[0][s][a]
		}
	}
	var adults float64
	for a := 20; a <= 100; a++ {
		by := FirstPopulationYear - a
		nb := nationalBirths[max(0, by-1920)]
		// Cohorts born before the 1960s lived through far higher mortality
		// than today's life table gives.
		f := math.Min(1, 0.65+0.35*float64(by-1920)/45)
		if a < 40 {
			// Young adults work away from the city.
			f = 1 + 4*young
		}
		for s := range 2 {
			share := maleShareOld
			if by >= 1980 {
				share = maleShareRecent - 0.02
			}
			if s == 1 {
				share = 1 - share
			}
			v := nb * share * lt.fromBirth[s][a] * f * (1 + 0.015*r.NormFloat64())
			if a == 100 {
				v /= 1 - lt.annual[s][100]
			}
			p[0][s][a] = v
			adults += v
		}
	}
	scale := (float64(t.pop) - kids) / adults
	for a := 20; a <= 100; a++ {
		p[0][0][a] *= scale
		p[0][1][a] *= scale
	}
	mig := func(a int) float64 {
		switch {
		case a < 16:
			return kidDrift
		case a < 36:
			return young
		case a < 60:
			return mid
		}
		return old
	}
	for k := 1; k < len(p); k++ {
		b := cp.birthsIn(FirstPopulationYear+k) * t.birthShare
		for s := range 2 {
			share := maleShareRecent
			if s == 1 {
				share = 1 - share
			}
			p[k][s][0] = b * share * math.Sqrt(lt.annual[s][0])
			for a := 1; a <= 100; a++ {
				p[k][s][a] = p[k-1][s][a-1] * lt.annual[s][a-1] * (1 + mig(a-1)) * (1 + 0.004*r.NormFloat64())
			}
			p[k][s][100] += p[k-1][s][100] * lt.annual[s][100]
		}
	}
	return &p
}

// rows appends a township's population rows in canonical order.
func (p *pyramid) rows(dst []data.PopulationRow, county, township string) []data.PopulationRow {
	for k := range p {
		for s, sex := range []data.Sex{data.Male, data.Female} {
			for a := range 101 {
				dst = append(dst, data.PopulationRow{
					County: county, Township: township, Year: FirstPopulationYear + k,
					Sex: sex, Age: a, Persons: int(math.Round(p[k][s][a])),
				})
			}
		}
	}
	return dst
}

// bands returns the 2020 children of the township in the age bands of
// data.KidBands.
func (p *pyramid) bands() [5]float64 {
	var b [5]float64
	edges := [6]int{0, 3, 6, 12, 15, 18}
	for i := range 5 {
		for a := edges[i]; a < edges[i+1]; a++ {
			b[i] += p[0][0][a] + p[0][1][a]
		}
	}
	return b
}
