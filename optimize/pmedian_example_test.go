package optimize_test

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/seatplan/seatplan/optimize"
)

// Two medians for five villages on a road at km 0, 1, 2, 10 and 11.
func ExamplePMedian() {
	km := []float64{0, 1, 2, 10, 11}
	dist := make([][]float64, len(km))
	for i := range km {
		dist[i] = make([]float64, len(km))
		for j := range km {
			dist[i][j] = math.Abs(km[i] - km[j])
		}
	}
	prob := optimize.NewDenseLocationProblem(dist, 2)
	prob.Weights = []float64{120, 80, 60, 50, 200} // pupils per village
	res, err := optimize.PMedian(context.Background(), prob, optimize.LocationOptions{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("open:", res.Open)
	fmt.Println("assign:", res.Assign)
	fmt.Printf("pupil-km: %v, lower bound %v, optimal %v\n", res.Cost, res.LowerBound, res.Optimal)
	// Output:
	// open: [1 4]
	// assign: [1 1 1 4 4]
	// pupil-km: 230, lower bound 230, optimal true
}

// A sparse problem: each client lists only the sites within reach, and site 2 is an
// existing school that must stay open.
func ExamplePMedian_sparse() {
	prob := &optimize.LocationProblem{
		Sites: 4,
		Clients: [][]optimize.Reach{
			{{Site: 0, Dist: 1.5}, {Site: 1, Dist: 2.5}},
			{{Site: 1, Dist: 0.5}, {Site: 2, Dist: 2}},
			{{Site: 2, Dist: 1}},
			{{Site: 3, Dist: 0.5}, {Site: 2, Dist: 4}},
		},
		P:        2,
		Required: []int{2},
	}
	res, err := optimize.PMedian(context.Background(), prob, optimize.LocationOptions{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("open:", res.Open, "cost:", res.Cost, "gap:", res.Gap)
	// Output:
	// open: [1 2] cost: 8 gap: 0
}

// Capacities: the nearest school for the big village is full, so part of its pupils go
// further. RegretAssign splits demand; an exact min-cost flow may be plugged in through
// LocationOptions.Assign.
func ExamplePMedian_capacitated() {
	prob := &optimize.LocationProblem{
		Sites: 2,
		Clients: [][]optimize.Reach{
			{{Site: 0, Dist: 1}, {Site: 1, Dist: 3}},
			{{Site: 1, Dist: 1}, {Site: 0, Dist: 2}},
		},
		Weights:  []float64{300, 100},
		P:        2,
		Capacity: []float64{250, 250},
	}
	res, err := optimize.PMedian(context.Background(), prob, optimize.LocationOptions{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range res.Allocations {
		fmt.Printf("village %d → school %d: %v pupils\n", a.Client, a.Site, a.Amount)
	}
	fmt.Println("cost:", res.Cost)
	// Output:
	// village 0 → school 0: 250 pupils
	// village 0 → school 1: 50 pupils
	// village 1 → school 1: 100 pupils
	// cost: 500
}

// Reading an OR-Library file: the last of duplicate edges wins.
func ExampleReadORLib() {
	const file = " 4 4 1\r\n 1 2 5\r\n 2 3 5\r\n 3 4 5\r\n 1 2 1\r\n"
	in, err := optimize.ReadORLib(strings.NewReader(file))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(in.Cost[0])
	res, err := optimize.PMedian(context.Background(), in.Problem(), optimize.LocationOptions{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("median:", res.Open, "cost:", res.Cost)
	// Output:
	// [0 1 6 11]
	// median: [1] cost: 16
}
