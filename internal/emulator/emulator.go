// Package emulator is an in-memory FunctionGraph (FGS) + IAM service for offline
// development and tests. It is written from the FunctionGraph API reference (cited
// by section number, e.g. §5.6.2) and deliberately shares no code with the
// provider or the REST client: it is a second, independent implementation.
//
// Choices where the reference contradicts itself are documented next to the code
// and collected in CONTRADICTIONS.md.
package emulator

import (
	"fmt"
	"log"
	"math/rand"
	"sync"
	"sync/atomic"
	"time"
)

// Config configures an Emulator. Zero values are replaced by DefaultConfig values.
type Config struct {
	Region, ProjectID, ProjectName, DomainID, DomainName, UserID, UserName, Password, AccessKey, SecretKey string

	TokenTTL   time.Duration    // IAM token lifetime, default 24h
	ClockSkew  time.Duration    // AK/SK X-Sdk-Date window, default 15m
	StateFile  string           // optional: loaded at New, written atomically after every mutation
	Latency    [2]time.Duration // min,max added per request (0,0 = none)
	FaultRate  float64          // 0..1 probability of a fault before the handler on a /v2 request
	FaultKinds []string         // of "429","500","502","503","504","drop","hang"
	// FaultRules strike chosen routes and methods, before or after the handler (see FaultRule).
	FaultRules []FaultRule
	// FaultSeed makes the fault draws (and the latency) reproducible; 0 = a random seed, which
	// GET /_emulator/faults reports so that a run can be repeated.
	FaultSeed int64
	// HangMax bounds a "hang" fault: the connection is dropped after it (default 5m).
	HangMax time.Duration
	Now     func() time.Time // optional clock for tests
	Logger  *log.Logger      // one line per request; nil = silent

	// FunctionQuota is the fgs_func_num quota (default 400, the figure of FSS.1041).
	FunctionQuota int
	// AuthErrorsAs403 answers a missing, invalid or expired credential the way the reference's
	// examples do (403 FSS.0403 "invalid token", §5.5.1) instead of table 6-2's 401 FSS.0401.
	AuthErrorsAs403 bool
	// CodeSizeQuotaMB is the fgs_func_code_size quota over all stored packages (default 10240, FSS.1042).
	CodeSizeQuotaMB int
}

// Default identity values: fixed so that the demo needs no set-up.
const (
	DefaultRegion      = "eu-de"
	DefaultProjectID   = "0c4a9a1e2b3f4d5e6f708192a3b4c5d6"
	DefaultProjectName = "eu-de"
	DefaultDomainName  = "fgs-demo"
	DefaultDomainID    = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
	DefaultUserName    = "fgs-user"
	DefaultUserID      = "3f2e1d0c9b8a79685746352413021f0e"
	DefaultPassword    = "fgs-emulator-password"
	DefaultAccessKey   = "FGSEMULATORACCESSKEY"
	DefaultSecretKey   = "fgsEmulatorSecretKey0123456789abcdefGHIJ"
)

// DefaultConfig returns the fixed demo identity and default timings.
func DefaultConfig() Config {
	return Config{
		Region: DefaultRegion, ProjectID: DefaultProjectID, ProjectName: DefaultProjectName,
		DomainID: DefaultDomainID, DomainName: DefaultDomainName,
		UserID: DefaultUserID, UserName: DefaultUserName, Password: DefaultPassword,
		AccessKey: DefaultAccessKey, SecretKey: DefaultSecretKey,
		TokenTTL: 24 * time.Hour, ClockSkew: 15 * time.Minute, HangMax: 5 * time.Minute,
		FunctionQuota: 400, CodeSizeQuotaMB: 10240,
	}
}

func (c *Config) fill() {
	d := DefaultConfig()
	set := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	set(&c.Region, d.Region)
	set(&c.ProjectID, d.ProjectID)
	set(&c.ProjectName, d.ProjectName)
	set(&c.DomainID, d.DomainID)
	set(&c.DomainName, d.DomainName)
	set(&c.UserID, d.UserID)
	set(&c.UserName, d.UserName)
	set(&c.Password, d.Password)
	set(&c.AccessKey, d.AccessKey)
	set(&c.SecretKey, d.SecretKey)
	if c.TokenTTL <= 0 {
		c.TokenTTL = d.TokenTTL
	}
	if c.ClockSkew <= 0 {
		c.ClockSkew = d.ClockSkew
	}
	if c.HangMax <= 0 {
		c.HangMax = d.HangMax
	}
	if c.FunctionQuota <= 0 {
		c.FunctionQuota = d.FunctionQuota
	}
	if c.CodeSizeQuotaMB <= 0 {
		c.CodeSizeQuotaMB = d.CodeSizeQuotaMB
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Emulator is an http.Handler serving /v3 (IAM), /v2 (FunctionGraph) and /_emulator (operator).
type Emulator struct {
	cfg Config

	mu     sync.Mutex // guards st and persistence
	st     *state
	counts map[string]int

	fmu        sync.Mutex // guards the fault settings, draws and rnd, and tokenTTL
	faultRate  float64
	faultKinds []string
	faultRules []FaultRule
	faultSeed  int64
	draws      map[string]uint64 // draws taken per stream since the last change of the faults
	injected   map[string]int    // faults injected, keyed "PHASE KIND METHOD /route"
	rnd        *rand.Rand
	tokenTTL   time.Duration

	closed    chan struct{} // closed by Close: releases hanging requests
	closeOnce sync.Once
	hanging   atomic.Int64

	routes []route
}

// New builds an emulator, loading cfg.StateFile if it exists.
func New(cfg Config) (*Emulator, error) {
	cfg.fill()
	if cfg.FaultRate < 0 || cfg.FaultRate > 1 {
		return nil, fmt.Errorf("fault rate %v outside 0..1", cfg.FaultRate)
	}
	if err := validKinds(cfg.FaultKinds); err != nil {
		return nil, err
	}
	if cfg.Latency[1] < cfg.Latency[0] {
		cfg.Latency[1] = cfg.Latency[0]
	}
	seed := cfg.FaultSeed
	if seed == 0 {
		// Small enough to survive a JSON client that reads numbers as float64.
		seed = time.Now().UnixNano()%1_000_000_000 + 1
	}
	e := &Emulator{
		cfg:        cfg,
		st:         newState(),
		counts:     map[string]int{},
		faultRate:  cfg.FaultRate,
		faultKinds: append([]string(nil), cfg.FaultKinds...),
		faultSeed:  seed,
		draws:      map[string]uint64{},
		injected:   map[string]int{},
		rnd:        rand.New(rand.NewSource(seed)),
		tokenTTL:   cfg.TokenTTL,
		closed:     make(chan struct{}),
	}
	e.routes = e.buildRoutes()
	if err := e.SetFaultRules(cfg.FaultRules); err != nil {
		return nil, err
	}
	if cfg.StateFile != "" {
		st, err := loadState(cfg.StateFile)
		if err != nil {
			return nil, err
		}
		if st != nil {
			e.st = st
		}
	}
	e.seedPublicDependencies()
	return e, nil
}

func (e *Emulator) now() time.Time { return e.cfg.Now().UTC() }
