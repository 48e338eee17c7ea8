//go:build !amd64 || purego

package mfcc

// useAVX is false: there is no assembly for this architecture.
var useAVX = false

func radix4(re, im []float64, q int, tw []float64) { radix4Go(re, im, q, tw) }
