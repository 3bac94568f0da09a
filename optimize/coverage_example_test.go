package optimize_test

import (
	"context"
	"fmt"
	"math"

	"github.com/seatplan/seatplan/optimize"
)

func coverageLine() *optimize.LocationProblem {
	km := []float64{0, 1, 2, 10, 11}
	dist := make([][]float64, len(km))
	for i := range km {
		dist[i] = make([]float64, len(km))
		for j := range km {
			dist[i][j] = math.Abs(km[i] - km[j])
		}
	}
	prob := optimize.NewDenseLocationProblem(dist, 1)
	prob.Weights = []float64{120, 80, 60, 50, 200}
	return prob
}

// One kindergarten within 1 km of as many children as possible.
func ExampleMaxCoverage() {
	res, err := optimize.MaxCoverage(context.Background(), coverageLine(), 1, optimize.LocationOptions{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("open %v covers %v of %v (upper bound %v)\n", res.Open, res.Covered, res.Total, res.Bound)
	// Output:
	// open [1] covers 260 of 510 (upper bound 260)
}

// The fewest sites that put every village within 1 km of a site.
func ExampleSetCoverage() {
	res, err := optimize.SetCoverage(context.Background(), coverageLine(), 1, optimize.LocationOptions{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("open %v covers %v of %v; at least %v sites needed, optimal %v\n", res.Open, res.Covered, res.Coverable, res.Bound, res.Optimal)
	// Output:
	// open [1 3] covers 510 of 510; at least 2 sites needed, optimal true
}
