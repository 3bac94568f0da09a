package optimize

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
)

// ORLibInstance is a p-median instance in Beasley's OR-Library format (files pmed1 to
// pmed40), with its complete cost matrix.
type ORLibInstance struct {
	// N is the number of vertices, Edges the number of edge lines, P the number of medians.
	N, Edges, P int
	// Cost[i][j] is the shortest-path cost between vertices i and j (0-based).
	Cost [][]float64
}

// ReadORLib reads an OR-Library p-median file: a first line "n edges p", then edges lines
// "i j cost" with 1-based, undirected end vertices. Lines may end in CRLF and start with
// spaces.
//
// The cost matrix is built as the library's note prescribes: edges are read in file order
// and each sets c(i,j) = c(j,i) = cost, so that of duplicate edges the LAST one wins (not
// the cheapest); then c(i,i) = 0 and Floyd–Warshall gives all-pairs shortest paths.
// Keeping the cheapest duplicate instead yields objective values below the published
// optima (5718 instead of 5819 on pmed1).
func ReadORLib(r io.Reader) (*ORLibInstance, error) {
	return orlibRead(r, false)
}

// orlibRead reads an instance; cheapest keeps the least cost of duplicate edges instead of
// the last one, which is wrong for OR-Library files and kept only to show the difference.
func orlibRead(r io.Reader, cheapest bool) (*ORLibInstance, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	sc.Split(bufio.ScanWords)
	count := 0
	next := func(what string) (int, error) {
		if !sc.Scan() {
			if err := sc.Err(); err != nil {
				return 0, fmt.Errorf("orlib: %w", err)
			}
			return 0, fmt.Errorf("orlib: unexpected end of file reading %s (number %d)", what, count+1)
		}
		count++
		v, err := strconv.Atoi(sc.Text())
		if err != nil {
			return 0, fmt.Errorf("orlib: number %d (%s): %w", count, what, err)
		}
		return v, nil
	}
	var in ORLibInstance
	var err error
	if in.N, err = next("n"); err != nil {
		return nil, err
	}
	if in.Edges, err = next("edges"); err != nil {
		return nil, err
	}
	if in.P, err = next("p"); err != nil {
		return nil, err
	}
	if in.N <= 0 || in.Edges < 0 || in.P <= 0 || in.P > in.N {
		return nil, fmt.Errorf("orlib: bad header n=%d edges=%d p=%d", in.N, in.Edges, in.P)
	}
	n := in.N
	inf := math.Inf(1)
	flat := make([]float64, n*n)
	for i := range flat {
		flat[i] = inf
	}
	in.Cost = make([][]float64, n)
	for i := range in.Cost {
		in.Cost[i] = flat[i*n : (i+1)*n : (i+1)*n]
	}
	for e := 1; e <= in.Edges; e++ {
		var i, j, cost int
		if i, err = next("edge start"); err != nil {
			return nil, err
		}
		if j, err = next("edge end"); err != nil {
			return nil, err
		}
		if cost, err = next("edge cost"); err != nil {
			return nil, err
		}
		if i < 1 || i > n || j < 1 || j > n || cost < 0 {
			return nil, fmt.Errorf("orlib: edge %d: bad edge %d %d %d for n=%d", e, i, j, cost, n)
		}
		c := float64(cost)
		if cheapest && c > in.Cost[i-1][j-1] {
			continue
		}
		in.Cost[i-1][j-1] = c
		in.Cost[j-1][i-1] = c
	}
	if sc.Scan() {
		return nil, fmt.Errorf("orlib: unexpected data %q after %d edges", sc.Text(), in.Edges)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("orlib: %w", err)
	}
	for i := 0; i < n; i++ {
		in.Cost[i][i] = 0
	}
	orlibFloydWarshall(in.Cost)
	return &in, nil
}

// orlibFloydWarshall replaces the square matrix d (with +Inf for missing arcs) by its
// all-pairs shortest-path costs, in place. It panics if d is not square.
func orlibFloydWarshall(d [][]float64) {
	n := len(d)
	for _, row := range d {
		if len(row) != n {
			panic("optimize: orlibFloydWarshall: matrix is not square")
		}
	}
	for k := 0; k < n; k++ {
		dk := d[k][:n]
		for i := 0; i < n; i++ {
			di := d[i][:n]
			dik := di[k]
			if math.IsInf(dik, 1) {
				continue
			}
			for j, dkj := range dk {
				if v := dik + dkj; v < di[j] {
					di[j] = v
				}
			}
		}
	}
}

// Problem returns the instance as a LocationProblem: every vertex is a client of
// weight 1 and a candidate site, and P sites are to be opened.
func (in *ORLibInstance) Problem() *LocationProblem {
	return NewDenseLocationProblem(in.Cost, in.P)
}
