package server

import (
	"net/netip"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Sign-in attempts are counted before any password is checked, in buckets
// an attacker cannot turn against the account's owner (README "Security"):
//   - per client address: 10 a minute after a burst of 20;
//   - per (username, client network: the /24 of an IPv4 address, the /64
//     of an IPv6 one): 5 a minute after 10, so guessing one account from
//     one network is slow, and wrong passwords from elsewhere never use up
//     the owner's network's attempts;
//   - per username across every network: 30 a minute after 30, but only
//     for networks that have failed for that username at least
//     dirtyFailures times in failMemory. A botnet guessing from many
//     networks is held to it after its first few tries from each, while
//     the owner, from a network with a clean history, is not.
//
// The break-glass account (MUSTER_BREAK_GLASS_USER) has buckets of its
// own, tighter (2 a minute per network after 5; 6 a minute in all after
// 10): it is the account that must sign in when the identity provider is
// down, and the one most worth guessing.
var (
	ipRate, ipBurst             = rate.Every(6 * time.Second), 20
	userNetRate, userNetBurst   = rate.Every(12 * time.Second), 10
	userRate, userBurst         = rate.Every(2 * time.Second), 30
	glassNetRate, glassNetBurst = rate.Every(30 * time.Second), 5
	glassRate, glassBurst       = rate.Every(10 * time.Second), 10
)

// A network is dirty for a username once it has failed dirtyFailures
// times for it within failMemory: a typo or two by the owner keeps it clean.
const (
	dirtyFailures = 3
	failMemory    = 15 * time.Minute
)

// maxLimiterEntries bounds memory: beyond it, idle entries are dropped.
const maxLimiterEntries = 10000

type limiterEntry struct {
	lim  *rate.Limiter
	seen time.Time
}

type failEntry struct {
	n    int
	seen time.Time
}

// loginLimiter rate-limits login attempts in memory (per replica).
type loginLimiter struct {
	mu       sync.Mutex
	ips      map[string]*limiterEntry
	userNets map[string]*limiterEntry
	users    map[string]*limiterEntry
	fails    map[string]*failEntry
}

func newLoginLimiter() *loginLimiter {
	return &loginLimiter{ips: map[string]*limiterEntry{}, userNets: map[string]*limiterEntry{},
		users: map[string]*limiterEntry{}, fails: map[string]*failEntry{}}
}

// clientNetwork is the /24 (IPv4) or /64 (IPv6) of a client address.
func clientNetwork(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap()
	bits := 64
	if a.Is4() {
		bits = 24
	}
	p, err := a.Prefix(bits)
	if err != nil {
		return ip
	}
	return p.String()
}

// allow reports whether one more sign-in attempt from ip for username may
// go ahead, and consumes it from every bucket that applies when it does.
// breakGlass selects the break-glass account's buckets.
func (l *loginLimiter) allow(ip, username string, breakGlass bool, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	user := strings.ToLower(username)
	netKey := user + "\x00" + clientNetwork(ip)
	nr, nb, ur, ub := userNetRate, userNetBurst, userRate, userBurst
	if breakGlass {
		nr, nb, ur, ub = glassNetRate, glassNetBurst, glassRate, glassBurst
	}
	buckets := []*limiterEntry{l.entry(l.ips, ip, ipRate, ipBurst, now), l.entry(l.userNets, netKey, nr, nb, now)}
	if f, ok := l.fails[netKey]; ok && now.Sub(f.seen) <= failMemory && f.n >= dirtyFailures {
		buckets = append(buckets, l.entry(l.users, user, ur, ub, now))
	}
	rs := make([]*rate.Reservation, 0, len(buckets))
	ok := true
	for _, b := range buckets {
		r := b.lim.ReserveN(now, 1)
		rs = append(rs, r)
		ok = ok && r.OK() && r.DelayFrom(now) == 0
	}
	if !ok {
		for _, r := range rs {
			r.CancelAt(now)
		}
	}
	return ok
}

// allowIP reports whether one more attempt from ip may go ahead, counted
// in the per-address bucket only (single sign-on callbacks).
func (l *loginLimiter) allowIP(ip string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.entry(l.ips, ip, ipRate, ipBurst, now).lim.AllowN(now, 1)
}

// failed records a wrong password from ip for username.
func (l *loginLimiter) failed(ip, username string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	key := strings.ToLower(username) + "\x00" + clientNetwork(ip)
	f, ok := l.fails[key]
	if !ok || now.Sub(f.seen) > failMemory {
		if len(l.fails) >= maxLimiterEntries {
			for k, v := range l.fails {
				if now.Sub(v.seen) > failMemory {
					delete(l.fails, k)
				}
			}
		}
		f = &failEntry{}
		l.fails[key] = f
	}
	f.n++
	f.seen = now
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
