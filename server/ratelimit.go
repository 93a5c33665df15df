package server

import (
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Login attempts allowed: per client IP, 10 a minute after a burst of 20;
// per username, 5 a minute after a burst of 10. Every attempt counts, so
// guessing is slow from one address and for one account from many.
var (
	ipRate, ipBurst     = rate.Every(6 * time.Second), 20
	userRate, userBurst = rate.Every(12 * time.Second), 10
)

// maxLimiterEntries bounds memory: beyond it, idle entries are dropped.
const maxLimiterEntries = 10000

type limiterEntry struct {
	lim  *rate.Limiter
	seen time.Time
}

// loginLimiter rate-limits login attempts in memory (per replica).
type loginLimiter struct {
	mu    sync.Mutex
	ips   map[string]*limiterEntry
	users map[string]*limiterEntry
}

func newLoginLimiter() *loginLimiter {
	return &loginLimiter{ips: map[string]*limiterEntry{}, users: map[string]*limiterEntry{}}
}

// allow reports whether one more attempt from ip for username may go ahead,
// and consumes it from both buckets when it does.
func (l *loginLimiter) allow(ip, username string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	a := l.entry(l.ips, ip, ipRate, ipBurst, now)
	b := l.entry(l.users, strings.ToLower(username), userRate, userBurst, now)
	ra, rb := a.lim.ReserveN(now, 1), b.lim.ReserveN(now, 1)
	if ra.OK() && ra.DelayFrom(now) == 0 && rb.OK() && rb.DelayFrom(now) == 0 {
		return true
	}
	ra.CancelAt(now)
	rb.CancelAt(now)
	return false
}

func (l *loginLimiter) entry(m map[string]*limiterEntry, key string, r rate.Limit, burst int, now time.Time) *limiterEntry {
	e, ok := m[key]
	if !ok {
		if len(m) >= maxLimiterEntries {
			for k, v := range m {
				// A bucket idle this long has refilled; forgetting it loses nothing.
				if now.Sub(v.seen) > 5*time.Minute {
					delete(m, k)
				}
			}
		}
		e = &limiterEntry{lim: rate.NewLimiter(r, burst)}
		m[key] = e
	}
	e.seen = now
	return e
}
