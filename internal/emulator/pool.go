package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"sort"
	"sync"
	"time"
)

// Defaults of the execution settings in Config.
const (
	defaultInstanceIdle = 5 * time.Minute
	// maxInstancesUnlimited caps max_instance_num -1 so that a burst cannot fork-bomb the host.
	maxInstancesUnlimited = 16
)

type interpResult struct {
	path string
	err  error
}

// executor owns every instance process of an Emulator.
type executor struct {
	e           *Emulator
	mu          sync.Mutex
	pools       map[string]*pool
	busy        map[*instance]bool    // handed out, not yet released
	started     []int                 // process group ids of every instance started (tests check they are gone)
	exports     map[string]exportFile // downloads of GET .../export
	exportOrder []string
	timersOn    bool
	timers      map[string]*timerState // by trigger id, guarded by mu
	async       asyncStore
	records     recordStore
	interp      map[*language]interpResult
	baseDir     string
	closed      bool
	reaping     bool
	used        bool // an invocation happened: reserved instances may start
	stop        chan struct{}
	rmu         sync.Mutex // guards rnd
	rnd         *rand.Rand
	idleTime    time.Duration
}

type pool struct {
	fingerprint string
	idle        []*instance
	total       int // live and starting instances of this pool
	reserved    int // instances kept warm even when idle (reserved.go)
}

func newExecutor(e *Emulator) *executor {
	seed := e.cfg.ExecSeed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	idle := e.cfg.InstanceIdleTimeout
	if idle <= 0 {
		idle = defaultInstanceIdle
	}
	return &executor{e: e, pools: map[string]*pool{}, busy: map[*instance]bool{}, interp: map[*language]interpResult{},
		stop: make(chan struct{}), rnd: rand.New(rand.NewSource(seed)), idleTime: idle}
}

// specFingerprint identifies the code and the configuration an instance runs; the
// instance-count settings are left out, since changing them does not restart instances.
func specFingerprint(v *funcVersion) string {
	conf := v.Conf
	conf.Strategy = strategyConfig{}
	b, _ := json.Marshal(struct {
		C funcConfig
		T string
		F string
		P string
	}{conf, v.Code.CodeType, v.Code.CodeFilename, packageIdentity(v.Code.Package)})
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// packageIdentity stands for the package bytes without hashing megabytes on every call:
// a stored package is never modified in place, only replaced.
func packageIdentity(p []byte) string {
	if len(p) == 0 {
		return "empty"
	}
	return fmt.Sprintf("%p/%d", &p[0], len(p))
}

// acquire returns an idle instance of the spec or starts one. A nil instance with a nil
// error and a non-nil outcome is a failed cold start (handler missing, initializer failed).
func (x *executor) acquire(s *instanceSpec) (*instance, *outcome, *apiError) {
	x.mu.Lock()
	if x.closed {
		x.mu.Unlock()
		return nil, nil, errf(503, "FSS.0503", "Service unavailable: the emulator is shutting down.")
	}
	x.startReaperLocked()
	x.used = true
	p := x.pools[s.key]
	if p == nil {
		p = &pool{fingerprint: s.fingerprint}
		x.pools[s.key] = p
	}
	if p.fingerprint != s.fingerprint {
		x.retireLocked(p)
		p.fingerprint = s.fingerprint
	}
	for len(p.idle) > 0 {
		in := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		if in.alive() {
			x.busy[in] = true
			x.mu.Unlock()
			return in, nil, nil
		}
		p.total--
		go in.kill()
	}
	limit := s.conf.Strategy.Concurrency
	if limit < 0 || limit > maxInstancesUnlimited {
		limit = maxInstancesUnlimited
	}
	if p.total >= limit {
		x.mu.Unlock()
		return nil, nil, errf(429, "FSS.0429", "Too many requests: all %d instances of the function are busy.", limit)
	}
	p.total++
	x.mu.Unlock()

	in, out, err := x.start(s)
	x.mu.Lock()
	if in == nil {
		p.total--
	} else {
		x.busy[in] = true
		if x.closed {
			x.mu.Unlock()
			in.kill()
			return nil, nil, errf(503, "FSS.0503", "Service unavailable: the emulator is shutting down.")
		}
	}
	x.mu.Unlock()
	if err != nil {
		if out == nil {
			return nil, nil, errf(500, "FSS.0500", "Internal server error: cannot start the function instance: %v", err)
		}
	}
	if out != nil {
		out.cold = true
	}
	return in, out, nil
}

// release puts an instance back into its pool, or kills it if it is dead or outdated.
func (x *executor) release(in *instance) {
	x.mu.Lock()
	delete(x.busy, in)
	p := x.pools[in.spec.key]
	if x.closed || p == nil || p.fingerprint != in.spec.fingerprint || !in.alive() {
		if p != nil {
			p.total--
		}
		x.mu.Unlock()
		in.kill()
		return
	}
	in.lastUsed = time.Now()
	p.idle = append(p.idle, in)
	x.mu.Unlock()
}

// discard kills an instance that must not be reused (after a timeout).
func (x *executor) discard(in *instance) {
	x.mu.Lock()
	delete(x.busy, in)
	if p := x.pools[in.spec.key]; p != nil {
		p.total--
	}
	x.mu.Unlock()
	in.kill()
}

// retireLocked kills a pool's idle instances; busy ones are killed when released.
func (x *executor) retireLocked(p *pool) {
	for _, in := range p.idle {
		p.total--
		go in.kill()
	}
	p.idle = nil
}

func (x *executor) startReaperLocked() {
	if x.reaping {
		return
	}
	x.reaping = true
	tick := x.idleTime / 4
	if tick > time.Second {
		tick = time.Second
	}
	if tick < 20*time.Millisecond {
		tick = 20 * time.Millisecond
	}
	go func() {
		t := time.NewTicker(tick)
		defer t.Stop()
		for {
			select {
			case <-x.stop:
				return
			case <-t.C:
				x.reapIdle()
				x.syncWithState()
				x.e.warmReserved()
			}
		}
	}()
}

func (x *executor) reapIdle() {
	now := time.Now()
	var victims []*instance
	x.mu.Lock()
	for _, p := range x.pools {
		keep := p.idle[:0]
		for i, in := range p.idle {
			// The most recently used instances sit at the end; the reserved count of them stays.
			protected := len(p.idle)-i <= p.reserved
			if !in.alive() || (!protected && now.Sub(in.lastUsed) > x.idleTime) {
				victims = append(victims, in)
				p.total--
				continue
			}
			keep = append(keep, in)
		}
		p.idle = keep
	}
	x.mu.Unlock()
	for _, in := range victims {
		in.kill()
	}
}

// syncWithState retires the instances of functions and versions that were deleted or whose
// code or configuration changed. Called after every mutating request and by the reaper.
func (x *executor) syncWithState() {
	x.mu.Lock()
	empty := len(x.pools) == 0
	x.mu.Unlock()
	if empty {
		return
	}
	e := x.e
	live := map[string]string{}
	e.mu.Lock()
	for _, f := range e.st.Functions {
		for _, v := range append([]*funcVersion{f.Head}, f.Versions...) {
			live[f.ID+"|"+v.Version] = specFingerprint(v)
		}
	}
	e.mu.Unlock()
	x.mu.Lock()
	for key, p := range x.pools {
		fp, ok := live[key]
		if ok && fp == p.fingerprint {
			continue
		}
		x.retireLocked(p)
		p.fingerprint = fp // "" for a deleted version: busy instances die when released
		if !ok && p.total <= 0 {
			delete(x.pools, key)
		}
	}
	x.mu.Unlock()
}

// pickWeighted chooses the version an alias invocation runs: each additional version gets its
// weight in percent, the alias's main version the rest.
func (x *executor) pickWeighted(main string, weights map[string]int) string {
	if len(weights) == 0 {
		return main
	}
	x.rmu.Lock()
	n := x.rnd.Intn(100)
	x.rmu.Unlock()
	// Deterministic order for a given seed.
	keys := make([]string, 0, len(weights))
	for k := range weights {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	acc := 0
	for _, k := range keys {
		acc += weights[k]
		if n < acc {
			return k
		}
	}
	return main
}

// close kills every instance and removes the work directory.
func (x *executor) close() {
	x.mu.Lock()
	if x.closed {
		x.mu.Unlock()
		return
	}
	x.closed = true
	close(x.stop)
	var victims []*instance
	for _, p := range x.pools {
		victims = append(victims, p.idle...)
		p.idle = nil
	}
	for in := range x.busy {
		victims = append(victims, in)
	}
	base := x.baseDir
	x.mu.Unlock()
	var wg sync.WaitGroup
	for _, in := range victims {
		wg.Add(1)
		go func(in *instance) { defer wg.Done(); in.kill() }(in)
	}
	wg.Wait()
	if base != "" {
		os.RemoveAll(base)
	}
}

// startedGroups lists the process group of every instance started so far.
func (x *executor) startedGroups() []int {
	x.mu.Lock()
	defer x.mu.Unlock()
	return append([]int(nil), x.started...)
}
