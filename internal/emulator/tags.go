package emulator

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
)

// Resource tags (API reference §5.6.11-§5.6.14). These paths have no /fgs/ segment and resource_type is
// "functions".

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
	// sys_tags: the enterprise project of the functions (§5.6.11).
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
// (the example shows a bare number, §5.6.12).
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
