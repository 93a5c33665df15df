package ui

// What the pages compute from the cached Dataset: the caller's scope, the
// scoped report, the overdue and due-soon lists and the trend, each cached
// per store revision so a busy dashboard costs a map lookup, not a pass
// over 150,000 officers.

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/muster-police/muster/internal/reports"
	"github.com/muster-police/muster/server/web"

	"net/url"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/training"
)

// trendTTL is how long a trend is reused: snapshots are written by a
// daily job, not by uploads, so the revision does not say when they change.
const trendTTL = time.Minute

// viewer is who is looking and what they may see, at one revision.
type viewer struct {
	User  training.User
	Scope training.Scope
	DS    *training.Dataset
}

// scopeKey names the scope in cache keys: "" for everything.
func (v viewer) scopeKey() string {
	if v.Scope.All {
		return ""
	}
	// A manager's units or officer link may change without the roster
	// changing: they are part of the key, so an edit takes effect at once.
	return "user:" + v.User.Username + "\x00" + v.User.OfficerID + "\x00" + strings.Join(v.User.Units, "\x00")
}

// Staff reports whether the viewer is HR or an admin.
func (v viewer) Staff() bool {
	return v.User.Role.SeesWholeForce()
}

func (p *Pages) viewer(c echo.Context) (viewer, error) {
	u, ok := web.CurrentUser(c)
	if !ok {
		return viewer{}, training.Forbiddenf("sign in first")
	}
	ds, err := p.Live.Dataset(c.Request().Context())
	if err != nil {
		return viewer{}, err
	}
	return viewer{User: u, Scope: p.Live.Scope(u, ds), DS: ds}, nil
}

// viewerAsOf is viewer plus the ?as_of= date (today by default).
func (p *Pages) viewerAsOf(c echo.Context) (viewer, training.Date, error) {
	v, err := p.viewer(c)
	if err != nil {
		return v, training.Date{}, err
	}
	asOf, err := p.AsOfParam(c)
	return v, asOf, err
}

// unitParam reads ?unit= as people type it.
func unitParam(c echo.Context) string { return training.ParseUnit(c.QueryParam("unit")) }

// dueRow is one officer on one course in the overdue or due-soon list.
type dueRow struct {
	ID, Name, Unit string
	CourseID       string
	Course         string
	Due            training.Date
}

// dueLists are the overdue and due-soon entries under a unit, most urgent first.
type dueLists struct {
	Overdue, DueSoon []dueRow
}

func (p *Pages) dueLists(v viewer, asOf training.Date, unit string) (*dueLists, error) {
	key := "due\x00" + asOf.String() + "\x00" + unit + "\x00" + v.scopeKey()
	val, err := p.cache.Get(v.DS.Revision, key, p.Now(), 0, func() (any, error) {
		out := &dueLists{}
		ds := v.DS
		for id, o := range ds.Officers {
			if !o.Active() || !training.InUnit(o.Unit, unit) || !v.Scope.Allows(o) {
				continue
			}
			for _, c := range ds.Courses {
				cs := training.Evaluate(o, c, ds.Completions[id], ds.Exemptions[id], asOf)
				row := dueRow{ID: o.ID, Name: o.Name, Unit: o.Unit, CourseID: c.ID, Course: c.Title, Due: cs.Due}
				switch cs.Status {
				case training.StatusOverdue:
					out.Overdue = append(out.Overdue, row)
				case training.StatusDueSoon:
					out.DueSoon = append(out.DueSoon, row)
				}
			}
		}
		for _, l := range [][]dueRow{out.Overdue, out.DueSoon} {
			sort.Slice(l, func(i, j int) bool {
				if c := l[i].Due.Compare(l[j].Due); c != 0 {
					return c < 0
				}
				if l[i].Name != l[j].Name {
					return l[i].Name < l[j].Name
				}
				return l[i].ID+l[i].CourseID < l[j].ID+l[j].CourseID
			})
		}
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	return val.(*dueLists), nil
}

// officersCacheMax is the longest officer list kept in the cache.
const officersCacheMax = 20000

// officerQuery is the officer list's filters.
type officerQuery struct {
	Q, Unit, Course string
	Status          training.Status
	AsOf            training.Date
}

func (q officerQuery) values() string {
	parts := []string{}
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+url.QueryEscape(v))
		}
	}
	add("q", q.Q)
	add("unit", q.Unit)
	add("course", q.Course)
	add("status", string(q.Status))
	add("as_of", q.AsOf.String())
	return strings.Join(parts, "&")
}

// officers lists the officers matching q within v's scope (cached).
func (p *Pages) officers(v viewer, q officerQuery) ([]training.OfficerStatus, error) {
	// The API's rule: a unit outside what the viewer may see (for a
	// manager with no units and no reporting line, every unit) is refused,
	// not shown as an empty list.
	if !reports.UnitVisible(v.Scope, v.DS, q.Unit) {
		return nil, web.ErrOutOfScope
	}
	key := "officers\x00" + q.values() + "\x00" + v.scopeKey()
	val, err := p.cache.Get(v.DS.Revision, key, p.Now(), 0, func() (any, error) {
		list := training.ListOfficers(v.DS, q.AsOf, training.OfficerFilter{Unit: q.Unit, Course: q.Course, Status: q.Status, Scope: v.Scope})
		if q.Q == "" {
			return list, nil
		}
		id := training.NormalizeID(q.Q)
		needle := strings.ToLower(training.CleanText(q.Q))
		out := list[:0:0]
		for _, os := range list {
			o := os.Officer
			if o.ID == id || strings.EqualFold(o.DisplayID, q.Q) || strings.Contains(strings.ToLower(o.Name), needle) {
				out = append(out, os)
			}
		}
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	list := val.([]training.OfficerStatus)
	if len(list) > officersCacheMax {
		// A force-wide list is tens of megabytes: rebuild it when asked
		// rather than keep one per filter.
		p.cache.Forget(key)
	}
	return list, nil
}

// trend returns per-course series of percent compliant for unit from the
// daily snapshots in the 180 days up to asOf.
func (p *Pages) trend(ctx context.Context, rev int64, asOf training.Date, unit string, courses []training.Course) ([]chartSeries, error) {
	key := "trend\x00" + asOf.String() + "\x00" + unit
	val, err := p.cache.Get(rev, key, p.Now(), trendTTL, func() (any, error) {
		snaps, err := p.Store.DailySnapshots(ctx, asOf.AddDays(-180), asOf)
		if err != nil {
			return nil, err
		}
		series := make([]chartSeries, 0, len(courses))
		for _, c := range courses {
			s := chartSeries{Name: c.Title}
			for _, sn := range snaps {
				counts, ok := sn.Units[unit][c.ID]
				if !ok {
					continue
				}
				if pc := counts.Percent(); pc != nil {
					s.Points = append(s.Points, chartPoint{Date: sn.Date, Value: pc.Float()})
				}
			}
			if len(s.Points) > 0 {
				series = append(series, s)
			}
		}
		return series, nil
	})
	if err != nil {
		return nil, err
	}
	series := val.([]chartSeries)
	if len(series) == 0 {
		// No snapshot yet: look again next time, so the chart appears as
		// soon as the first daily snapshot is written.
		p.cache.Forget(key)
	}
	return series, nil
}

// page reads ?page= (1-based).
func pageParam(c echo.Context) int {
	n, err := strconv.Atoi(c.QueryParam("page"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}
