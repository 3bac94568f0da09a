package optimize

import (
	"context"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
)

// pmBatch is the number of starts run side by side against one snapshot of the elite
// pool. It is fixed, not tied to the number of workers, so that results do not depend on
// the machine.
const pmBatch = 4

// pmSol is an opening (sorted sites) and its cost.
type pmSol struct {
	sites []int32
	cost  float64
}

// pmPool is the elite pool of Resende and Werneck: at most size solutions, all distinct,
// sorted by cost.
type pmPool struct {
	size  int
	items []pmSol
}

// pmDiff is the number of sites of a not in b (both sorted).
func pmDiff(a, b []int32) int {
	i, j, d := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			i++
			j++
		case a[i] < b[j]:
			d++
			i++
		default:
			j++
		}
	}
	return d + len(a) - i
}

// add offers s to the pool. A solution identical to an elite one is refused; when the
// pool is full, s must beat the worst and replaces the most similar elite solution that
// is not better than s.
func (p *pmPool) add(s pmSol) bool {
	for _, e := range p.items {
		if pmDiff(s.sites, e.sites) == 0 {
			return false
		}
	}
	if len(p.items) < p.size {
		p.items = append(p.items, s)
	} else {
		if s.cost >= p.items[len(p.items)-1].cost {
			return false
		}
		victim, vd := -1, math.MaxInt
		for i, e := range p.items {
			if e.cost < s.cost {
				continue
			}
			if d := pmDiff(s.sites, e.sites); d < vd || (d == vd && e.cost > p.items[victim].cost) {
				victim, vd = i, d
			}
		}
		p.items[victim] = s
	}
	slices.SortStableFunc(p.items, func(a, b pmSol) int {
		switch {
		case a.cost < b.cost:
			return -1
		case a.cost > b.cost:
			return 1
		}
		return 0
	})
	return true
}

func (p *pmPool) best() pmSol { return p.items[0] }

// pmRun is the outcome of the hybrid search.
type pmRun struct {
	best   pmSol
	pool   []pmSol
	starts int
	lower  float64
}

// pmParallel runs job(worker, j) for j in [0, jobs) on up to workers goroutines.
func pmParallel(workers, jobs int, job func(worker, j int)) {
	if workers > jobs {
		workers = jobs
	}
	if workers <= 1 {
		for j := 0; j < jobs; j++ {
			job(0, j)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for {
				j := int(next.Add(1)) - 1
				if j >= jobs {
					return
				}
				job(w, j)
			}
		}(w)
	}
	wg.Wait()
}

// sorted returns the current opening as a sorted solution.
func (s *pmState) solution() pmSol {
	sites := s.sites()
	slices.Sort(sites)
	return pmSol{sites: sites, cost: s.cost}
}

// construct builds an opening by sample greedy: each step draws a few closed candidates
// at random and opens the one that lowers the cost most.
func (s *pmState) construct(rng *rand.Rand, cur []float64, avail []int32) []int32 {
	c := s.c
	for u := range cur {
		cur[u] = c.unserved
	}
	chosen := make([]int32, 0, c.p)
	open := func(f int32) {
		chosen = append(chosen, f)
		for k := c.roff[f]; k < c.roff[f+1]; k++ {
			if u := c.rcli[k]; c.rdist[k] < cur[u] {
				cur[u] = c.rdist[k]
			}
		}
	}
	for _, f := range c.reqSites {
		open(f)
	}
	avail = append(avail[:0], c.cands...)
	free := c.p - len(c.reqSites)
	sample := 1
	if free > 0 && len(avail) > free {
		sample = max(1, bits.Len(uint(len(avail)/free)))
	}
	for len(chosen) < c.p {
		k := min(sample, len(avail))
		best, bestGain := 0, math.Inf(-1)
		for t := 0; t < k; t++ {
			r := t + rng.IntN(len(avail)-t)
			avail[t], avail[r] = avail[r], avail[t]
			f := avail[t]
			g := 0.0
			for q := c.roff[f]; q < c.roff[f+1]; q++ {
				if u := c.rcli[q]; c.rdist[q] < cur[u] {
					g += c.w[u] * (cur[u] - c.rdist[q])
				}
			}
			if g > bestGain {
				best, bestGain = t, g
			}
		}
		f := avail[best]
		avail[best] = avail[len(avail)-1]
		avail = avail[:len(avail)-1]
		open(f)
	}
	return chosen
}

// relink walks from the current opening toward target by swaps, each the best among
// inserting a site of target and removing one not in target, and returns the best
// opening strictly between the two ends (ok false when they differ by one swap or less).
func (s *pmState) relink(target []int32, inTarget []bool) (best pmSol, ok bool) {
	c := s.c
	for _, f := range target {
		inTarget[f] = true
	}
	defer func() {
		for _, f := range target {
			inTarget[f] = false
		}
	}()
	var ins, rem []int32
	for _, f := range target {
		if !s.open[f] {
			ins = append(ins, f)
		}
	}
	for _, g := range s.slots {
		if !inTarget[g] && !c.required[g] {
			rem = append(rem, g)
		}
	}
	best.cost = math.Inf(1)
	for len(rem) > 1 && len(ins) > 1 {
		bi, br, bv := -1, -1, math.Inf(-1)
		for i, f := range ins {
			for r, g := range rem {
				v := s.gain[f] - s.loss[g] + s.extra[int(s.slotOf[g])*c.m+int(f)]
				if v > bv {
					bi, br, bv = i, r, v
				}
			}
		}
		s.swap(ins[bi], rem[br])
		ins[bi] = ins[len(ins)-1]
		ins = ins[:len(ins)-1]
		rem[br] = rem[len(rem)-1]
		rem = rem[:len(rem)-1]
		if s.cost < best.cost {
			best = s.solution()
			ok = true
		}
	}
	return best, ok
}

// pmWorker holds one goroutine's scratch space.
type pmWorker struct {
	st       *pmState
	cur      []float64
	avail    []int32
	inTarget []bool
}

func newPMWorker(c *pmCore) *pmWorker {
	return &pmWorker{
		st:       newPMState(c),
		cur:      make([]float64, c.n),
		avail:    make([]int32, 0, len(c.cands)),
		inTarget: make([]bool, c.m),
	}
}

// start runs GRASP start k: construction, local search, then path relinking toward an
// elite solution drawn with probability proportional to its difference from the start,
// and local search again. It returns the solutions to offer to the pool.
func (w *pmWorker) start(seed uint64, k int, elite []pmSol, stop func() bool) []pmSol {
	rng := rand.New(rand.NewPCG(seed, uint64(k)))
	st := w.st
	st.load(w.st.construct(rng, w.cur, w.avail))
	st.localSearch(stop)
	local := st.solution()
	out := []pmSol{local}
	if len(elite) == 0 {
		return out
	}
	diffs := make([]float64, len(elite))
	total := 0.0
	for i, e := range elite {
		diffs[i] = float64(pmDiff(local.sites, e.sites))
		total += diffs[i]
	}
	if total == 0 {
		return out
	}
	x := rng.Float64() * total
	pick := len(elite) - 1
	for i, d := range diffs {
		if x < d {
			pick = i
			break
		}
		x -= d
	}
	if r, ok := st.relink(elite[pick].sites, w.inTarget); ok {
		st.load(r.sites)
		st.localSearch(stop)
		out = append(out, st.solution())
	}
	return out
}

// link relinks a toward b and returns the locally optimal result, if any.
func (w *pmWorker) link(a, b pmSol, stop func() bool) (pmSol, bool) {
	w.st.load(a.sites)
	r, ok := w.st.relink(b.sites, w.inTarget)
	if !ok {
		return pmSol{}, false
	}
	w.st.load(r.sites)
	w.st.localSearch(stop)
	return w.st.solution(), true
}

// pmHybrid runs the GRASP with path relinking and the Lagrangian bound.
func pmHybrid(ctx context.Context, c *pmCore, opt LocationOptions) (*pmRun, error) {
	if c.p == len(c.reqSites) {
		sites := slices.Clone(c.reqSites)
		slices.Sort(sites)
		cost := c.costOf(sites)
		sol := pmSol{sites: sites, cost: cost}
		return &pmRun{best: sol, pool: []pmSol{sol}, lower: cost}, nil
	}
	stop := func() bool { return ctx.Err() != nil }
	workers := make([]*pmWorker, min(opt.Workers, pmBatch))
	worker := func(i int) *pmWorker {
		if workers[i] == nil {
			workers[i] = newPMWorker(c)
		}
		return workers[i]
	}
	pool := &pmPool{size: opt.Elite}
	run := &pmRun{lower: math.Inf(-1)}
	proven := false
	for run.starts < opt.Starts && !proven {
		nb := min(pmBatch, opt.Starts-run.starts)
		elite := slices.Clone(pool.items)
		out := make([][]pmSol, nb)
		pmParallel(len(workers), nb, func(wi, j int) {
			out[j] = worker(wi).start(opt.Seed, run.starts+j, elite, stop)
		})
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for _, sols := range out {
			for _, s := range sols {
				pool.add(s)
			}
		}
		run.starts += nb
		if opt.Progress != nil {
			opt.Progress(run.starts, opt.Starts)
		}
		if math.IsInf(run.lower, -1) && opt.BoundIterations > 0 {
			lb, lagSites, err := pmLagrange(ctx, c, pool.best(), opt.BoundIterations)
			if err != nil {
				return nil, err
			}
			run.lower = lb
			if len(lagSites) == c.p && !c.proves(lb, pool.best().cost) {
				// Lagrangian heuristic: the opening of the relaxation, made locally optimal.
				st := worker(0).st
				st.load(lagSites)
				st.localSearch(stop)
				pool.add(st.solution())
			}
		}
		proven = c.proves(run.lower, pool.best().cost)
	}
	// Post-optimisation: relink every pair of elite solutions until the best stops improving.
	for !proven {
		before := pool.best().cost
		elite := slices.Clone(pool.items)
		type pair struct{ a, b int }
		var pairs []pair
		for i := range elite {
			for j := i + 1; j < len(elite); j++ {
				pairs = append(pairs, pair{i, j})
			}
		}
		out := make([]pmSol, len(pairs))
		found := make([]bool, len(pairs))
		pmParallel(len(workers), len(pairs), func(wi, j int) {
			out[j], found[j] = worker(wi).link(elite[pairs[j].a], elite[pairs[j].b], stop)
		})
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for j := range pairs {
			if found[j] {
				pool.add(out[j])
			}
		}
		proven = c.proves(run.lower, pool.best().cost)
		if pool.best().cost >= before-1e-9*math.Max(1, math.Abs(before)) {
			break
		}
	}
	if math.IsInf(run.lower, -1) {
		run.lower = 0
	}
	run.best = pool.best()
	run.pool = pool.items
	return run, nil
}
