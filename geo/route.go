package geo

import (
	"context"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// endpoints are snapped points that road searches look for: each is
// reachable from both ends of its segment and, directly, along the segment.
type endpoints struct {
	snaps []Snap
	comp  []int32 // network component of each point

	// nodeCost[nodeStart[u]:nodeStart[u+1]] is the road plus off-road
	// distance from node u to each point nodePt[...] on a segment at u.
	nodeStart []int32
	nodePt    []int32
	nodeCost  []float64

	// segPt[segStart[e]:segStart[e+1]] are the points snapped to segment e.
	segStart []int32
	segPt    []int32
}

func (nw *Network) attach(snaps []Snap) *endpoints {
	ep := &endpoints{snaps: snaps, comp: make([]int32, len(snaps))}
	ep.nodeStart = make([]int32, len(nw.nodes)+1)
	ep.segStart = make([]int32, len(nw.segU)+1)
	for i, s := range snaps {
		u := nw.segU[s.Segment]
		ep.comp[i] = nw.comp[u]
		ep.nodeStart[u+1]++
		ep.nodeStart[nw.segV[s.Segment]+1]++
		ep.segStart[s.Segment+1]++
	}
	for u := 1; u < len(ep.nodeStart); u++ {
		ep.nodeStart[u] += ep.nodeStart[u-1]
	}
	for e := 1; e < len(ep.segStart); e++ {
		ep.segStart[e] += ep.segStart[e-1]
	}
	nodeNext := make([]int32, len(nw.nodes))
	copy(nodeNext, ep.nodeStart)
	segNext := make([]int32, len(nw.segU))
	copy(segNext, ep.segStart)
	ep.nodePt = make([]int32, 2*len(snaps))
	ep.nodeCost = make([]float64, 2*len(snaps))
	ep.segPt = make([]int32, len(snaps))
	for i, s := range snaps {
		e := s.Segment
		u, v := nw.segU[e], nw.segV[e]
		ep.nodePt[nodeNext[u]], ep.nodeCost[nodeNext[u]] = int32(i), s.Along+s.OffRoad
		nodeNext[u]++
		ep.nodePt[nodeNext[v]], ep.nodeCost[nodeNext[v]] = int32(i), (nw.segLen[e]-s.Along)+s.OffRoad
		nodeNext[v]++
		ep.segPt[segNext[e]] = int32(i)
		segNext[e]++
	}
	return ep
}

// hitem is a heap entry: a node or an endpoint with its tentative distance.
type hitem struct {
	key    float64
	id     int32
	target bool
}

// less orders entries by key alone: the heap's operations are the same for
// the same input, so equal keys still come off in a reproducible order.
func (a hitem) less(b hitem) bool { return a.key < b.key }

// searcher runs bounded Dijkstra searches over a network towards a set of
// endpoints. Endpoints are heap entries too, so they come off the heap in
// order of their exact distance and a search can stop after the k-th. State
// is reset lazily by generation stamps, so a search costs only what it
// touches. A searcher is used by one goroutine.
type searcher struct {
	nw *Network
	tg *endpoints

	gen     uint32
	nodes   []nodeState
	targets []targetState
	heap    []hitem
	out     []cand
}

// nodeState is a node's tentative distance, valid when gen is the search's.
type nodeState struct {
	dist float64
	gen  uint32
}

// targetState is an endpoint's tentative distance, valid when seen is the
// search's generation; done is the generation that settled it.
type targetState struct {
	best       float64
	seen, done uint32
}

func newSearcher(nw *Network, tg *endpoints) *searcher {
	return &searcher{
		nw:      nw,
		tg:      tg,
		nodes:   make([]nodeState, len(nw.nodes)),
		targets: make([]targetState, len(tg.snaps)),
	}
}

// run searches from src and returns the endpoints other than self in order
// of travel distance (off-road legs included), stopping at the first
// endpoint beyond limit once k have been found (limit < 0: none). The
// result is reused by the next run.
func (s *searcher) run(src Snap, self int32, limit float64, k int) []cand {
	s.gen++
	if s.gen == 0 {
		clear(s.nodes)
		clear(s.targets)
		s.gen = 1
	}
	s.heap = s.heap[:0]
	s.out = s.out[:0]
	nw, tg := s.nw, s.tg
	// Nodes farther than cut cannot lead to an endpoint within the limit;
	// the slack only keeps rounding from cutting too early.
	cut := math.Inf(1)
	if k == 0 {
		cut = (limit-src.OffRoad)*(1+1e-12) + 1e-9
	}
	e := src.Segment
	s.relaxNode(nw.segU[e], src.Along, cut)
	s.relaxNode(nw.segV[e], nw.segLen[e]-src.Along, cut)
	for _, t := range tg.segPt[tg.segStart[e]:tg.segStart[e+1]] {
		s.relaxTarget(t, math.Abs(src.Along-tg.snaps[t].Along)+tg.snaps[t].OffRoad)
	}
	found := 0
	for len(s.heap) > 0 {
		it := s.pop()
		total := it.key + src.OffRoad
		if found >= k && !(total <= limit) {
			break
		}
		if it.target {
			ts := &s.targets[it.id]
			if ts.done == s.gen {
				continue
			}
			ts.done = s.gen
			if it.id != self {
				s.out = append(s.out, cand{id: it.id, m: total})
				found++
			}
			continue
		}
		u := it.id
		if it.key > s.nodes[u].dist {
			continue // superseded entry
		}
		for j := tg.nodeStart[u]; j < tg.nodeStart[u+1]; j++ {
			s.relaxTarget(tg.nodePt[j], it.key+tg.nodeCost[j])
		}
		for j := nw.adjStart[u]; j < nw.adjStart[u+1]; j++ {
			s.relaxNode(nw.adjNode[j], it.key+nw.adjLen[j], cut)
		}
	}
	return s.out
}

func (s *searcher) relaxNode(u int32, d, cut float64) {
	if d > cut {
		return
	}
	if ns := &s.nodes[u]; ns.gen != s.gen || d < ns.dist {
		ns.gen, ns.dist = s.gen, d
		s.push(hitem{key: d, id: u})
	}
}

func (s *searcher) relaxTarget(t int32, d float64) {
	ts := &s.targets[t]
	if ts.done == s.gen {
		return
	}
	if ts.seen != s.gen || d < ts.best {
		ts.seen, ts.best = s.gen, d
		s.push(hitem{key: d, id: t, target: true})
	}
}

// push and pop keep a 4-ary min-heap: shallower than a binary heap, and
// its four children share a cache line.
func (s *searcher) push(it hitem) {
	h := append(s.heap, it)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 4
		if !it.less(h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = it
	s.heap = h
}

func (s *searcher) pop() hitem {
	h := s.heap
	top := h[0]
	n := len(h) - 1
	last := h[n]
	h = h[:n]
	i := 0
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		best := c
		for j := c + 1; j < min(c+4, n); j++ {
			if h[j].less(h[best]) {
				best = j
			}
		}
		if !h[best].less(last) {
			break
		}
		h[i] = h[best]
		i = best
	}
	if n > 0 {
		h[i] = last
	}
	s.heap = h
	return top
}

// Distance returns the travel distance in metres from a to b over the
// network: the off-road leg from a to its snapped point, the shortest road
// path, and the off-road leg to b. It returns ErrDisconnected when no road
// joins the two snapped points, and an error for an invalid point.
func (nw *Network) Distance(a, b orb.Point) (float64, error) {
	if err := checkPoint(a); err != nil {
		return 0, fmt.Errorf("geo: road distance from %w", err)
	}
	if err := checkPoint(b); err != nil {
		return 0, fmt.Errorf("geo: road distance to %w", err)
	}
	sa, sb := nw.snap(a), nw.snap(b)
	if nw.comp[nw.segU[sa.Segment]] != nw.comp[nw.segU[sb.Segment]] {
		return 0, ErrDisconnected
	}
	s := newSearcher(nw, nw.attach([]Snap{sb}))
	out := s.run(sa, -1, -1, 1)
	return out[0].m, nil
}

// snapAll snaps points in parallel.
func (nw *Network) snapAll(ctx context.Context, points []orb.Point, workers int) ([]Snap, error) {
	snaps := make([]Snap, len(points))
	err := runChunks(ctx, len(points), workers, nil, func(_, _, lo, hi int) {
		for i := lo; i < hi; i++ {
			snaps[i] = nw.snap(points[i])
		}
	})
	return snaps, err
}

// roadPairs generates pairs over the road network. Pairs whose ends snap to
// different components get great-circle × circuity distances, flagged as
// fallback. With only a distance limit and fewer targets than sources, one
// bounded search runs from each target and the results are transposed;
// otherwise one search runs from each source, which also yields the k
// nearest exactly.
func roadPairs(ctx context.Context, from, to []orb.Point, among bool, lim Limit, m Metric, opt Options) (*Pairs, error) {
	nw := opt.Roads
	workers := opt.workers()
	limit := lim.metres(m)
	fromSnaps, err := nw.snapAll(ctx, from, workers)
	if err != nil {
		return nil, err
	}
	fromEnds := nw.attach(fromSnaps)
	toEnds := fromEnds
	if !among {
		toSnaps, err := nw.snapAll(ctx, to, workers)
		if err != nil {
			return nil, err
		}
		toEnds = nw.attach(toSnaps)
	}
	// The great-circle fallback only ever looks at other components; skip
	// its index when the network is connected.
	var ix *Index
	if nw.ncomp > 1 {
		cell := 0.0
		if limit > 0 {
			cell = limit / m.Circuity
		}
		if ix, err = newIndex(to, cell); err != nil {
			return nil, err
		}
	}

	var byTarget *Pairs // road pairs found from the targets' side, by source
	progress := opt.Progress
	if lim.K == 0 && len(to) < len(from) {
		// Progress counts the searches from the targets, then the rows.
		total := len(to) + len(from)
		var first func(done, total int)
		if progress != nil {
			first = func(done, _ int) { opt.Progress(done, total) }
			progress = func(done, _ int) { opt.Progress(len(to)+done, total) }
		}
		if byTarget, err = roadPairsFromTargets(ctx, nw, fromEnds, toEnds, among, limit, workers, first); err != nil {
			return nil, err
		}
	}

	searchers := make([]*searcher, workers)
	bufs := make([][]cand, workers)
	others := make([][]cand, workers)
	hints := make([]float64, workers)
	builders := make([]chunkBuilder, workers)
	chunks := make([]rowChunk, numChunks(len(from)))
	err = runChunks(ctx, len(from), workers, progress, func(w, c, lo, hi int) {
		if byTarget == nil && searchers[w] == nil {
			searchers[w] = newSearcher(nw, toEnds)
		}
		b := &builders[w]
		b.reset()
		for i := lo; i < hi; i++ {
			self := int32(-1)
			if among {
				self = int32(i)
			}
			row := bufs[w][:0]
			if byTarget != nil {
				for j := byTarget.Offsets[i]; j < byTarget.Offsets[i+1]; j++ {
					row = append(row, cand{id: byTarget.To[j], m: byTarget.Metres[j]})
				}
			} else {
				row = append(row, searchers[w].run(fromSnaps[i], self, limit, lim.K)...)
			}
			if ix != nil {
				// Targets on other components, by great circle × circuity.
				f := &compFilter{comp: toEnds.comp, skip: fromEnds.comp[i]}
				others[w] = ix.row(others[w], from[i], limit, lim.K, m.Circuity, self, f, &hints[w])
				row = append(row, others[w]...)
			}
			sortCands(row)
			keep := 0
			for keep < len(row) && row[keep].m <= limit {
				keep++
			}
			keep = min(max(keep, lim.K), len(row))
			bufs[w] = row
			b.add(row[:keep], true)
		}
		chunks[c] = b.chunk()
	})
	if err != nil {
		return nil, err
	}
	return assemble(len(from), chunks, m, true)
}

// roadPairsFromTargets runs one search, bounded by limit, from each target
// towards the sources and returns the pairs transposed to rows by source,
// each row in target order. Only Offsets, To and Metres are filled.
func roadPairsFromTargets(ctx context.Context, nw *Network, fromEnds, toEnds *endpoints, among bool, limit float64, workers int, progress func(done, total int)) (*Pairs, error) {
	nt := len(toEnds.snaps)
	searchers := make([]*searcher, workers)
	builders := make([]chunkBuilder, workers)
	chunks := make([]rowChunk, numChunks(nt))
	err := runChunks(ctx, nt, workers, progress, func(w, c, lo, hi int) {
		if searchers[w] == nil {
			searchers[w] = newSearcher(nw, fromEnds)
		}
		b := &builders[w]
		b.reset()
		for t := lo; t < hi; t++ {
			self := int32(-1)
			if among {
				self = int32(t)
			}
			b.add(searchers[w].run(toEnds.snaps[t], self, limit, 0), false)
		}
		chunks[c] = b.chunk()
	})
	if err != nil {
		return nil, err
	}
	ns := len(fromEnds.snaps)
	total := 0
	for _, ch := range chunks {
		total += len(ch.to)
	}
	if total > math.MaxInt32 {
		return nil, fmt.Errorf("geo: %d pairs: at most %d supported; lower the limit", total, math.MaxInt32)
	}
	p := &Pairs{
		Offsets: make([]int32, ns+1),
		To:      make([]int32, total),
		Metres:  make([]float64, total),
	}
	for _, ch := range chunks {
		for _, i := range ch.to {
			p.Offsets[i+1]++
		}
	}
	for i := 1; i <= ns; i++ {
		p.Offsets[i] += p.Offsets[i-1]
	}
	next := make([]int32, ns)
	copy(next, p.Offsets)
	t := int32(0)
	for _, ch := range chunks {
		j := 0
		for _, cnt := range ch.counts {
			for range cnt {
				i := ch.to[j]
				p.To[next[i]] = t
				p.Metres[next[i]] = ch.metres[j]
				next[i]++
				j++
			}
			t++
		}
	}
	return p, nil
}
