// Command gen writes the embedded sample: the City scale of package synth
// with the default seed, as gzipped CSV files. Run it through
// `go generate ./data/sample/`.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/data/synth"
)

func main() {
	out := flag.String("o", "files", "folder to write the gzipped CSV files into")
	seed := flag.Uint64("seed", synth.DefaultSeed, "random seed")
	flag.Parse()
	if err := run(*out, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(dir string, seed uint64) error {
	ds, err := synth.Generate(synth.Config{Scale: synth.City, Seed: seed})
	if err != nil {
		return err
	}
	return data.WriteCSV(context.Background(), dir, ds, data.CSVOptions{Gzip: true})
}
