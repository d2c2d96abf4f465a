package emulator

import (
	"encoding/json"
	"strings"
)

// Reserved instances (API reference §5.10).

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
	// "reservedinstances" without underscore (§5.10.3).
	c.ok(200, map[string]any{"reservedinstances": out, "page_info": pi, "count": len(items)})
}
