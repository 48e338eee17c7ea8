//go:build unix

package datasets

import "syscall"

// mapBlock maps size bytes of anonymous memory, or returns nil.
func mapBlock(size int) []byte {
	b, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil
	}
	return b
}

func unmapBlock(b []byte) { syscall.Munmap(b) }
