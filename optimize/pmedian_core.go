package optimize

import (
	"math"
)

// pmCore is a validated problem in compact form: client lists and their reverse (site →
// clients) as CSR arrays, keeping only entries that could ever serve a client: sites that
// can be open, nearer than the unserved cost.
type pmCore struct {
	m, n     int
	p        int // sites to open, required included
	w        []float64
	off      []int32 // client u's entries are off[u]..off[u+1]
	site     []int32
	dist     []float64
	roff     []int32 // site f's entries are roff[f]..roff[f+1]
	rcli     []int32
	rdist    []float64
	unserved float64
	canOpen  []bool // may be opened or closed by the search
	required []bool
	reqSites []int32
	cands    []int32
	integral bool // every weight × distance and weight × unserved is an integer
	totalW   float64
}

func newPMCore(pr *LocationProblem) *pmCore {
	c := &pmCore{m: pr.Sites, n: len(pr.Clients), p: pr.P}
	c.w = make([]float64, c.n)
	for u := range c.w {
		c.w[u] = 1
		if pr.Weights != nil {
			c.w[u] = pr.Weights[u]
		}
		c.totalW += c.w[u]
	}
	c.required = make([]bool, c.m)
	for _, s := range pr.Required {
		if !c.required[s] {
			c.required[s] = true
			c.reqSites = append(c.reqSites, int32(s))
		}
	}
	c.canOpen = make([]bool, c.m)
	if pr.Candidates == nil {
		for j := range c.canOpen {
			c.canOpen[j] = !c.required[j]
		}
	} else {
		for _, s := range pr.Candidates {
			c.canOpen[s] = !c.required[s]
		}
	}
	for j := 0; j < c.m; j++ {
		if c.canOpen[j] {
			c.cands = append(c.cands, int32(j))
		}
	}
	c.unserved = pmUnservedCost(pr)
	c.integral = true
	isInt := func(x float64) bool { return x == math.Trunc(x) && math.Abs(x) < 1<<52 }
	c.off = make([]int32, c.n+1)
	rcount := make([]int32, c.m+1)
	total := 0
	for _, list := range pr.Clients {
		total += len(list)
	}
	c.site = make([]int32, 0, total)
	c.dist = make([]float64, 0, total)
	for u, list := range pr.Clients {
		if !isInt(c.w[u] * c.unserved) {
			c.integral = false
		}
		for _, r := range list {
			if r.Dist >= c.unserved {
				break
			}
			if !c.canOpen[r.Site] && !c.required[r.Site] {
				continue
			}
			c.site = append(c.site, int32(r.Site))
			c.dist = append(c.dist, r.Dist)
			rcount[r.Site+1]++
			if !isInt(c.w[u] * r.Dist) {
				c.integral = false
			}
		}
		c.off[u+1] = int32(len(c.site))
	}
	c.roff = make([]int32, c.m+1)
	for j := 0; j < c.m; j++ {
		c.roff[j+1] = c.roff[j] + rcount[j+1]
	}
	c.rcli = make([]int32, len(c.site))
	c.rdist = make([]float64, len(c.site))
	fill := make([]int32, c.m)
	copy(fill, c.roff[:c.m])
	for u := 0; u < c.n; u++ {
		for k := c.off[u]; k < c.off[u+1]; k++ {
			j := c.site[k]
			c.rcli[fill[j]] = int32(u)
			c.rdist[fill[j]] = c.dist[k]
			fill[j]++
		}
	}
	return c
}

// costOf returns the uncapacitated cost of opening sites.
func (c *pmCore) costOf(sites []int32) float64 {
	open := make([]bool, c.m)
	for _, s := range sites {
		open[s] = true
	}
	total := 0.0
	for u := 0; u < c.n; u++ {
		d := c.unserved
		for k := c.off[u]; k < c.off[u+1]; k++ {
			if open[c.site[k]] {
				d = c.dist[k]
				break
			}
		}
		total += c.w[u] * d
	}
	return total
}

// pmState is an opening together with Resende and Werneck's incremental tables, which
// give the change in cost of every swap (insert fi, remove fr) as
// gain[fi] − loss[fr] + extra(fi, fr).
//
// For each client u, phi1 is its nearest open site and phi2 the second nearest (-1 stands
// for "unserved", at distance c.unserved, which is never removed).
//
//	gain[f]      = Σ_u w_u · max(0, d1(u) − d(u,f))                       f closed
//	loss[f]      = Σ_{u: phi1(u)=f} w_u · (d2(u) − d1(u))                 f open
//	extra(f, g)  = Σ_{u: phi1(u)=g, d(u,f)<d2(u)} w_u · (d2(u) − max(d(u,f), d1(u)))
//
// extra is stored by the slot of the open site g: extra[slot(g)·m + f], with the list of
// possibly non-zero entries of each slot in nz so that a best-swap scan touches only them.
type pmState struct {
	c       *pmCore
	open    []bool
	slotOf  []int32 // slot of an open site, -1 when closed
	slots   []int32 // site in each slot
	phi1    []int32
	phi2    []int32
	d1, d2  []float64
	gain    []float64
	loss    []float64
	extra   []float64
	nz      [][]int32
	inNZ    []bool
	cost    float64
	mark    []uint32
	stamp   uint32
	touched []int32
}

func newPMState(c *pmCore) *pmState {
	s := &pmState{
		c:      c,
		open:   make([]bool, c.m),
		slotOf: make([]int32, c.m),
		slots:  make([]int32, c.p),
		phi1:   make([]int32, c.n),
		phi2:   make([]int32, c.n),
		d1:     make([]float64, c.n),
		d2:     make([]float64, c.n),
		gain:   make([]float64, c.m),
		loss:   make([]float64, c.m),
		extra:  make([]float64, c.p*c.m),
		nz:     make([][]int32, c.p),
		inNZ:   make([]bool, c.p*c.m),
		mark:   make([]uint32, c.n),
	}
	return s
}

// load makes sites (exactly p of them, required included) the current opening and
// rebuilds every table.
func (s *pmState) load(sites []int32) {
	c := s.c
	if len(sites) != c.p {
		panic("optimize: internal error: opening of wrong size")
	}
	clear(s.open)
	for j := range s.slotOf {
		s.slotOf[j] = -1
	}
	for k, f := range sites {
		s.open[f] = true
		s.slotOf[f] = int32(k)
		s.slots[k] = f
	}
	clear(s.gain)
	clear(s.loss)
	for k := range s.nz {
		s.clearSlot(int32(k))
	}
	s.cost = 0
	for u := 0; u < c.n; u++ {
		s.scan(int32(u))
		s.cost += c.w[u] * s.d1[u]
		s.contribute(int32(u), 1)
	}
}

// clearSlot zeroes the extra column of a slot.
func (s *pmState) clearSlot(k int32) {
	base := int(k) * s.c.m
	for _, f := range s.nz[k] {
		s.extra[base+int(f)] = 0
		s.inNZ[base+int(f)] = false
	}
	s.nz[k] = s.nz[k][:0]
}

// scan finds the two nearest open sites of client u.
func (s *pmState) scan(u int32) {
	c := s.c
	s.phi1[u], s.phi2[u] = -1, -1
	s.d1[u], s.d2[u] = c.unserved, c.unserved
	for k := c.off[u]; k < c.off[u+1]; k++ {
		f := c.site[k]
		if !s.open[f] {
			continue
		}
		if s.phi1[u] < 0 {
			s.phi1[u], s.d1[u] = f, c.dist[k]
			continue
		}
		s.phi2[u], s.d2[u] = f, c.dist[k]
		return
	}
}

// contribute adds (sign = 1) or removes (sign = -1) client u's terms in the tables.
func (s *pmState) contribute(u int32, sign float64) {
	c := s.c
	w := c.w[u] * sign
	if w == 0 {
		return
	}
	d1, d2 := s.d1[u], s.d2[u]
	f1 := s.phi1[u]
	base := -1
	if f1 >= 0 {
		if !c.required[f1] {
			s.loss[f1] += w * (d2 - d1)
			base = int(s.slotOf[f1]) * c.m
		}
	}
	for k := c.off[u]; k < c.off[u+1]; k++ {
		d := c.dist[k]
		if d >= d2 {
			break
		}
		f := c.site[k]
		if s.open[f] {
			continue
		}
		if d < d1 {
			s.gain[f] += w * (d1 - d)
		}
		if base >= 0 {
			e := base + int(f)
			s.extra[e] += w * (d2 - math.Max(d, d1))
			if !s.inNZ[e] {
				s.inNZ[e] = true
				k := s.slotOf[f1]
				s.nz[k] = append(s.nz[k], f)
			}
		}
	}
}

// tolerance is the smallest change in cost the search treats as an improvement.
func (s *pmState) tolerance() float64 {
	return 1e-9 * math.Max(1, math.Abs(s.cost))
}

// bestSwap returns the swap with the largest decrease in cost; fi < 0 when no swap exists.
func (s *pmState) bestSwap() (fi, fr int32, profit float64) {
	c := s.c
	bestGain, bestIn := math.Inf(-1), int32(-1)
	for _, f := range c.cands {
		if !s.open[f] && s.gain[f] > bestGain {
			bestGain, bestIn = s.gain[f], f
		}
	}
	fi, fr, profit = -1, -1, math.Inf(-1)
	if bestIn < 0 {
		return
	}
	for k, g := range s.slots {
		if c.required[g] {
			continue
		}
		in, v := bestIn, bestGain
		base := k * c.m
		list := s.nz[k]
		kept := list[:0]
		for _, f := range list {
			e := s.extra[base+int(f)]
			if e == 0 {
				s.inNZ[base+int(f)] = false
				continue
			}
			kept = append(kept, f)
			if s.open[f] {
				continue
			}
			if x := s.gain[f] + e; x > v || (x == v && f < in) {
				in, v = f, x
			}
		}
		s.nz[k] = kept
		if p := v - s.loss[g]; p > profit {
			fi, fr, profit = in, g, p
		}
	}
	return
}

// swap opens fi and closes fr, updating the tables for the affected clients only.
func (s *pmState) swap(fi, fr int32) {
	c := s.c
	s.stamp++
	if s.stamp == 0 {
		clear(s.mark)
		s.stamp = 1
	}
	s.touched = s.touched[:0]
	for k := c.roff[fi]; k < c.roff[fi+1]; k++ {
		u := c.rcli[k]
		if c.rdist[k] < s.d2[u] && s.mark[u] != s.stamp {
			s.mark[u] = s.stamp
			s.touched = append(s.touched, u)
		}
	}
	for k := c.roff[fr]; k < c.roff[fr+1]; k++ {
		u := c.rcli[k]
		if (s.phi1[u] == fr || s.phi2[u] == fr) && s.mark[u] != s.stamp {
			s.mark[u] = s.stamp
			s.touched = append(s.touched, u)
		}
	}
	for _, u := range s.touched {
		s.contribute(u, -1)
	}
	k := s.slotOf[fr]
	s.clearSlot(k)
	s.open[fr], s.open[fi] = false, true
	s.slotOf[fr], s.slotOf[fi] = -1, k
	s.slots[k] = fi
	s.gain[fi], s.loss[fr] = 0, 0
	for _, u := range s.touched {
		old := s.d1[u]
		s.scan(u)
		s.cost += c.w[u] * (s.d1[u] - old)
	}
	for _, u := range s.touched {
		s.contribute(u, 1)
	}
}

// localSearch applies best-improvement swaps until none improves. It returns false if ctx
// was cancelled.
func (s *pmState) localSearch(stop func() bool) bool {
	for iter := 0; ; iter++ {
		if iter&15 == 15 && stop() {
			return false
		}
		fi, fr, profit := s.bestSwap()
		if fi < 0 || profit <= s.tolerance() {
			return true
		}
		s.swap(fi, fr)
	}
}

// sites returns a copy of the current opening.
func (s *pmState) sites() []int32 {
	return append([]int32(nil), s.slots...)
}
