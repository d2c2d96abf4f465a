package emulator

import (
	"strconv"
	"strings"
	"time"
)

// TIMER triggers fire while ACTIVE, on the wall clock (not Config.Now, which tests freeze):
// Rate "<n>m|h|d", Cron "@every <duration>", or a cron expression of five or six fields,
// seconds first (second minute hour day-of-month month [day-of-week]) with an optional
// CRON_TZ=<zone> (UTC without it); fields take *, ?, numbers, lists, ranges and /steps.

const timerTick = 100 * time.Millisecond

type timerState struct {
	schedule string
	next     time.Time
}

// ensureTimers starts the timer loop once an ACTIVE TIMER trigger exists.
func (e *Emulator) ensureTimers() {
	x := e.exec
	e.mu.Lock()
	active := false
	for _, f := range e.st.Functions {
		for _, t := range f.Triggers {
			if t.TypeCode == "TIMER" && t.Status == "ACTIVE" {
				active = true
			}
		}
	}
	e.mu.Unlock()
	if !active {
		return
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.timersOn || x.closed {
		return
	}
	x.timersOn = true
	x.timers = map[string]*timerState{}
	go e.timerLoop()
}

type firing struct {
	tr trigger
	f  *function
}

func (e *Emulator) timerLoop() {
	x := e.exec
	t := time.NewTicker(timerTick)
	defer t.Stop()
	for {
		select {
		case <-x.stop:
			return
		case now := <-t.C:
			var due []firing
			seen := map[string]bool{}
			e.mu.Lock()
			x.mu.Lock()
			for _, f := range e.st.Functions {
				for _, tr := range f.Triggers {
					if tr.TypeCode != "TIMER" || tr.Status != "ACTIVE" {
						continue
					}
					seen[tr.ID] = true
					sched := str0(tr.EventData, "schedule_type", "") + " " + str0(tr.EventData, "schedule", "")
					st := x.timers[tr.ID]
					if st == nil || st.schedule != sched {
						st = &timerState{schedule: sched, next: nextFire(sched, now)}
						x.timers[tr.ID] = st
					}
					if !st.next.IsZero() && !now.Before(st.next) {
						due = append(due, firing{tr: *tr, f: f})
						st.next = nextFire(sched, now)
					}
				}
			}
			for id := range x.timers {
				if !seen[id] {
					delete(x.timers, id)
				}
			}
			x.mu.Unlock()
			e.mu.Unlock()
			for _, d := range due {
				go func(d firing) {
					tr := d.tr
					ev := sampleEvent(&tr, d.f, e.cfg.Region, time.Now())
					_, _, _, _ = e.fireTrigger(&tr, d.f, ev)
				}(d)
			}
		}
	}
}

// nextFire is the first firing time after now of "TYPE SCHEDULE"; zero when it never fires.
func nextFire(sched string, now time.Time) time.Time {
	typ, s, _ := strings.Cut(sched, " ")
	s = strings.TrimSpace(s)
	switch typ {
	case "Rate":
		if len(s) < 2 {
			return time.Time{}
		}
		n, err := strconv.Atoi(s[:len(s)-1])
		unit := map[byte]time.Duration{'m': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour}[s[len(s)-1]]
		if err != nil || n <= 0 || unit == 0 {
			return time.Time{}
		}
		return now.Add(time.Duration(n) * unit)
	case "Cron":
		if rest, ok := strings.CutPrefix(s, "@every "); ok {
			d, err := time.ParseDuration(strings.TrimSpace(rest))
			if err != nil || d <= 0 {
				return time.Time{}
			}
			return now.Add(d)
		}
		return nextCron(s, now)
	}
	return time.Time{}
}

// nextCron scans second by second for up to eight days.
func nextCron(expr string, now time.Time) time.Time {
	fields := strings.Fields(expr)
	loc := time.UTC // without CRON_TZ, schedules are UTC
	if len(fields) > 0 && strings.HasPrefix(fields[0], "CRON_TZ=") {
		l, err := time.LoadLocation(strings.TrimPrefix(fields[0], "CRON_TZ="))
		if err != nil {
			return time.Time{}
		}
		loc, fields = l, fields[1:]
	}
	if len(fields) == 5 {
		fields = append(fields, "*")
	}
	if len(fields) != 6 {
		return time.Time{}
	}
	bounds := [6][2]int{{0, 59}, {0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 6}}
	var sets [6]map[int]bool
	for i, f := range fields {
		set, ok := cronField(f, bounds[i][0], bounds[i][1])
		if !ok {
			return time.Time{}
		}
		sets[i] = set
	}
	t := now.In(loc).Truncate(time.Second).Add(time.Second)
	for i := 0; i < 8*24*3600; i++ {
		if sets[0][t.Second()] && sets[1][t.Minute()] && sets[2][t.Hour()] && sets[3][t.Day()] &&
			sets[4][int(t.Month())] && sets[5][int(t.Weekday())] {
			return t
		}
		t = t.Add(time.Second)
	}
	return time.Time{}
}

func cronField(f string, lo, hi int) (map[int]bool, bool) {
	set := map[int]bool{}
	for _, part := range strings.Split(f, ",") {
		step := 1
		if a, b, ok := strings.Cut(part, "/"); ok {
			n, err := strconv.Atoi(b)
			if err != nil || n <= 0 {
				return nil, false
			}
			part, step = a, n
		}
		from, to := lo, hi
		switch {
		case part == "*" || part == "?":
		case strings.Contains(part, "-"):
			a, b, _ := strings.Cut(part, "-")
			x, err1 := strconv.Atoi(a)
			y, err2 := strconv.Atoi(b)
			if err1 != nil || err2 != nil {
				return nil, false
			}
			from, to = x, y
		default:
			x, err := strconv.Atoi(part)
			if err != nil {
				return nil, false
			}
			from, to = x, x
			if step > 1 {
				to = hi
			}
		}
		if from < lo || to > hi || from > to {
			return nil, false
		}
		for v := from; v <= to; v += step {
			set[v] = true
		}
	}
	return set, true
}
