package optimize

import (
	"context"
	"math"
	"slices"
)

// lowerBound returns a Lagrangian lower bound on the least cost of any
// closure set of p.
//
// Relaxing "every pupil of a closed candidate is placed" with a price μ_i
// per pupil of client i splits the problem: each candidate c either stays
// open, paying F_c and earning what it can take in as a receiver, or closes,
// paying Σ_i μ_i·d_i; each receiver r takes in pupils whose travel cost
// t_ir is below their price, filling first the free seats of each grade,
// then spare classrooms, then added classrooms (at the seat cost), as a
// fractional knapsack. The pupil cap is dropped and added classrooms are
// priced by the seat, both of which can only lower the bound. Subgradient
// steps of Polyak's form with target upper (the cost found) raise it.
//
// It also returns the closure set of the relaxed solution at the best
// multipliers, a good place to restart the search from.
func (p *mrgProblem) lowerBound(ctx context.Context, upper float64, iterations int) (float64, []bool, error) {
	return p.boundFixed(ctx, upper, iterations, nil, nil)
}

// boundFixed is lowerBound over the closure sets that agree with fix:
// fix[c] > 0 forces candidate c closed, fix[c] < 0 forces it open, 0 leaves
// it free (nil: all free). mu0, when not nil, gives the starting prices,
// one per client in candidate and client order, and receives the best ones.
// A forced closure of a candidate that cannot close makes the bound +Inf.
func (p *mrgProblem) boundFixed(ctx context.Context, upper float64, iterations int, fix []int8, mu0 []float64) (float64, []bool, error) {
	n := 0
	type cref struct{ c, k int32 }
	var clients []cref
	idx := make([][]int32, len(p.cands))
	for c := range p.cands {
		idx[c] = make([]int32, len(p.cands[c].clients))
		for k := range p.cands[c].clients {
			idx[c][k] = int32(n)
			clients = append(clients, cref{int32(c), int32(k)})
			n++
		}
	}
	// Reverse lists: for each receiver, the clients in reach with cost.
	type inc struct {
		client int32
		cost   float64
	}
	rev := make([][]inc, len(p.recvs))
	for i, cr := range clients {
		for _, re := range p.cands[cr.c].clients[cr.k].reach {
			rev[re.recv] = append(rev[re.recv], inc{int32(i), float64(re.cost)})
		}
	}
	d := make([]float64, n)
	grade := make([]int8, n)
	mu := make([]float64, n)
	for i, cr := range clients {
		cl := &p.cands[cr.c].clients[cr.k]
		d[i] = float64(cl.pupils)
		grade[i] = cl.grade
		if len(cl.reach) > 0 {
			mu[i] = float64(cl.reach[0].cost)
		}
	}
	if mu0 != nil {
		copy(mu, mu0)
	}
	var bestMu []float64
	if mu0 != nil {
		bestMu = slices.Clone(mu)
	}
	// A receiver's pool holds room seats: spare classrooms and up to
	// extraRooms added ones, each worth the largest class size it teaches.
	// However pupils of different grades share out, Σ_g ⌈y_g/s_g⌉ ≥
	// ⌈Σ_g y_g / s_max⌉, so charging whole classrooms this way never
	// exceeds the true count.
	type tier struct {
		spare, extraRooms int
		roomSeats         float64
		free              [16]float64
	}
	tiers := make([]tier, len(p.recvs))
	for r := range p.recvs {
		rv := &p.recvs[r]
		need := rv.ownRooms()
		t := tier{spare: max(0, rv.rooms-need), extraRooms: max(0, rv.maxRooms-max(rv.rooms, need))}
		for g := range 16 {
			t.free[g] = float64(rv.free(g))
			if g >= 4 && g <= 12 { // grades 1–9
				t.roomSeats = math.Max(t.roomSeats, float64(rv.size[g]))
			}
		}
		if t.roomSeats == 0 {
			t.roomSeats = float64(rv.poolSize)
		}
		tiers[r] = t
	}

	x := make([]float64, n) // placed pupils per client in the relaxed solution
	recvVal := make([]float64, len(p.recvs))
	// The pupil cap of each receiver is priced too: lam[r] ≥ 0 per pupil
	// taken in, against the room left under the cap. A receiver already at
	// its cap takes no one.
	room := make([]float64, len(p.recvs))
	for r := range p.recvs {
		room[r] = float64(max(0, p.recvs[r].pupilCap-p.recvs[r].ownTotal()))
	}
	lam := make([]float64, len(p.recvs))
	intake := make([]float64, len(p.recvs))
	type take struct {
		client int32
		amount float64
	}
	takes := make([][]take, len(p.recvs))
	var cand []inc
	best := math.Inf(-1)
	var relaxed []bool
	theta := 2.0
	stall := 0
	g := make([]float64, n)
	for it := 0; it < iterations; it++ {
		if it&15 == 15 {
			if err := ctx.Err(); err != nil {
				return 0, nil, err
			}
		}
		// Receivers' knapsacks, grade by grade: grade g fills its free
		// seats and k_g new classes of s_g seats; classes beyond the
		// spare classrooms cost a classroom each. The class counts are
		// chosen greedily by marginal value, which is optimal because
		// each grade's value is convex in its classes.
		for r := range p.recvs {
			takes[r] = takes[r][:0]
			cand = cand[:0]
			intake[r] = 0
			recvVal[r] = -lam[r] * room[r]
			if room[r] == 0 {
				continue
			}
			for _, e := range rev[r] {
				if v := e.cost + lam[r] - mu[e.client]; v < 0 && d[e.client] > 0 {
					cand = append(cand, inc{e.client, v})
				}
			}
			if len(cand) == 0 {
				continue
			}
			slices.SortFunc(cand, func(a, b inc) int {
				if c := int(grade[a.client]) - int(grade[b.client]); c != 0 {
					return c
				}
				switch {
				case a.cost < b.cost:
					return -1
				case a.cost > b.cost:
					return 1
				}
				return int(a.client - b.client)
			})
			t := &tiers[r]
			rv := &p.recvs[r]
			// Grade runs in cand.
			var runs [16][2]int
			for i := 0; i < len(cand); {
				j := i
				for j < len(cand) && grade[cand[j].client] == grade[cand[i].client] {
					j++
				}
				runs[grade[cand[i].client]] = [2]int{i, j}
				i = j
			}
			fill := func(g int, capacity float64) float64 {
				v := 0.0
				for _, e := range cand[runs[g][0]:runs[g][1]] {
					a := math.Min(capacity, d[e.client])
					if a <= 0 {
						break
					}
					capacity -= a
					v += a * e.cost
				}
				return v
			}
			var k [16]int
			var cur [16]float64
			val := 0.0
			for g := range 16 {
				if runs[g][1] > runs[g][0] {
					cur[g] = fill(g, t.free[g])
					val += cur[g]
				}
			}
			for step := 1; step <= t.spare+t.extraRooms; step++ {
				bestG, bestGain, bestNext := -1, 0.0, 0.0
				for g := range 16 {
					if runs[g][1] == runs[g][0] || rv.size[g] == 0 {
						continue
					}
					next := fill(g, t.free[g]+float64((k[g]+1)*rv.size[g]))
					if gain := cur[g] - next; gain > bestGain {
						bestG, bestGain, bestNext = g, gain, next
					}
				}
				price := 0.0
				if step > t.spare {
					price = p.roomCost
				}
				if bestG < 0 || bestGain <= price {
					break
				}
				k[bestG]++
				val += bestNext - cur[bestG] + price
				cur[bestG] = bestNext
			}
			for g := range 16 {
				capacity := t.free[g] + float64(k[g]*rv.size[g])
				for _, e := range cand[runs[g][0]:runs[g][1]] {
					a := math.Min(capacity, d[e.client])
					if a <= 0 {
						break
					}
					capacity -= a
					takes[r] = append(takes[r], take{e.client, a})
					intake[r] += a
				}
			}
			recvVal[r] += val
		}
		// Candidates: open or closed.
		lower := 0.0
		clear(x)
		closedNow := make([]bool, len(p.cands))
		for c := range p.cands {
			cd := &p.cands[c]
			open := cd.fixed
			if cd.recv >= 0 {
				open += recvVal[cd.recv]
			}
			shut := math.Inf(1)
			if cd.closable {
				shut = 0
				for _, i := range idx[c] {
					shut += mu[i] * d[i]
				}
			}
			if fix != nil {
				switch {
				case fix[c] > 0:
					open = math.Inf(1)
				case fix[c] < 0:
					shut = math.Inf(1)
				}
			}
			if shut < open {
				lower += shut
				closedNow[c] = true
			} else {
				lower += open
			}
		}
		for r := range p.recvs {
			if c := p.recvs[r].cand; c >= 0 {
				if closedNow[c] {
					continue
				}
			} else {
				lower += recvVal[r]
			}
			for _, tk := range takes[r] {
				x[tk.client] += tk.amount
			}
		}
		if math.IsInf(lower, 1) {
			return math.Inf(1), nil, nil
		}
		if it == 0 || lower > best+1e-9*math.Max(1, math.Abs(best)) {
			best, stall = lower, 0
			relaxed = slices.Clone(closedNow)
			if bestMu != nil {
				copy(bestMu, mu)
			}
		} else if stall++; stall >= 40 {
			theta /= 2
			stall = 0
		}
		if best >= upper-1e-9*math.Max(1, math.Abs(upper)) || theta < 1e-4 {
			break
		}
		norm := 0.0
		for i, cr := range clients {
			gi := -x[i]
			if closedNow[cr.c] {
				gi += d[i]
			}
			g[i] = gi
			norm += gi * gi
		}
		for r := range p.recvs {
			if c := p.recvs[r].cand; room[r] == 0 || c >= 0 && closedNow[c] {
				intake[r] = -1 // inactive: no cap term
				continue
			}
			gr := intake[r] - room[r]
			if lam[r] == 0 && gr < 0 {
				gr = 0
			}
			intake[r] = gr
			norm += gr * gr
		}
		if norm == 0 {
			break
		}
		t := theta * math.Max(upper-lower, 1e-6*math.Max(1, math.Abs(upper))) / norm
		for i := range mu {
			mu[i] += t * g[i]
		}
		for r := range p.recvs {
			if c := p.recvs[r].cand; room[r] == 0 || c >= 0 && closedNow[c] {
				continue
			}
			lam[r] = math.Max(0, lam[r]+t*intake[r])
		}
	}
	if mu0 != nil {
		copy(mu0, bestMu)
	}
	return math.Min(best, upper), relaxed, nil
}
