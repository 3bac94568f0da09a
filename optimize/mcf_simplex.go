package optimize

import (
	"context"
	"math"
)

// The network simplex keeps a spanning tree rooted at an artificial node
// (number n, after the n real nodes) joined to every node by an artificial
// arc. Every non-tree arc sits at its lower or its upper bound; the tree arcs
// carry the flow that balances the supplies. A pivot lets a non-tree arc of
// negative reduced cost enter the tree, pushes flow round the cycle it closes
// and drops an arc that blocks, chosen so that the tree stays strongly
// feasible, which rules out cycling on degenerate pivots.
//
// Artificial arcs that may carry flow only in an infeasible instance cost a
// big M, dearer than any path of real arcs, and are never priced: once they
// leave the tree they stay out. Flow left on one at the end proves the
// instance infeasible. The solve starts with a crash of cheap arcs into the
// demand nodes, then prices the arcs in blocks of about √m, in a strided
// order that mixes arcs from all over the network.
//
// The tree is stored as in LEMON's NetworkSimplex: parent, the tree arc to
// the parent (pred) and its direction, a preorder "thread" with its inverse,
// the subtree sizes and the last node of each subtree in preorder. A subtree
// is then a contiguous run of the thread, so moving it and shifting its
// potentials costs time proportional to its size only.
//
// Shifting potentials along the thread dominates the running time on large
// instances. Every so often the nodes are renumbered in thread order, so
// that the thread runs forwards through memory; moved subtrees keep most of
// that order, and the walks become mostly sequential, which more than pays
// for the renumbering.

const mcfInf = math.MaxInt64

// Arc states: a non-tree arc at its lower bound may enter by increasing its
// flow, one at its upper bound by decreasing it. The state doubles as the sign
// that makes a profitable reduced cost negative.
const (
	mcfLower int8 = 1
	mcfTree  int8 = 0
	mcfUpper int8 = -1
)

// mcfMinBlock is the smallest pricing block: tiny blocks waste pivots on poor
// candidates.
const mcfMinBlock = 10

// Bounds that keep all potential arithmetic within int64: the big-M cost
// stays below mcfMaxBigM, so potentials relative to the root stay within
// 2·mcfMaxBigM, and the root's own potential within mcfDrift.
const (
	mcfMaxBigM = 1 << 58
	mcfDrift   = 1 << 59
)

// mcfCheckEvery is how many pivots pass between checks of the context.
const mcfCheckEvery = 1024

type mcfSolver struct {
	n      int // real nodes; the root is node n
	m      int // real arcs
	search int // arcs 0..search-1 are priced; later ones are artificial and may only leave
	block  int
	next   int // where the next pricing pass starts
	rule   FlowSupplyRule

	// arcs; real arc i is arc arcID[i] of the network
	arcID    []int32
	src, dst []int32
	capa     []int64 // mcfInf when unbounded; lower bounds are shifted out
	cost     []int64
	flow     []int64
	state    []int8

	// nodes, root included
	pi        []int64
	parent    []int32
	pred      []int32
	dirUp     []int8 // +1 if pred points from the node to its parent, -1 if from the parent
	thread    []int32
	revThread []int32
	succNum   []int32
	lastSucc  []int32

	crash []int32 // arcs tried first, in this order

	nodeID []int32 // real node u is node nodeID[u] of the network
	walked int     // nodes whose potentials moved since the last renumbering
	renum  int     // renumber when walked exceeds this
	newOf  []int32 // scratch for renumbering
	tmp32  []int32
	tmp64  []int64

	// scratch for tree updates, reused across pivots
	stem, stemLast, stemSucc, cutBefore, cutAfter []int32

	check func(*mcfSolver) // test hook run after every pivot; nil normally
}

// mcfSolve builds the solver for g and runs it. With zeroCost every arc costs
// nothing, which decides feasibility alone.
func mcfSolve(ctx context.Context, g *FlowNetwork, opt FlowOptions, zeroCost bool, check func(*mcfSolver)) (*FlowSolution, error) {
	s, offset, err := newMCFSolver(g, opt, zeroCost)
	if err != nil {
		return nil, err
	}
	s.check = check
	pivots, err := s.run(ctx)
	if err != nil {
		return nil, err
	}
	return s.solution(g, offset, pivots)
}

// newMCFSolver shifts lower bounds out, adds the root and the artificial arcs
// and builds the initial strongly feasible tree. It returns the cost of the
// flow forced by the lower bounds.
func newMCFSolver(g *FlowNetwork, opt FlowOptions, zeroCost bool) (*mcfSolver, int64, error) {
	n, m := g.Nodes(), g.Arcs()
	total := m + n
	if opt.Supply == FlowSupplyAtLeast {
		total += n
	}
	if total > math.MaxInt32-1 {
		panic("optimize: flow network too large")
	}
	s := &mcfSolver{n: n, m: m, rule: opt.Supply}
	s.src = make([]int32, total)
	s.dst = make([]int32, total)
	s.capa = make([]int64, total)
	s.cost = make([]int64, total)
	s.flow = make([]int64, total)
	s.state = make([]int8, total)
	// Arcs are priced in a shuffled order: consecutive arcs of the input
	// usually share an end (all links of one area, say), and a pricing block
	// drawn from all over the network finds better candidates.
	s.arcID = mcfStride(m, n)
	for i, e := range s.arcID {
		s.src[i], s.dst[i] = g.from[e], g.to[e]
		if !zeroCost {
			s.cost[i] = g.cost[e]
		}
	}

	supply := make([]int64, n)
	copy(supply, g.supply)
	var offset, maxCost, bound int64
	ok := true
	for e, id := range s.arcID {
		lo, hi, c := g.lower[id], g.capacity[id], s.cost[e]
		if hi != InfiniteCapacity && hi < lo {
			return nil, 0, ErrInfeasible
		}
		if hi == InfiniteCapacity {
			s.capa[e] = mcfInf
		} else {
			var okSub bool
			s.capa[e], okSub = mcfAdd(hi, -lo)
			ok = ok && okSub && lo != math.MinInt64
			bound, okSub = mcfAdd(bound, s.capa[e])
			ok = ok && okSub
		}
		if lo != 0 {
			u, v := s.src[e], s.dst[e]
			var okA, okB, okC, okD bool
			supply[u], okA = mcfAdd(supply[u], -lo)
			supply[v], okB = mcfAdd(supply[v], lo)
			var lc int64
			lc, okC = mcfMul(lo, c)
			offset, okD = mcfAdd(offset, lc)
			ok = ok && okA && okB && okC && okD && lo != math.MinInt64
		}
		if c < 0 {
			if c == math.MinInt64 {
				ok = false
			}
			c = -c
		}
		maxCost = max(maxCost, c)
		s.state[e] = mcfLower
	}
	var sum int64
	for _, b := range supply {
		var okA, okB bool
		sum, okA = mcfAdd(sum, b)
		if b > 0 {
			bound, okB = mcfAdd(bound, b)
		} else {
			bound, okB = mcfAdd(bound, -b)
		}
		ok = ok && okA && okB && b != math.MinInt64
	}
	// Big-M cost of the artificial arcs: dearer than any path of real arcs,
	// so that they carry flow at the optimum only if no feasible flow exists.
	// Potentials stay within a few multiples of it.
	if maxCost >= mcfMaxBigM/int64(n+1) {
		ok = false
	}
	if !ok {
		return nil, 0, ErrFlowOverflow
	}
	bigM := (maxCost + 1) * int64(n+1)
	switch opt.Supply {
	case FlowSupplyExact:
		if sum != 0 {
			return nil, 0, ErrInfeasible
		}
		s.search = m
	case FlowSupplyAtLeast:
		if sum > 0 {
			return nil, 0, ErrInfeasible
		}
		s.search = m + n
	}

	root := int32(n)
	nn := n + 1
	s.pi = make([]int64, nn)
	s.parent = make([]int32, nn)
	s.pred = make([]int32, nn)
	s.dirUp = make([]int8, nn)
	s.thread = make([]int32, nn)
	s.revThread = make([]int32, nn)
	s.succNum = make([]int32, nn)
	s.lastSucc = make([]int32, nn)

	for u := 0; u < n; u++ {
		b := supply[u]
		s.parent[u] = root
		s.thread[u] = int32(u + 1)
		s.revThread[u] = int32(u - 1)
		s.succNum[u] = 1
		s.lastSucc[u] = int32(u)
		art := int32(m + u) // artificial arc between u and the root
		s.capa[art] = mcfInf
		if opt.Supply == FlowSupplyExact {
			// u→root at no cost for sources, root→u at cost M for demands:
			// flow through the root pays M once.
			s.state[art] = mcfTree
			s.pred[u] = art
			if b >= 0 {
				s.src[art], s.dst[art] = int32(u), root
				s.flow[art] = b
				s.dirUp[u] = 1
			} else {
				s.src[art], s.dst[art] = root, int32(u)
				s.flow[art] = -b
				s.cost[art] = bigM
				s.pi[u] = bigM
				s.dirUp[u] = -1
			}
			continue
		}
		// At least: a free arc root→u lets any node send out more than its
		// supply, which for a demand node leaves part of the demand unmet; a
		// dear arc u→root only starts the tree for sources.
		dear := int32(m + n + u)
		s.src[art], s.dst[art] = root, int32(u)
		s.src[dear], s.dst[dear] = int32(u), root
		s.capa[dear] = mcfInf
		s.cost[dear] = bigM
		if b < 0 {
			s.state[art] = mcfTree
			s.flow[art] = -b
			s.pred[u] = art
			s.dirUp[u] = -1
			s.state[dear] = mcfLower
			s.capa[dear] = 0
		} else {
			s.state[art] = mcfLower
			s.state[dear] = mcfTree
			s.flow[dear] = b
			s.pred[u] = dear
			s.dirUp[u] = 1
			s.pi[u] = -bigM
		}
	}
	s.parent[root] = -1
	s.pred[root] = -1
	s.succNum[root] = int32(nn)
	s.thread[root] = 0
	s.revThread[root] = root - 1
	s.lastSucc[root] = root - 1
	if n > 0 {
		s.revThread[0] = root
		s.thread[n-1] = root
	} else {
		s.thread[root] = root
		s.revThread[root] = root
		s.lastSucc[root] = root
	}

	s.crash = mcfCrashArcs(s, supply, sum)
	s.nodeID = make([]int32, n)
	for u := range s.nodeID {
		s.nodeID[u] = int32(u)
	}
	// Renumbering costs about as much as walking a few times 4n + m nodes.
	s.renum = 12 * (4*n + len(s.src))

	s.block = opt.BlockSize
	if s.block <= 0 {
		s.block = int(math.Sqrt(float64(s.search)))
	}
	s.block = max(s.block, mcfMinBlock)
	if s.block > s.search {
		s.block = max(s.search, 1)
	}
	return s, offset, nil
}

// mcfCrashArcs picks the arcs for a crash start: the cheapest arc into each
// demand node or, when supply falls short of demand under
// FlowSupplyAtLeast, the cheapest arc out of each supply node. Pivoting them
// in first replaces most artificial arcs by plausible ones at once, which
// saves many pivots of the general search.
func mcfCrashArcs(s *mcfSolver, supply []int64, sum int64) []int32 {
	short := sum < 0 // under FlowSupplyAtLeast: supply falls short of demand
	best := make([]int32, s.n)
	for u := range best {
		best[u] = -1
	}
	for e := 0; e < s.m; e++ {
		u := s.dst[e]
		if short {
			u = s.src[e]
		}
		if b := supply[u]; short && b <= 0 || !short && b >= 0 {
			continue
		}
		if b := best[u]; b < 0 || s.cost[e] < s.cost[b] {
			best[u] = int32(e)
		}
	}
	arcs := best[:0]
	for _, e := range best {
		if e >= 0 {
			arcs = append(arcs, e)
		}
	}
	return arcs
}

// run pivots until no arc has a negative reduced cost and returns the number
// of pivots.
func (s *mcfSolver) run(ctx context.Context) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	pivots := 0
	for _, e := range s.crash {
		if int64(s.state[e])*(s.cost[e]+s.pi[s.src[e]]-s.pi[s.dst[e]]) >= 0 {
			continue
		}
		if !s.pivot(int(e)) {
			return pivots, ErrUnbounded
		}
		pivots++
		if s.check != nil {
			s.check(s)
		}
		if s.walked > s.renum {
			s.renumber()
		}
	}
	for {
		in := s.findEntering()
		if in < 0 {
			return pivots, nil
		}
		if !s.pivot(in) {
			return pivots, ErrUnbounded
		}
		pivots++
		if s.check != nil {
			s.check(s)
		}
		if s.walked > s.renum {
			s.renumber()
		}
		if pivots%mcfCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return pivots, err
			}
		}
	}
}

// findEntering prices the arcs in blocks, starting where the last pass
// stopped, and returns the most profitable arc of the first block that has
// one, or -1 when the tree is optimal.
func (s *mcfSolver) findEntering() int {
	m := s.search
	best, in := int64(0), -1
	e, cnt := s.next, s.block
	for scanned := 0; scanned < m; {
		end := min(e+cnt, m)
		best, in = mcfPrice(s.state, s.cost, s.src, s.dst, s.pi, e, end, best, in)
		scanned += end - e
		cnt -= end - e
		e = end
		if e == m {
			e = 0
		}
		if cnt == 0 {
			if in >= 0 {
				break
			}
			cnt = s.block
		}
	}
	s.next = e
	return in
}

// mcfPrice scans arcs lo..hi-1 for a reduced cost, signed by the arc's
// state, below best, and returns the lowest and its arc.
func mcfPrice(state []int8, cost []int64, src, dst []int32, pi []int64, lo, hi int, best int64, in int) (int64, int) {
	st := state[lo:hi]
	co := cost[lo:hi]
	co = co[:len(st)]
	sr := src[lo:hi]
	sr = sr[:len(st)]
	ds := dst[lo:hi]
	ds = ds[:len(st)]
	for i, x := range st {
		if c := int64(x) * (co[i] + pi[sr[i]] - pi[ds[i]]); c < best {
			best, in = c, lo+i
		}
	}
	return best, in
}

// pivot brings arc in into the tree. It reports false if the cycle it closes
// has infinite capacity, that is if the instance is unbounded.
func (s *mcfSolver) pivot(in int) bool {
	parent, pred, dirUp := s.parent, s.pred, s.dirUp
	flow, capa := s.flow, s.capa
	succNum := s.succNum

	// Flow goes round the cycle from first over the entering arc to second,
	// then up the tree from second to the join and down from it to first.
	first, second := s.src[in], s.dst[in]
	st := s.state[in]
	if st == mcfUpper {
		first, second = second, first
	}
	u, v := first, second
	for u != v {
		if succNum[u] < succNum[v] {
			u = parent[u]
		} else {
			v = parent[v]
		}
	}
	join := u

	// Ratio test. Of the arcs that block, the last one met when going round
	// the cycle from the join leaves; that keeps the tree strongly feasible
	// and rules out cycling. On the first side the flow runs down the tree,
	// on the second side up.
	delta := capa[in]
	out := int32(-1)
	outSecond := false
	for u := first; u != join; u = parent[u] {
		e := pred[u]
		r := flow[e]
		if dirUp[u] < 0 {
			if c := capa[e]; c == mcfInf {
				r = mcfInf
			} else {
				r = c - r
			}
		}
		if r < delta {
			delta = r
			out = u
		}
	}
	for u := second; u != join; u = parent[u] {
		e := pred[u]
		r := flow[e]
		if dirUp[u] > 0 {
			if c := capa[e]; c == mcfInf {
				r = mcfInf
			} else {
				r = c - r
			}
		}
		if r <= delta {
			delta = r
			out = u
			outSecond = true
		}
	}
	if delta == mcfInf {
		return false
	}

	if delta > 0 {
		flow[in] += int64(st) * delta
		for u := first; u != join; u = parent[u] {
			flow[pred[u]] -= int64(dirUp[u]) * delta
		}
		for u := second; u != join; u = parent[u] {
			flow[pred[u]] += int64(dirUp[u]) * delta
		}
	}
	if out < 0 {
		// The entering arc blocks itself: it only changes bound.
		s.state[in] = -st
		return true
	}

	uIn, vIn := first, second
	if outSecond {
		uIn, vIn = second, first
	}
	leave := pred[out]
	s.state[in] = mcfTree
	if flow[leave] == 0 {
		s.state[leave] = mcfLower
	} else {
		s.state[leave] = mcfUpper
	}

	rc := s.cost[in] + s.pi[s.src[in]] - s.pi[s.dst[in]]
	sigma := rc
	if uIn == s.src[in] {
		sigma = -rc
	}
	s.retree(int32(in), uIn, vIn, out, join, sigma)
	return true
}

// retree replaces the tree arc above out by arc in, which joins uIn (inside
// the subtree of out) to vIn (outside it). The subtree is re-hung from uIn:
// the path uIn = x0, x1, …, xk = out is reversed, and the whole subtree goes
// into the thread right after vIn. Its potentials shift by sigma.
func (s *mcfSolver) retree(in, uIn, vIn, out, join int32, sigma int64) {
	parent, pred, dirUp := s.parent, s.pred, s.dirUp
	thread, revThread := s.thread, s.revThread
	succNum, lastSucc := s.succNum, s.lastSucc

	// Collect the stem and what the thread looks like around it before any
	// link changes. In preorder, the subtree of x(i) minus that of x(i-1) is
	// the run x(i)…cutBefore(i), then, if not empty, cutAfter(i)…last(x(i)).
	stem := s.stem[:0]
	for x := uIn; ; x = parent[x] {
		stem = append(stem, x)
		if x == out {
			break
		}
	}
	k := len(stem)
	last := mcfResize(s.stemLast, k)
	succ := mcfResize(s.stemSucc, k)
	cutBefore := mcfResize(s.cutBefore, k)
	cutAfter := mcfResize(s.cutAfter, k)
	for i, x := range stem {
		last[i] = lastSucc[x]
		succ[i] = succNum[x]
		if i > 0 {
			cutBefore[i] = revThread[stem[i-1]]
			cutAfter[i] = thread[last[i-1]]
		}
	}
	s.stem, s.stemLast, s.stemSucc, s.cutBefore, s.cutAfter = stem, last, succ, cutBefore, cutAfter
	size := succ[k-1]
	oldLast := last[k-1]

	// Cut the subtree of out from the thread and from its old ancestors.
	before, after := revThread[out], thread[oldLast]
	thread[before] = after
	revThread[after] = before
	for z := parent[out]; z >= 0 && lastSucc[z] == oldLast; z = parent[z] {
		lastSucc[z] = before
	}
	for z := parent[out]; z != join; z = parent[z] {
		succNum[z] -= size
	}

	// Thread the re-hung subtree: x0's old subtree, then for each i the rest
	// of x(i)'s old subtree.
	tail := last[0]
	for i := 1; i < k; i++ {
		x := stem[i]
		thread[tail] = x
		revThread[x] = tail
		if last[i] != last[i-1] {
			a, b := cutBefore[i], cutAfter[i]
			thread[a] = b
			revThread[b] = a
			tail = last[i]
		} else {
			tail = cutBefore[i]
		}
	}

	// Hang it after vIn.
	nxt := thread[vIn]
	thread[vIn] = uIn
	revThread[uIn] = vIn
	thread[tail] = nxt
	revThread[nxt] = tail
	for z := vIn; z >= 0 && lastSucc[z] == vIn; z = parent[z] {
		lastSucc[z] = tail
	}
	for z := vIn; z != join; z = parent[z] {
		succNum[z] += size
	}

	// Reverse the stem.
	for i := k - 1; i >= 1; i-- {
		x, c := stem[i], stem[i-1]
		parent[x] = c
		pred[x] = pred[c]
		dirUp[x] = -dirUp[c]
		succNum[x] = size - succ[i-1]
		lastSucc[x] = tail
	}
	parent[uIn] = vIn
	pred[uIn] = in
	if s.src[in] == uIn {
		dirUp[uIn] = 1
	} else {
		dirUp[uIn] = -1
	}
	succNum[uIn] = size
	lastSucc[uIn] = tail

	// Shift the potentials of the subtree by sigma, or, when the subtree is
	// the larger part, those of all other nodes by -sigma: only differences
	// of potentials matter. The root's potential then drifts from zero;
	// solution subtracts it, and it is pulled back before it can overflow.
	if sigma == 0 {
		return
	}
	pi := s.pi
	s.walked += min(int(size), len(pi)-int(size))
	if 2*int(size) <= len(pi) {
		mcfShift(pi, thread, uIn, tail, sigma)
		return
	}
	mcfShift(pi, thread, nxt, vIn, -sigma)
	if r := pi[len(pi)-1]; r > mcfDrift || r < -mcfDrift {
		for z := range pi {
			pi[z] -= r
		}
	}
}

// mcfShift adds d to the potentials of the nodes from a to b along the
// thread. Renumbering makes the thread mostly step from z to z+1; the inner
// loop steps so without waiting for thread[z] to load, and only checks it,
// which lets the processor run ahead.
func mcfShift(pi []int64, thread []int32, a, b int32, d int64) {
	z := a
	for {
		for {
			pi[z] += d
			if z == b || thread[z] != z+1 {
				break
			}
			z++
		}
		if z == b {
			return
		}
		z = thread[z]
	}
}

// mcfStride returns a shuffled arc order: arc 0 goes to place 0, arc 1 to
// place k, arc 2 to place 2k and so on, wrapping round to places 1, k+1, …,
// with k about the mean degree. Arcs that are neighbours in the input end up
// about m/k places apart.
func mcfStride(m, n int) []int32 {
	k := 3
	if n > 0 {
		k = max(k, m/n)
	}
	order := make([]int32, m)
	place, row := 0, 0
	for e := range order {
		order[place] = int32(e)
		place += k
		if place >= m {
			row++
			place = row
		}
	}
	return order
}

// renumber gives the real nodes the numbers 0, 1, … in thread order (the
// root keeps number n), so that the thread runs forwards through memory.
func (s *mcfSolver) renumber() {
	s.walked = 0
	nn := s.n + 1
	root := int32(s.n)
	if s.newOf == nil {
		s.newOf = make([]int32, nn)
		s.tmp32 = make([]int32, nn)
		s.tmp64 = make([]int64, nn)
	}
	newOf := s.newOf
	k := int32(0)
	for u := s.thread[root]; u != root; u = s.thread[u] {
		newOf[u] = k
		k++
	}
	newOf[root] = root

	mcfPermute(s.parent, newOf, s.tmp32, true)
	mcfPermute(s.lastSucc, newOf, s.tmp32, true)
	mcfPermute(s.pred, newOf, s.tmp32, false)
	mcfPermute(s.succNum, newOf, s.tmp32, false)
	for u, id := range s.nodeID {
		s.tmp32[newOf[u]] = id
	}
	copy(s.nodeID, s.tmp32[:s.n])
	for u, p := range s.pi {
		s.tmp64[newOf[u]] = p
	}
	s.pi, s.tmp64 = s.tmp64, s.pi
	dir := s.dirUp
	for u := range s.tmp32 {
		s.tmp32[u] = int32(dir[u])
	}
	for u, d := range s.tmp32 {
		dir[newOf[u]] = int8(d)
	}
	for u := range nn {
		s.thread[u] = int32(u + 1)
		s.revThread[u] = int32(u - 1)
	}
	s.thread[root] = 0
	s.revThread[0] = root

	for e, u := range s.src {
		s.src[e] = newOf[u]
	}
	for e, v := range s.dst {
		s.dst[e] = newOf[v]
	}
}

// mcfPermute moves a[u] to a[newOf[u]], renumbering the values too if they
// are nodes (negative values stay as they are).
func mcfPermute(a, newOf, tmp []int32, values bool) {
	for u, v := range a {
		if values && v >= 0 {
			v = newOf[v]
		}
		tmp[newOf[u]] = v
	}
	copy(a, tmp)
}

func mcfResize(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n, 2*n)
	}
	return s[:n]
}

// solution checks that no artificial arc carries flow and assembles the
// result in the network's own terms.
func (s *mcfSolver) solution(g *FlowNetwork, offset int64, pivots int) (*FlowSolution, error) {
	n, m := s.n, s.m
	dear := s.flow[m : m+n]
	if s.rule == FlowSupplyAtLeast {
		dear = s.flow[m+n : m+2*n]
	}
	for _, f := range dear {
		if f != 0 {
			return nil, ErrInfeasible
		}
	}
	sol := &FlowSolution{
		Flow:      make([]int64, m),
		Potential: make([]int64, n),
		Pivots:    pivots,
	}
	cost := offset
	ok := true
	for e, id := range s.arcID {
		f := s.flow[e]
		c, okMul := mcfMul(f, s.cost[e])
		var okAdd bool
		cost, okAdd = mcfAdd(cost, c)
		ok = ok && okMul && okAdd
		sol.Flow[id] = f + g.lower[id]
	}
	if !ok {
		return nil, ErrFlowOverflow
	}
	sol.Cost = cost
	r := s.pi[n]
	for u, id := range s.nodeID {
		sol.Potential[id] = s.pi[u] - r
	}
	return sol, nil
}
