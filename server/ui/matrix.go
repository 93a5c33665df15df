package ui

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/internal/export"
	"github.com/muster-police/muster/internal/matrix"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// matrixPageSize is how many people one page of the matrix shows.
const matrixPageSize = 100

// matrixView is the team matrix page.
type matrixView struct {
	M             *matrix.Matrix
	Rows          []matrix.Row
	Pager         pagerView
	StatusOptions []training.Status
	Sorts         []matrixSortOption
	ExportXLSX    string
	Heading       string
}

type matrixSortOption struct {
	Value matrix.Sort
	Label string
}

// matrixSortLabels words the orders for the sort picker.
var matrixSortLabels = map[matrix.Sort]string{
	matrix.SortOverdue: "Most overdue first",
	matrix.SortName:    "Name",
	matrix.SortUnit:    "Unit, then name",
}

// matrixQuery is the page's filters as a query string (without page).
func matrixQuery(m *matrix.Matrix) string {
	v := url.Values{}
	v.Set("unit", m.Unit)
	v.Set("as_of", m.AsOf.String())
	v.Set("sort", string(m.Sort))
	if m.Status != "" {
		v.Set("status", string(m.Status))
	}
	return v.Encode()
}

// Matrix is the team matrix: people × courses, a page at a time.
func (p *Pages) Matrix(c echo.Context) error {
	m, err := p.TeamMatrix(c)
	if field := training.FieldOf(err); field != "" && (training.KindOf(err) == training.KindInvalid || training.KindOf(err) == training.KindNotFound) {
		// A unit too big or unknown, a bad date: the form again with the
		// problem beside the field (HR's first visit, with no unit, on a
		// large force lands here and is asked for one).
		var errs formErrors
		errs.add(field, training.MessageOf(err))
		m = &matrix.Matrix{Unit: training.ParseUnit(c.QueryParam("unit")), Sort: matrix.SortOverdue}
		return p.renderForm(c, "matrix", "Team matrix", errs, p.matrixView(m))
	}
	if err != nil {
		return err
	}
	view := p.matrixView(m)
	p.pageRows(c, view)
	return p.render(c, http.StatusOK, "matrix", view.Heading, view)
}

// matrixView is the page's view of m, before paging.
func (p *Pages) matrixView(m *matrix.Matrix) *matrixView {
	view := &matrixView{M: m, StatusOptions: append(append([]training.Status{}, training.Statuses...), training.StatusNotRequired),
		ExportXLSX: "/matrix.xlsx?" + matrixQuery(m), Heading: "Team matrix"}
	if m.Unit != "" {
		view.Heading = "Team matrix: " + m.Unit
	}
	for _, s := range matrix.Sorts {
		view.Sorts = append(view.Sorts, matrixSortOption{Value: s, Label: matrixSortLabels[s]})
	}
	return view
}

// pageRows picks the page of rows ?page= asks for, with the pager's links.
func (p *Pages) pageRows(c echo.Context, view *matrixView) {
	m := view.M
	page := pageParam(c)
	from := (page - 1) * matrixPageSize
	if from > len(m.Rows) {
		from, page = 0, 1
	}
	to := min(from+matrixPageSize, len(m.Rows))
	view.Rows = m.Rows[from:to]
	view.Pager = pagerView{From: from + 1, To: to, Total: len(m.Rows)}
	if len(m.Rows) == 0 {
		view.Pager.From = 0
	}
	link := func(n int) string { return "/matrix?" + matrixQuery(m) + "&page=" + web.Itoa(n) }
	if page > 1 {
		view.Pager.Prev = link(page - 1)
	}
	if to < len(m.Rows) {
		view.Pager.Next = link(page + 1)
	}
}

// MatrixXLSX downloads the whole matrix (every page) as a workbook
// with the page's layout.
func (p *Pages) MatrixXLSX(c echo.Context) error {
	m, err := p.TeamMatrix(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := export.MatrixXLSX(&buf, m); err != nil {
		return fmt.Errorf("matrix export: %w", err)
	}
	p.Audit(c, training.AuditExport, "", "", training.AuditOK, fmt.Sprintf("matrix xlsx as_of=%s rows=%d", m.AsOf, len(m.Rows)))
	name := "matrix-" + m.AsOf.String()
	if parts := training.SplitUnit(m.Unit); len(parts) > 0 {
		name = "matrix-" + strings.ReplaceAll(parts[len(parts)-1], " ", "-") + "-" + m.AsOf.String()
	}
	return web.Attachment(c, name+".xlsx", web.ExportTypes["xlsx"], buf.Bytes())
}
