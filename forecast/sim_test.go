package forecast

import (
	"math/rand/v2"
	"testing"
)

// TestCohortStepGrowth checks that the draws' cohort step with
// precomputed migration factors gives CohortStep's numbers bit for bit.
func TestCohortStepGrowth(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	surv := ModelSurvival(1.1)
	pop := make([]float64, nCell)
	mig := make([]float64, nCell)
	for i := range pop {
		pop[i] = 1000 * rng.Float64()
		mig[i] = 0.05 * rng.NormFloat64()
	}
	for _, shift := range []float64{0, 0.013, -0.2} {
		want := make([]float64, nCell)
		CohortStep(want, pop, &surv, mig, shift, 321.5, 1.06)
		g := make([]float64, nCell)
		migrationGrowth(g, mig, shift)
		got := make([]float64, nCell)
		cohortStepGrowth(got, pop, &surv, g, 321.5, 1.06)
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("shift %v, cell %d: %v, want %v", shift, i, got[i], want[i])
			}
		}
		if want[0] == 0 || want[female+50] == 0 {
			t.Fatalf("shift %v: empty projection", shift)
		}
	}
}
