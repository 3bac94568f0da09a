package optimize

import (
	"container/heap"
	"context"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"slices"
)

// mrgSearch is the local search over closure sets. Two candidates interact
// when they can send pupils to a common receiver or one can send pupils to
// the other; the closed candidates fall into components of this relation
// whose costs add up, so a move is evaluated by solving again only the
// components it touches (incremental evaluation), with every component
// solved once (memo).
type mrgSearch struct {
	ctx    context.Context
	p      *mrgProblem
	nbr    [][]int32
	closed []bool
	screen []bool // closing may pay: some saving is left after the cheapest travel
	memo   map[string]float64
	evals  int
	mark   []int32 // BFS marks, stamp-based
	stamp  int32
}

func newMrgSearch(ctx context.Context, p *mrgProblem) *mrgSearch {
	n := len(p.cands)
	s := &mrgSearch{ctx: ctx, p: p, nbr: make([][]int32, n), closed: make([]bool, n),
		screen: make([]bool, n), memo: map[string]float64{}, mark: make([]int32, n)}
	rev := make([][]int32, len(p.recvs))
	for c := range p.cands {
		for _, cl := range p.cands[c].clients {
			for _, re := range cl.reach {
				if l := rev[re.recv]; len(l) == 0 || l[len(l)-1] != int32(c) {
					rev[re.recv] = append(rev[re.recv], int32(c))
				}
			}
		}
	}
	for c := range p.cands {
		set := map[int32]bool{}
		for _, cl := range p.cands[c].clients {
			for _, re := range cl.reach {
				for _, o := range rev[re.recv] {
					set[o] = true
				}
				if o := p.recvs[re.recv].cand; o >= 0 {
					set[o] = true
				}
			}
		}
		if r := p.cands[c].recv; r >= 0 {
			for _, o := range rev[r] {
				set[o] = true
			}
		}
		delete(set, int32(c))
		for o := range set {
			s.nbr[c] = append(s.nbr[c], o)
		}
		slices.Sort(s.nbr[c])
		s.screen[c] = p.closeBound(c) < 0
	}
	return s
}

// closeBound is a lower bound on the change of cost from closing c alone:
// its saving against each pupil's cheapest journey, ignoring capacities.
func (p *mrgProblem) closeBound(c int) float64 {
	cd := &p.cands[c]
	if !cd.closable {
		return math.Inf(1)
	}
	d := -cd.fixed
	for _, cl := range cd.clients {
		if cl.pupils == 0 {
			continue
		}
		if len(cl.reach) == 0 {
			return math.Inf(1)
		}
		d += float64(int64(cl.pupils) * cl.reach[0].cost)
	}
	return d
}

// components returns the components of the closed candidates reachable from
// seeds, each sorted.
func (s *mrgSearch) components(seeds []int32) [][]int32 {
	s.stamp++
	var out [][]int32
	var stack []int32
	for _, c := range seeds {
		if !s.closed[c] || s.mark[c] == s.stamp {
			continue
		}
		s.mark[c] = s.stamp
		comp := []int32{c}
		stack = append(stack[:0], c)
		for len(stack) > 0 {
			u := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, v := range s.nbr[u] {
				if s.closed[v] && s.mark[v] != s.stamp {
					s.mark[v] = s.stamp
					comp = append(comp, v)
					stack = append(stack, v)
				}
			}
		}
		slices.Sort(comp)
		out = append(out, comp)
	}
	return out
}

func mrgKey(comp []int32) string {
	b := make([]byte, 4*len(comp))
	for i, c := range comp {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(c))
	}
	return string(b)
}

// compCost returns the travel and classroom cost of a component.
func (s *mrgSearch) compCost(comp []int32) (float64, error) {
	k := mrgKey(comp)
	if v, ok := s.memo[k]; ok {
		return v, nil
	}
	ev, err := s.p.evaluate(s.ctx, comp, s.closed, false)
	if err != nil {
		return 0, err
	}
	s.evals++
	v := ev.cost(s.p.roomCost)
	s.memo[k] = v
	return v, nil
}

// region returns the flipped candidates and their neighbours.
func (s *mrgSearch) region(flips []int32) []int32 {
	r := slices.Clone(flips)
	for _, c := range flips {
		r = append(r, s.nbr[c]...)
	}
	return r
}

// delta returns the change of total cost from flipping the candidates.
func (s *mrgSearch) delta(flips []int32) (float64, error) {
	reg := s.region(flips)
	d := 0.0
	for _, comp := range s.components(reg) {
		v, err := s.compCost(comp)
		if err != nil {
			return 0, err
		}
		d -= v
	}
	s.flip(flips)
	defer s.flip(flips)
	for _, c := range flips {
		if s.closed[c] {
			d -= s.p.cands[c].fixed
		} else {
			d += s.p.cands[c].fixed
		}
	}
	for _, comp := range s.components(reg) {
		v, err := s.compCost(comp)
		if err != nil {
			return 0, err
		}
		if math.IsInf(v, 1) {
			return math.Inf(1), nil
		}
		d += v
	}
	if math.IsNaN(d) {
		// An infeasible component before the move (never kept) minus one after.
		return math.Inf(1), nil
	}
	return d, nil
}

func (s *mrgSearch) flip(cs []int32) {
	for _, c := range cs {
		s.closed[c] = !s.closed[c]
	}
}

// total returns the cost of the current closure set.
func (s *mrgSearch) total() (float64, error) {
	t := 0.0
	var all []int32
	for c := range s.p.cands {
		if s.closed[c] {
			all = append(all, int32(c))
		} else {
			t += s.p.cands[c].fixed
		}
	}
	for _, comp := range s.components(all) {
		v, err := s.compCost(comp)
		if err != nil {
			return 0, err
		}
		t += v
	}
	return t, nil
}

// mrgEps is the least improvement a move must bring, in CNY per year.
const mrgEps = 1e-6

type mrgItem struct {
	d float64
	c int32
}

type mrgHeap []mrgItem

func (h mrgHeap) Len() int { return len(h) }
func (h mrgHeap) Less(i, j int) bool {
	if h[i].d != h[j].d {
		return h[i].d < h[j].d
	}
	return h[i].c < h[j].c
}
func (h mrgHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *mrgHeap) Push(x any)   { *h = append(*h, x.(mrgItem)) }
func (h *mrgHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

// greedy closes candidates one at a time, the best first, while closing
// pays. Gains are re-evaluated lazily: a popped candidate whose gain has
// shrunk below the next one's is pushed back.
func (s *mrgSearch) greedy() error {
	h := &mrgHeap{}
	for c := range s.p.cands {
		if !s.screen[c] {
			continue
		}
		d, err := s.delta([]int32{int32(c)})
		if err != nil {
			return err
		}
		if d < -mrgEps {
			*h = append(*h, mrgItem{d, int32(c)})
		}
	}
	heap.Init(h)
	for h.Len() > 0 {
		it := heap.Pop(h).(mrgItem)
		if s.closed[it.c] {
			continue
		}
		d, err := s.delta([]int32{it.c})
		if err != nil {
			return err
		}
		if d >= -mrgEps {
			continue
		}
		if h.Len() > 0 && d > (*h)[0].d+mrgEps {
			heap.Push(h, mrgItem{d, it.c})
			continue
		}
		s.closed[it.c] = true
	}
	return nil
}

// localSearch applies improving flips (close or reopen one candidate) and
// swaps (reopen a closed candidate, close an interacting open one) until
// none improves. It examines the candidates in seeds (all when nil) and,
// after each move, the neighbours of the moved ones: a move only changes
// the gains of candidates it interacts with.
func (s *mrgSearch) localSearch(seeds []int32) error {
	n := len(s.p.cands)
	inQ := make([]bool, n)
	var queue []int32
	push := func(c int32) {
		if !inQ[c] {
			inQ[c] = true
			queue = append(queue, c)
		}
	}
	if seeds == nil {
		for c := range n {
			push(int32(c))
		}
	}
	for _, c := range seeds {
		push(c)
	}
	moved := func(cs ...int32) {
		for _, c := range cs {
			push(c)
			for _, o := range s.nbr[c] {
				push(o)
			}
		}
	}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		inQ[c] = false
		if s.closed[c] || s.screen[c] {
			d, err := s.delta([]int32{c})
			if err != nil {
				return err
			}
			if d < -mrgEps {
				s.closed[c] = !s.closed[c]
				moved(c)
				continue
			}
		}
		// Swaps with c on either side.
		for _, o := range s.nbr[c] {
			var a, b int32 // a reopens, b closes
			switch {
			case s.closed[c] && !s.closed[o] && s.screen[o]:
				a, b = c, o
			case !s.closed[c] && s.screen[c] && s.closed[o]:
				a, b = o, c
			default:
				continue
			}
			d, err := s.delta([]int32{a, b})
			if err != nil {
				return err
			}
			if d < -mrgEps {
				s.closed[a], s.closed[b] = false, true
				moved(a, b)
				break
			}
		}
	}
	return nil
}

// mrgDeepLimit is the largest instance on which the search also tries
// three-candidate moves.
const mrgDeepLimit = 16

// deepSearch tries moves of three candidates — reopen one and close two, or
// reopen two and close one — with the local search after each improvement,
// until none improves. It returns whether anything improved.
func (s *mrgSearch) deepSearch() (bool, error) {
	n := int32(len(s.p.cands))
	any := false
	for {
		improved := false
		try := func(flips ...int32) (bool, error) {
			d, err := s.delta(flips)
			if err != nil || d >= -mrgEps {
				return false, err
			}
			s.flip(flips)
			return true, s.localSearch(nil)
		}
	scan:
		for a := int32(0); a < n; a++ {
			for b := a + 1; b < n; b++ {
				for c := b + 1; c < n; c++ {
					k := 0
					for _, x := range []int32{a, b, c} {
						if s.closed[x] {
							k++
						} else if !s.screen[x] {
							k = -10
						}
					}
					if k != 1 && k != 2 || !s.linked(a, b, c) {
						continue
					}
					ok, err := try(a, b, c)
					if err != nil {
						return false, err
					}
					if ok {
						improved, any = true, true
						break scan
					}
				}
			}
		}
		if !improved {
			return any, nil
		}
	}
}

// linked reports whether three candidates form a connected group of the
// interaction relation; a move of unconnected parts is a sum of smaller
// moves the local search already tries.
func (s *mrgSearch) linked(a, b, c int32) bool {
	ab := slices.Contains(s.nbr[a], b)
	ac := slices.Contains(s.nbr[a], c)
	bc := slices.Contains(s.nbr[b], c)
	return ab && (ac || bc) || ac && bc
}

// solve runs the greedy and the local search and returns the cost found.
func (s *mrgSearch) solve() (float64, error) {
	if err := s.greedy(); err != nil {
		return 0, err
	}
	if err := s.localSearch(nil); err != nil {
		return 0, err
	}
	return s.total()
}

// restart searches again from the closure set closed: its candidates are
// closed one at a time where the set stays feasible, then the local search
// runs. It returns the cost reached.
func (s *mrgSearch) restart(closed []bool) (float64, error) {
	clear(s.closed)
	for c, x := range closed {
		if !x || !s.p.cands[c].closable {
			continue
		}
		d, err := s.delta([]int32{int32(c)})
		if err != nil {
			return 0, err
		}
		if !math.IsInf(d, 1) {
			s.closed[c] = true
		}
	}
	if err := s.localSearch(nil); err != nil {
		return 0, err
	}
	return s.total()
}

// kick flips two to four closable candidates, a random one and random
// neighbours of it or, half the time, random others, keeping the flips that
// leave the plan feasible, then runs the local search around them (one step
// of iterated local search; small instances search everywhere).
func (s *mrgSearch) kick(rng *rand.Rand, pool []int32) (float64, error) {
	c := pool[rng.IntN(len(pool))]
	flips := []int32{c}
	far := rng.IntN(2) == 0 || len(s.nbr[c]) == 0
	for k := 1 + rng.IntN(3); k > 0; k-- {
		var o int32
		if far {
			o = pool[rng.IntN(len(pool))]
		} else {
			o = s.nbr[c][rng.IntN(len(s.nbr[c]))]
		}
		if s.p.cands[o].closable && !slices.Contains(flips, o) {
			flips = append(flips, o)
		}
	}
	for _, f := range flips {
		d, err := s.delta([]int32{f})
		if err != nil {
			return 0, err
		}
		if !math.IsInf(d, 1) {
			s.closed[f] = !s.closed[f]
		}
	}
	seeds := s.region(flips)
	if len(s.p.cands) <= 40 {
		seeds = nil
	}
	if err := s.localSearch(seeds); err != nil {
		return 0, err
	}
	return s.total()
}
