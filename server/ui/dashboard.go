package ui

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/muster-police/muster/internal/reports"
	"github.com/muster-police/muster/server/web"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/training"
)

// dueListLimit is how many overdue / due-soon rows the dashboard shows;
// "see all" opens the officer list with the same filter.
const dueListLimit = 10

// officersPageSize is the officer list's page length.
const officersPageSize = 100

type crumb struct{ Label, Href string }

type dueListView struct {
	Rows                        []dueRow
	Total                       int
	More, ExportXLSX, ExportCSV string
}

type pagerView struct {
	From, To, Total   int
	First, Prev, Next string
}

// officerTable is a page of officers with their status on every course.
type officerTable struct {
	Courses               []training.Course
	Rows                  []training.OfficerStatus
	Pager                 pagerView
	ExportXLSX, ExportCSV string
}

type dashboardView struct {
	Empty, CanUpload, CanLoadDemo bool
	// AllScope is false for a manager, who sees only part of the force.
	AllScope bool
	// NobodyInScope: a manager whose units and reporting line hold nobody.
	NobodyInScope bool

	AsOf           training.Date
	Unit, UnitName string
	// Heading names what the figures count: the unit, "Whole force", or a
	// manager's scope root ("Your units", or their one unit's path).
	Heading  string
	Crumbs   []crumb
	Node     *training.ReportNode
	Children []childRow
	Officers *officerTable
	Overdue  dueListView
	DueSoon  dueListView
	Trend    template.HTML

	ExportXLSX, ExportCSV string
}

func (p *Pages) Dashboard(c echo.Context) error {
	if u, ok := web.CurrentUser(c); ok && !u.Role.SeesFigures() {
		// A trainer sees no figures: their home is the Registers page.
		return c.Redirect(http.StatusSeeOther, "/registers")
	}
	v, asOf, err := p.viewerAsOf(c)
	if err != nil {
		return err
	}
	if v.User.MustChangePassword {
		return c.Redirect(http.StatusSeeOther, "/account/password")
	}
	if len(v.DS.Officers) == 0 {
		view := &dashboardView{AsOf: asOf, CanUpload: v.Staff(), Empty: true,
			CanLoadDemo: p.Cfg.DemoAllowed && v.User.Role == training.RoleAdmin}
		return p.render(c, http.StatusOK, "dashboard", "Dashboard", view)
	}
	// The page body depends only on the data, the date, the unit, the
	// page of officers and the scope: it is rendered once per revision
	// (and minute, for the trend) and shared; the layout around it
	// (user, CSRF token, notices) is rendered per request.
	unit := unitParam(c)
	key := "dash\x00" + asOf.String() + "\x00" + unit + "\x00" + v.scopeKey() + "\x00" + strconv.Itoa(pageParam(c))
	val, err := p.cache.Get(v.DS.Revision, key, p.Now(), trendTTL, func() (any, error) {
		return p.dashboardBody(c, v, asOf, unit)
	})
	if err != nil {
		return err
	}
	body := val.(*renderedBody)
	if !body.keep {
		p.cache.Forget(key)
	}
	return p.renderBody(c, http.StatusOK, body.title, body.html)
}

// renderedBody is a page's content, rendered without the layout.
type renderedBody struct {
	title string
	html  template.HTML
	keep  bool // false: do not reuse it (e.g. the trend may appear any minute)
}

func (p *Pages) dashboardBody(c echo.Context, v viewer, asOf training.Date, unit string) (*renderedBody, error) {
	view := &dashboardView{AsOf: asOf, CanUpload: v.Staff(), AllScope: v.Scope.All}
	rq, err := reports.For(v.DS, p.Live.Units(v.DS), reports.Viewer{User: v.User, Scope: v.Scope}, reports.Request{Unit: unit, AsOf: asOf.String()}, p.Today())
	if err != nil {
		return nil, err
	}
	r, _, err := p.Report(v.User, v.DS, rq)
	if err != nil {
		return nil, err
	}
	view.Unit, view.Node = unit, &r.ReportNode
	view.Children = childRows(r, asOf)
	view.NobodyInScope = !v.Scope.All && unit == "" && len(r.Units) == 0 && nodeEmpty(&r.ReportNode)
	view.UnitName = LastUnitPart(unit)
	view.Heading = r.Name()
	if unit != "" {
		view.Heading = view.UnitName
	}
	view.Crumbs = p.unitCrumbs(c, v, unit, asOf)
	q := "as_of=" + asOf.String()
	if unit != "" {
		q += "&unit=" + url.QueryEscape(unit)
	}
	view.ExportXLSX = "/api/v1/compliance/export?format=xlsx&" + q
	view.ExportCSV = "/api/v1/compliance/export?format=csv&" + q

	if len(r.Units) == 0 {
		// A team (a leaf), or a manager's reporting line: list its officers.
		oq := officerQuery{Unit: r.Unit, AsOf: asOf}
		list, err := p.officers(v, oq)
		if err != nil {
			return nil, err
		}
		view.Officers = p.officerTable(c, v, oq, list, "/")
	}
	lists, err := p.dueLists(v, asOf, unit)
	if err != nil {
		return nil, err
	}
	view.Overdue = dueList(lists.Overdue, officerQuery{Unit: unit, Status: training.StatusOverdue, AsOf: asOf})
	view.DueSoon = dueList(lists.DueSoon, officerQuery{Unit: unit, Status: training.StatusDueSoon, AsOf: asOf})

	keep := true
	if r.Label == "" && v.Scope.AllowsUnit(r.Unit) {
		// Snapshots hold whole units: a labelled root has no trend.
		series, err := p.trend(c.Request().Context(), v.DS.Revision, asOf, r.Unit, v.DS.Courses)
		if err != nil {
			return nil, err
		}
		keep = len(series) > 0
		if len(series) > 0 {
			title := "Percent compliant over time"
			if r.Unit != "" {
				title += ", " + r.Unit
			}
			view.Trend = lineChart(title, series)
		}
	}
	// A unique title per unit: the full path, most specific part first.
	title := view.Heading + " · Dashboard"
	if r.Unit != "" && r.Label == "" {
		parts := training.SplitUnit(r.Unit)
		slices.Reverse(parts)
		title = strings.Join(parts, ", ") + " · Dashboard"
	}
	html, err := p.renderer.content("dashboard", &pageView{Title: title, Data: view})
	if err != nil {
		return nil, err
	}
	return &renderedBody{title: title, html: html, keep: keep}, nil
}

// nodeEmpty reports whether a report node counts nobody.
func nodeEmpty(n *training.ReportNode) bool {
	for _, c := range n.Courses {
		if c.Required > 0 || c.Exempt > 0 {
			return false
		}
	}
	return true
}

func dueList(rows []dueRow, q officerQuery) dueListView {
	l := dueListView{Total: len(rows), Rows: rows}
	if len(l.Rows) > dueListLimit {
		l.Rows = l.Rows[:dueListLimit]
	}
	qs := q.values()
	l.More = "/officers?" + qs
	l.ExportXLSX = "/export/officers.xlsx?" + qs
	l.ExportCSV = "/export/officers.csv?" + qs
	return l
}

// officerTable pages list for the page at path (the pager keeps the query).
func (p *Pages) officerTable(c echo.Context, v viewer, q officerQuery, list []training.OfficerStatus, path string) *officerTable {
	t := &officerTable{Courses: v.DS.Courses}
	page := pageParam(c)
	from := (page - 1) * officersPageSize
	if from > len(list) {
		from = 0
		page = 1
	}
	to := min(from+officersPageSize, len(list))
	t.Rows = list[from:to]
	qs := q.values()
	link := func(n int) string {
		u := path + "?" + qs
		if n > 1 {
			u += "&page=" + web.Itoa(n)
		}
		return u
	}
	t.Pager = pagerView{From: from + 1, To: to, Total: len(list)}
	if len(list) == 0 {
		t.Pager.From = 0
	}
	if page > 1 {
		t.Pager.Prev = link(page - 1)
	}
	if to < len(list) {
		t.Pager.Next = link(page + 1)
	}
	t.ExportXLSX = "/export/officers.xlsx?" + qs
	t.ExportCSV = "/export/officers.csv?" + qs
	return t
}

func LastUnitPart(u string) string {
	parts := training.SplitUnit(u)
	if len(parts) == 0 {
		return ""
	}
	return parts[len(parts)-1]
}

// childRow is one line of the units table: a unit below the root, or a
// manager's reporting line (which links to the officer list).
type childRow struct {
	Label, Href string
	// Matrix links the unit's team matrix ("" for a row that is not a unit).
	Matrix string
	Node   *training.ReportNode
}

// childRows are the rows under r's root. Below a manager's "Your units"
// root each scope unit shows its full path: its parents are not theirs.
func childRows(r *training.Report, asOf training.Date) []childRow {
	out := make([]childRow, 0, len(r.Units))
	for _, n := range r.Units {
		row := childRow{Node: n, Label: LastUnitPart(n.Unit), Href: "/?unit=" + url.QueryEscape(n.Unit) + "&as_of=" + asOf.String(),
			Matrix: web.MatrixHref(n.Unit, asOf)}
		switch {
		case n.Label != "":
			row.Label, row.Href, row.Matrix = n.Label, "/officers?as_of="+asOf.String(), ""
		case r.Label != "":
			row.Label = n.Unit
		}
		out = append(out, row)
	}
	return out
}

// unitCrumbs links each ancestor of unit the viewer may see whole: from the
// force for HR, from the manager's scope root for a manager.
func (p *Pages) unitCrumbs(c echo.Context, v viewer, unit string, asOf training.Date) []crumb {
	if unit == "" {
		return nil
	}
	top := "/?as_of=" + asOf.String()
	var out []crumb
	if v.Scope.All {
		out = append(out, crumb{Label: "Whole force", Href: top})
	} else if units, outside := training.ScopeRoots(v.DS, v.Scope); len(units) != 1 || len(outside) > 0 {
		out = append(out, crumb{Label: training.LabelYourUnits, Href: top})
	}
	anc := training.UnitAncestors(unit)
	for i, a := range anc {
		if !v.Scope.AllowsUnit(a) {
			continue
		}
		cr := crumb{Label: LastUnitPart(a)}
		if i < len(anc)-1 {
			cr.Href = "/?unit=" + url.QueryEscape(a) + "&as_of=" + asOf.String()
		}
		out = append(out, cr)
	}
	if len(out) < 2 {
		return nil
	}
	return out
}
