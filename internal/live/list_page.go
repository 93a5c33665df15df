package live

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/muster-police/muster/internal/reports"
	"github.com/muster-police/muster/training"
)

// ListRequest asks for one page of an officers list.
type ListRequest struct {
	// User is who asks: the list holds only what their scope shows.
	User training.User
	// Filter is the list (Filter.Scope is ignored: User decides it).
	Filter training.OfficerFilter
	// Search keeps officers that a search for it finds (training.MatchesSearch).
	Search string
	AsOf   training.Date
	// Cursor is where the page starts; nil for the first page.
	Cursor *Cursor
	// Offset skips that many officers from where the page would start.
	Offset int
	Limit  int
	// NoTotal leaves ListPage.Total at -1 (an export does not show it).
	NoTotal bool
	// JSON asks for ListPage.JSON too.
	JSON bool
}

// Cursor is a position in a list: the page after the officer at Key, or
// the page before it (Back). Keys do not move while completions are
// posted, so a cursor held while the list changes neither repeats nor
// skips anyone who stays in it; the officer at Key may have left it.
type Cursor struct {
	Key  training.ListKey
	Back bool
}

// ListPage is one page of an officers list.
type ListPage struct {
	AsOf     training.Date
	Revision int64
	// Courses are the columns of Rows (each row's Courses, in this order).
	Courses []training.Course
	Rows    []training.OfficerStatus
	// JSON is each row as encoding/json encodes it, when asked for
	// (ListRequest.JSON); today's rows are kept encoded until they change.
	JSON [][]byte
	// Total is the number of officers in the whole list, and Before the
	// number before the page's first row (-1: not counted).
	Total, Before int
	// Next and Prev are the cursors of the neighbouring pages; nil at an end.
	Next, Prev *Cursor
}

// List returns a page of the officers list rq asks for, within what
// rq.User may see; a unit outside it is reports.ErrOutOfScope, an unknown
// course training's error. Today's lists come from the list index under
// the model's read lock for the length of one page (posts wait that long
// at most); other dates from an immutable snapshot, evaluated whole.
func (m *Model) List(ctx context.Context, rq ListRequest) (*ListPage, error) {
	if err := m.Current(ctx); err != nil {
		return nil, err
	}
	rq.Limit = max(rq.Limit, 1)
	m.mu.RLock()
	if m.ds == nil {
		m.mu.RUnlock()
		return &ListPage{AsOf: rq.AsOf, Rows: []training.OfficerStatus{}}, nil
	}
	if m.lx != nil && m.lx.asOf == rq.AsOf {
		defer m.mu.RUnlock()
		return m.listIndexed(rq)
	}
	m.mu.RUnlock()
	return m.listSnapshot(rq)
}

// check validates rq's course and unit against ds and returns the filter
// with the user's scope.
func (m *Model) check(rq ListRequest, ds *training.Dataset) (training.OfficerFilter, error) {
	f := rq.Filter
	if f.Course != "" {
		if _, err := training.SelectCourses(ds.Courses, []string{f.Course}); err != nil {
			return f, err
		}
	}
	f.Scope = m.Scope(rq.User, ds)
	if !reports.UnitVisible(f.Scope, ds, f.Unit) {
		return f, reports.ErrOutOfScope
	}
	return f, nil
}

// listIndexed answers from the list index; the caller holds m.mu's read lock.
func (m *Model) listIndexed(rq ListRequest) (*ListPage, error) {
	ds, lx := m.ds, m.lx
	f, err := m.check(rq, ds)
	if err != nil {
		return nil, err
	}
	sel := selection{ranges: lx.subtree(ds, f.Unit), scope: lx.scopeMask(ds, f.Scope)}
	if !f.Leavers {
		sel.drop = lx.leavers
	}
	if f.Status != "" {
		slot := statusSlot(f.Status)
		if slot < 0 {
			return nil, training.Invalidf("%q is not a status", f.Status)
		}
		sel.base = lx.any[slot]
		if f.Course != "" {
			sel.base = lx.course[slices.IndexFunc(lx.courses, func(c training.Course) bool { return c.ID == f.Course })][slot]
		}
	}
	// found: the next position at or after (before, going back) p that
	// the search finds too.
	found := func(p int, back bool) int {
		for p >= 0 {
			if back {
				p = sel.prev(p)
			} else {
				p = sel.next(p)
			}
			if p < 0 || training.MatchesSearch(ds.Officers[lx.ids[p]], rq.Search) {
				return p
			}
			if back {
				p--
			} else {
				p++
			}
		}
		return -1
	}
	page := &ListPage{AsOf: rq.AsOf, Revision: ds.Revision, Courses: lx.courses, Total: -1, Before: -1,
		Rows: make([]training.OfficerStatus, 0, min(rq.Limit, exportChunk))}
	if !rq.NoTotal {
		if rq.Search == "" {
			page.Total = sel.count()
		} else {
			page.Total = 0
			for p := found(0, false); p >= 0; p = found(p+1, false) {
				page.Total++
			}
		}
	}
	back := rq.Cursor != nil && rq.Cursor.Back
	p := 0
	switch {
	case back:
		p = lx.before(ds, rq.Cursor.Key)
	case rq.Cursor != nil:
		p = lx.after(ds, rq.Cursor.Key)
	}
	p = found(p, back)
	for skip := rq.Offset; skip > 0 && p >= 0; skip-- {
		p = found(step(p, back), back)
	}
	var first, last int = -1, -1
	for p >= 0 && len(page.Rows) < rq.Limit {
		os := lx.evaluate(ds, lx.ids[p])
		// The sets say os is in the list; Selects is the rule itself,
		// and the last word on whether the user may see this row.
		if f.Selects(os) {
			page.Rows = append(page.Rows, os)
			if rq.JSON {
				b, err := lx.rowJSONAt(p, os)
				if err != nil {
					return nil, err
				}
				page.JSON = append(page.JSON, b)
			}
			if first < 0 {
				first = p
			}
			last = p
		}
		p = found(step(p, back), back)
	}
	if back {
		slices.Reverse(page.Rows)
		slices.Reverse(page.JSON)
		first, last = last, first
	}
	if len(page.Rows) > 0 {
		if found(last+1, false) >= 0 {
			page.Next = &Cursor{Key: lx.key(ds, last)}
		}
		if first > 0 && found(first-1, true) >= 0 {
			page.Prev = &Cursor{Key: lx.key(ds, first), Back: true}
		}
	}
	if !rq.NoTotal {
		switch {
		case len(page.Rows) == 0:
			page.Before = 0
		case rq.Search == "":
			page.Before = sel.countBefore(first)
		default:
			page.Before = 0
			for p := found(0, false); p >= 0 && p < first; p = found(p+1, false) {
				page.Before++
			}
		}
	}
	return page, nil
}

// step is the position after p in the walk's direction.
func step(p int, back bool) int {
	if back {
		return p - 1
	}
	return p + 1
}

// listSnapshot answers a list for a date the index is not for: the whole
// list from a snapshot (no lock held), then the page of it.
func (m *Model) listSnapshot(rq ListRequest) (*ListPage, error) {
	ds := m.snapshot()
	f, err := m.check(rq, ds)
	if err != nil {
		return nil, err
	}
	all := training.ListOfficers(ds, rq.AsOf, f)
	list := all[:0]
	for _, os := range all {
		if training.MatchesSearch(os.Officer, rq.Search) {
			list = append(list, os)
		}
	}
	page := &ListPage{AsOf: rq.AsOf, Revision: ds.Revision, Courses: ds.Courses, Total: len(list)}
	key := func(i int) training.ListKey { return training.ListKeyOf(list[i].Officer) }
	from, to := 0, 0
	if c := rq.Cursor; c != nil && c.Back {
		to, _ = slices.BinarySearchFunc(list, c.Key, func(os training.OfficerStatus, k training.ListKey) int {
			return training.ListKeyOf(os.Officer).Compare(k)
		})
		to = max(to-rq.Offset, 0)
		from = max(to-rq.Limit, 0)
	} else {
		if c != nil {
			i, found := slices.BinarySearchFunc(list, c.Key, func(os training.OfficerStatus, k training.ListKey) int {
				return training.ListKeyOf(os.Officer).Compare(k)
			})
			if found {
				i++
			}
			from = i
		}
		from = min(from+rq.Offset, len(list))
		to = min(from+rq.Limit, len(list))
	}
	page.Rows = slices.Clone(list[from:to])
	page.Before = from
	for _, os := range page.Rows {
		if !rq.JSON {
			break
		}
		b, err := json.Marshal(os)
		if err != nil {
			return nil, err
		}
		page.JSON = append(page.JSON, b)
	}
	if to < len(list) && to > from {
		page.Next = &Cursor{Key: key(to - 1)}
	}
	if from > 0 && to > from {
		page.Prev = &Cursor{Key: key(from), Back: true}
	}
	return page, nil
}

// exportChunk is how many rows an export takes from the model at a time
// (under its read lock), before writing them out without it.
const exportChunk = 500

// EachListed calls begin with the courses of the rows' columns, then row
// for every officer of the list rq asks for, in list order, from
// rq.Cursor on (rq.Limit and rq.Offset are ignored), a chunk at a time:
// memory holds one chunk, not the list, and the model is locked for one
// chunk at a time, never while row writes. If the courses change before
// the end, it stops with a conflict. It returns how many rows it gave.
func (m *Model) EachListed(ctx context.Context, rq ListRequest, begin func(courses []training.Course) error, row func(os training.OfficerStatus) error) (int, error) {
	rq.Limit, rq.Offset, rq.NoTotal = exportChunk, 0, true
	var courses []training.Course
	n := 0
	for {
		page, err := m.List(ctx, rq)
		if err != nil {
			return n, err
		}
		if courses == nil {
			courses = page.Courses
			if err := begin(courses); err != nil {
				return n, err
			}
		} else if !slices.EqualFunc(courses, page.Courses, func(a, b training.Course) bool { return a.ID == b.ID }) {
			return n, training.Conflictf("the courses changed during the export; download it again")
		}
		for _, os := range page.Rows {
			if err := row(os); err != nil {
				return n, err
			}
			n++
		}
		if page.Next == nil || ctx.Err() != nil {
			return n, ctx.Err()
		}
		rq.Cursor = page.Next
	}
}
