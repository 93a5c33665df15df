package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/internal/live"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

type officersView struct {
	Q, Unit, Course string
	Status          training.Status
	AsOf            training.Date
	AllCourses      []training.Course
	StatusOptions   []training.Status
	List            *officerTable
	// Heading says what the list is, from its filter (listTitle).
	Heading string
}

func (p *Pages) officerQuery(c echo.Context) (officerQuery, error) {
	asOf, err := p.AsOfParam(c)
	if err != nil {
		return officerQuery{}, err
	}
	q := officerQuery{Q: training.CleanText(c.QueryParam("q")), Unit: unitParam(c), Course: c.QueryParam("course"), AsOf: asOf}
	if s := c.QueryParam("status"); s != "" {
		st, ok := training.ParseStatus(s)
		if !ok {
			return q, training.Invalidf("%q is not a status", s)
		}
		q.Status = st
	}
	return q, nil
}

// Officers shows a page of the officer list from the live model's
// list index, 100 a page, with links to the next and previous pages
// (?cursor=) that stay put while completions are posted.
func (p *Pages) Officers(c echo.Context) error {
	rq, q, err := p.listQuery(c)
	if err != nil {
		return err
	}
	rq.Limit = officersPageSize
	ctx := c.Request().Context()
	if q.Q != "" && rq.Cursor == nil {
		// One exact match from a search goes straight to the officer.
		page, err := p.Live.List(ctx, rq)
		if err != nil {
			return err
		}
		if page.Total == 1 && len(page.Rows) == 1 {
			return c.Redirect(http.StatusSeeOther, "/officers/"+url.PathEscape(page.Rows[0].Officer.ID)+"?as_of="+q.AsOf.String())
		}
	}
	if err := p.Live.Current(ctx); err != nil {
		return err
	}
	// The body depends on the page of the list, the query and whose
	// cursors its links carry (the user, as their scope stands): rendered
	// once per revision and shared by the same user's repeated reads (the
	// template was nine tenths of the page's time); the layout is per
	// request.
	key := "officers\x00" + q.values() + "\x00" + c.QueryParam("cursor") + "\x00" + web.UserKey(rq.User)
	val, err := p.cache.Get(p.Live.Revision(), key, p.Now(), 0, func() (any, error) {
		// The model may have moved on since: newer rows than the key's
		// revision, which the next revision's first read replaces.
		page, err := p.Live.List(ctx, rq)
		if err != nil {
			return nil, err
		}
		view := &officersView{Q: q.Q, Unit: q.Unit, Course: q.Course, Status: q.Status, AsOf: q.AsOf,
			AllCourses: page.Courses, StatusOptions: training.Statuses}
		view.List = p.pagedTable(q, rq, page, "/officers")
		view.Heading, _ = listTitle(q, page.Courses, p.Today(), page.Total)
		html, err := p.renderer.content("officers", &pageView{Title: view.Heading, Data: view})
		if err != nil {
			return nil, err
		}
		return &renderedBody{title: view.Heading, html: html, keep: true}, nil
	})
	if err != nil {
		return err
	}
	body := val.(*renderedBody)
	return p.renderBody(c, http.StatusOK, body.title, body.html)
}

// listQuery reads the officer list's filters and cursor for the signed-in
// user. It does not copy the model (as viewer does): a list page reads
// only the rows it shows.
func (p *Pages) listQuery(c echo.Context) (live.ListRequest, officerQuery, error) {
	u, ok := web.CurrentUser(c)
	if !ok {
		return live.ListRequest{}, officerQuery{}, training.Forbiddenf("sign in first")
	}
	q, err := p.officerQuery(c)
	if err != nil {
		return live.ListRequest{}, q, err
	}
	rq := live.ListRequest{User: u, Filter: training.OfficerFilter{Unit: q.Unit, Course: q.Course, Status: q.Status}, Search: q.Q, AsOf: q.AsOf}
	rq.Cursor, err = p.DecodeCursor(c.QueryParam("cursor"), rq)
	return rq, q, err
}

// pagedTable is a page of the list with its pager: From–To of Total,
// and links to the first, previous and next pages.
func (p *Pages) pagedTable(q officerQuery, rq live.ListRequest, page *live.ListPage, path string) *officerTable {
	qs := q.values()
	t := &officerTable{Courses: page.Courses, Rows: page.Rows,
		ExportXLSX: "/export/officers.xlsx?" + qs, ExportCSV: "/export/officers.csv?" + qs}
	t.Pager = pagerView{From: page.Before + 1, To: page.Before + len(page.Rows), Total: page.Total}
	if len(page.Rows) == 0 {
		t.Pager.From = 0
	}
	link := func(cur *live.Cursor) string {
		if cur == nil {
			return ""
		}
		return path + "?" + qs + "&cursor=" + p.EncodeCursor(cur, rq)
	}
	t.Pager.Next, t.Pager.Prev = link(page.Next), link(page.Prev)
	if page.Before > 0 {
		t.Pager.First = path + "?" + qs
	}
	return t
}

// officerRow is one course on the officer page.
type officerRow struct {
	Course training.Course
	Status training.CourseStatus
	// On an officer's own page (requests.go): what they may ask.
	OpenRequest        string // their open request about the course, in words
	CanExtend          bool
	MinUntil, MaxUntil training.Date
	CanClaim           bool
}

type historyRow struct{ Course, Date, Source string }

type officerView struct {
	Officer  training.Officer
	AsOf     training.Date
	Rows     []officerRow
	History  []historyRow
	UnitLink string
	Public   bool
	// An officer's own page: their link token (the forms post to it),
	// their requests, the form left open with its problems and typed values.
	Token    string
	CSRF     string // a signed-in browser's token, sent by the forms too
	Requests []meRequestRow
	OpenForm string
	Errors   formErrors
	Typed    map[string]string
}

func officerPage(st training.OfficerStatus, courses []training.Course, asOf training.Date) *officerView {
	v := &officerView{Officer: st.Officer, AsOf: asOf}
	for i, c := range courses {
		if i < len(st.Courses) {
			v.Rows = append(v.Rows, officerRow{Course: c, Status: st.Courses[i]})
		}
	}
	return v
}

// addHistory lists every recorded completion, newest first (staff and managers only).
func (v *officerView) addHistory(rec training.OfficerRecord, courses []training.Course) {
	title := map[string]string{}
	for _, c := range courses {
		title[c.ID] = c.Title
	}
	comps := append([]training.Completion(nil), rec.Completions...)
	sort.Slice(comps, func(i, j int) bool { return comps[i].Date.After(comps[j].Date) })
	for _, cp := range comps {
		d := cp.Date.UK()
		if cp.DateUnknown {
			d += " (date not given)"
		}
		v.History = append(v.History, historyRow{Course: orStr(title[cp.CourseID], cp.CourseID), Date: d, Source: sourceText(cp.Source)})
	}
	if len(v.History) <= 1 {
		v.History = nil // the table above already says it
	}
}

func orStr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (p *Pages) Officer(c echo.Context) error {
	v, asOf, err := p.viewerAsOf(c)
	if err != nil {
		return err
	}
	rec, err := p.Store.Officer(c.Request().Context(), training.NormalizeID(c.Param("id")))
	if errors.Is(err, training.ErrNotFound) || err == nil && !v.Scope.Allows(rec.Officer) {
		// The same answer either way: a manager must not learn who exists elsewhere.
		return web.ErrNoSuchOfficer
	}
	if err != nil {
		return err
	}
	p.Audit(c, training.AuditOfficerViewed, training.TargetOfficer, rec.Officer.ID, training.AuditOK, "page")
	view := officerPage(training.EvaluateOfficer(rec.Officer, v.DS.Courses, rec.Completions, rec.Exemptions, asOf), v.DS.Courses, asOf)
	view.addHistory(rec, v.DS.Courses)
	if v.Scope.AllowsUnit(rec.Officer.Unit) {
		view.UnitLink = "/?unit=" + url.QueryEscape(rec.Officer.Unit) + "&as_of=" + asOf.String()
	}
	return p.render(c, http.StatusOK, "officer", rec.Officer.Name, view)
}

// Me is an officer's own status page, opened from a signed link.
func (p *Pages) Me(c echo.Context) error {
	st, courses, err := p.OfficerStatusForLink(c.Request().Context(), c.Param("token"))
	if err != nil {
		if errors.Is(err, training.ErrForbidden) {
			// Officers have no login: say what to do instead.
			c.Response().Header().Set("Referrer-Policy", "no-referrer")
			return p.render(c, http.StatusForbidden, "error", "This link has expired", struct {
				Message  string
				SignedIn bool
			}{"Links in reminder emails work for a limited time, and this one is no longer valid. Nothing is wrong with your record.", false})
		}
		return err
	}
	// same-origin, not no-referrer: the link never leaves for another
	// site (a course's URL), while the page's request forms still carry
	// an Origin (under no-referrer a browser sends "Origin: null", which
	// checkCSRF refuses).
	c.Response().Header().Set("Referrer-Policy", "same-origin")
	c.Response().Header().Set("X-Robots-Tag", "noindex")
	view := officerPage(st, courses, p.Today())
	view.Public = true
	if err := p.meRequestParts(c, view, c.Param("token")); err != nil {
		return err
	}
	view.Rows = slices.DeleteFunc(view.Rows, func(r officerRow) bool { return !r.Status.Required() })
	return p.render(c, http.StatusOK, "officer", "Your training", view)
}

// ExportOfficers downloads the officer list (same filters as the
// page) as xlsx or csv, streamed from the live model.
func (p *Pages) ExportOfficers(c echo.Context) error {
	format := c.Param("format")
	if format != "xlsx" && format != "csv" {
		return training.Invalidf("format must be xlsx or csv")
	}
	rq, q, err := p.listQuery(c)
	if err != nil {
		return err
	}
	var courses []training.Course
	p.Live.View(func(ds *training.Dataset) {
		if ds != nil {
			courses = ds.Courses
		}
	})
	_, name := listTitle(q, courses, p.Today(), 0)
	n, err := p.ExportList(c, rq, format, name)
	if err != nil {
		if c.Response().Committed {
			p.Log.Warn("officers export cut short", "format", format, "rows", n, "err", err)
			return nil
		}
		return err
	}
	p.Audit(c, training.AuditExport, "", "", training.AuditOK, fmt.Sprintf("officers %s as_of=%s rows=%d", format, q.AsOf, n))
	return nil
}
