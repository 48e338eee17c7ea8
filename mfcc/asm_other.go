//go:build !amd64 || purego

package mfcc

// useAVX and useAVX2 are false: there is no assembly for this architecture.
var useAVX, useAVX2 = false, false

func radix4(re, im []float64, q int, tw []float64) { radix4Go(re, im, q, tw) }

func logPlusOffset(x []float64) { logPlusOffsetGo(x) }
