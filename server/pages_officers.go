package server

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/internal/export"
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

func (p *webPages) officerQuery(c echo.Context) (officerQuery, error) {
	asOf, err := p.asOfParam(c)
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

// viewerQuery is viewer plus the officer list's filters.
func (p *webPages) viewerQuery(c echo.Context) (viewer, officerQuery, error) {
	v, err := p.viewer(c)
	if err != nil {
		return v, officerQuery{}, err
	}
	q, err := p.officerQuery(c)
	return v, q, err
}

func (p *webPages) pageOfficers(c echo.Context) error {
	v, q, err := p.viewerQuery(c)
	if err != nil {
		return err
	}
	if q.Course != "" {
		if _, err := training.SelectCourses(v.DS.Courses, []string{q.Course}); err != nil {
			return err
		}
	}
	list, err := p.officers(v, q)
	if err != nil {
		return err
	}
	// One exact match from a search goes straight to the officer.
	if q.Q != "" && len(list) == 1 && c.QueryParam("page") == "" {
		return c.Redirect(http.StatusSeeOther, "/officers/"+url.PathEscape(list[0].Officer.ID)+"?as_of="+q.AsOf.String())
	}
	view := &officersView{Q: q.Q, Unit: q.Unit, Course: q.Course, Status: q.Status, AsOf: q.AsOf,
		AllCourses: v.DS.Courses, StatusOptions: training.Statuses}
	view.List = p.officerTable(c, v, q, list, "/officers")
	view.Heading, _ = listTitle(q, v.DS.Courses, p.today(), len(list))
	return p.render(c, http.StatusOK, "officers", view.Heading, view)
}

// officerRow is one course on the officer page.
type officerRow struct {
	Course training.Course
	Status training.CourseStatus
	// On an officer's own page (pages_requests.go): what they may ask.
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

func (p *webPages) pageOfficer(c echo.Context) error {
	v, asOf, err := p.viewerAsOf(c)
	if err != nil {
		return err
	}
	rec, err := p.store.Officer(c.Request().Context(), training.NormalizeID(c.Param("id")))
	if errors.Is(err, training.ErrNotFound) || err == nil && !v.Scope.Allows(rec.Officer) {
		// The same answer either way: a manager must not learn who exists elsewhere.
		return errNoSuchOfficer
	}
	if err != nil {
		return err
	}
	p.audit(c, training.AuditOfficerViewed, training.TargetOfficer, rec.Officer.ID, training.AuditOK, "page")
	view := officerPage(training.EvaluateOfficer(rec.Officer, v.DS.Courses, rec.Completions, rec.Exemptions, asOf), v.DS.Courses, asOf)
	view.addHistory(rec, v.DS.Courses)
	if v.Scope.AllowsUnit(rec.Officer.Unit) {
		view.UnitLink = "/?unit=" + url.QueryEscape(rec.Officer.Unit) + "&as_of=" + asOf.String()
	}
	return p.render(c, http.StatusOK, "officer", rec.Officer.Name, view)
}

// pageMe is an officer's own status page, opened from a signed link.
func (p *webPages) pageMe(c echo.Context) error {
	st, courses, err := p.officerStatusForLink(c.Request().Context(), c.Param("token"))
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
	view := officerPage(st, courses, p.today())
	view.Public = true
	if err := p.meRequestParts(c, view, c.Param("token")); err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "officer", "Your training", view)
}

// pageExportOfficers downloads the officer list (same filters as the page) as xlsx or csv.
func (p *webPages) pageExportOfficers(c echo.Context) error {
	v, q, err := p.viewerQuery(c)
	if err != nil {
		return err
	}
	list, err := p.officers(v, q)
	if err != nil {
		return err
	}
	p.audit(c, training.AuditExport, "", "", training.AuditOK, fmt.Sprintf("officers %s as_of=%s rows=%d", c.Param("format"), q.AsOf, len(list)))
	var buf bytes.Buffer
	_, name := listTitle(q, v.DS.Courses, p.today(), len(list))
	switch c.Param("format") {
	case "xlsx":
		if err := export.OfficersXLSX(&buf, list, v.DS.Courses); err != nil {
			return err
		}
		return attachment(c, name+".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
	case "csv":
		if err := export.OfficersCSV(&buf, list, v.DS.Courses); err != nil {
			return err
		}
		return attachment(c, name+".csv", "text/csv; charset=utf-8", buf.Bytes())
	}
	return training.Invalidf("format must be xlsx or csv")
}

func attachment(c echo.Context, name, ctype string, b []byte) error {
	name = strings.Map(func(r rune) rune {
		if r == '"' || r == '\\' || r < ' ' {
			return '_'
		}
		return r
	}, name)
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, ctype, b)
}
