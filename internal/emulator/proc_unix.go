//go:build unix && !linux

package emulator

import (
	"os"
	"syscall"
)

// execSupported: function instances run on this platform.
const execSupported = true

// instanceProcAttr puts an instance in its own process group, so that a timeout kills the handler with
// everything it spawned. There is no parent-death signal outside Linux: an instance whose emulator is
// killed hard ends when it reads the end of its request pipe.
func instanceProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

// killProcessTree kills the process group that p leads.
func killProcessTree(p *os.Process) { _ = syscall.Kill(-p.Pid, syscall.SIGKILL) }
