package emulator

import (
	"net/url"
	"strconv"
)

// Query parameters of list APIs: limit/offset, marker and maxitems styles.

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

func queryInt(q url.Values, name string, def int) (int, bool) {
	s := q.Get(name)
	if s == "" {
		return def, true
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, false
	}
	return n, true
}

// pageBounds implements marker/maxitems pagination (style A): marker is an offset;
// next_marker is the offset after the page (equal to count on the last page).
func pageBounds(c *reqCtx, total int, maxName string, def, max int) (int, int, *apiError) {
	q := c.r.URL.Query()
	marker, ok := queryInt(q, "marker", 0)
	if !ok || marker < 0 {
		return 0, 0, errf(400, "FSS.1001", "Invalid query parameter: marker.")
	}
	n, ok := queryInt(q, maxName, 0)
	if !ok || n < 0 {
		return 0, 0, errf(400, "FSS.1001", "Invalid query parameter: %s.", maxName)
	}
	if n == 0 {
		n = def
	}
	if n > max {
		n = max
	}
	if marker > total {
		marker = total
	}
	end := marker + n
	if end > total {
		end = total
	}
	return marker, end, nil
}

// maxItemsName picks the page-size parameter of a marker/maxitems list: the reference
// documents "maxitems" (§5.6.1, §5.7.6, §5.3.4; "limit" too on §5.3.1), while OTC's Go SDK
// sends "max_items" (function and dependency lists). The first one present wins.
func maxItemsName(c *reqCtx, extra ...string) string {
	q := c.r.URL.Query()
	for _, n := range append([]string{"maxitems", "max_items"}, extra...) {
		if q.Get(n) != "" {
			return n
		}
	}
	return "maxitems"
}
