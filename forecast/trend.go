package forecast

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/optimize"
)

// DampedTrend is Holt's linear trend model with a damped trend (Gardner and
// McKenzie): level ℓ, trend b and damping φ, forecasting
// ℓ + (φ + φ² + … + φʰ)·b for h steps ahead.
type DampedTrend struct {
	Alpha, Beta, Phi float64
	Level, Trend     float64
	// Sigma is the root mean square of the one-step-ahead errors.
	Sigma float64
}

// ErrShortSeries is returned when a series is too short to fit a model.
var ErrShortSeries = errors.New("forecast: series too short")

// FitDampedTrend fits a damped-trend model to y by minimising the sum of
// squared one-step-ahead errors over α, β ∈ (0, 1) and φ ∈ [0.8, 0.98]
// with gonum's Nelder–Mead. It needs at least four values.
func FitDampedTrend(y []float64) (DampedTrend, error) {
	if len(y) < 4 {
		return DampedTrend{}, fmt.Errorf("damped trend on %d values: %w", len(y), ErrShortSeries)
	}
	logistic := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	params := func(x []float64) (a, b, phi float64) {
		return logistic(x[0]), logistic(x[1]), 0.8 + 0.18*logistic(x[2])
	}
	sse := func(x []float64) float64 {
		a, b, phi := params(x)
		m := runDamped(y, a, b, phi)
		return m.Sigma * m.Sigma
	}
	res, err := optimize.Minimize(optimize.Problem{Func: sse}, []float64{0, -1, 1}, nil, &optimize.NelderMead{})
	if err != nil && res == nil {
		return DampedTrend{}, fmt.Errorf("damped trend fit: %w", err)
	}
	a, b, phi := params(res.X)
	return runDamped(y, a, b, phi), nil
}

// FitDampedDrift fits the damped-trend model with α = 1: the level is the
// last value and the trend an exponentially weighted, damped mean of the
// changes (an ARIMA(1,1,1)-like drift) started from zero, so a drift is only
// forecast when the changes show one, with β ∈ (0, 1) and φ ∈ [0.8, 0.98]
// minimising the sum of squared one-step-ahead errors (gonum's
// Nelder–Mead). Anchored on the last value, its forecasts never revert to a
// level the series has left. It needs at least four values.
func FitDampedDrift(y []float64) (DampedTrend, error) {
	if len(y) < 4 {
		return DampedTrend{}, fmt.Errorf("damped drift on %d values: %w", len(y), ErrShortSeries)
	}
	logistic := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	params := func(x []float64) (b, phi float64) {
		return logistic(x[0]), 0.8 + 0.18*logistic(x[1])
	}
	sse := func(x []float64) float64 {
		b, phi := params(x)
		m := runDampedFrom(y, 1, b, phi, 0)
		return m.Sigma * m.Sigma
	}
	res, err := optimize.Minimize(optimize.Problem{Func: sse}, []float64{-1, 0}, nil, &optimize.NelderMead{})
	if err != nil && res == nil {
		return DampedTrend{}, fmt.Errorf("damped drift fit: %w", err)
	}
	b, phi := params(res.X)
	return runDampedFrom(y, 1, b, phi, 0), nil
}

// runDamped filters y through the model, its trend started from the first
// change, and returns the final state.
func runDamped(y []float64, alpha, beta, phi float64) DampedTrend {
	return runDampedFrom(y, alpha, beta, phi, y[1]-y[0])
}

// runDampedFrom filters y through the model with initial trend b and
// returns the final state.
func runDampedFrom(y []float64, alpha, beta, phi, b float64) DampedTrend {
	l := y[0]
	ss := 0.0
	for _, v := range y[1:] {
		f := l + phi*b
		e := v - f
		ss += e * e
		nl := f + alpha*e
		b = phi*b + alpha*beta*e
		l = nl
	}
	return DampedTrend{Alpha: alpha, Beta: beta, Phi: phi, Level: l, Trend: b, Sigma: math.Sqrt(ss / float64(len(y)-1))}
}

// Forecast returns the forecast h ≥ 0 steps ahead.
func (m DampedTrend) Forecast(h int) float64 {
	s, p := 0.0, 1.0
	for i := 0; i < h; i++ {
		p *= m.Phi
		s += p
	}
	return m.Level + s*m.Trend
}
