package datasets

import (
	"sync"
	"unsafe"
)

// arenaChunk is the size of the blocks an arena maps at a time.
const arenaChunk = 64 << 20

// arena hands out pieces of large blocks of memory, up to a budget, for the
// caches. Where the system allows (unix), the blocks are anonymous mappings
// outside the Go heap: the cache then neither raises the garbage
// collector's heap target (which would let the heap grow to twice the cache
// between collections) nor gets scanned, so the process stays near
// cache + working set. The blocks are returned by release, which a Dataset
// arranges to run when it is garbage collected.
type arena struct {
	mu     sync.Mutex
	blocks [][]byte
	cur    []byte // unused tail of the last block
	used   int64  // bytes handed out
	budget int64
}

// alloc returns n bytes (8-byte aligned) or nil when the budget is spent.
func (a *arena) alloc(n int) []byte {
	n = (n + 7) &^ 7
	a.mu.Lock()
	defer a.mu.Unlock()
	if n == 0 || a.used+int64(n) > a.budget {
		return nil
	}
	if len(a.cur) < n {
		size := max(arenaChunk, n)
		if rest := a.budget - a.used; int64(size) > rest {
			size = int(rest)
		}
		b := mapBlock(size)
		if b == nil {
			return nil
		}
		a.blocks = append(a.blocks, b)
		a.cur = b
	}
	p := a.cur[:n:n]
	a.cur = a.cur[n:]
	a.used += int64(n)
	return p
}

// int16s and float32s carve typed slices out of the arena.
func (a *arena) int16s(n int) []int16 {
	b := a.alloc(2 * n)
	if b == nil {
		return nil
	}
	return unsafe.Slice((*int16)(unsafe.Pointer(&b[0])), n)
}

func (a *arena) float32s(n int) []float32 {
	b := a.alloc(4 * n)
	if b == nil {
		return nil
	}
	return unsafe.Slice((*float32)(unsafe.Pointer(&b[0])), n)
}

func (a *arena) bytesUsed() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.used
}

// release unmaps the blocks; nothing may use them afterwards.
func (a *arena) release() {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, b := range a.blocks {
		unmapBlock(b)
	}
	a.blocks, a.cur, a.used = nil, nil, 0
}
