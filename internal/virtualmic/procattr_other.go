//go:build !linux

package virtualmic

import "syscall"

// sysProcAttr is nil: only Linux can tie the daemon's life to the test
// process's, so there only Stop ends it.
func sysProcAttr() *syscall.SysProcAttr { return nil }
