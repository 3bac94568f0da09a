package geo

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"
)

// Pairs is a sparse table of (source, target) pairs in compressed sparse row
// layout: row i holds the targets reachable from source i, sorted by travel
// distance and then by target index. The flat slices share one position per
// pair.
type Pairs struct {
	// Offsets has one entry per source plus a final one: the pairs of
	// source i are at positions Offsets[i] to Offsets[i+1]-1.
	Offsets []int32
	// To holds the target index of each pair.
	To []int32
	// Metres holds the travel distance of each pair.
	Metres []float64
	// Seconds holds the travel time of each pair by the metric's mode.
	Seconds []float64
	// Fallback is nil unless a road network was used; then it marks the
	// pairs whose ends lie on disconnected parts of the network, whose
	// distance is great-circle × circuity instead of a road distance.
	Fallback []bool
}

// Sources returns the number of sources (rows).
func (p *Pairs) Sources() int { return len(p.Offsets) - 1 }

// Len returns the number of pairs.
func (p *Pairs) Len() int { return len(p.To) }

// Row returns the targets of source i with their travel metres and seconds,
// as subslices of p.
func (p *Pairs) Row(i int) (to []int32, metres, seconds []float64) {
	lo, hi := p.Offsets[i], p.Offsets[i+1]
	return p.To[lo:hi], p.Metres[lo:hi], p.Seconds[lo:hi]
}

// Limit says which pairs to generate from each source: every target within
// Metres of travel and within Seconds of travel time, and at least the K
// nearest targets whatever their distance. A zero field is not a limit; at
// least one field must be set. Seconds is turned into metres at the speed of
// the metric's mode; a target exactly at the limit is included.
type Limit struct {
	Metres  float64
	Seconds float64
	K       int
}

// Validate reports a negative or non-finite limit, or a limit with no field
// set (which would ask for every pair).
func (l Limit) Validate() error {
	if !finite(l.Metres) || l.Metres < 0 {
		return fmt.Errorf("geo: distance limit %v m: want a finite number ≥ 0", l.Metres)
	}
	if !finite(l.Seconds) || l.Seconds < 0 {
		return fmt.Errorf("geo: time limit %v s: want a finite number ≥ 0", l.Seconds)
	}
	if l.K < 0 {
		return fmt.Errorf("geo: nearest count %d: want ≥ 0", l.K)
	}
	if l.Metres == 0 && l.Seconds == 0 && l.K == 0 {
		return errors.New("geo: limit has no distance, time or nearest count")
	}
	return nil
}

// metres returns the distance limit, or -1 when only K is set.
func (l Limit) metres(m Metric) float64 {
	lim := math.Inf(1)
	if l.Metres > 0 {
		lim = l.Metres
	}
	if l.Seconds > 0 {
		lim = min(lim, l.Seconds*m.Speed(m.Mode))
	}
	if math.IsInf(lim, 1) {
		return -1
	}
	return lim
}

// Options configures pair generation.
type Options struct {
	// Metric gives circuity and speeds; the zero value means DefaultMetric().
	Metric Metric
	// Roads, when not nil, measures distances along the road network
	// instead of great-circle × circuity.
	Roads *Network
	// Workers is the number of goroutines; 0 means runtime.GOMAXPROCS(0).
	// The result does not depend on it.
	Workers int
	// Progress, when not nil, is called from the calling goroutine with the
	// work done so far and the total: rows, plus one road search per target
	// when the searches run from the targets.
	Progress func(done, total int)
}

func (o Options) metric() Metric {
	if o.Metric == (Metric{}) {
		return DefaultMetric()
	}
	return o.Metric
}

func (o Options) workers() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// Generate returns, for each point of from, the points of to that Limit
// admits, with travel distances and times: great-circle × circuity, or road
// distances when opt.Roads is set. With roads, a pair whose ends snap to
// parts of the network that no road joins is not dropped: it gets
// great-circle × circuity and is flagged in Pairs.Fallback. Points are
// lon/lat WGS84 degrees; an invalid point is an error naming it. Work is
// spread over opt.Workers goroutines and the result is the same for any
// number of them. No table of all pairs is ever built.
func Generate(ctx context.Context, from, to []orb.Point, lim Limit, opt Options) (*Pairs, error) {
	return generate(ctx, from, to, false, lim, opt)
}

// GenerateAmong returns the pairs between points of one set (school to
// school, for instance), leaving out each point's pair with itself; K then
// counts the other points. Points at the same place as the source are kept.
func GenerateAmong(ctx context.Context, points []orb.Point, lim Limit, opt Options) (*Pairs, error) {
	return generate(ctx, points, points, true, lim, opt)
}

func generate(ctx context.Context, from, to []orb.Point, among bool, lim Limit, opt Options) (*Pairs, error) {
	m := opt.metric()
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if err := lim.Validate(); err != nil {
		return nil, err
	}
	if err := checkPoints("source", from); err != nil {
		return nil, err
	}
	if !among {
		if err := checkPoints("target", to); err != nil {
			return nil, err
		}
	}
	if opt.Roads != nil {
		return roadPairs(ctx, from, to, among, lim, m, opt)
	}
	limit := lim.metres(m)
	cell := 0.0
	if limit > 0 {
		// Cells as wide as the great-circle radius: a query window spans
		// two or three cells each way, few cells and few rejected points.
		cell = limit / m.Circuity
	}
	ix, err := newIndex(to, cell)
	if err != nil {
		return nil, err
	}
	workers := opt.workers()
	bufs := make([][]cand, workers)
	hints := make([]float64, workers)
	builders := make([]chunkBuilder, workers)
	chunks := make([]rowChunk, numChunks(len(from)))
	err = runChunks(ctx, len(from), workers, opt.Progress, func(w, c, lo, hi int) {
		b := &builders[w]
		b.reset()
		for i := lo; i < hi; i++ {
			self := int32(-1)
			if among {
				self = int32(i)
			}
			bufs[w] = ix.row(bufs[w][:0], from[i], limit, lim.K, m.Circuity, self, nil, &hints[w])
			b.add(bufs[w], false)
		}
		chunks[c] = b.chunk()
	})
	if err != nil {
		return nil, err
	}
	return assemble(len(from), chunks, m, false)
}

// chunkRows is the number of rows a worker takes at a time.
const chunkRows = 256

func numChunks(n int) int { return (n + chunkRows - 1) / chunkRows }

// rowChunk holds the rows of one chunk until they are assembled.
type rowChunk struct {
	counts []int32
	to     []int32
	metres []float64
	fb     []bool
}

// chunkBuilder gathers the rows of a chunk in buffers that one worker reuses
// from chunk to chunk, so that each chunk is allocated once, at its size.
type chunkBuilder struct {
	rowChunk
}

func (b *chunkBuilder) reset() {
	b.counts, b.to, b.metres, b.fb = b.counts[:0], b.to[:0], b.metres[:0], b.fb[:0]
}

// add appends the next row, with its fallback flags when withFallback.
func (b *chunkBuilder) add(row []cand, withFallback bool) {
	b.counts = append(b.counts, int32(len(row)))
	for _, c := range row {
		b.to = append(b.to, c.id)
		b.metres = append(b.metres, c.m)
		if withFallback {
			b.fb = append(b.fb, c.fb)
		}
	}
}

// chunk returns a copy of the rows gathered since reset.
func (b *chunkBuilder) chunk() rowChunk {
	return rowChunk{
		counts: slices.Clone(b.counts),
		to:     slices.Clone(b.to),
		metres: slices.Clone(b.metres),
		fb:     slices.Clone(b.fb),
	}
}

// assemble concatenates the chunks, in order, into one table.
func assemble(rows int, chunks []rowChunk, m Metric, withFallback bool) (*Pairs, error) {
	total := 0
	for _, ch := range chunks {
		total += len(ch.to)
	}
	if total > math.MaxInt32 {
		return nil, fmt.Errorf("geo: %d pairs: at most %d supported; lower the limit", total, math.MaxInt32)
	}
	p := &Pairs{
		Offsets: make([]int32, rows+1),
		To:      make([]int32, 0, total),
		Metres:  make([]float64, 0, total),
		Seconds: make([]float64, total),
	}
	if withFallback {
		p.Fallback = make([]bool, 0, total)
	}
	r := 0
	for _, ch := range chunks {
		for _, c := range ch.counts {
			p.Offsets[r+1] = p.Offsets[r] + c
			r++
		}
		p.To = append(p.To, ch.to...)
		p.Metres = append(p.Metres, ch.metres...)
		if withFallback {
			p.Fallback = append(p.Fallback, ch.fb...)
		}
	}
	for j, d := range p.Metres {
		p.Seconds[j] = m.Seconds(d)
	}
	return p, nil
}

// runChunks calls work for the chunks of n rows on at most workers
// goroutines; w (below workers) tells which goroutine runs it, for scratch
// space. Chunks are handed out in any order, so work must write only to its
// own chunk's slot. Progress is reported from the calling goroutine.
func runChunks(ctx context.Context, n, workers int, progress func(done, total int), work func(w, chunk, lo, hi int)) error {
	nch := numChunks(n)
	workers = max(1, min(workers, nch))
	var next atomic.Int64
	done := make(chan int, nch)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				c := int(next.Add(1) - 1)
				if c >= nch {
					return
				}
				lo := c * chunkRows
				hi := min(lo+chunkRows, n)
				work(w, c, lo, hi)
				done <- hi - lo
			}
		})
	}
	go func() {
		wg.Wait()
		close(done)
	}()
	finished := 0
	for k := range done {
		finished += k
		if progress != nil {
			progress(finished, n)
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("geo: pairs: %w", err)
	}
	return nil
}
