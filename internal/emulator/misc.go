package emulator

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ---- test events (5.4) ----

var eventNameRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,24}$`)

const (
	maxEvents       = 10
	maxEventContent = 4096
)

func (e *Emulator) listEvents(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.resolve(c, "function_urn")
	if t == nil {
		return
	}
	out := []any{}
	for _, ev := range t.fn.Events {
		out = append(out, map[string]any{"id": ev.ID, "name": ev.Name, "last_modified": ev.LastModified.Unix()})
	}
	c.ok(200, map[string]any{"events": out, "next_marker": len(out), "count": len(out)})
}

// Test-event content is stored verbatim (raw JSON text in L3024, Base64 in L3202/SDK).
func (e *Emulator) createEvent(c *reqCtx) {
	var in struct {
		Name    *string `json:"name"`
		Content *string `json:"content"`
	}
	if !c.decodeOrFail(&in, false) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.resolve(c, "function_urn")
	if t == nil {
		return
	}
	if in.Name == nil || !eventNameRe.MatchString(*in.Name) || in.Content == nil {
		c.fail(errf(400, "FSS.1074", "The event field is invalid: name (letter first; letters, digits, - and _) and content are mandatory."))
		return
	}
	if len(*in.Content) > maxEventContent {
		c.fail(errf(403, "FSS.1069", "The size of EventData exceeds 4 KB."))
		return
	}
	for _, ev := range t.fn.Events {
		if ev.Name == *in.Name {
			c.fail(errf(403, "FSS.1073", "The function event already exists."))
			return
		}
	}
	if len(t.fn.Events) >= maxEvents {
		c.fail(errf(403, "FSS.1068", "The number of events configured for the function exceeds the maximum allowed limit (%d).", maxEvents))
		return
	}
	ev := &testEvent{ID: uuid(), Name: *in.Name, Content: *in.Content, LastModified: e.now()}
	t.fn.Events = append(t.fn.Events, ev)
	e.persistLocked()
	c.ok(200, map[string]any{"id": ev.ID, "name": ev.Name})
}

func (e *Emulator) eventTarget(c *reqCtx) (*function, *testEvent) {
	t := e.resolve(c, "function_urn")
	if t == nil {
		return nil, nil
	}
	for _, ev := range t.fn.Events {
		if ev.ID == c.p("event_id") {
			return t.fn, ev
		}
	}
	c.fail(errf(404, "FSS.1070", "The event cannot be found."))
	return nil, nil
}

func (e *Emulator) getEvent(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, ev := e.eventTarget(c)
	if ev == nil {
		return
	}
	c.ok(200, map[string]any{"id": ev.ID, "name": ev.Name, "content": ev.Content, "last_modified": ev.LastModified.Unix()})
}

func (e *Emulator) updateEvent(c *reqCtx) {
	var in struct {
		Content *string `json:"content"`
	}
	if !c.decodeOrFail(&in, false) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	_, ev := e.eventTarget(c)
	if ev == nil {
		return
	}
	if in.Content == nil {
		c.fail(errf(400, "FSS.1074", "The event field is invalid: content is mandatory."))
		return
	}
	if len(*in.Content) > maxEventContent {
		c.fail(errf(403, "FSS.1069", "The size of EventData exceeds 4 KB."))
		return
	}
	ev.Content, ev.LastModified = *in.Content, e.now()
	e.persistLocked()
	c.ok(200, map[string]any{"id": ev.ID, "name": ev.Name})
}

func (e *Emulator) deleteEvent(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	f, ev := e.eventTarget(c)
	if ev == nil {
		return
	}
	for i, x := range f.Events {
		if x == ev {
			f.Events = append(f.Events[:i], f.Events[i+1:]...)
			break
		}
	}
	e.persistLocked()
	c.noContent()
}

// ---- tracing (5.5) ----

func (e *Emulator) getTracing(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.resolve(c, "function_urn")
	if t == nil {
		return
	}
	if t.fn.Tracing == nil {
		c.fail(errf(404, "FSS.0404", "can not find tracing aksk"))
		return
	}
	c.ok(200, map[string]any{"tracing_ak": t.fn.Tracing.AK, "tracing_sk": "*****"})
}

// putTracing: an unknown function is 400 FSS.1128 "function[xxx] not existed" (L3525),
// as documented for this API only. Empty AK and SK disable tracing.
func (e *Emulator) putTracing(c *reqCtx) {
	var in struct {
		AK *string `json:"tracing_ak"`
		SK *string `json:"tracing_sk"`
	}
	if !c.decodeOrFail(&in, true) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	t, aerr := e.resolveLocked(c.p("function_urn"), c.p("project_id"))
	if aerr != nil {
		if aerr.Code == "FSS.1051" {
			ref, _ := parseURN(c.p("function_urn"), c.p("project_id"))
			aerr = errf(400, "FSS.1128", "function[%s] not existed", ref.Name)
		}
		c.fail(aerr)
		return
	}
	ak, sk := str(in.AK), str(in.SK)
	switch {
	case ak == "" && sk == "":
		t.fn.Tracing = nil
	case ak == "" || sk == "":
		c.fail(errf(400, "FSS.0400", "Invalid parameter: tracing_ak and tracing_sk go together."))
		return
	default:
		t.fn.Tracing = &tracing{AK: ak, SK: sk}
	}
	e.persistLocked()
	c.ok(200, map[string]any{"tracing_ak": ak, "tracing_sk": strings.Repeat("*", min(5, len(sk)))})
}

// ---- async invoke config (5.13) ----

var asyncDestinations = map[string]bool{"OBS": true, "SMN": true, "DIS": true, "FunctionGraph": true}

// createdTime keeps the offset form the reference shows for async created_time (L9596).
const createdTimeFmt = "2006-01-02T15:04:05-07:00"

func (e *Emulator) renderAsync(f *function, a *asyncConfig) map[string]any {
	m := map[string]any{
		"func_urn":                       e.urnForQual(f, a.Qualifier),
		"max_async_event_age_in_seconds": a.MaxAge,
		"max_async_retry_attempts":       a.MaxRetry,
		"created_time":                   a.Created.UTC().Format(createdTimeFmt),
		"last_modified":                  a.LastModified.UTC().Format(fgsTime),
	}
	if len(a.Destination) > 0 {
		m["destination_config"] = a.Destination
	} else {
		m["destination_config"] = map[string]any{}
	}
	if a.EnableAsyncLog != nil {
		m["enable_async_status_log"] = *a.EnableAsyncLog
	}
	return m
}

func (f *function) findAsync(q string) *asyncConfig {
	for _, a := range f.Async {
		if a.Qualifier == q {
			return a
		}
	}
	return nil
}

// putAsync: request ranges 1-86400 s and 0-3 retries with defaults 3600/1 (L9694-L9695);
// the response-side texts (60-86400, 0-8) contradict them, we follow the request table.
func (e *Emulator) putAsync(c *reqCtx) {
	var in struct {
		MaxAge      *int            `json:"max_async_event_age_in_seconds"`
		MaxRetry    *int            `json:"max_async_retry_attempts"`
		Destination json.RawMessage `json:"destination_config"`
		EnableLog   *bool           `json:"enable_async_status_log"`
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
	age, retry := 3600, 1
	if in.MaxAge != nil {
		age = *in.MaxAge
	}
	if in.MaxRetry != nil {
		retry = *in.MaxRetry
	}
	if age < 1 || age > 86400 {
		c.fail(errf(400, "FSS.0400", "Invalid parameter: max_async_event_age_in_seconds must be 1-86400."))
		return
	}
	if retry < 0 || retry > 3 {
		c.fail(errf(400, "FSS.0400", "Invalid parameter: max_async_retry_attempts must be 0-3."))
		return
	}
	var dest json.RawMessage
	if raw := strings.TrimSpace(string(in.Destination)); raw != "" && raw != "null" {
		var dc map[string]*struct {
			Destination string `json:"destination"`
			Param       string `json:"param"`
		}
		if err := json.Unmarshal(in.Destination, &dc); err != nil {
			c.fail(errf(400, "FSS.0400", "Invalid parameter: destination_config."))
			return
		}
		for k, d := range dc {
			if k != "on_success" && k != "on_failure" {
				c.fail(errf(400, "FSS.0400", "Invalid parameter: destination_config.%s.", k))
				return
			}
			if d == nil {
				continue
			}
			if !asyncDestinations[d.Destination] {
				c.fail(errf(400, "FSS.0400", "Invalid parameter: destination must be OBS, SMN, DIS or FunctionGraph."))
				return
			}
			var p map[string]any
			if json.Unmarshal([]byte(d.Param), &p) != nil || p == nil {
				c.fail(errf(400, "FSS.0400", "Invalid parameter: param must be a JSON object in a string."))
				return
			}
		}
		dest = append(json.RawMessage(nil), in.Destination...)
	}
	now := e.now()
	a := t.fn.findAsync(t.qualKey())
	if a == nil {
		a = &asyncConfig{Qualifier: t.qualKey(), Created: now}
		t.fn.Async = append(t.fn.Async, a)
	}
	a.MaxAge, a.MaxRetry, a.Destination, a.EnableAsyncLog, a.LastModified = age, retry, dest, in.EnableLog, now
	e.persistLocked()
	c.ok(200, e.renderAsync(t.fn, a))
}

func (e *Emulator) getAsync(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.resolve(c, "function_urn")
	if t == nil {
		return
	}
	a := t.fn.findAsync(t.qualKey())
	if a == nil {
		c.fail(errf(404, "FSS.0404", "The asynchronous invocation configuration does not exist."))
		return
	}
	c.ok(200, e.renderAsync(t.fn, a))
}

func (e *Emulator) deleteAsync(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.resolve(c, "function_urn")
	if t == nil {
		return
	}
	if t.fn.findAsync(t.qualKey()) == nil {
		c.fail(errf(404, "FSS.0404", "The asynchronous invocation configuration does not exist."))
		return
	}
	var keep []*asyncConfig
	for _, a := range t.fn.Async {
		if a.Qualifier != t.qualKey() {
			keep = append(keep, a)
		}
	}
	t.fn.Async = keep
	e.persistLocked()
	c.noContent()
}

// pageB implements marker/limit pagination with page_info (style B).
func pageB(c *reqCtx, total, def, max int) (int, int, map[string]any, *apiError) {
	q := c.r.URL.Query()
	marker, ok := queryInt(q, "marker", 0)
	if !ok || marker < 0 {
		return 0, 0, nil, errf(400, "FSS.1001", "Invalid query parameter: marker.")
	}
	limit, ok := queryInt(q, "limit", 0)
	if !ok || limit < 0 {
		return 0, 0, nil, errf(400, "FSS.1001", "Invalid query parameter: limit.")
	}
	if limit == 0 {
		limit = def
	}
	if limit > max {
		limit = max
	}
	if marker > total {
		marker = total
	}
	end := min(total, marker+limit)
	prev := max0(marker - limit)
	return marker, end, map[string]any{"next_marker": end, "previous_marker": prev, "current_count": end - marker}, nil
}

func max0(n int) int {
	if n < 0 {
		return 0
	}
	return n
}

func (e *Emulator) listAsync(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.resolve(c, "function_urn")
	if t == nil {
		return
	}
	start, end, pi, aerr := pageB(c, len(t.fn.Async), 10, 100)
	if aerr != nil {
		c.fail(aerr)
		return
	}
	out := []any{}
	for _, a := range t.fn.Async[start:end] {
		out = append(out, e.renderAsync(t.fn, a))
	}
	c.ok(200, map[string]any{"async_invoke_configs": out, "count": len(t.fn.Async), "page_info": pi})
}

// ---- reserved instances (5.10) ----

const maxReserved = 1000

func (f *function) findReserved(q string) *reservedEntry {
	for _, r := range f.Reserved {
		if r.Qualifier == q {
			return r
		}
	}
	return nil
}

func (e *Emulator) putReserved(c *reqCtx) {
	var in struct {
		Count         *int            `json:"count"`
		IdleMode      *bool           `json:"idle_mode"`
		TacticsConfig json.RawMessage `json:"tactics_config"`
	}
	if !c.decodeOrFail(&in, false) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.resolve(c, "function_urn")
	if t == nil {
		return
	}
	if in.Count == nil || *in.Count < 0 || *in.Count > maxReserved {
		c.fail(errf(400, "FSS.0400", "Invalid parameter: count is mandatory and must be 0-%d.", maxReserved))
		return
	}
	var tc json.RawMessage
	if raw := strings.TrimSpace(string(in.TacticsConfig)); raw != "" && raw != "null" {
		var parsed struct {
			CronConfigs []struct {
				Name        string `json:"name"`
				Cron        string `json:"cron"`
				Count       int    `json:"count"`
				StartTime   int64  `json:"start_time"`
				ExpiredTime int64  `json:"expired_time"`
			} `json:"cron_configs"`
			MetricConfigs []struct {
				Name      string `json:"name"`
				Type      string `json:"type"`
				Threshold int    `json:"threshold"`
				Min       int    `json:"min"`
			} `json:"metric_configs"`
		}
		if err := json.Unmarshal(in.TacticsConfig, &parsed); err != nil {
			c.fail(errf(400, "FSS.0400", "Invalid parameter: tactics_config."))
			return
		}
		for _, cc := range parsed.CronConfigs {
			if cc.Count < 0 || (cc.ExpiredTime != 0 && cc.ExpiredTime < cc.StartTime) || len(strings.Fields(cc.Cron)) < 6 {
				c.fail(errf(400, "FSS.0400", "Invalid parameter: cron_configs."))
				return
			}
		}
		tc = append(json.RawMessage(nil), in.TacticsConfig...)
	}
	q := t.qualKey()
	r := t.fn.findReserved(q)
	if *in.Count == 0 && len(tc) == 0 {
		// count 0 removes the reservation (there is no DELETE).
		var keep []*reservedEntry
		for _, x := range t.fn.Reserved {
			if x.Qualifier != q {
				keep = append(keep, x)
			}
		}
		t.fn.Reserved = keep
	} else {
		if r == nil {
			r = &reservedEntry{Qualifier: q}
			t.fn.Reserved = append(t.fn.Reserved, r)
		}
		r.Count, r.TacticsConfig = *in.Count, tc
		r.IdleMode = in.IdleMode != nil && *in.IdleMode
	}
	e.persistLocked()
	out := map[string]any{"count": *in.Count, "idle_mode": in.IdleMode != nil && *in.IdleMode}
	if len(tc) > 0 {
		out["tactics_config"] = tc
	}
	c.ok(200, out)
}

type resvItem struct {
	f *function
	r *reservedEntry
}

// reservedItems lists reservations, filtered by the function of the URN in one of the
// query parameters (5.10.1 documents "function_urn", 5.10.3 "urn"; OTC's SDK sends "urn"
// to both, so both accept both).
func (e *Emulator) reservedItems(c *reqCtx, params ...string) ([]resvItem, *apiError) {
	var filter *function
	u := ""
	for _, p := range params {
		if v := c.r.URL.Query().Get(p); v != "" {
			u = v
			break
		}
	}
	if u != "" {
		t, aerr := e.resolveLocked(u, c.p("project_id"))
		if aerr != nil {
			return nil, aerr
		}
		filter = t.fn
	}
	var items []resvItem
	for _, f := range e.st.Functions {
		if filter != nil && f != filter {
			continue
		}
		for _, r := range f.Reserved {
			items = append(items, resvItem{f, r})
		}
	}
	return items, nil
}

func (e *Emulator) listReservedConfigs(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	items, aerr := e.reservedItems(c, "function_urn", "urn")
	if aerr != nil {
		c.fail(aerr)
		return
	}
	start, end, pi, aerr := pageB(c, len(items), 100, 500)
	if aerr != nil {
		c.fail(aerr)
		return
	}
	out := []any{}
	for _, it := range items[start:end] {
		qt, qn := "version", it.r.Qualifier
		if strings.HasPrefix(qn, "!") {
			qt, qn = "alias", qn[1:]
		}
		m := map[string]any{
			"function_urn": e.urnForQual(it.f, it.r.Qualifier), "qualifier_type": qt, "qualifier_name": qn,
			"min_count": it.r.Count, "idle_mode": it.r.IdleMode,
		}
		if len(it.r.TacticsConfig) > 0 {
			m["tactics_config"] = it.r.TacticsConfig
		} else {
			m["tactics_config"] = map[string]any{"cron_configs": []any{}, "metric_configs": []any{}}
		}
		out = append(out, m)
	}
	c.ok(200, map[string]any{"reserved_instances": out, "page_info": pi, "count": len(items)})
}

func (e *Emulator) listReservedInstances(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	items, aerr := e.reservedItems(c, "urn", "function_urn")
	if aerr != nil {
		c.fail(aerr)
		return
	}
	start, end, pi, aerr := pageB(c, len(items), 400, 400)
	if aerr != nil {
		c.fail(aerr)
		return
	}
	out := []any{}
	for _, it := range items[start:end] {
		out = append(out, map[string]any{"func_urn": e.urnForQual(it.f, it.r.Qualifier), "count": it.r.Count})
	}
	// "reservedinstances" without underscore (L8338).
	c.ok(200, map[string]any{"reservedinstances": out, "page_info": pi, "count": len(items)})
}

// ---- dependencies (5.3) ----

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
	// runtime is documented with display names (L1732): compare with spaces removed.
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
	start, end, aerr := pageBounds(c, len(ds), depMaxName(c), 400, 400)
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

// depMaxName picks the page-size parameter of the dependency lists: the reference documents
// "maxitems" (and "limit" on 5.3.1); OTC's SDK sends "max_items".
func depMaxName(c *reqCtx) string {
	q := c.r.URL.Query()
	for _, n := range []string{"maxitems", "max_items", "limit"} {
		if q.Get(n) != "" {
			return n
		}
	}
	return "maxitems"
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
	start, end, aerr := pageBounds(c, len(d.Versions), depMaxName(c), 400, 400)
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

// ---- tags (5.6.11-5.6.14); paths have no /fgs/ and resource_type is "functions" ----

var (
	tagKeyRe   = regexp.MustCompile(`^[\p{L}\p{N}_.:=+\-@]{1,36}$`)
	tagValueRe = regexp.MustCompile(`^[\p{L}\p{N}_.:=+\-@/ ]{0,43}$`)
)

const maxTags = 20

// tagFunctionLocked finds a function by any URN form or by its internal id (5.6.12 shows a UUID).
func (e *Emulator) tagFunctionLocked(c *reqCtx) *function {
	id := c.p("resource_id")
	for _, f := range e.st.Functions {
		if f.ID == id {
			return f
		}
	}
	t, aerr := e.resolveLocked(id, c.p("project_id"))
	if aerr != nil {
		c.fail(aerr)
		return nil
	}
	return t.fn
}

type tagBody struct {
	Action  string   `json:"action"`
	Tags    []kvItem `json:"tags"`
	SysTags []kvItem `json:"sys_tags"`
}

func (e *Emulator) createTags(c *reqCtx) {
	var in tagBody
	if !c.decodeOrFail(&in, false) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	f := e.tagFunctionLocked(c)
	if f == nil {
		return
	}
	if in.Action != "" && in.Action != "create" {
		c.fail(errf(400, "FSS.0400", "Invalid parameter: action must be create."))
		return
	}
	if len(in.Tags) == 0 {
		c.fail(errf(400, "FSS.0400", "Invalid parameter: tags must not be empty."))
		return
	}
	seen := map[string]bool{}
	for _, t := range in.Tags {
		if !tagKeyRe.MatchString(t.Key) || !tagValueRe.MatchString(t.Value) {
			c.fail(errf(400, "FSS.0400", "Invalid parameter: tag %q=%q (key 1-36, value 0-43 characters).", t.Key, t.Value))
			return
		}
		if seen[t.Key] {
			c.fail(errf(400, "FSS.0400", "Invalid parameter: duplicate tag key %q.", t.Key))
			return
		}
		seen[t.Key] = true
	}
	tags := append([]kvItem{}, f.Tags...)
	for _, t := range in.Tags {
		found := false
		for i := range tags {
			if tags[i].Key == t.Key {
				tags[i].Value, found = t.Value, true
			}
		}
		if !found {
			tags = append(tags, t)
		}
	}
	if len(tags) > maxTags {
		c.fail(errf(400, "FSS.0400", "Invalid parameter: a function has at most %d tags.", maxTags))
		return
	}
	f.Tags = tags
	e.persistLocked()
	c.noContent()
}

func (e *Emulator) deleteTags(c *reqCtx) {
	var in tagBody
	if !c.decodeOrFail(&in, false) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	f := e.tagFunctionLocked(c)
	if f == nil {
		return
	}
	if in.Action != "" && in.Action != "delete" {
		c.fail(errf(400, "FSS.0400", "Invalid parameter: action must be delete."))
		return
	}
	del := map[string]bool{}
	for _, t := range in.Tags {
		del[t.Key] = true
	}
	var keep []kvItem
	for _, t := range f.Tags {
		if !del[t.Key] {
			keep = append(keep, t)
		}
	}
	f.Tags = keep
	e.persistLocked()
	c.noContent()
}

func (e *Emulator) listAllTags(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	vals := map[string][]string{}
	var order []string
	for _, f := range e.st.Functions {
		for _, t := range f.Tags {
			if _, ok := vals[t.Key]; !ok {
				order = append(order, t.Key)
			}
			dup := false
			for _, v := range vals[t.Key] {
				dup = dup || v == t.Value
			}
			if !dup {
				vals[t.Key] = append(vals[t.Key], t.Value)
			}
		}
	}
	tags := []any{}
	for _, k := range order {
		tags = append(tags, map[string]any{"key": k, "values": vals[k]})
	}
	// sys_tags: the enterprise project of the functions (002 L5697-L5706).
	var eps []string
	seenEP := map[string]bool{}
	for _, f := range e.st.Functions {
		if ep := f.Head.Conf.EnterpriseProjectID; !seenEP[ep] {
			seenEP[ep] = true
			eps = append(eps, ep)
		}
	}
	sys := []any{}
	if len(eps) > 0 {
		sys = append(sys, map[string]any{"key": "_sys_enterprise_project_id", "values": eps})
	}
	c.ok(200, map[string]any{"tags": tags, "sys_tags": sys})
}

type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*f = flexString(n.String())
	return nil
}

// resourceInstances (5.6.12). "count" answers {"total_count": n} per the response table
// (the example shows a bare number, L5956).
func (e *Emulator) resourceInstances(c *reqCtx) {
	action := c.p("action")
	if action != "filter" && action != "count" {
		c.fail(errf(400, "FSS.0400", "Invalid parameter: action must be filter or count."))
		return
	}
	var in struct {
		WithoutAnyTag bool       `json:"without_any_tag"`
		Limit         flexString `json:"limit"`
		Offset        flexString `json:"offset"`
		Matches       []kvItem   `json:"matches"`
		Tags          []struct {
			Key    string   `json:"key"`
			Values []string `json:"values"`
		} `json:"tags"`
	}
	if !c.decodeOrFail(&in, true) {
		return
	}
	limit, offset := 1000, 0
	if in.Limit != "" {
		n, err := strconv.Atoi(string(in.Limit))
		if err != nil || n < 1 || n > 1000 {
			c.fail(errf(400, "FSS.0400", "Invalid parameter: limit must be 1-1000."))
			return
		}
		limit = n
	}
	if in.Offset != "" {
		n, err := strconv.Atoi(string(in.Offset))
		if err != nil || n < 0 {
			c.fail(errf(400, "FSS.0400", "Invalid parameter: offset must be >= 0."))
			return
		}
		offset = n
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var hits []*function
	for _, f := range e.st.Functions {
		if in.WithoutAnyTag && len(f.Tags) > 0 {
			continue
		}
		ok := true
		for _, m := range in.Matches {
			if m.Key == "resource_name" && !strings.Contains(f.Name, m.Value) {
				ok = false
			}
		}
		for _, tf := range in.Tags {
			has := false
			for _, t := range f.Tags {
				if t.Key == tf.Key {
					if len(tf.Values) == 0 {
						has = true
					}
					for _, v := range tf.Values {
						has = has || v == t.Value
					}
				}
			}
			ok = ok && has
		}
		if ok {
			hits = append(hits, f)
		}
	}
	if action == "count" {
		c.ok(200, map[string]any{"total_count": len(hits)})
		return
	}
	res := []any{}
	for i, f := range hits {
		if i < offset || i >= offset+limit {
			continue
		}
		tags := append([]kvItem{}, f.Tags...)
		res = append(res, map[string]any{
			"resource_id":     f.ID,
			"resource_name":   f.Name,
			"resource_detail": e.renderFunction(f, f.Head, e.funcURN(f.Package, f.Name)),
			"tags":            tags,
			"sys_tags":        []any{map[string]any{"key": "_sys_enterprise_project_id", "value": f.Head.Conf.EnterpriseProjectID}},
		})
	}
	c.ok(200, map[string]any{"resources": res, "total_count": len(hits)})
}

// ---- literal routes under /fgs/functions/ outside the emulated surface ----

func (e *Emulator) enableLTS(c *reqCtx) {
	e.mu.Lock()
	e.st.LTSEnabled = true
	e.persistLocked()
	e.mu.Unlock()
	c.ok(200, map[string]any{})
}

func (e *Emulator) statistics(c *reqCtx) {
	switch c.r.URL.Query().Get("filter") {
	case "monitor_data", "monthly_report":
	default:
		c.fail(errf(400, "FSS.1001", "Invalid query parameter: filter must be monitor_data or monthly_report."))
		return
	}
	empty := []any{}
	c.ok(200, map[string]any{"count": empty, "gbs": empty, "statistics": map[string]any{
		"count": empty, "duration": empty, "fail_count": empty, "max_duration": empty, "min_duration": empty, "reject_count": empty}})
}

func (e *Emulator) notEmulated(c *reqCtx) {
	c.fail(errf(501, "FSS.0501", "This API is not implemented by the emulator."))
}

// ---- asynchronous invocation requests (5.13.5, 5.13.6) ----
// The emulator runs no code, so there are never any invocation records. Unknown functions are
// 404 FSS.0404 "can not find function" on these two APIs (L10057, L10197).

func (e *Emulator) resolveAsyncInv(c *reqCtx) *target {
	t, aerr := e.resolveLocked(c.p("function_urn"), c.p("project_id"))
	if aerr != nil {
		if aerr.Code == "FSS.1051" {
			aerr = errf(404, "FSS.0404", "can not find function")
		}
		c.fail(aerr)
		return nil
	}
	return t
}

const asyncQueryTime = "2006-01-02T15:04:05"

func (e *Emulator) listAsyncInvocations(c *reqCtx) {
	q := c.r.URL.Query()
	switch q.Get("status") {
	case "", "WAIT", "RUNNING", "SUCCESS", "FAIL", "DISCARD":
	default:
		c.fail(errf(400, "FSS.1001", "Invalid query parameter: status."))
		return
	}
	for _, k := range []string{"query_begin_time", "query_end_time"} {
		if v := q.Get(k); v != "" {
			if _, err := time.Parse(asyncQueryTime, v); err != nil {
				c.fail(errf(400, "FSS.1001", "Invalid query parameter: %s (YYYY-MM-DD'T'HH:mm:ss).", k))
				return
			}
		}
	}
	if n, ok := queryInt(q, "limit", 100); !ok || n < 0 || n > 500 {
		c.fail(errf(400, "FSS.1001", "Invalid query parameter: limit (0-500)."))
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.resolveAsyncInv(c) == nil {
		return
	}
	c.ok(200, map[string]any{"invocations": []any{}, "count": 0, "next_marker": 0})
}

func (e *Emulator) cancelAsyncInvocation(c *reqCtx) {
	var in struct {
		RequestID *string `json:"request_id"`
		Type      *string `json:"type"`
	}
	if !c.decodeOrFail(&in, false) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.resolveAsyncInv(c) == nil {
		return
	}
	if in.Type != nil && *in.Type != "force" && *in.Type != "recursive" {
		c.fail(errf(400, "FSS.0400", "Invalid parameter: type must be force or recursive."))
		return
	}
	// No invocation exists in the emulator: every request id is unknown (L10170).
	c.fail(errf(400, "FSS.0400", "Invalid RequestId"))
}

// ltsLogDetail (5.9.1): the log group and stream bound with log_config (empty when none).
func (e *Emulator) ltsLogDetail(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.resolve(c, "function_urn")
	if t == nil {
		return
	}
	lc := t.ver.Conf.LogConfig
	if lc == nil {
		lc = &logConfig{}
	}
	c.ok(200, map[string]any{"group_name": lc.GroupName, "group_id": lc.GroupID, "stream_name": lc.StreamName, "stream_id": lc.StreamID})
}
