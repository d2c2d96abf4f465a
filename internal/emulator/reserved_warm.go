package emulator

// Reserved instances (PUT .../reservedinstances) are started ahead of calls (from the emulator's
// first invocation on) and kept warm: their initializer runs when they start, not in the first
// call, and the idle reaper leaves up to the reserved count of them alone. The count is capped
// like max_instance_num -1.

// warmReserved brings every reserved qualifier's pool up to its count, once the emulator runs
// code at all: an emulator only used to manage resources (most tests) starts no process.
func (e *Emulator) warmReserved() {
	x := e.exec
	x.mu.Lock()
	used := x.used
	x.mu.Unlock()
	if e.cfg.NoExec || !used {
		return
	}
	want := map[string]int{}
	var specs []*instanceSpec
	e.mu.Lock()
	for _, f := range e.st.Functions {
		for _, r := range f.Reserved {
			if r.Count <= 0 {
				continue
			}
			ver, aliasName := f.version(r.Qualifier), ""
			if len(r.Qualifier) > 1 && r.Qualifier[0] == '!' {
				if a := f.findAlias(r.Qualifier[1:]); a != nil {
					ver, aliasName = f.version(a.Version), a.Name
				}
			}
			if ver == nil {
				continue
			}
			s := e.specLocked(f, ver, r.Qualifier, aliasName)
			if s.lang == nil || s.code.CodeType == "obs" || s.conf.Strategy.Concurrency == 0 {
				continue
			}
			n := r.Count
			if n > maxInstancesUnlimited {
				n = maxInstancesUnlimited
			}
			if n > want[s.key] {
				if _, seen := want[s.key]; !seen {
					specs = append(specs, s)
				}
				want[s.key] = n
			}
		}
	}
	e.mu.Unlock()

	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return
	}
	for key, p := range x.pools {
		if _, ok := want[key]; !ok {
			p.reserved = 0
		}
	}
	if len(specs) > 0 {
		x.startReaperLocked()
	}
	for _, s := range specs {
		p := x.pools[s.key]
		if p == nil {
			p = &pool{fingerprint: s.fingerprint}
			x.pools[s.key] = p
		}
		if p.fingerprint != s.fingerprint {
			x.retireLocked(p)
			p.fingerprint = s.fingerprint
		}
		p.reserved = want[s.key]
		for p.total < p.reserved {
			p.total++
			go x.startReserved(s)
		}
	}
}

// startReserved starts one instance and parks it idle (or gives its slot back on failure).
func (x *executor) startReserved(s *instanceSpec) {
	in, _, err := x.start(s)
	if in == nil || err != nil {
		x.mu.Lock()
		if p := x.pools[s.key]; p != nil {
			p.total--
		}
		x.mu.Unlock()
		return
	}
	x.mu.Lock()
	x.busy[in] = true
	x.mu.Unlock()
	x.release(in)
}
