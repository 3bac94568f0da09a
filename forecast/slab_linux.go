//go:build linux

package forecast

import (
	"syscall"
	"unsafe"
)

// newSlab returns n zeroed float32s for the draws' samples and a function
// that frees them. A large slab is mapped outside the Go heap, so that its
// gigabytes go back to the system as soon as the quantiles are taken
// instead of waiting for the collector, and do not raise the heap goal
// of the steps that follow. release must be called once, after the last
// use of the slab.
func newSlab(n int) (samples []float32, release func()) {
	const minMapped = 64 << 20
	size := n * 4
	if size < minMapped {
		return make([]float32, n), func() {}
	}
	b, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return make([]float32, n), func() {}
	}
	samples = unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(b))), n)
	return samples, func() { _ = syscall.Munmap(b) }
}
