//go:build !linux

package forecast

// newSlab returns n zeroed float32s for the draws' samples; release does
// nothing, the collector frees them.
func newSlab(n int) (samples []float32, release func()) {
	return make([]float32, n), func() {}
}
