package importers

// The per-row helpers of rowParser: the content hash and the caches of
// values that repeat down a column.

import "github.com/muster-police/muster/training"

// cacheLimit bounds each cache (a file of all-distinct values just stops caching).
const cacheLimit = 4096

func (rp *rowParser) add(s string) { rp.buf = append(append(rp.buf, s...), 0) }

func (rp *rowParser) addDate(d training.Date) {
	rp.buf = append(rp.buf, byte(d.Year()>>8), byte(d.Year()), byte(d.Month()), byte(d.Day()), 0)
}

// fnv64a hashes b (FNV-1a), inline to avoid an allocation per row.
func fnv64a(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// unitOf joins level columns, through the cache.
func (rp *rowParser) unitOf(a, b, c string) string {
	k := [3]string{a, b, c}
	if u, ok := rp.unitCache[k]; ok {
		return u
	}
	u := training.JoinUnit(a, b, c)
	if len(rp.unitCache) < cacheLimit {
		rp.unitCache[k] = u
	}
	return u
}

// pathOf parses a unit path column, through the cache.
func (rp *rowParser) pathOf(s string) string {
	if u, ok := rp.pathCache[s]; ok {
		return u
	}
	u := training.ParseUnit(s)
	if len(rp.pathCache) < cacheLimit {
		rp.pathCache[s] = u
	}
	return u
}

// intern returns one shared copy of a value that repeats down a column.
func (rp *rowParser) intern(s string) string {
	if v, ok := rp.strCache[s]; ok {
		return v
	}
	v := clean(s)
	if len(rp.strCache) < cacheLimit {
		rp.strCache[s] = v
	}
	return v
}

// leaver is employmentStatus, cached: a roster repeats a few statuses.
func (rp *rowParser) leaver(s string) (leaver, known bool) {
	if l, ok := rp.leaverCache[s]; ok {
		return l.leaver, l.known
	}
	leaver, known = rp.vocab.leaverWord(clean(s))
	if len(rp.leaverCache) < cacheLimit {
		rp.leaverCache[s] = statusWord{leaver, known}
	}
	return leaver, known
}

// statusWord is a cached employmentStatus.
type statusWord struct{ leaver, known bool }

// courseCell is parseCourseCell with the words (not dates) cached.
func (rp *rowParser) courseCell(s string) (CellKind, training.Date, error) {
	if s == "" {
		return CellNone, training.Date{}, nil
	}
	if s[0] < '0' || s[0] > '9' {
		if k, ok := rp.cellCache[s]; ok {
			return k, training.Date{}, nil
		}
	}
	k, d, err := parseCourseCell(s, rp.date1904, rp.today)
	if err == nil && (s[0] < '0' || s[0] > '9') && len(rp.cellCache) < cacheLimit {
		rp.cellCache[s] = k
	}
	return k, d, err
}
