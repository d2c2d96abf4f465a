package emulator

import (
	"os"
	"syscall"
)

// execSupported: on Windows the emulator serves the API but runs no function code: instances talk to
// their wrapper over inherited pipes (fd 3 and 4), which Windows processes do not get.
const execSupported = false

func instanceProcAttr() *syscall.SysProcAttr { return nil }

func killProcessTree(p *os.Process) { _ = p.Kill() }
