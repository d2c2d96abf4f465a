package emulator

import (
	"regexp"
)

var (
	versionRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,41}$`)
	aliasRe   = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,62}$`)
)

func (e *Emulator) renderVersion(f *function, v *funcVersion) map[string]any {
	urn := e.funcURN(f.Package, f.Name)
	if v != f.Head {
		urn = e.qualURN(f, v.Version)
	}
	m := e.renderFunction(f, v, urn)
	m["concurrency"] = v.Conf.Strategy.Concurrency
	if v.Conf.Strategy.ConcurrentNum != nil {
		m["concurrent_num"] = *v.Conf.Strategy.ConcurrentNum
	}
	m["enable_cloud_debug"] = "false"
	m["reserved_instance_idle_mode"] = false
	return m
}

func (e *Emulator) listVersions(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.resolve(c, "function_urn")
	if t == nil {
		return
	}
	all := append([]*funcVersion{t.fn.Head}, t.fn.Versions...)
	start, end, aerr := pageBounds(c, len(all), maxItemsName(c), 400, 400)
	if aerr != nil {
		c.fail(aerr)
		return
	}
	items := []any{}
	for _, v := range all[start:end] {
		items = append(items, e.renderVersion(t.fn, v))
	}
	c.ok(200, map[string]any{"versions": items, "next_marker": end, "count": len(all)})
}

func (e *Emulator) publishVersion(c *reqCtx) {
	var in struct {
		Digest      *string `json:"digest"`
		Version     *string `json:"version"`
		Description *string `json:"description"`
	}
	if !c.decodeOrFail(&in, true) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.resolve(c, "function_urn")
	if t == nil {
		return
	}
	f := t.fn
	if aerr := headOnly(t); aerr != nil {
		c.fail(aerr)
		return
	}
	if len([]rune(str(in.Description))) > maxDescription {
		c.fail(errf(400, "FSS.1019", "The description exceeds the maximum allowed limit (%d).", maxDescription))
		return
	}
	// digest, when given, guards against publishing other code than the caller saw.
	// The reference calls it an "MD5 key" (§5.7.7) but function digests are SHA-512; we
	// compare against the SHA-512 digest.
	if d := str(in.Digest); d != "" && d != digestOf(f.Head.Code.Package) {
		c.fail(errf(400, "FSS.0400", "Invalid parameter: digest does not match the current code of the function."))
		return
	}
	name := str(in.Version)
	now := e.now()
	if name == "" {
		name = "v" + now.Format("20060102-150405")
	}
	if name == "latest" || !versionRe.MatchString(name) {
		c.fail(errf(400, "FSS.1015", "Invalid function version: %q", name))
		return
	}
	if f.version(name) != nil || f.findAlias(name) != nil {
		// A version may not share its name with an alias either: ":name" would be ambiguous.
		c.fail(errf(409, "FSS.1062", "The version already exists."))
		return
	}
	fp := f.Head.fingerprint()
	if f.PublishedFingerprint == fp {
		c.fail(errf(400, "FSS.1016", "The function cannot be published because no changes have been made since last publication."))
		return
	}
	if aerr := e.checkCodeQuotaLocked(0, len(f.Head.Code.Package)); aerr != nil {
		c.fail(aerr)
		return
	}
	nv := &funcVersion{Version: name, Conf: f.Head.Conf, Code: f.Head.Code, VersionDescription: str(in.Description)}
	nv.Code.Package = append([]byte(nil), f.Head.Code.Package...)
	e.touch(nv)
	f.Versions = append(f.Versions, nv)
	f.PublishedFingerprint = fp
	e.persistLocked()
	// We answer with the published version's URN and name (the example's "latest" is a doc error, §5.7.7).
	m := e.renderFunction(f, nv, e.qualURN(f, name))
	m["function_asynchronous_config"] = nil
	c.ok(200, m)
}

func (e *Emulator) renderAlias(f *function, a *alias) map[string]any {
	m := map[string]any{
		"name":          a.Name,
		"version":       a.Version,
		"description":   a.Description,
		"last_modified": a.LastModified.UTC().Format(fgsTime),
		"alias_urn":     e.qualURN(f, "!"+a.Name),
	}
	if len(a.Weights) > 0 {
		m["additional_version_weights"] = a.Weights
	} else {
		m["additional_version_weights"] = map[string]int{}
	}
	return m
}

type aliasReq struct {
	Name        *string        `json:"name"`
	Version     *string        `json:"version"`
	Description *string        `json:"description"`
	Weights     map[string]int `json:"additional_version_weights"`
}

func (e *Emulator) checkAlias(f *function, in *aliasReq) *apiError {
	if in.Version == nil || *in.Version == "" {
		return errf(400, "FSS.0400", "Invalid parameter: version is mandatory.")
	}
	if f.version(*in.Version) == nil {
		return errf(404, "FSS.1052", "Not found the function version")
	}
	if len([]rune(str(in.Description))) > maxDescription {
		return errf(400, "FSS.1019", "The description exceeds the maximum allowed limit (%d).", maxDescription)
	}
	sum := 0
	for v, w := range in.Weights {
		if v == *in.Version {
			return errf(400, "FSS.1093", "The major version and the additional version cannot be the same.")
		}
		if f.version(v) == nil {
			return errf(400, "FSS.1091", "The additional version is invalid: %s", v)
		}
		if w < 0 || w > 100 {
			return errf(400, "FSS.1092", "The weight of the additional version is invalid: %d", w)
		}
		sum += w
	}
	if sum > 100 {
		return errf(400, "FSS.1092", "The weight of the additional version is invalid: weights sum to %d (> 100).", sum)
	}
	return nil
}

const maxAliases = 10

func (e *Emulator) createAlias(c *reqCtx) {
	var in aliasReq
	if !c.decodeOrFail(&in, false) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.resolve(c, "function_urn")
	if t == nil {
		return
	}
	f := t.fn
	if in.Name == nil || *in.Name == "latest" || !aliasRe.MatchString(*in.Name) {
		c.fail(errf(400, "FSS.1014", "Invalid function alias: %q", str(in.Name)))
		return
	}
	if aerr := e.checkAlias(f, &in); aerr != nil {
		c.fail(aerr)
		return
	}
	if f.findAlias(*in.Name) != nil || f.version(*in.Name) != nil {
		c.fail(errf(409, "FSS.1063", "The alias already exists."))
		return
	}
	if len(f.Aliases) >= maxAliases {
		c.fail(errf(403, "FSS.1043", "The number of aliases exceeds the maximum allowed limit (%d).", maxAliases))
		return
	}
	a := &alias{Name: *in.Name, Version: *in.Version, Description: str(in.Description), Weights: in.Weights, LastModified: e.now()}
	f.Aliases = append(f.Aliases, a)
	e.persistLocked()
	c.ok(200, e.renderAlias(f, a))
}

func (e *Emulator) listAliases(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.resolve(c, "function_urn")
	if t == nil {
		return
	}
	out := []any{} // bare array (§5.7.1)
	for _, a := range t.fn.Aliases {
		out = append(out, e.renderAlias(t.fn, a))
	}
	c.ok(200, out)
}

func (e *Emulator) aliasTarget(c *reqCtx) (*function, *alias) {
	t := e.resolve(c, "function_urn")
	if t == nil {
		return nil, nil
	}
	a := t.fn.findAlias(c.p("alias_name"))
	if a == nil {
		c.fail(errf(404, "FSS.1053", "Not found the function alias"))
		return nil, nil
	}
	return t.fn, a
}

func (e *Emulator) getAlias(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	f, a := e.aliasTarget(c)
	if a == nil {
		return
	}
	c.ok(200, e.renderAlias(f, a))
}

func (e *Emulator) updateAlias(c *reqCtx) {
	var in aliasReq
	if !c.decodeOrFail(&in, false) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	f, a := e.aliasTarget(c)
	if a == nil {
		return
	}
	if aerr := e.checkAlias(f, &in); aerr != nil {
		c.fail(aerr)
		return
	}
	// PUT replaces: omitted description / weights are cleared.
	a.Version, a.Description, a.Weights, a.LastModified = *in.Version, str(in.Description), in.Weights, e.now()
	e.persistLocked()
	c.ok(200, e.renderAlias(f, a))
}

func (e *Emulator) deleteAlias(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	f, a := e.aliasTarget(c)
	if a == nil {
		return
	}
	for _, tr := range f.Triggers {
		if tr.Qualifier == "!"+a.Name {
			c.fail(errf(403, "FSS.1154", "Aliases of a function bound with triggers cannot be deleted."))
			return
		}
	}
	for i, x := range f.Aliases {
		if x == a {
			f.Aliases = append(f.Aliases[:i], f.Aliases[i+1:]...)
			break
		}
	}
	f.dropQualifier("!" + a.Name)
	e.persistLocked()
	c.noContent()
}
