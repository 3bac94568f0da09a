package optimize

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
)

// DIMACSError reports a line of a DIMACS file that does not parse.
type DIMACSError struct {
	Line int    // 1-based line number
	Msg  string // what was expected there
}

// Error returns "line N: what was expected".
func (e *DIMACSError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// ReadDIMACS reads a min-cost-flow instance in the DIMACS format that LEMON,
// CS2 and other solvers read:
//
//	c comment
//	p min NODES ARCS
//	n ID SUPPLY
//	a FROM TO LOW CAP COST
//
// Nodes are numbered from 1 in the file and from 0 in the network. Nodes
// without an n line have zero supply; a later n line for the same node
// replaces an earlier one. As in LEMON, an arc whose capacity is below its
// lower bound (typically CAP = -1) has infinite capacity. Blank lines are
// skipped. A malformed line yields a *DIMACSError naming it.
func ReadDIMACS(r io.Reader) (*FlowNetwork, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	var (
		g       *FlowNetwork
		long    []byte // a line longer than the buffer, assembled
		lineNo  int
		arcsDue int
	)
	for {
		line, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			long = append(long[:0], line...)
			for err == bufio.ErrBufferFull {
				line, err = br.ReadSlice('\n')
				long = append(long, line...)
			}
			line = long
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		if len(line) > 0 {
			lineNo++
			if perr := dimacsLine(line, &g, &arcsDue); perr != "" {
				return nil, &DIMACSError{Line: lineNo, Msg: perr}
			}
		}
		if err == io.EOF {
			break
		}
	}
	if g == nil {
		return nil, &DIMACSError{Line: lineNo + 1, Msg: "expected a problem line 'p min NODES ARCS'"}
	}
	if got := g.Arcs(); got != arcsDue {
		return nil, &DIMACSError{Line: lineNo + 1, Msg: fmt.Sprintf("expected %d arc lines as announced, found %d", arcsDue, got)}
	}
	return g, nil
}

// dimacsLine parses one line into *g and returns what was expected if it is
// malformed.
func dimacsLine(b []byte, g **FlowNetwork, arcsDue *int) string {
	t := dimacsTokens{b: b}
	t.space()
	if t.done() {
		return ""
	}
	kind := t.b[t.i]
	t.i++
	switch kind {
	case 'c':
		return ""
	case 'p':
		if *g != nil {
			return "expected one problem line only"
		}
		if !t.space() || !t.word("min") {
			return "expected a problem line 'p min NODES ARCS'"
		}
		nodes, ok1 := t.int()
		arcs, ok2 := t.int()
		if !ok1 || !ok2 || !t.done() || nodes < 0 || arcs < 0 || nodes >= math.MaxInt32-1 || arcs >= math.MaxInt32-1 {
			return "expected a problem line 'p min NODES ARCS'"
		}
		// Trust the announced arc count for preallocation only up to a
		// point, so that a bad header cannot exhaust memory.
		nw := &FlowNetwork{supply: make([]int64, nodes)}
		nw.Grow(0, int(min(arcs, 1<<22)))
		*g = nw
		*arcsDue = int(arcs)
		return ""
	case 'n':
		if *g == nil {
			return "expected the problem line 'p min NODES ARCS' before node lines"
		}
		id, ok1 := t.int()
		supply, ok2 := t.int()
		if !ok1 || !ok2 || !t.done() {
			return "expected a node line 'n ID SUPPLY'"
		}
		if id < 1 || id > int64((*g).Nodes()) {
			return fmt.Sprintf("expected a node id between 1 and %d", (*g).Nodes())
		}
		(*g).supply[id-1] = supply
		return ""
	case 'a':
		nw := *g
		if nw == nil {
			return "expected the problem line 'p min NODES ARCS' before arc lines"
		}
		from, ok1 := t.int()
		to, ok2 := t.int()
		low, ok3 := t.int()
		capa, ok4 := t.int()
		cost, ok5 := t.int()
		if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !t.done() {
			return "expected an arc line 'a FROM TO LOW CAP COST'"
		}
		n := int64(nw.Nodes())
		if from < 1 || from > n || to < 1 || to > n {
			return fmt.Sprintf("expected arc ends between 1 and %d", n)
		}
		if nw.Arcs() >= *arcsDue {
			return fmt.Sprintf("expected no more than the %d arcs announced", *arcsDue)
		}
		if capa < low {
			capa = InfiniteCapacity
		}
		nw.from = append(nw.from, int32(from-1))
		nw.to = append(nw.to, int32(to-1))
		nw.lower = append(nw.lower, low)
		nw.capacity = append(nw.capacity, capa)
		nw.cost = append(nw.cost, cost)
		return ""
	}
	return "expected a line starting with c, p, n or a"
}

// dimacsTokens walks the fields of one line without allocating.
type dimacsTokens struct {
	b []byte
	i int
}

// space skips blanks and reports whether there were any.
func (t *dimacsTokens) space() bool {
	j := t.i
	for t.i < len(t.b) && (t.b[t.i] == ' ' || t.b[t.i] == '\t') {
		t.i++
	}
	return t.i > j
}

// done skips blanks and reports whether the line is over.
func (t *dimacsTokens) done() bool {
	t.space()
	return t.i == len(t.b) || t.b[t.i] == '\n' || t.b[t.i] == '\r'
}

// word consumes w if it is the next field.
func (t *dimacsTokens) word(w string) bool {
	t.space()
	end := t.i + len(w)
	if end > len(t.b) || string(t.b[t.i:end]) != w {
		return false
	}
	if end < len(t.b) && t.b[end] != ' ' && t.b[end] != '\t' && t.b[end] != '\n' && t.b[end] != '\r' {
		return false
	}
	t.i = end
	return true
}

// int parses the next field as a signed decimal int64.
func (t *dimacsTokens) int() (int64, bool) {
	b, i := t.b, t.i
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	first := i
	neg := false
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		neg = b[i] == '-'
		i++
	}
	start := i
	var v uint64
	for ; i < len(b); i++ {
		d := b[i] - '0'
		if d > 9 {
			break
		}
		v = v*10 + uint64(d)
	}
	if i == start || (i < len(b) && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r') {
		return 0, false
	}
	t.i = i
	if i-start > 18 {
		// Up to 18 digits cannot overflow; longer fields take the slow,
		// checked path.
		x, err := strconv.ParseInt(string(b[first:i]), 10, 64)
		return x, err == nil
	}
	if neg {
		return -int64(v), true
	}
	return int64(v), true
}

// ErrDIMACSCapacity reports an arc that WriteDIMACS cannot express because
// its capacity is below its lower bound, which the format reads as infinite.
var ErrDIMACSCapacity = errors.New("optimize: arc capacity below lower bound cannot be written as DIMACS")

// WriteDIMACS writes g in the DIMACS min-cost-flow format read by
// ReadDIMACS, with n lines for nonzero supplies only and infinite capacities
// written as a capacity below the lower bound (-1 for a zero lower bound).
func WriteDIMACS(w io.Writer, g *FlowNetwork) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	buf := make([]byte, 0, 128)
	buf = append(buf, "p min "...)
	buf = strconv.AppendInt(buf, int64(g.Nodes()), 10)
	buf = append(buf, ' ')
	buf = strconv.AppendInt(buf, int64(g.Arcs()), 10)
	buf = append(buf, '\n')
	if _, err := bw.Write(buf); err != nil {
		return err
	}
	for u, b := range g.supply {
		if b == 0 {
			continue
		}
		buf = append(buf[:0], "n "...)
		buf = strconv.AppendInt(buf, int64(u+1), 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, b, 10)
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	for e := range g.from {
		lo, hi := g.lower[e], g.capacity[e]
		if hi == InfiniteCapacity {
			if lo == math.MinInt64 {
				return fmt.Errorf("arc %d: %w", e, ErrDIMACSCapacity)
			}
			hi = min(lo-1, -1)
		} else if hi < lo {
			return fmt.Errorf("arc %d: %w", e, ErrDIMACSCapacity)
		}
		buf = append(buf[:0], "a "...)
		buf = strconv.AppendInt(buf, int64(g.from[e])+1, 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, int64(g.to[e])+1, 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, lo, 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, hi, 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, g.cost[e], 10)
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}
