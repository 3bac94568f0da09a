//go:build linux

package forecast

import (
	"syscall"
	"unsafe"
)

// adviseHugePages asks the kernel to back a large sample slab with huge
// pages: one fault per 2 MB instead of per 4 kB when the draws first write
// it. Failure is harmless.
func adviseHugePages(x []float32) {
	const page = 4096
	if len(x)*4 < 4<<20 {
		return
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(x))), len(x)*4)
	p := uintptr(unsafe.Pointer(&b[0]))
	lo := int((page - p%page) % page)
	hi := len(b) - int((p+uintptr(len(b)))%page)
	if hi <= lo {
		return
	}
	b = b[lo:hi]
	_ = syscall.Madvise(b, 14) // MADV_HUGEPAGE
}
