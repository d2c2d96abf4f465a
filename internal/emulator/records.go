package emulator

import (
	"sync"
	"time"
)

// Every execution is recorded: the statistics (5.8) and the operator's log endpoint read them.

const maxInvocationRecords = 10000

type invocationRecord struct {
	FuncID    string
	FuncName  string
	Package   string
	Version   string
	RequestID string
	Time      time.Time
	Duration  time.Duration
	Failed    bool
	Rejected  bool // throttled: no instance was free
	Async     bool
	Log       string
}

type recordStore struct {
	mu   sync.Mutex
	list []invocationRecord
}

func (e *Emulator) recordInvocation(spec *instanceSpec, reqID string, start time.Time, out *outcome, async bool) {
	r := invocationRecord{
		FuncID: spec.funcID, FuncName: spec.funcName, Package: spec.pkg, Version: spec.version, RequestID: reqID,
		Time: start, Duration: out.duration, Failed: out.err != nil, Async: async,
		Log: fullLog(reqID, spec, start, e.now(), out),
	}
	s := &e.exec.records
	s.mu.Lock()
	s.list = append(s.list, r)
	if len(s.list) > maxInvocationRecords {
		s.list = s.list[len(s.list)-maxInvocationRecords:]
	}
	s.mu.Unlock()
}

// snapshot returns the records matching keep.
func (s *recordStore) snapshot(keep func(*invocationRecord) bool) []invocationRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []invocationRecord
	for i := range s.list {
		if keep(&s.list[i]) {
			out = append(out, s.list[i])
		}
	}
	return out
}

// recordRejection counts a throttled invocation (reject_count of the statistics).
func (e *Emulator) recordRejection(spec *instanceSpec) {
	s := &e.exec.records
	s.mu.Lock()
	s.list = append(s.list, invocationRecord{FuncID: spec.funcID, FuncName: spec.funcName, Package: spec.pkg,
		Version: spec.version, Time: e.now(), Rejected: true})
	if len(s.list) > maxInvocationRecords {
		s.list = s.list[len(s.list)-maxInvocationRecords:]
	}
	s.mu.Unlock()
}
