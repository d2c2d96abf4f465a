package main

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"sync"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// project is what one listing found: every function in scope with what hangs off it, and the dependency
// versions those functions use. It is read only: nothing here writes to the cloud.
type project struct {
	functions []*functionFound
	// dependencies maps a dependency version ID (what a function's depend_version_list holds) to the
	// version, with the dependency's ID (the DependencyVersion import ID is `<dependencyId>/<version>`).
	dependencies map[string]dependencyFound
}

type functionFound struct {
	fn       fgs.Function
	urn      string        // unqualified
	triggers []fgs.Trigger // of the function and of its versions and aliases
	// triggerURNs[i] is the URN triggers[i] is bound to (the function's, a version's or an alias's).
	triggerURNs []string
	versions    []fgs.Function // published versions, "latest" left out
	aliases     []fgs.Alias
	events      []fgs.TestEvent
	async       []fgs.AsyncInvokeConfig
	reserved    []fgs.ReservedInstanceConfig
	tracing     *fgs.TracingConfig // nil when tracing is off
}

type dependencyFound struct {
	depID   string
	name    string
	version int
}

// limiter runs tasks with at most n in flight and keeps the first error.
type limiter struct {
	sem  chan struct{}
	wg   sync.WaitGroup
	mu   sync.Mutex
	err  error
	stop context.CancelFunc
}

func newLimiter(n int, stop context.CancelFunc) *limiter {
	if n < 1 {
		n = 1
	}
	return &limiter{sem: make(chan struct{}, n), stop: stop}
}

// run queues a task. A running task may queue more (the triggers of the versions it found): it is still
// counted, so wait cannot return before they are queued.
func (l *limiter) run(task func() error) {
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		l.sem <- struct{}{}
		defer func() { <-l.sem }()
		if l.failed() {
			return
		}
		if err := task(); err != nil {
			l.mu.Lock()
			if l.err == nil {
				l.err = err
				l.stop()
			}
			l.mu.Unlock()
		}
	}()
}

func (l *limiter) failed() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err != nil
}

func (l *limiter) wait() error {
	l.wg.Wait()
	return l.err
}

// discover lists the project: all pages of the functions (of one app when app is set), then, for each
// function, its triggers, versions, aliases, test events, async invoke configs and tracing, with at most
// parallel requests in flight; reserved instances come from one project-wide list.
func discover(ctx context.Context, c *fgs.Client, app string, parallel int) (*project, error) {
	fns, err := c.Functions.List(ctx, &fgs.ListFunctionsOptions{PackageName: app})
	if err != nil {
		return nil, fmt.Errorf("listing the functions: %w", err)
	}
	sort.Slice(fns, func(i, j int) bool {
		if fns[i].Package != fns[j].Package {
			return fns[i].Package < fns[j].Package
		}
		return fns[i].FuncName < fns[j].FuncName
	})
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	lim := newLimiter(parallel, cancel)
	proj := &project{dependencies: map[string]dependencyFound{}}
	byURN := map[string]*functionFound{}
	for _, fn := range fns {
		f := &functionFound{fn: fn, urn: fgs.UnqualifiedURN(fn.FuncURN)}
		proj.functions = append(proj.functions, f)
		byURN[f.urn] = f
		listEach(ctx, lim, c, f)
	}
	var reserved []fgs.ReservedInstanceConfig
	lim.run(func() (err error) {
		reserved, err = c.ReservedInstances.ListConfigs(ctx, "")
		return wrap(err, "listing the reserved instances")
	})
	if err := lim.wait(); err != nil {
		return nil, err
	}
	for _, r := range reserved {
		if f := byURN[fgs.UnqualifiedURN(r.FunctionURN)]; f != nil && r.MinCount > 0 {
			f.reserved = append(f.reserved, r)
		}
	}
	if err := findDependencies(ctx, c, proj); err != nil {
		return nil, err
	}
	return proj, nil
}

// listEach queues the per-function lists. Triggers are listed for the function and for each published
// version and alias, since a trigger can be bound to any of them.
func listEach(ctx context.Context, lim *limiter, c *fgs.Client, f *functionFound) {
	var mu sync.Mutex
	seen := map[string]bool{}
	what := func(thing string) string { return fmt.Sprintf("listing the %s of %s", thing, f.urn) }
	triggersOf := func(urn string) func() error {
		return func() error {
			ts, err := c.Triggers.List(ctx, urn)
			if err != nil && !fgs.IsNotFound(err) {
				return wrap(err, "listing the triggers of "+urn)
			}
			mu.Lock()
			defer mu.Unlock()
			for _, t := range ts {
				if !seen[t.TriggerID] {
					seen[t.TriggerID] = true
					f.triggers, f.triggerURNs = append(f.triggers, t), append(f.triggerURNs, urn)
				}
			}
			return nil
		}
	}
	lim.run(triggersOf(f.urn))
	lim.run(func() error {
		vs, err := c.Versions.List(ctx, f.urn, nil)
		if err != nil {
			return wrap(err, what("versions"))
		}
		for _, v := range vs {
			if v.Version != "" && v.Version != "latest" {
				f.versions = append(f.versions, v)
				lim.run(triggersOf(f.urn + ":" + v.Version))
			}
		}
		return nil
	})
	lim.run(func() (err error) {
		f.aliases, err = c.Aliases.List(ctx, f.urn)
		for _, a := range f.aliases {
			lim.run(triggersOf(orDefault(a.AliasURN, f.urn+":!"+a.Name)))
		}
		return wrap(err, what("aliases"))
	})
	lim.run(func() (err error) {
		f.events, err = c.TestEvents.List(ctx, f.urn)
		return wrap(err, what("test events"))
	})
	lim.run(func() (err error) {
		f.async, err = c.AsyncConfig.ListAll(ctx, f.urn)
		return wrap(err, what("async invoke configs"))
	})
	lim.run(func() error {
		t, err := c.Tracing.Get(ctx, f.urn)
		switch {
		case fgs.IsNotFound(err):
			return nil
		case err != nil:
			return wrap(err, what("tracing"))
		case t.TracingAK != "":
			f.tracing = t
		}
		return nil
	})
}

// findDependencies resolves the dependency versions the functions use into their dependency IDs: one list
// of the private dependencies of each name used, then their versions.
func findDependencies(ctx context.Context, c *fgs.Client, proj *project) error {
	used := map[string]bool{}
	names := map[string]bool{}
	for _, f := range proj.functions {
		for _, id := range f.fn.DependVersionList {
			used[id] = true
		}
		for _, d := range f.fn.Dependencies {
			names[d.Name] = true
		}
	}
	if len(used) == 0 {
		return nil
	}
	if len(names) == 0 { // the list answer carried IDs only: look at every private dependency
		names[""] = true
	}
	for name := range names {
		deps, err := c.Dependencies.List(ctx, &fgs.ListDependenciesOptions{DependencyType: "private", Name: name})
		if err != nil {
			return wrap(err, "listing the dependencies")
		}
		for _, d := range deps {
			if name != "" && d.Name != name {
				continue
			}
			versions, err := c.Dependencies.ListVersions(ctx, d.ID)
			if err != nil {
				return wrap(err, "listing the versions of dependency "+d.Name)
			}
			for _, v := range versions {
				if used[v.ID] {
					proj.dependencies[v.ID] = dependencyFound{depID: d.ID, name: d.Name, version: v.Version.Int()}
				}
			}
		}
	}
	return nil
}

func wrap(err error, what string) error {
	if err == nil || errors.Is(err, context.Canceled) {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// importID is the DependencyVersion import ID.
func (d dependencyFound) importID() string { return d.depID + "/" + strconv.Itoa(d.version) }
