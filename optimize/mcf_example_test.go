package optimize_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/seatplan/seatplan/optimize"
)

// Two schools with 40 and 30 seats serve three residential areas with 30, 25
// and 20 pupils. Seats flow from schools to areas along links that cost the
// walk in minutes. There are 5 pupils more than seats; rather than make the
// instance infeasible, they stay unmet at a penalty of 60 minutes each. They
// are left in area C: school 1 is full with A and part of B, and school 2,
// which must share its last seats between B and C, is 2 minutes nearer B.
func ExampleMinCostFlow() {
	g := optimize.NewFlowNetwork(0)
	school1 := g.AddNode(40)
	school2 := g.AddNode(30)
	areaA := g.AddNode(-30)
	areaB := g.AddNode(-25)
	areaC := g.AddNode(-20)
	inf := optimize.InfiniteCapacity
	g.AddArc(school1, areaA, inf, 5)
	g.AddArc(school1, areaB, inf, 12)
	g.AddArc(school2, areaB, inf, 8)
	g.AddArc(school2, areaC, inf, 10)
	_, unmet := g.AddUnmetDemand(60)

	sol, err := optimize.MinCostFlow(context.Background(), g, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("total minutes:", sol.Cost)
	for e := range 4 {
		a := g.Arc(e)
		fmt.Printf("school %d → area %c: %d pupils\n", a.From+1, 'A'+a.To-areaA, sol.Flow[e])
	}
	for _, area := range []int{areaA, areaB, areaC} {
		fmt.Printf("area %c unmet: %d\n", 'A'+area-areaA, sol.Flow[unmet[area]])
	}
	// Output:
	// total minutes: 840
	// school 1 → area A: 30 pupils
	// school 1 → area B: 10 pupils
	// school 2 → area B: 15 pupils
	// school 2 → area C: 15 pupils
	// area A unmet: 0
	// area B unmet: 0
	// area C unmet: 5
}

// A DIMACS file names nodes from 1 and the network from 0; a capacity below
// the lower bound, such as -1, is unlimited.
func ExampleReadDIMACS() {
	const file = `c two routes from node 1 to node 3
p min 3 3
n 1 10
n 3 -10
a 1 2 0 -1 1
a 2 3 0 4 1
a 1 3 0 -1 5
`
	g, err := optimize.ReadDIMACS(strings.NewReader(file))
	if err != nil {
		fmt.Println(err)
		return
	}
	sol, err := optimize.MinCostFlow(context.Background(), g, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("cost:", sol.Cost)
	fmt.Println("flows:", sol.Flow)
	// Output:
	// cost: 38
	// flows: [4 4 6]
}
