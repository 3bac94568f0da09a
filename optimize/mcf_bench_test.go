package optimize

import (
	"bytes"
	"context"
	"testing"
)

// Transportation instances by size: areas × schools, k random links per area
// plus the unmet-demand arcs. The geometric 20,000 × 400 instance with the 15
// nearest schools, as compared with LEMON, is benchmarked in cmd/mcf.
var mcfBenchSizes = []struct {
	name                 string
	areas, schools, arcs int
}{
	{"small", 1000, 40, 10},
	{"medium", 5000, 100, 15},
	{"large", 20000, 400, 15},
}

func BenchmarkMinCostFlow(b *testing.B) {
	for _, size := range mcfBenchSizes {
		b.Run(size.name, func(b *testing.B) {
			g := randomTransportation(size.areas, size.schools, size.arcs, 1)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := MinCostFlow(context.Background(), g, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkReadDIMACS(b *testing.B) {
	for _, size := range mcfBenchSizes {
		b.Run(size.name, func(b *testing.B) {
			var buf bytes.Buffer
			if err := WriteDIMACS(&buf, randomTransportation(size.areas, size.schools, size.arcs, 1)); err != nil {
				b.Fatal(err)
			}
			in := buf.Bytes()
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := ReadDIMACS(bytes.NewReader(in)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
