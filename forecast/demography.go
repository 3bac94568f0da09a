package forecast

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Single-year ages run 0..maxAge, the last being open (100 and over).
const (
	maxAge = 100
	nAge   = maxAge + 1
	nCell  = 2 * nAge // age-sex cells: male ages then female ages
	female = nAge     // offset of the female ages in a cell vector
)

// Survival holds the probability of surviving one year from each age, by
// sex (0 male, 1 female), and from birth to the end of the calendar year.
type Survival struct {
	// Year[s][a] is the probability that a person aged a at the start of
	// a year is alive at its end (aged a+1, or still in the open group).
	Year [2][nAge]float64
	// Birth[s] is the probability that a baby born during the year is
	// alive at its end.
	Birth [2]float64
}

// ModelSurvival returns survival from a Siler hazard
// μ(x) = a₁e^(−b₁x) + a₂ + a₃e^(b₃x) whose default parameters give a life
// expectancy at birth near China's 2020 census values (about 75 years for men
// and 81 for women) and an infant mortality near 5 per 1,000; mult scales the
// hazard.
func ModelSurvival(mult float64) Survival {
	type siler struct{ a1, b1, a2, a3, b3 float64 }
	par := [2]siler{
		{a1: 0.012, b1: 1.6, a2: 0.0004, a3: 3.6e-5, b3: 0.098},
		{a1: 0.010, b1: 1.6, a2: 0.0002, a3: 1.4e-5, b3: 0.102},
	}
	var s Survival
	for sex, p := range par {
		// Cumulative hazard H(x) in closed form.
		cum := func(x float64) float64 {
			return p.a1/p.b1*(1-math.Exp(-p.b1*x)) + p.a2*x + p.a3/p.b3*(math.Exp(p.b3*x)-1)
		}
		for a := 0; a < nAge; a++ {
			h := cum(float64(a+1)) - cum(float64(a))
			s.Year[sex][a] = math.Exp(-mult * h)
		}
		// Babies born uniformly over the year are on average half a year
		// old at its end.
		s.Birth[sex] = math.Exp(-mult * (cum(0.5) - cum(0)) * 1.4)
	}
	return s
}

// LifeExpectancy returns the life expectancy at birth implied by the
// one-year survival probabilities (deaths at mid-year, closing the open
// age group with its own survival).
func (s *Survival) LifeExpectancy(sex int) float64 {
	l := 1.0
	e := 0.0
	for a := 0; a < maxAge; a++ {
		p := s.Year[sex][a]
		e += l * (1 + p) / 2
		l *= p
	}
	p := s.Year[sex][maxAge]
	if p < 1 {
		e += l / (1 - p)
	}
	return e
}

// FertilitySchedule returns the share of a cohort's births at each age of
// the mother 15–49 (index 0 is age 15): a gamma density with the given mean
// and standard deviation of the age at birth, normalised to sum to one.
// Mothers are counted by their age at the start of the year.
func FertilitySchedule(mean, sd float64) [35]float64 {
	// The gamma starts at age 15; births at "age a" occur between a and a+1.
	m := mean - 15
	g := distuv.Gamma{Alpha: m * m / (sd * sd), Beta: m / (sd * sd)}
	var f [35]float64
	sum := 0.0
	for i := range f {
		f[i] = g.CDF(float64(i+1)) - g.CDF(float64(i))
		sum += f[i]
	}
	for i := range f {
		f[i] /= sum
	}
	return f
}

// CohortStep ages a population vector by one year: it applies survival,
// net migration (mig holds the rate per person and year by the age reached
// at the end of the year; shift is added to every rate) and adds the year's
// births split by the sex ratio at birth (boys per girl). pop, next and mig
// hold 202 age-sex cells (males 0–100, then females); next is overwritten and
// may not alias pop.
func CohortStep(next, pop []float64, surv *Survival, mig []float64, shift, births, srb float64) {
	if len(pop) != nCell || len(next) != nCell || len(mig) != nCell {
		panic("forecast: CohortStep needs vectors of 202 age-sex cells")
	}
	boys := srb / (1 + srb)
	for sex := 0; sex < 2; sex++ {
		o := sex * nAge
		p := pop[o : o+nAge]
		n := next[o : o+nAge]
		m := mig[o : o+nAge]
		sv := &surv.Year[sex]
		n[maxAge] = (p[maxAge-1]*sv[maxAge-1] + p[maxAge]*sv[maxAge]) * (1 + m[maxAge] + shift)
		for a := maxAge - 1; a >= 1; a-- {
			n[a] = p[a-1] * sv[a-1] * (1 + m[a] + shift)
		}
		share := boys
		if sex == 1 {
			share = 1 - boys
		}
		n[0] = births * share * surv.Birth[sex] * (1 + m[0] + shift)
	}
}

// exposure returns Σ schedule(a)·women(a), the births one woman-weighted
// unit of TFR produces in a population vector.
func exposure(pop []float64, sched *[35]float64) float64 {
	w := pop[female+15 : female+50]
	e := 0.0
	for i, f := range sched {
		e += f * w[i]
	}
	return e
}
