package optimize

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// mrgRandom returns a random merge instance with n candidates and m other
// receivers. Grades 1–6 share class size 45; some candidates can receive.
func mrgRandom(rng *rand.Rand, n, m int) *mrgProblem {
	p := &mrgProblem{roomCost: 20000 + rng.Float64()*40000}
	for r := 0; r < m+n; r++ {
		rv := mrgRecv{cand: -1, poolSize: 45}
		for g := 3; g <= 8; g++ { // slots of grades 1–6
			rv.size[g] = 45
		}
		if r < m {
			for g := 3; g <= 8; g++ {
				rv.own[g] = rng.IntN(80)
			}
			rv.rooms = rv.ownRooms() + rng.IntN(3) - 1
			rv.maxRooms = rv.rooms + rng.IntN(3)
		} else {
			for g := 3; g <= 8; g++ {
				rv.own[g] = rng.IntN(20)
			}
			rv.rooms = 6
			rv.maxRooms = 6
		}
		rv.pupilCap = 2000
		if rng.IntN(4) == 0 {
			rv.pupilCap = rv.ownTotal() + rng.IntN(60)
		}
		p.recvs = append(p.recvs, rv)
	}
	for c := 0; c < n; c++ {
		cd := mrgCand{fixed: 100000 + rng.Float64()*500000, recv: -1, closable: rng.IntN(8) != 0}
		r := int32(m + c)
		if rng.IntN(3) != 0 {
			cd.recv = r
			p.recvs[r].cand = int32(c)
		}
		own := p.recvs[r].own
		for g := 3; g <= 8; g++ {
			if own[g] == 0 {
				continue
			}
			cl := mrgClient{grade: int8(g), pupils: own[g]}
			for q := 0; q < m+n; q++ {
				if q == int(r) || rng.IntN(3) != 0 {
					continue
				}
				cl.reach = append(cl.reach, mrgReach{recv: int32(q), cost: int64(200 + rng.IntN(6000))})
			}
			sortReach(cl.reach)
			cd.clients = append(cd.clients, cl)
		}
		p.cands = append(p.cands, cd)
	}
	return p
}

func sortReach(rs []mrgReach) {
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0 && (rs[j].cost < rs[j-1].cost || rs[j].cost == rs[j-1].cost && rs[j].recv < rs[j-1].recv); j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
}

// mrgBrute returns the least cost over every closure set.
func mrgBrute(t *testing.T, p *mrgProblem) float64 {
	t.Helper()
	n := len(p.cands)
	best := math.Inf(1)
	closed := make([]bool, n)
	for mask := 0; mask < 1<<n; mask++ {
		cost := 0.0
		var comp []int32
		ok := true
		for c := 0; c < n; c++ {
			closed[c] = mask&(1<<c) != 0
			if closed[c] {
				if !p.cands[c].closable {
					ok = false
				}
				comp = append(comp, int32(c))
			} else {
				cost += p.cands[c].fixed
			}
		}
		if !ok {
			continue
		}
		ev, err := p.evaluate(context.Background(), comp, closed, false)
		if err != nil {
			t.Fatal(err)
		}
		cost += ev.cost(p.roomCost)
		best = math.Min(best, cost)
	}
	return best
}

func TestMergeMatchesBruteForce(t *testing.T) {
	ctx := context.Background()
	const instances = 150
	gaps := 0.0
	for k := 0; k < instances; k++ {
		rng := rand.New(rand.NewPCG(7, uint64(k)))
		n := 2 + rng.IntN(11) // 2..12 candidates
		p := mrgRandom(rng, n, 1+rng.IntN(6))
		want := mrgBrute(t, p)
		res, err := solveMerge(ctx, p, 300, 1)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(res.cost-want) > 1e-6*math.Max(1, want) {
			t.Errorf("instance %d (%d candidates): search found %.2f, brute force %.2f", k, n, res.cost, want)
		}
		if res.lower > res.cost+1e-6*res.cost {
			t.Errorf("instance %d: lower bound %.2f above cost %.2f", k, res.lower, res.cost)
		}
		gaps += (res.cost - res.lower) / res.cost
	}
	t.Logf("%d instances; mean gap %.3f%%", instances, 100*gaps/instances)
}
