package virtualmic

import "syscall"

// sysProcAttr has the kernel kill the daemon when the thread that started
// it ends, which is when the test process ends: if a test panics or times
// out before TestMain can call Stop, no daemon is left behind. (The Go
// runtime ends a thread early only when a goroutine locked to it with
// runtime.LockOSThread exits; TestMain's goroutine is not one.)
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
