package synth_test

import (
	"fmt"

	"github.com/seatplan/seatplan/data/synth"
)

// The city scale follows Liaocheng's public totals: 5,952,128 residents in
// the 2020 census and a births peak of 101,500 in 2017.
func ExampleGenerate() {
	ds, err := synth.Generate(synth.Config{Scale: synth.City, Seed: 1})
	if err != nil {
		panic(err)
	}
	residents, births := 0, map[int]int{}
	for _, a := range ds.Areas {
		residents += a.Residents
	}
	for _, b := range ds.Births {
		births[b.Year] += b.Births
	}
	fmt.Println(ds.Source)
	fmt.Println("residents:", residents)
	fmt.Printf("births 2017: %d, 2023: %.0f %% of 2017\n", births[2017], 100*float64(births[2023])/float64(births[2017]))
	// Output:
	// synthetic sample (city, seed 1)
	// residents: 5952128
	// births 2017: 101498, 2023: 40 % of 2017
}
