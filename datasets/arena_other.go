//go:build !unix

package datasets

// mapBlock allocates on the Go heap where anonymous mappings are not
// available.
func mapBlock(size int) []byte { return make([]byte, size) }

func unmapBlock([]byte) {}
