package fgs

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
)

// maxPages bounds every pagination loop, whatever the server answers.
const maxPages = 10000

// pageFetcher fetches one page starting at marker and returns its items, the
// next marker and the total count (0 when unknown).
type pageFetcher[T any] func(ctx context.Context, marker int64) (items []T, next int64, count int64, err error)

// collectMarkerPages runs the marker loop shared by every marker-paginated
// list (styles A, B and C of the API map §1.6): it stops on an empty page, on
// a next marker that does not advance (0, or equal to the current one), or
// when count items were collected; a marker that was already visited (a
// cycle) is an error rather than an endless loop.
func collectMarkerPages[T any](ctx context.Context, what string, fetch pageFetcher[T]) ([]T, error) {
	var all []T
	var marker int64
	seen := map[int64]bool{0: true}
	for page := 0; page < maxPages; page++ {
		items, next, count, err := fetch(ctx, marker)
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		switch {
		case len(items) == 0:
			return all, nil
		case count > 0 && int64(len(all)) >= count:
			return all, nil
		case next <= 0 || next == marker:
			return all, nil
		case seen[next]:
			return nil, fmt.Errorf("fgs: listing %s: the service returned marker %d again; stopping to avoid an endless loop", what, next)
		}
		seen[next] = true
		marker = next
	}
	return nil, fmt.Errorf("fgs: listing %s: more than %d pages", what, maxPages)
}

func markerQuery(base url.Values, marker int64, sizeKey string, size int) url.Values {
	q := url.Values{}
	for k, v := range base {
		q[k] = append([]string(nil), v...)
	}
	q.Set("marker", strconv.FormatInt(marker, 10))
	if size > 0 {
		q.Set(sizeKey, strconv.Itoa(size))
	}
	return q
}

// PageInfo is the page_info object of the marker/limit lists.
type PageInfo struct {
	NextMarker     FlexInt `json:"next_marker"`
	PreviousMarker FlexInt `json:"previous_marker"`
	CurrentCount   FlexInt `json:"current_count"`
}
