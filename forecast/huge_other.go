//go:build !linux

package forecast

func adviseHugePages([]float32) {}
