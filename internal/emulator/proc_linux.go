package emulator

import (
	"os"
	"syscall"
)

// execSupported: function instances run on this platform.
const execSupported = true

// instanceProcAttr puts an instance in its own process group, so that a timeout kills the handler with
// everything it spawned; Pdeathsig also takes it down if the emulator dies without Close.
func instanceProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// killProcessTree kills the process group that p leads.
func killProcessTree(p *os.Process) { _ = syscall.Kill(-p.Pid, syscall.SIGKILL) }
