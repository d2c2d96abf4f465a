package emulator

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Dependencies and dependency versions (API reference §5.3).

var depNameRe = regexp.MustCompile(`^[A-Za-z]([A-Za-z0-9_.-]{0,94}[A-Za-z0-9])?$`)

func (e *Emulator) seedPublicDependencies() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, d := range e.st.Dependencies {
		if d.Owner == "public" {
			return
		}
	}
	seed := []struct{ id, vid, name, runtime, desc string }{
		{"6578de50-9a18-48fa-b84e-b2d36636e433", "1d7a7c9e-5f55-4f2e-9a3c-0f6a8a0b6e01", "pandas-1.1.3", "Python3.6", "Pandas data analysis library."},
		{"2f9c3a6e-7f3b-4c1e-8a2d-4b5e6f708192", "2d7a7c9e-5f55-4f2e-9a3c-0f6a8a0b6e02", "numpy-1.19.5", "Python3.9", "NumPy array computing."},
		{"8a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d", "3d7a7c9e-5f55-4f2e-9a3c-0f6a8a0b6e03", "moment-2.29.1", "Node.js14.18", "Moment.js date library."},
	}
	t0 := time.Date(2022, 8, 9, 7, 24, 47, 0, time.UTC)
	for _, s := range seed {
		sum := md5.Sum([]byte(s.name))
		e.st.Dependencies = append(e.st.Dependencies, &dependency{
			ID: s.id, Name: s.name, Owner: "public", Runtime: s.runtime, Description: s.desc, NextVersion: 2,
			Versions: []*depVersion{{
				ID: s.vid, Version: 1, Runtime: s.runtime, Description: s.desc,
				Link: "https://functionstage-examples.obs." + e.cfg.Region + ".otc.t-systems.com/public-deps/" + s.name + ".zip",
				Etag: hex.EncodeToString(sum[:]), Size: 1048576, FileName: s.name + ".zip", LastModified: t0,
			}},
		})
	}
}

func (e *Emulator) findDependencyLocked(id string) *dependency {
	for _, d := range e.st.Dependencies {
		if d.ID == id {
			return d
		}
	}
	return nil
}

func (e *Emulator) findDepVersionWithDepLocked(id string) (*dependency, *depVersion) {
	for _, d := range e.st.Dependencies {
		for _, v := range d.Versions {
			if v.ID == id {
				return d, v
			}
		}
	}
	return nil, nil
}

func (e *Emulator) findDepVersionLocked(id string) *depVersion {
	_, v := e.findDepVersionWithDepLocked(id)
	return v
}

func (e *Emulator) renderDepVersion(d *dependency, v *depVersion, withDepID bool) map[string]any {
	m := map[string]any{
		"id": v.ID, "owner": d.Owner, "link": v.Link, "runtime": v.Runtime, "etag": v.Etag, "size": v.Size,
		"name": d.Name, "description": v.Description, "file_name": v.FileName, "version": v.Version,
		"last_modified": v.LastModified.Unix(),
	}
	if withDepID {
		m["dep_id"] = d.ID
	}
	return m
}

// renderDependency is the legacy (to be discarded) dependency shape: its id is the dependency id.
func (e *Emulator) renderDependency(d *dependency) map[string]any {
	v := d.Versions[len(d.Versions)-1]
	return map[string]any{
		"id": d.ID, "owner": d.Owner, "link": v.Link, "runtime": v.Runtime, "etag": v.Etag, "size": v.Size,
		"name": d.Name, "description": v.Description, "file_name": v.FileName,
	}
}

type depReq struct {
	DependFile  *string `json:"depend_file"`
	DependLink  *string `json:"depend_link"`
	DependType  *string `json:"depend_type"`
	Runtime     *string `json:"runtime"`
	Name        *string `json:"name"`
	Description *string `json:"description"`
}

func (e *Emulator) buildDepVersion(in *depReq) (*depVersion, *apiError) {
	if in.Name == nil || !depNameRe.MatchString(*in.Name) {
		return nil, errf(400, "FSS.1024", "Invalid dependency: name (max 96; letter first; letter or digit last; letters, digits, _ . -).")
	}
	if in.Runtime == nil || !runtimes[*in.Runtime] {
		return nil, errf(400, "FSS.1005", "Invalid runtime: %q", str(in.Runtime))
	}
	if len([]rune(str(in.Description))) > maxDescription {
		return nil, errf(400, "FSS.1019", "The description exceeds the maximum allowed limit (%d).", maxDescription)
	}
	id := uuid()
	v := &depVersion{ID: id, Runtime: *in.Runtime, Description: str(in.Description), FileName: *in.Name + ".zip", LastModified: e.now()}
	switch str(in.DependType) {
	case "zip":
		if str(in.DependFile) == "" {
			return nil, errf(400, "FSS.1024", "Invalid dependency: depend_file is mandatory for zip.")
		}
		b, err := base64.StdEncoding.DecodeString(*in.DependFile)
		if err != nil {
			return nil, errf(400, "FSS.1024", "Invalid dependency: depend_file is not valid Base64.")
		}
		sum := md5.Sum(b)
		v.Etag, v.Size = hex.EncodeToString(sum[:]), int64(len(b))
		v.Link = "https://fgs-emulator-deps.obs." + e.cfg.Region + ".otc.t-systems.com/depends/" + e.cfg.DomainID + "/" + id + ".zip"
	case "obs":
		l := str(in.DependLink)
		if !strings.HasPrefix(l, "https://") && !strings.HasPrefix(l, "http://") {
			return nil, errf(400, "FSS.1010", "Invalid URL: depend_link.")
		}
		sum := md5.Sum([]byte(l))
		v.Etag, v.Link = hex.EncodeToString(sum[:]), l
		if i := strings.LastIndex(l, "/"); i >= 0 && i < len(l)-1 {
			v.FileName = l[i+1:]
		}
	default:
		return nil, errf(400, "FSS.1032", "Invalid dependency type: %q", str(in.DependType))
	}
	return v, nil
}

const maxDependencies = 100

func (e *Emulator) privateDepCount() int {
	n := 0
	for _, d := range e.st.Dependencies {
		if d.Owner != "public" {
			n++
		}
	}
	return n
}

// createDepVersion (5.3.3): a new version of the dependency with that name (or a new dependency).
func (e *Emulator) createDepVersion(c *reqCtx) {
	var in depReq
	if !c.decodeOrFail(&in, false) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	v, aerr := e.buildDepVersion(&in)
	if aerr != nil {
		c.fail(aerr)
		return
	}
	var d *dependency
	for _, x := range e.st.Dependencies {
		if x.Name == *in.Name && x.Owner != "public" {
			d = x
		}
	}
	if d == nil {
		if e.privateDepCount() >= maxDependencies {
			c.fail(errf(403, "FSS.1045", "The number of dependencies exceeds the maximum allowed limit."))
			return
		}
		d = &dependency{ID: uuid(), Name: *in.Name, Owner: e.cfg.DomainID, NextVersion: 1}
		e.st.Dependencies = append(e.st.Dependencies, d)
	}
	v.Version = d.NextVersion
	d.NextVersion++
	d.Runtime, d.Description = v.Runtime, v.Description
	d.Versions = append(d.Versions, v)
	e.persistLocked()
	c.ok(200, e.renderDepVersion(d, v, true))
}

// createDependency (5.3.2, to be discarded): a new dependency; a duplicate name is 409 FSS.1065.
func (e *Emulator) createDependency(c *reqCtx) {
	var in depReq
	if !c.decodeOrFail(&in, false) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	v, aerr := e.buildDepVersion(&in)
	if aerr != nil {
		c.fail(aerr)
		return
	}
	for _, x := range e.st.Dependencies {
		if x.Name == *in.Name && x.Owner != "public" {
			c.fail(errf(409, "FSS.1065", "The dependency already exists."))
			return
		}
	}
	if e.privateDepCount() >= maxDependencies {
		c.fail(errf(403, "FSS.1045", "The number of dependencies exceeds the maximum allowed limit."))
		return
	}
	v.Version = 1
	d := &dependency{ID: uuid(), Name: *in.Name, Owner: e.cfg.DomainID, Runtime: v.Runtime, Description: v.Description, NextVersion: 2, Versions: []*depVersion{v}}
	e.st.Dependencies = append(e.st.Dependencies, d)
	e.persistLocked()
	c.ok(200, e.renderDependency(d))
}

func (e *Emulator) listDependencies(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	q := c.r.URL.Query()
	dt := q.Get("dependency_type")
	if q.Get("ispublic") == "true" {
		dt = "public"
	}
	switch dt {
	case "", "all", "public", "private":
	default:
		c.fail(errf(400, "FSS.1001", "Invalid query parameter: dependency_type."))
		return
	}
	// runtime is documented with display names (§5.3.1): compare with spaces removed.
	rt := strings.ReplaceAll(q.Get("runtime"), " ", "")
	var ds []*dependency
	for _, d := range e.st.Dependencies {
		if dt == "public" && d.Owner != "public" || dt == "private" && d.Owner == "public" {
			continue
		}
		if rt != "" && !strings.EqualFold(strings.ReplaceAll(d.Runtime, " ", ""), rt) {
			continue
		}
		if n := q.Get("name"); n != "" && !strings.Contains(d.Name, n) {
			continue
		}
		ds = append(ds, d)
	}
	start, end, aerr := pageBounds(c, len(ds), maxItemsName(c, "limit"), 400, 400)
	if aerr != nil {
		c.fail(aerr)
		return
	}
	out := []any{}
	for _, d := range ds[start:end] {
		v := d.Versions[len(d.Versions)-1]
		m := e.renderDepVersion(d, v, true)
		m["id"] = d.ID // the list shows dependencies, identified by their id
		out = append(out, m)
	}
	c.ok(200, map[string]any{"dependencies": out, "next_marker": end, "count": len(ds)})
}

func (e *Emulator) depTarget(c *reqCtx) *dependency {
	d := e.findDependencyLocked(c.p("depend_id"))
	if d == nil {
		c.fail(errf(404, "FSS.1056", "The dependency does not exist."))
	}
	return d
}

func (e *Emulator) getDependency(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if d := e.depTarget(c); d != nil {
		c.ok(200, e.renderDependency(d))
	}
}

func (e *Emulator) depInUseLocked(ids map[string]bool) bool {
	for _, f := range e.st.Functions {
		for _, v := range append([]*funcVersion{f.Head}, f.Versions...) {
			for _, id := range append(append([]string{}, v.Code.DependVersionList...), v.Code.DependList...) {
				if ids[id] {
					return true
				}
			}
		}
	}
	return false
}

func (e *Emulator) updateDependency(c *reqCtx) {
	var in depReq
	if !c.decodeOrFail(&in, false) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	d := e.depTarget(c)
	if d == nil {
		return
	}
	if d.Owner == "public" {
		c.fail(errf(403, "FSS.0403", "Forbidden: public dependencies cannot be modified."))
		return
	}
	v, aerr := e.buildDepVersion(&in)
	if aerr != nil {
		c.fail(aerr)
		return
	}
	last := d.Versions[len(d.Versions)-1]
	v.ID, v.Version = last.ID, last.Version
	d.Versions[len(d.Versions)-1] = v
	d.Name, d.Runtime, d.Description = *in.Name, v.Runtime, v.Description
	e.persistLocked()
	c.ok(200, e.renderDependency(d))
}

func (e *Emulator) deleteDependency(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	d := e.depTarget(c)
	if d == nil {
		return
	}
	if d.Owner == "public" {
		c.fail(errf(403, "FSS.0403", "Forbidden: public dependencies cannot be deleted."))
		return
	}
	ids := map[string]bool{d.ID: true}
	for _, v := range d.Versions {
		ids[v.ID] = true
	}
	if e.depInUseLocked(ids) {
		c.fail(errf(412, "FSS.1033", "The dependency is currently in use."))
		return
	}
	for i, x := range e.st.Dependencies {
		if x == d {
			e.st.Dependencies = append(e.st.Dependencies[:i], e.st.Dependencies[i+1:]...)
			break
		}
	}
	e.persistLocked()
	c.noContent()
}

func (e *Emulator) listDepVersions(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	d := e.depTarget(c)
	if d == nil {
		return
	}
	start, end, aerr := pageBounds(c, len(d.Versions), maxItemsName(c, "limit"), 400, 400)
	if aerr != nil {
		c.fail(aerr)
		return
	}
	out := []any{}
	for _, v := range d.Versions[start:end] {
		out = append(out, e.renderDepVersion(d, v, true))
	}
	c.ok(200, map[string]any{"dependencies": out, "next_marker": end, "count": len(d.Versions)})
}

func (e *Emulator) depVersionTarget(c *reqCtx) (*dependency, *depVersion) {
	d := e.depTarget(c)
	if d == nil {
		return nil, nil
	}
	n, err := strconv.Atoi(c.p("version"))
	if err == nil {
		for _, v := range d.Versions {
			if v.Version == n {
				return d, v
			}
		}
	}
	c.fail(errf(404, "FSS.1056", "The dependency version does not exist."))
	return nil, nil
}

func (e *Emulator) getDepVersion(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	d, v := e.depVersionTarget(c)
	if v == nil {
		return
	}
	c.ok(200, e.renderDepVersion(d, v, true))
}

func (e *Emulator) deleteDepVersion(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	d, v := e.depVersionTarget(c)
	if v == nil {
		return
	}
	if d.Owner == "public" {
		c.fail(errf(403, "FSS.0403", "Forbidden: public dependencies cannot be deleted."))
		return
	}
	if e.depInUseLocked(map[string]bool{v.ID: true}) {
		c.fail(errf(412, "FSS.1033", "The dependency is currently in use."))
		return
	}
	for i, x := range d.Versions {
		if x == v {
			d.Versions = append(d.Versions[:i], d.Versions[i+1:]...)
			break
		}
	}
	if len(d.Versions) == 0 {
		for i, x := range e.st.Dependencies {
			if x == d {
				e.st.Dependencies = append(e.st.Dependencies[:i], e.st.Dependencies[i+1:]...)
				break
			}
		}
	}
	e.persistLocked()
	c.noContent()
}
