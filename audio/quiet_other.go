//go:build cgo && !linux

package audio

func quietALSA() {}
