package optimize

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/geo"
)

// MergePlan is the small-school merging plan (小规模学校撤并) for the target
// year with its proof of quality.
type MergePlan struct {
	Year int `json:"year"`
	// Candidates is the number of closure candidates: schools under the
	// small-school size or teaching points, never one marked keep.
	Candidates int `json:"candidates"`
	// Proposals lists the schools to close, by county and saving.
	Proposals []MergeProposal `json:"proposals"`
	// Kept lists the small schools that stay, with the reason.
	Kept []KeptSchool `json:"kept"`
	// BaseCost is the annual cost of the model when nothing closes (the
	// fixed costs of all candidates); Cost is the annual cost of the plan:
	// fixed costs of the candidates kept, pupils' travel and added
	// classrooms. Saving is BaseCost − Cost. All in CNY per year.
	BaseCost float64 `json:"base_cost"`
	Cost     float64 `json:"cost"`
	Saving   float64 `json:"saving"`
	// LowerBound is a Lagrangian lower bound on the least cost any plan
	// can reach under the same rules, and Gap = (Cost − LowerBound)/Cost,
	// the most by which the plan can be beaten. SavingGap =
	// (Cost − LowerBound)/(BaseCost − LowerBound) is the most of the best
	// possible saving the plan may miss.
	LowerBound float64 `json:"lower_bound"`
	Gap        float64 `json:"gap"`
	SavingGap  float64 `json:"saving_gap"`
	// Evaluations counts the exact flow solves of the search.
	Evaluations int `json:"evaluations"`
}

// MergeProposal is one school to close and where its pupils go.
type MergeProposal struct {
	SchoolID string          `json:"school_id"`
	Name     string          `json:"name"`
	County   string          `json:"county"`
	Type     data.SchoolType `json:"type"`
	// Pupils is the number of pupils who move in the target year.
	Pupils    int             `json:"pupils"`
	Receivers []MergeReceiver `json:"receivers"`
	// AddedPupilKm is the pupils' added daily one-way travel in pupil-km.
	AddedPupilKm float64 `json:"added_pupil_km"`
	// Classrooms is the classrooms to add at the receivers for them.
	Classrooms int `json:"classrooms"`
	// AnnualSaving is the fixed cost saved less the added travel and the
	// annualised classrooms, CNY per year.
	AnnualSaving float64 `json:"annual_saving"`
	// RecommendedYear is the first year from which the school stays under
	// the small-school size and the receivers have room.
	RecommendedYear int    `json:"recommended_year"`
	Reason          string `json:"reason"`
	ReasonZH        string `json:"reason_zh"`
}

// MergeReceiver is a school taking in pupils of a closed school.
type MergeReceiver struct {
	SchoolID string `json:"school_id"`
	Name     string `json:"name"`
	Pupils   int    `json:"pupils"`
	// Km is the one-way distance and Minutes the door-to-door journey of
	// the youngest grade sent (walking, or the school bus with the walk to
	// the stop and the wait).
	Km      float64 `json:"km"`
	Minutes float64 `json:"minutes"`
	// LowerGrades is the pupils of grades 1–3 among Pupils.
	LowerGrades int `json:"lower_grades"`
	// Classrooms is the classrooms added at this receiver for these pupils.
	Classrooms int `json:"classrooms"`
}

// KeptSchool is a closure candidate, or a small school marked keep, that
// stays open.
type KeptSchool struct {
	SchoolID string `json:"school_id"`
	Name     string `json:"name"`
	County   string `json:"county"`
	Pupils   int    `json:"pupils"`
	// Necessary is true for a necessary village school (必要的乡村小规模
	// 学校): some grade has no receiver within the travel limit.
	Necessary bool   `json:"necessary"`
	Reason    string `json:"reason"`
	ReasonZH  string `json:"reason_zh"`
}

// mrgCounty is the merge instance of one county with the school index of
// each candidate and receiver.
type mrgCounty struct {
	name      string
	p         mrgProblem
	candSch   []int // school index per candidate
	recvSch   []int // school index per receiver
	noReach   []string
	noReachZH []string
}

// isCandidate reports whether school i may be proposed for closing.
func (m *layModel) isCandidate(i int) bool {
	s := &m.schools[i]
	if s.Keep || !m.teachesCompulsory(i) {
		return false
	}
	switch s.Type {
	case data.TeachingPoint:
		return true
	case data.Primary, data.Middle, data.NineYear:
		return m.compulsoryPupils(i, m.target) < m.st.SmallSchool
	}
	return false
}

func (m *layModel) teachesCompulsory(i int) bool {
	s := &m.schools[i]
	return s.span.Hi >= 1 && s.span.Lo <= 9
}

// compulsoryPupils returns the planning figure of grades 1–9 in year y.
func (m *layModel) compulsoryPupils(i, y int) int {
	s := &m.schools[i]
	n := 0
	for g := max(s.span.Lo, 1); g <= min(s.span.Hi, 9); g++ {
		n += m.pupils(i, y, g)
	}
	return n
}

// gradeMinutes returns the merge travel limit of grade g at a school with
// py primary years.
func (m *layModel) gradeMinutes(g data.Grade, py int) float64 {
	switch {
	case g <= 3:
		return m.st.LowerPrimaryMinutes
	case g.Level(py) == data.LevelPrimary:
		return m.st.UpperPrimaryMinutes
	}
	return m.st.Minutes.At(data.LevelMiddle)
}

// gradeMetres returns the longest road distance to a merge receiver for
// grade g at a school with py primary years.
func (m *layModel) gradeMetres(g data.Grade, py int) float64 {
	if g.Level(py) == data.LevelPrimary {
		return m.st.MergePrimaryMetres
	}
	return m.st.MergeMiddleMetres
}

// mergeJourney returns how a pupil of level l from a school in an urban or
// rural place reaches a receiver metres away when the school is merged:
// the door-to-door minutes and the annual cost in CNY. Urban kindergarten
// and primary pupils walk (UrbanWalk); other pupils walk up to WalkMetres
// and beyond it take the school bus, which adds the walk to the stop and
// the wait and costs a seat a year.
func (m *layModel) mergeJourney(metres float64, l data.Level, urban bool) (minutes, cost float64, bus bool) {
	cost = metres / 1000 * m.st.PupilKmCost
	if m.st.mode(l, urban) == geo.Walk || metres <= m.st.WalkMetres {
		return m.minutes(metres, geo.Walk), cost, false
	}
	minutes = m.st.BusAccessMinutes + metres/1000/m.st.SchoolBusKmh*60
	return minutes, cost + m.st.BusSeatCost, true
}

// staffSaving returns the teacher posts closing school i saves in the
// target year: the posts it needs as a small school — its staff, but no
// more than StaffPerClassSmall per class, since posts above that would be
// moved away whether it closes or not — less the posts its pupils need at
// the receivers at the staffing ratio. It also returns the two figures.
func (m *layModel) staffSaving(i int) (saved, kept, need float64) {
	s := &m.schools[i]
	classes := 0
	for g := s.span.Lo; g <= s.span.Hi; g++ {
		l := g.Level(s.py)
		p := m.pupils(i, m.target, g)
		need += float64(p) / m.st.PupilsPerStaff.At(l)
		classes += layCeilDiv(p, m.st.ClassSize.At(l))
	}
	kept = math.Max(float64(classes)*m.st.StaffPerClassSmall, need)
	if s.teachers > 0 {
		kept = math.Min(kept, s.teachers)
	}
	return math.Max(0, kept-need), kept, need
}

// fixedCost returns the annual cost of keeping school i open that closing
// it saves: the site and the teacher posts of staffSaving.
func (m *layModel) fixedCost(i int) float64 {
	saved, _, _ := m.staffSaving(i)
	return m.st.SchoolFixedCost + m.st.TeacherCost*saved
}

// buildMergeCounties builds one merge instance per county with candidates.
func (m *layModel) buildMergeCounties(ctx context.Context) ([]*mrgCounty, int, error) {
	var cands, recvs []int
	for i := range m.schools {
		if m.isCandidate(i) {
			cands = append(cands, i)
		}
		s := &m.schools[i]
		if m.teachesCompulsory(i) && s.rooms > 0 && s.Type != data.High && s.Type != data.Kindergarten {
			recvs = append(recvs, i)
		}
	}
	if len(cands) == 0 {
		return nil, 0, nil
	}
	from := make([]orb.Point, len(cands))
	for k, i := range cands {
		from[k] = m.schoolPoint(i)
	}
	to := make([]orb.Point, len(recvs))
	for k, i := range recvs {
		to[k] = m.schoolPoint(i)
	}
	pairs, err := geo.Generate(ctx, from, to, geo.Limit{Metres: math.Max(m.st.MergePrimaryMetres, m.st.MergeMiddleMetres)}, m.pairOptions())
	if err != nil {
		return nil, 0, fmt.Errorf("optimize: merge pairs: %w", err)
	}
	byCounty := map[string]*mrgCounty{}
	var order []string
	county := func(name string) *mrgCounty {
		mc := byCounty[name]
		if mc == nil {
			mc = &mrgCounty{name: name, p: mrgProblem{roomCost: m.st.ClassroomAnnualCost()}}
			byCounty[name] = mc
			order = append(order, name)
		}
		return mc
	}
	recvIndex := map[int]int32{} // school → receiver index within its county
	isCand := map[int]int32{}
	for _, i := range cands {
		mc := county(m.schools[i].County)
		isCand[i] = int32(len(mc.candSch))
		mc.candSch = append(mc.candSch, i)
	}
	for _, i := range recvs {
		s := &m.schools[i]
		mc := byCounty[s.County]
		if mc == nil {
			continue
		}
		rv := mrgRecv{cand: -1, rooms: s.rooms, maxRooms: s.maxRooms, pupilCap: s.pupilCap, poolSize: math.MaxInt}
		if c, ok := isCand[i]; ok {
			rv.cand = c
		}
		for g := s.span.Lo; g <= s.span.Hi; g++ {
			slot := g - data.GradeK0
			rv.own[slot] = m.pupils(i, m.target, g)
			rv.size[slot] = m.classSize(i, g)
			if g >= 1 && g <= 9 {
				rv.poolSize = min(rv.poolSize, rv.size[slot])
			}
		}
		recvIndex[i] = int32(len(mc.recvSch))
		mc.recvSch = append(mc.recvSch, i)
		mc.p.recvs = append(mc.p.recvs, rv)
	}
	for k, i := range cands {
		s := &m.schools[i]
		mc := byCounty[s.County]
		cd := mrgCand{fixed: m.fixedCost(i), recv: -1, closable: true}
		if r, ok := recvIndex[i]; ok {
			cd.recv = r
		}
		tos, metres, _ := pairs.Row(k)
		var missing []string
		for g := max(s.span.Lo, 1); g <= min(s.span.Hi, 9); g++ {
			p := m.pupils(i, m.target, g)
			if p == 0 {
				continue
			}
			cl := mrgClient{grade: int8(g - data.GradeK0), pupils: p}
			limit, far := m.gradeMinutes(g, s.py), m.gradeMetres(g, s.py)
			for j, t := range tos {
				r := recvs[t]
				if r == i || m.schools[r].County != s.County || !m.schools[r].span.Contains(g) || metres[j] > far {
					continue
				}
				mins, cost, _ := m.mergeJourney(metres[j], g.Level(s.py), s.urban)
				if mins > limit {
					continue
				}
				cl.reach = append(cl.reach, mrgReach{
					recv: recvIndex[r], cost: int64(math.Round(cost)),
					metres: float32(metres[j]), minutes: float32(mins),
				})
			}
			slices.SortFunc(cl.reach, func(a, b mrgReach) int {
				if c := cmp.Compare(a.cost, b.cost); c != 0 {
					return c
				}
				return cmp.Compare(a.recv, b.recv)
			})
			if len(cl.reach) == 0 {
				cd.closable = false
				missing = append(missing, g.String())
			}
			cd.clients = append(cd.clients, cl)
		}
		if !cd.closable {
			lim := m.gradeMinutes(data.Grade(1), s.py)
			km := m.st.MergePrimaryMetres / 1000
			mc.noReach = append(mc.noReach, fmt.Sprintf("necessary village school: no school teaching grade %s within the travel limit "+
				"(grades 1–3: %g min door to door, primary: %g km); closing saves %s CNY a year but would leave pupils too far from school",
				joinGrades(missing), lim, km, layMoney(cd.fixed)))
			mc.noReachZH = append(mc.noReachZH, fmt.Sprintf("必要的乡村小规模学校：%s年级在规定范围内（1–3年级单程%g分钟，小学%g公里）无可接收学校；撤并虽每年可节省%s元，但学生上学过远，应予保留",
				joinGrades(missing), lim, km, layMoney(cd.fixed)))
		} else {
			mc.noReach = append(mc.noReach, "")
			mc.noReachZH = append(mc.noReachZH, "")
		}
		mc.p.cands = append(mc.p.cands, cd)
	}
	out := make([]*mrgCounty, 0, len(order))
	slices.Sort(order)
	for _, name := range order {
		out = append(out, byCounty[name])
	}
	return out, len(cands), nil
}

func joinGrades(gs []string) string {
	s := ""
	for i, g := range gs {
		if i > 0 {
			s += ","
		}
		s += g
	}
	return s
}

// mrgSent is pupils a closed school sends to one receiver.
type mrgSent struct {
	pupils int
	travel float64 // annual travel cost, CNY
	grades [16]int
	rooms  int
}

// mrgResult is the solved instance of one county.
type mrgResult struct {
	closed []bool
	cost   float64
	base   float64
	lower  float64
	evals  int
	evs    []mrgEval // final evaluations with flows, one per component
	alone  []float64 // change of cost from flipping each kept candidate alone
}

// mrgBranchNodes is the most relaxations the branching on closure decisions
// solves per instance.
const mrgBranchNodes = 64

// solveMerge solves one instance: greedy and local search, then a restart
// from the Lagrangian relaxation's closure set and iterated local search
// (kicks seeded by seed), keeping the best plan; then the bound.
func solveMerge(ctx context.Context, p *mrgProblem, boundIter int, seed uint64) (*mrgResult, error) {
	s := newMrgSearch(ctx, p)
	cost, err := s.solve()
	if err != nil {
		return nil, err
	}
	best := slices.Clone(s.closed)
	keep := func(c float64) {
		if c < cost-mrgEps {
			cost = c
			copy(best, s.closed)
		}
	}
	lower, relaxed, err := p.lowerBound(ctx, cost, boundIter)
	if err != nil {
		return nil, err
	}
	if relaxed != nil {
		c, err := s.restart(relaxed)
		if err != nil {
			return nil, err
		}
		keep(c)
	}
	var pool []int32
	for c := range p.cands {
		if p.cands[c].closable {
			pool = append(pool, int32(c))
		}
	}
	if len(pool) > 0 {
		rng := rand.New(rand.NewPCG(seed, uint64(len(p.cands))))
		// Kicks stop at a budget of flow solves, so that large counties
		// spend time in proportion to their size.
		kicks := min(120, 8*len(pool))
		budget := s.evals + 10*len(pool)
		if len(p.cands) <= mrgDeepLimit {
			budget = math.MaxInt
		}
		for k := 0; k < kicks && s.evals < budget; k++ {
			copy(s.closed, best)
			c, err := s.kick(rng, pool)
			if err != nil {
				return nil, err
			}
			keep(c)
		}
	}
	copy(s.closed, best)
	if len(p.cands) <= mrgDeepLimit {
		if _, err := s.deepSearch(); err != nil {
			return nil, err
		}
		t, err := s.total()
		if err != nil {
			return nil, err
		}
		if t < cost-mrgEps {
			cost = t
			copy(best, s.closed)
		}
		copy(s.closed, best)
	}
	if lower < cost-mrgEps {
		lower, err = p.branchBound(ctx, lower, cost, best, max(50, boundIter/2), mrgBranchNodes)
		if err != nil {
			return nil, err
		}
	}
	res := &mrgResult{closed: slices.Clone(best), cost: cost, lower: math.Min(lower, cost)}
	for _, c := range p.cands {
		res.base += c.fixed
	}
	var all []int32
	for c := range p.cands {
		if s.closed[c] {
			all = append(all, int32(c))
		}
	}
	for _, comp := range s.components(all) {
		ev, err := p.evaluate(ctx, comp, s.closed, true)
		if err != nil {
			return nil, err
		}
		res.evs = append(res.evs, ev)
	}
	res.alone = make([]float64, len(p.cands))
	for c := range p.cands {
		if s.closed[c] || !p.cands[c].closable {
			continue
		}
		d, err := s.delta([]int32{int32(c)})
		if err != nil {
			return nil, err
		}
		res.alone[c] = d
	}
	res.evals = s.evals
	return res, nil
}

// planMerges chooses the schools to close and records the decisions in m.
func (m *layModel) planMerges(ctx context.Context) (*MergePlan, error) {
	plan := &MergePlan{Year: m.target, Proposals: []MergeProposal{}, Kept: []KeptSchool{}}
	counties, ncand, err := m.buildMergeCounties(ctx)
	if err != nil {
		return nil, err
	}
	plan.Candidates = ncand
	results := make([]*mrgResult, len(counties))
	errs := make([]error, len(counties))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(m.opt.Workers, max(1, len(counties))) {
		wg.Go(func() {
			for {
				k := int(next.Add(1) - 1)
				if k >= len(counties) || ctx.Err() != nil {
					return
				}
				results[k], errs[k] = solveMerge(ctx, &counties[k].p, m.opt.BoundIterations, m.opt.Seed)
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("optimize: merge: %w", err)
	}
	for k, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("optimize: merge %s: %w", counties[k].name, err)
		}
	}
	for k, mc := range counties {
		res := results[k]
		plan.BaseCost += res.base
		plan.Cost += res.cost
		plan.LowerBound += res.lower
		plan.Evaluations += res.evals
		m.recordCounty(plan, mc, res)
	}
	plan.Saving = plan.BaseCost - plan.Cost
	if plan.Cost > 0 {
		plan.Gap = math.Max(0, (plan.Cost-plan.LowerBound)/plan.Cost)
	}
	if d := plan.BaseCost - plan.LowerBound; d > 0 {
		plan.SavingGap = math.Max(0, (plan.Cost-plan.LowerBound)/d)
	}
	for i := range m.schools {
		s := &m.schools[i]
		if s.Keep && m.teachesCompulsory(i) && s.Type != data.High && m.compulsoryPupils(i, m.target) < m.st.SmallSchool {
			plan.Kept = append(plan.Kept, KeptSchool{SchoolID: s.ID, Name: s.Name, County: s.County, Pupils: m.compulsoryPupils(i, m.target),
				Reason: "marked keep in the schools file", ReasonZH: "学校名录标注保留"})
		}
	}
	slices.SortFunc(plan.Proposals, func(a, b MergeProposal) int {
		if c := cmp.Compare(a.County, b.County); c != 0 {
			return c
		}
		if c := cmp.Compare(b.AnnualSaving, a.AnnualSaving); c != 0 {
			return c
		}
		return cmp.Compare(a.SchoolID, b.SchoolID)
	})
	slices.SortFunc(plan.Kept, func(a, b KeptSchool) int {
		if c := cmp.Compare(a.County, b.County); c != 0 {
			return c
		}
		return cmp.Compare(a.SchoolID, b.SchoolID)
	})
	return plan, nil
}

// recordCounty turns a county's solution into proposals and kept schools
// and marks closures and added classrooms in m.
func (m *layModel) recordCounty(plan *MergePlan, mc *mrgCounty, res *mrgResult) {
	p := &mc.p
	// Flows per candidate and receiver, and the classrooms added per receiver.
	flows := make([]map[int32]*mrgSent, len(p.cands))
	incoming := map[int32]map[int32]int{} // receiver → candidate → pupils
	added := map[int32]int{}
	for _, ev := range res.evs {
		for _, f := range ev.flows {
			if flows[f.cand] == nil {
				flows[f.cand] = map[int32]*mrgSent{}
			}
			x := flows[f.cand][f.recv]
			if x == nil {
				x = &mrgSent{}
				flows[f.cand][f.recv] = x
			}
			x.pupils += f.pupils
			cl := &p.cands[f.cand].clients[f.client]
			x.grades[cl.grade] += f.pupils
			for _, re := range cl.reach {
				if re.recv == f.recv {
					x.travel += float64(f.pupils) * float64(re.cost)
					break
				}
			}
			if incoming[f.recv] == nil {
				incoming[f.recv] = map[int32]int{}
			}
			incoming[f.recv][f.cand] += f.pupils
		}
		for k, r := range ev.rooms {
			added[r] += ev.added[k]
		}
	}
	// Attribute added classrooms to the candidates sending pupils, by
	// pupils with largest remainders.
	for r, a := range added {
		m.mergeRoom[mc.recvSch[r]] += a
		senders := make([]int32, 0, len(incoming[r]))
		total := 0
		for c, n := range incoming[r] {
			senders = append(senders, c)
			total += n
		}
		slices.Sort(senders)
		rem := make([]float64, len(senders))
		given := 0
		for k, c := range senders {
			f := float64(a) * float64(incoming[r][c]) / float64(total)
			flows[c][r].rooms = int(math.Floor(f))
			rem[k] = f - math.Floor(f)
			given += flows[c][r].rooms
		}
		for given < a {
			best := 0
			for k := range senders {
				if rem[k] > rem[best] {
					best = k
				}
			}
			flows[senders[best]][r].rooms++
			rem[best] = -1
			given++
		}
	}
	for c := range p.cands {
		i := mc.candSch[c]
		s := &m.schools[i]
		pupils := m.compulsoryPupils(i, m.target)
		if !res.closed[c] {
			k := KeptSchool{SchoolID: s.ID, Name: s.Name, County: s.County, Pupils: pupils}
			switch {
			case !p.cands[c].closable:
				k.Necessary = true
				k.Reason, k.ReasonZH = mc.noReach[c], mc.noReachZH[c]
			case math.IsInf(res.alone[c], 1):
				k.Reason = "schools in reach have no room for its pupils, even after allowed expansion"
				k.ReasonZH = "可达范围内学校扩建后仍无足够学位"
			default:
				k.Reason = fmt.Sprintf("closing would raise annual cost by %s CNY (travel and classrooms exceed the %s CNY saved)",
					layMoney(res.alone[c]), layMoney(p.cands[c].fixed))
				k.ReasonZH = fmt.Sprintf("撤并后年成本将增加%s元（交通与新增教室成本高于节省的%s元）", layMoney(res.alone[c]), layMoney(p.cands[c].fixed))
			}
			plan.Kept = append(plan.Kept, k)
			continue
		}
		m.closed[i] = true
		prop := MergeProposal{SchoolID: s.ID, Name: s.Name, County: s.County, Type: s.Type}
		travel := 0.0
		recvs := make([]int32, 0, len(flows[c]))
		for r := range flows[c] {
			recvs = append(recvs, r)
		}
		slices.Sort(recvs)
		for _, r := range recvs {
			x := flows[c][r]
			km, mins := mc.reachOf(int32(c), r)
			ri := mc.recvSch[r]
			lower := 0
			for g := data.Grade(1); g <= 3; g++ {
				lower += x.grades[g-data.GradeK0]
			}
			prop.Receivers = append(prop.Receivers, MergeReceiver{SchoolID: m.schools[ri].ID, Name: m.schools[ri].Name,
				Pupils: x.pupils, Km: km, Minutes: mins, LowerGrades: lower, Classrooms: x.rooms})
			prop.Pupils += x.pupils
			m.mergeIn[ri] += x.pupils
			prop.AddedPupilKm += float64(x.pupils) * km
			prop.Classrooms += x.rooms
			travel += x.travel
		}
		slices.SortFunc(prop.Receivers, func(a, b MergeReceiver) int { return cmp.Compare(b.Pupils, a.Pupils) })
		prop.AnnualSaving = p.cands[c].fixed - travel - float64(prop.Classrooms)*p.roomCost
		to := map[int]*mrgSent{}
		for r, x := range flows[c] {
			to[mc.recvSch[r]] = x
		}
		prop.RecommendedYear = m.recommendYear(i, to)
		for _, r := range recvs {
			x, ri := flows[c][r], mc.recvSch[r]
			sh := mergeShare{from: i, year: prop.RecommendedYear}
			for k, n := range x.grades {
				if t := m.pupils(i, m.target, data.GradeK0+data.Grade(k)); n > 0 && t > 0 {
					sh.share[k] = float64(n) / float64(t)
				}
			}
			m.mergeFrom[ri] = append(m.mergeFrom[ri], sh)
		}
		m.mergeReason(&prop, i, p.cands[c].fixed, travel)
		plan.Proposals = append(plan.Proposals, prop)
	}
}

// reachOf returns the distance and time from candidate c to receiver r.
func (mc *mrgCounty) reachOf(c, r int32) (km, minutes float64) {
	for _, cl := range mc.p.cands[c].clients {
		for _, re := range cl.reach {
			if re.recv == r {
				return float64(re.metres) / 1000, float64(re.minutes)
			}
		}
	}
	return 0, 0
}

// recommendYear returns the first plan year from which school i stays under
// the small-school size (any year for a teaching point) and its receivers can
// take its pupils of that year within their classroom limits, each grade
// going where it goes in the target year.
func (m *layModel) recommendYear(i int, to map[int]*mrgSent) int {
	s := &m.schools[i]
	if len(to) == 0 {
		// Nobody moves in the target year: the school closes once it has
		// no pupils left, as none would have anywhere assigned to go.
		return m.emptyFrom(i)
	}
	start := m.years[0]
	if s.Type != data.TeachingPoint {
		start = m.target
		for k := len(m.years) - 1; k >= 0; k-- {
			if m.compulsoryPupils(i, m.years[k]) >= m.st.SmallSchool {
				break
			}
			start = m.years[k]
		}
	}
	recvs := make([]int, 0, len(to))
	for r := range to {
		recvs = append(recvs, r)
	}
	slices.Sort(recvs)
	for _, y := range m.years {
		if y < start {
			continue
		}
		ok := true
		for _, r := range recvs {
			rs := &m.schools[r]
			need, own := 0, 0
			for g := rs.span.Lo; g <= rs.span.Hi; g++ {
				slot := g - data.GradeK0
				p := m.pupils(r, y, g)
				in := 0
				if n := to[r].grades[slot]; n > 0 {
					if t := m.pupils(i, m.target, g); t > 0 {
						in = int(math.Round(float64(n) * float64(m.pupils(i, y, g)) / float64(t)))
					}
				}
				size := m.classSize(r, g)
				need += layCeilDiv(p+in, size)
				own += layCeilDiv(p, size)
			}
			if need > max(rs.maxRooms, own) {
				ok = false
				break
			}
		}
		if ok {
			return y
		}
	}
	return m.target
}

// emptyFrom returns the first plan year from which school i has no
// compulsory pupils in any later year (the target year if it never
// empties).
func (m *layModel) emptyFrom(i int) int {
	from := m.target
	for k := len(m.years) - 1; k >= 0; k-- {
		if m.compulsoryPupils(i, m.years[k]) > 0 {
			break
		}
		from = m.years[k]
	}
	return from
}

// mergeReason writes why school i is proposed for closing: its size, where
// its pupils go and how long they travel, and what it saves.
func (m *layModel) mergeReason(p *MergeProposal, i int, fixed, travel float64) {
	kind, kindZH := "small school under "+fmt.Sprint(m.st.SmallSchool), fmt.Sprintf("不足%d人的小规模学校", m.st.SmallSchool)
	if p.Type == data.TeachingPoint {
		kind, kindZH = "teaching point", "教学点"
	}
	var to, toZH string
	longest := 0.0
	for k, r := range p.Receivers {
		if k > 0 {
			to += ", "
			toZH += "、"
		}
		to += fmt.Sprintf("%s (%d pupils, %.1f km, %.0f min)", r.Name, r.Pupils, r.Km, r.Minutes)
		toZH += fmt.Sprintf("%s（%d人，%.1f公里，%.0f分钟）", r.Name, r.Pupils, r.Km, r.Minutes)
		longest = math.Max(longest, r.Minutes)
	}
	rooms, roomsZH := "no classroom needs adding", "无需新增教室"
	if p.Classrooms > 0 {
		rooms = fmt.Sprintf("%d classroom(s) to add", p.Classrooms)
		roomsZH = fmt.Sprintf("需新增教室%d间", p.Classrooms)
	}
	saved, kept, need := m.staffSaving(i)
	roomCost := p.AnnualSaving - fixed + travel
	if len(p.Receivers) == 0 {
		first := m.years[0]
		p.Reason = fmt.Sprintf("%d pupils in %d (%s): none are forecast from %d on (%d in %d), so no pupils move and no classroom needs adding. "+
			"Saves %s CNY a year: site %s and %.1f teacher posts %s. Close from %d.",
			p.Pupils, m.target, kind, p.RecommendedYear, m.compulsoryPupils(i, first), first,
			layMoney(p.AnnualSaving), layMoney(m.st.SchoolFixedCost), saved, layMoney(fixed-m.st.SchoolFixedCost), p.RecommendedYear)
		p.ReasonZH = fmt.Sprintf("%d年预计在校生%d人（%s）：自%d年起预计无在校生（%d年%d人），无需分流学生、无需新增教室。"+
			"每年节省%s元：场地运行%s元、教师编制%.1f个%s元。建议%d年起撤并。",
			m.target, p.Pupils, kindZH, p.RecommendedYear, first, m.compulsoryPupils(i, first),
			layMoney(p.AnnualSaving), layMoney(m.st.SchoolFixedCost), saved, layMoney(fixed-m.st.SchoolFixedCost), p.RecommendedYear)
		return
	}
	p.Reason = fmt.Sprintf("%d pupils in %d (%s). Pupils move to %s; the longest journey is %.0f min door to door "+
		"(grades 1–3 at most %g min, within %g km, no boarding); %s. "+
		"Saves %s CNY a year: site %s and %.1f teacher posts %s (%.1f needed as a small school, %.1f by the pupils at the receivers), "+
		"less travel and school bus %s and classrooms %s. Close from %d.",
		p.Pupils, m.target, kind, to, longest, m.st.LowerPrimaryMinutes, m.st.MergePrimaryMetres/1000, rooms,
		layMoney(p.AnnualSaving), layMoney(m.st.SchoolFixedCost), saved, layMoney(fixed-m.st.SchoolFixedCost), kept, need,
		layMoney(travel), layMoney(-roomCost), p.RecommendedYear)
	p.ReasonZH = fmt.Sprintf("%d年预计在校生%d人（%s）。学生分流至%s；最长单程%.0f分钟（1–3年级不超过%g分钟、%g公里以内、不寄宿）；%s。"+
		"每年节省%s元：场地运行%s元、教师编制%.1f个%s元（小规模学校需%.1f个，接收学校按师生比需%.1f个），扣除交通与校车%s元、教室%s元。建议%d年起撤并。",
		m.target, p.Pupils, kindZH, toZH, longest, m.st.LowerPrimaryMinutes, m.st.MergePrimaryMetres/1000, roomsZH,
		layMoney(p.AnnualSaving), layMoney(m.st.SchoolFixedCost), saved, layMoney(fixed-m.st.SchoolFixedCost), kept, need,
		layMoney(travel), layMoney(-roomCost), p.RecommendedYear)
}

// layMoney formats CNY with thousands separators.
func layMoney(v float64) string {
	neg := v < 0
	n := int64(math.Round(math.Abs(v)))
	s := fmt.Sprint(n)
	out := ""
	for len(s) > 3 {
		out = "," + s[len(s)-3:] + out
		s = s[:len(s)-3]
	}
	out = s + out
	if neg {
		out = "-" + out
	}
	return out
}
