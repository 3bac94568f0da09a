package optimize

import (
	"context"
	"errors"
	"math"
	"slices"
)

// The merge model is a capacitated facility-location problem over closure
// candidates. Closing candidate c saves its fixed cost F_c and sends each of
// its clients (one per grade) to receivers in reach; a receiver offers, per
// grade, the free seats of its existing classes, then a pool of seats in
// spare classrooms, then seats in classrooms it may add at a price. The cost
// of a closure set S is
//
//	Σ_{c∉S} F_c + Σ pupils × travel cost + Σ_r added classrooms_r × K,
//
// where added classrooms are counted exactly (a class per grade, rounded
// up) and the flow of pupils is an exact min-cost flow. Open candidates keep
// their own pupils and may receive others.

// mrgProblem is one independent instance (one county).
type mrgProblem struct {
	cands []mrgCand
	recvs []mrgRecv
	// roomCost is the annual cost of one added classroom.
	roomCost float64
}

// mrgCand is a closure candidate.
type mrgCand struct {
	fixed    float64 // annual cost of keeping it open
	recv     int32   // its receiver index, -1 when it cannot receive
	closable bool
	clients  []mrgClient
}

// mrgClient is the pupils of one grade of a candidate.
type mrgClient struct {
	grade  int8 // grade slot 0..15 (grade − K0)
	pupils int
	reach  []mrgReach // sorted by cost, then receiver
}

// mrgReach is a receiver in reach of a client with the annual cost of one
// pupil travelling there.
type mrgReach struct {
	recv    int32
	cost    int64   // CNY per pupil per year
	metres  float32 // travel distance
	minutes float32 // travel time
}

// mrgRecv is a school that may receive pupils.
type mrgRecv struct {
	cand int32 // candidate index when the receiver may itself close, else -1
	// own pupils per grade slot and the class size of each slot.
	own  [16]int
	size [16]int
	// poolSize is the seats one spare classroom gives (the smallest class
	// size among the grades it may take).
	poolSize int
	rooms    int // classrooms now
	maxRooms int // classrooms after the largest allowed expansion
	pupilCap int // most pupils in total
}

// ownRooms returns the classrooms the receiver's own pupils need.
func (r *mrgRecv) ownRooms() int {
	n := 0
	for g, p := range r.own {
		if p > 0 {
			n += layCeilDiv(p, r.size[g])
		}
	}
	return n
}

// free returns the free seats in the existing classes of grade slot g.
func (r *mrgRecv) free(g int) int {
	p := r.own[g]
	if p == 0 || r.size[g] == 0 {
		return 0
	}
	return layCeilDiv(p, r.size[g])*r.size[g] - p
}

// tiers returns the pool seats that cost nothing (spare rooms) and those
// that need added classrooms.
func (r *mrgRecv) tiers() (shared, extra int) {
	need := r.ownRooms()
	shared = max(0, r.rooms-need) * r.poolSize
	extra = max(0, r.maxRooms-max(r.rooms, need)) * r.poolSize
	return shared, extra
}

// ownTotal returns the receiver's own pupils.
func (r *mrgRecv) ownTotal() int {
	n := 0
	for _, p := range r.own {
		n += p
	}
	return n
}

// mrgSeatWeight scales the price the flow puts on a seat in an added
// classroom. A classroom is paid whole however few pupils use it, so the
// flow, which prices by the seat, is told it costs three times its share;
// this keeps it from opening classes for a handful of pupils, and the true
// cost is then counted class by class.
const mrgSeatWeight = 3

// seatCost returns the price the flow puts on one expansion seat at r.
func (p *mrgProblem) seatCost(r *mrgRecv) int64 {
	return int64(math.Round(mrgSeatWeight * p.roomCost / float64(r.poolSize)))
}

// mrgFlow is pupils of a client sent to a receiver.
type mrgFlow struct {
	cand, client int32
	recv         int32
	pupils       int
}

// mrgEval is the evaluation of the closed candidates of one component.
type mrgEval struct {
	ok     bool
	travel float64 // annual travel cost
	rooms  []int32 // receivers with added classrooms
	added  []int   // classrooms added at rooms[k]
	flows  []mrgFlow
}

// cost returns the travel and classroom cost of the evaluation.
func (e *mrgEval) cost(roomCost float64) float64 {
	if !e.ok {
		return math.Inf(1)
	}
	n := 0
	for _, a := range e.added {
		n += a
	}
	return e.travel + float64(n)*roomCost
}

// errMergeInfeasible reports a closure set whose pupils cannot all be
// placed.
var errMergeInfeasible = errors.New("optimize: merge: pupils cannot be placed")

// mrgLimits restricts the flow of an evaluation: pool seats removed per
// receiver, and the most pool seats a grade may use at a receiver.
type mrgLimits struct {
	cut  map[int32]int
	gcap map[[2]int32]int
}

func (l mrgLimits) clone() mrgLimits {
	out := mrgLimits{cut: make(map[int32]int, len(l.cut)), gcap: make(map[[2]int32]int, len(l.gcap))}
	for k, v := range l.cut {
		out.cut[k] = v
	}
	for k, v := range l.gcap {
		out.gcap[k] = v
	}
	return out
}

// evaluate places the pupils of the closed candidates comp (closed[c] true
// for exactly those, and possibly others not interacting with them) by an
// exact min-cost flow over the receivers' seat tiers, then counts the
// classrooms each receiver must add, class by class. When rounding classes
// up leaves a receiver above its classroom limit, its pool is cut by the
// excess and the flow solved again. Since the flow prices added classrooms
// by the seat, it may open a class for a few pupils; the evaluation then
// forbids every partly filled added class at once and keeps the result
// when the true cost falls, a few times over.
func (p *mrgProblem) evaluate(ctx context.Context, comp []int32, closed []bool, withFlows bool) (mrgEval, error) {
	lim := mrgLimits{cut: map[int32]int{}, gcap: map[[2]int32]int{}}
	best, partial, err := p.solveRepaired(ctx, comp, closed, lim, withFlows)
	if err != nil || !best.ok {
		return best, err
	}
	for trim := 0; trim < 6 && len(partial) > 0; trim++ {
		trial := lim.clone()
		for k, v := range partial {
			trial.gcap[k] = v
		}
		ev, part, err := p.solveRepaired(ctx, comp, closed, trial, withFlows)
		if err != nil {
			return mrgEval{}, err
		}
		if !ev.ok || ev.cost(p.roomCost) >= best.cost(p.roomCost)-mrgEps {
			break
		}
		best, partial, lim = ev, part, trial
	}
	return best, nil
}

// solveRepaired solves the flow, cutting pools until every receiver's exact
// classroom count is within its limit.
func (p *mrgProblem) solveRepaired(ctx context.Context, comp []int32, closed []bool, lim mrgLimits, withFlows bool) (mrgEval, map[[2]int32]int, error) {
	for attempt := 0; attempt < 8; attempt++ {
		ev, over, partial, err := p.solveOnce(ctx, comp, closed, lim, withFlows)
		if err != nil || !ev.ok || len(over) == 0 {
			return ev, partial, err
		}
		for r, rooms := range over {
			lim.cut[r] += rooms * p.recvs[r].poolSize
		}
	}
	return mrgEval{}, nil, nil
}

// solveOnce solves the flow once; over lists receivers whose exact
// classroom count exceeds their limit, with the excess, and partial the
// grades at receivers adding classrooms whose last added class is partly
// filled, with the pool seats that would leave it out.
func (p *mrgProblem) solveOnce(ctx context.Context, comp []int32, closed []bool, lim mrgLimits, withFlows bool) (mrgEval, map[int32]int, map[[2]int32]int, error) {
	cut := lim.cut
	// Receivers in use and their nodes.
	type rnodes struct {
		grade     [16]int32
		pool, tot int32
	}
	rn := map[int32]*rnodes{}
	g := NewFlowNetwork(1) // node 0 is the sink
	arcs := 0
	for _, c := range comp {
		for _, cl := range p.cands[c].clients {
			arcs += len(cl.reach)
		}
	}
	g.Grow(2*arcs+8, 3*arcs+8)
	var demand int64
	type carc struct {
		arc          int
		cand, client int32
		recv         int32
		grade        int8
		costPerPupil int64
		clientPupils int
	}
	var carcs []carc
	open := func(r int32) bool {
		c := p.recvs[r].cand
		return c < 0 || !closed[c]
	}
	node := func(r int32, grade int8) int32 {
		x := rn[r]
		if x == nil {
			x = &rnodes{}
			for i := range x.grade {
				x.grade[i] = -1
			}
			rv := &p.recvs[r]
			x.tot = int32(g.AddNode(0))
			x.pool = int32(g.AddNode(0))
			room := max(0, rv.pupilCap-rv.ownTotal())
			g.AddArc(int(x.tot), 0, int64(room), 0)
			shared, extra := rv.tiers()
			c := cut[r]
			d := min(c, extra)
			extra -= d
			shared = max(0, shared-(c-d))
			if shared > 0 {
				g.AddArc(int(x.pool), int(x.tot), int64(shared), 0)
			}
			if extra > 0 {
				g.AddArc(int(x.pool), int(x.tot), int64(extra), p.seatCost(rv))
			}
			rn[r] = x
		}
		if x.grade[grade] < 0 {
			x.grade[grade] = int32(g.AddNode(0))
			if f := p.recvs[r].free(int(grade)); f > 0 {
				g.AddArc(int(x.grade[grade]), int(x.tot), int64(f), 0)
			}
			c := InfiniteCapacity
			if v, ok := lim.gcap[[2]int32{r, int32(grade)}]; ok {
				c = int64(v)
			}
			g.AddArc(int(x.grade[grade]), int(x.pool), c, 0)
		}
		return x.grade[grade]
	}
	for _, c := range comp {
		for k := range p.cands[c].clients {
			cl := &p.cands[c].clients[k]
			if cl.pupils == 0 {
				continue
			}
			u := g.AddNode(int64(cl.pupils))
			demand += int64(cl.pupils)
			any := false
			for _, re := range cl.reach {
				if !open(re.recv) {
					continue
				}
				v := node(re.recv, cl.grade)
				a := g.AddArc(u, int(v), int64(cl.pupils), re.cost)
				carcs = append(carcs, carc{arc: a, cand: c, client: int32(k), recv: re.recv, grade: cl.grade, costPerPupil: re.cost})
				any = true
			}
			if !any {
				return mrgEval{}, nil, nil, nil
			}
		}
	}
	g.SetSupply(0, -demand)
	sol, err := MinCostFlow(ctx, g, nil)
	if errors.Is(err, ErrInfeasible) {
		return mrgEval{}, nil, nil, nil
	}
	if err != nil {
		return mrgEval{}, nil, nil, err
	}
	ev := mrgEval{ok: true}
	in := map[int32]*[16]int{}
	for _, ca := range carcs {
		f := sol.Flow[ca.arc]
		if f == 0 {
			continue
		}
		ev.travel += float64(f * ca.costPerPupil)
		x := in[ca.recv]
		if x == nil {
			x = &[16]int{}
			in[ca.recv] = x
		}
		x[ca.grade] += int(f)
		if withFlows {
			ev.flows = append(ev.flows, mrgFlow{cand: ca.cand, client: ca.client, recv: ca.recv, pupils: int(f)})
		}
	}
	var over map[int32]int
	var partial map[[2]int32]int
	recvs := make([]int32, 0, len(in))
	for r := range in {
		recvs = append(recvs, r)
	}
	slices.Sort(recvs)
	for _, r := range recvs {
		rv := &p.recvs[r]
		need := 0
		for gs := range 16 {
			if t := rv.own[gs] + in[r][gs]; t > 0 {
				need += layCeilDiv(t, rv.size[gs])
			}
		}
		own := rv.ownRooms()
		limit := max(rv.maxRooms, own)
		if need > limit {
			if over == nil {
				over = map[int32]int{}
			}
			over[r] = need - limit
			continue
		}
		if add := max(0, need-max(rv.rooms, own)); add > 0 {
			ev.rooms = append(ev.rooms, r)
			ev.added = append(ev.added, add)
			for gs := range 16 {
				y := in[r][gs] - rv.free(gs)
				if y > 0 && rv.size[gs] > 0 && y%rv.size[gs] != 0 {
					if partial == nil {
						partial = map[[2]int32]int{}
					}
					partial[[2]int32{r, int32(gs)}] = y / rv.size[gs] * rv.size[gs]
				}
			}
		}
	}
	return ev, over, partial, nil
}
