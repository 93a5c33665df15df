package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/internal/live"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// maxPageSize caps one page of the officers list.
const maxPageSize = 1000

// OfficersResponse is one page of the officers list.
type OfficersResponse struct {
	AsOf     training.Date            `json:"as_of"`
	Total    int                      `json:"total"`
	Offset   int                      `json:"offset"`
	Limit    int                      `json:"limit"`
	Officers []training.OfficerStatus `json:"officers"`
	// NextCursor and PrevCursor ask for the neighbouring pages
	// (?cursor=); "" at an end.
	NextCursor string `json:"next_cursor,omitempty"`
	PrevCursor string `json:"prev_cursor,omitempty"`
}

// Officers lists officers within the caller's scope, filtered by unit
// subtree, course, status and a search (?q: ID or words of the name), a
// page at a time from the live model's list index: ?cursor (from the last
// page's next_cursor or prev_cursor) and ?limit, or ?offset; ?format=csv|xlsx
// streams the whole filtered list.
func (s *Handler) Officers(c echo.Context) error {
	format, err := web.ExportFormat(c, true)
	if err != nil {
		return err
	}
	asOf, err := s.AsOfParam(c)
	if err != nil {
		return err
	}
	f := training.OfficerFilter{Unit: training.ParseUnit(c.QueryParam("unit")), Course: c.QueryParam("course")}
	if v := c.QueryParam("status"); v != "" {
		st, ok := training.ParseStatus(v)
		if !ok {
			return training.Invalidf("status must be one of compliant, overdue, due_soon, outstanding, exempt, not_required")
		}
		f.Status = st
		f.Leavers = st == training.StatusNotRequired
	}
	f.Leavers = f.Leavers || c.QueryParam("leavers") == "true"
	u, ok := web.CurrentUser(c)
	if !ok {
		return web.ErrUnauthenticated
	}
	rq := live.ListRequest{User: u, Filter: f, Search: strings.TrimSpace(c.QueryParam("q")), AsOf: asOf}
	if rq.Cursor, err = s.DecodeCursor(c.QueryParam("cursor"), rq); err != nil {
		return err
	}
	if format != "json" {
		n, err := s.ExportList(c, rq, format, "officers-"+asOf.String())
		if err != nil {
			if c.Response().Committed {
				s.Log.Warn("officers export cut short", "format", format, "rows", n, "err", err)
				return nil
			}
			return err
		}
		s.Audit(c, training.AuditExport, "", "", training.AuditOK, fmt.Sprintf("officers %s as_of=%s rows=%d", format, asOf, n))
		return nil
	}
	if rq.Offset, rq.Limit, err = paging(c, 100); err != nil {
		return err
	}
	ctx := c.Request().Context()
	if _, pretty := c.QueryParams()["pretty"]; pretty {
		page, err := s.Live.List(ctx, rq)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, apiOfficersPage(s, rq, page))
	}
	// The same page for the same user is encoded once per revision; its
	// rows come as the model keeps them encoded.
	if err := s.Live.Current(ctx); err != nil {
		return err
	}
	key := c.QueryString() + "\x00" + web.UserKey(u)
	val, err := s.lists.Get(s.Live.Revision(), key, s.Now(), 0, func() (any, error) {
		rq.JSON = true
		page, err := s.Live.List(ctx, rq)
		if err != nil {
			return nil, err
		}
		return WithRows(apiOfficersPage(s, rq, page), page.JSON)
	})
	if err != nil {
		return err
	}
	return c.JSONBlob(http.StatusOK, val.([]byte))
}

// apiOfficersPage is the API's answer for page.
func apiOfficersPage(s *Handler, rq live.ListRequest, page *live.ListPage) OfficersResponse {
	return OfficersResponse{AsOf: rq.AsOf, Total: page.Total, Offset: rq.Offset, Limit: rq.Limit, Officers: page.Rows,
		NextCursor: s.EncodeCursor(page.Next, rq), PrevCursor: s.EncodeCursor(page.Prev, rq)}
}

// WithRows is what c.JSON writes for resp, made with rows (the JSON of
// resp.Officers, one each) instead of encoding the officers again: resp
// is encoded without them and the rows go between the brackets.
func WithRows(resp OfficersResponse, rows [][]byte) ([]byte, error) {
	resp.Officers = []training.OfficerStatus{}
	var env bytes.Buffer
	if err := json.NewEncoder(&env).Encode(resp); err != nil {
		return nil, err
	}
	head, tail, ok := bytes.Cut(env.Bytes(), []byte(`"officers":[]`))
	if !ok {
		return nil, errors.New("officers response: no officers field")
	}
	size := len(head) + len(tail) + len(rows) + 16
	for _, r := range rows {
		size += len(r)
	}
	out := make([]byte, 0, size)
	out = append(append(out, head...), `"officers":[`...)
	for i, r := range rows {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, r...)
	}
	return append(append(out, ']'), tail...), nil
}

func paging(c echo.Context, defLimit int) (offset, limit int, err error) {
	limit = defLimit
	if v := c.QueryParam("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 {
			return 0, 0, training.Invalidf("limit must be a positive whole number")
		}
	}
	if v := c.QueryParam("offset"); v != "" {
		if offset, err = strconv.Atoi(v); err != nil || offset < 0 {
			return 0, 0, training.Invalidf("offset must be a whole number, 0 or more")
		}
	}
	return offset, min(limit, maxPageSize), nil
}

// OfficerResponse is one officer: status on every course plus history.
type OfficerResponse struct {
	AsOf training.Date `json:"as_of"`
	training.OfficerStatus
	Completions []training.Completion `json:"completions"`
	Exemptions  []training.Exemption  `json:"exemptions"`
}

// Officer shows one officer; outside the caller's scope it does not
// exist (404, so IDs cannot be probed).
func (s *Handler) Officer(c echo.Context) error {
	asOf, err := s.AsOfParam(c)
	if err != nil {
		return err
	}
	sc, ds, err := s.ScopeOf(c)
	if err != nil {
		return err
	}
	id := training.NormalizeID(c.Param("id"))
	rec, err := s.Store.Officer(c.Request().Context(), id)
	if errors.Is(err, training.ErrNotFound) || err == nil && !sc.Allows(rec.Officer) {
		return web.ErrNoSuchOfficer
	}
	if err != nil {
		return err
	}
	s.Audit(c, training.AuditOfficerViewed, training.TargetOfficer, id, training.AuditOK, "api")
	return c.JSON(http.StatusOK, OfficerResponse{
		AsOf:          asOf,
		OfficerStatus: training.EvaluateOfficer(rec.Officer, ds.Courses, rec.Completions, rec.Exemptions, asOf),
		Completions:   nonNil(rec.Completions),
		Exemptions:    nonNil(rec.Exemptions),
	})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// meCourse is one course on an officer's own status page: only what the
// officer needs, nothing about who recorded it.
type meCourse struct {
	Course      string          `json:"course"`
	Title       string          `json:"title"`
	URL         string          `json:"url,omitempty"`
	Status      training.Status `json:"status"`
	Completed   training.Date   `json:"completed"`
	DateUnknown bool            `json:"date_unknown,omitempty"`
	Expires     training.Date   `json:"expires"`
	Due         training.Date   `json:"due"`
	ExemptUntil training.Date   `json:"exempt_until"`
}

// MeResponse is an officer's own status (GET /api/v1/me/:token).
type MeResponse struct {
	AsOf      training.Date `json:"as_of"`
	Name      string        `json:"name"`
	DisplayID string        `json:"display_id"`
	Unit      string        `json:"unit"`
	Courses   []meCourse    `json:"courses"`
}

// Me answers an officer's signed link with their own status, read-only.
func (s *Handler) Me(c echo.Context) error {
	st, courses, err := s.OfficerStatusForLink(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, no-store")
	return c.JSON(http.StatusOK, meView(st, courses, s.Today()))
}

func meView(st training.OfficerStatus, courses []training.Course, asOf training.Date) MeResponse {
	resp := MeResponse{AsOf: asOf, Name: st.Officer.Name, DisplayID: st.Officer.DisplayID, Unit: st.Officer.Unit, Courses: []meCourse{}}
	for i, cs := range st.Courses {
		if !cs.Required() {
			continue
		}
		mc := meCourse{Course: cs.CourseID, Title: courses[i].Title, URL: courses[i].URL, Status: cs.Status, Expires: cs.Expires, Due: cs.Due}
		if cs.Completion != nil {
			mc.Completed, mc.DateUnknown = cs.Completion.Date, cs.Completion.DateUnknown
		}
		if cs.Exemption != nil {
			mc.ExemptUntil = cs.Exemption.Until
		}
		resp.Courses = append(resp.Courses, mc)
	}
	return resp
}

// CompletionInput is one completion posted by a learning platform.
type CompletionInput struct {
	OfficerID string `json:"officer_id"`
	Course    string `json:"course"`
	Date      string `json:"date"`
}

// CompletionsResponse says what a POST /completions recorded.
type CompletionsResponse struct {
	ImportID string `json:"import_id"`
	Recorded int    `json:"recorded"`
	Revision int64  `json:"revision"`
}

// maxCompletionsPerCall keeps one call inside the small body limit anyway.
const maxCompletionsPerCall = 10000

// Completions records completions from a learning platform: every item
// is checked (known officer, known course or alias, a date not in the
// future) before anything is written, then all are written at once,
// together with the other posts of the moment (see committer). The
// response comes once the completions are durable in the store. Posts of
// one client within one hour share one history entry; each completion
// keeps its own time and author.
func (s *Handler) Completions(c echo.Context) error {
	var in []CompletionInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	if len(in) == 0 || len(in) > maxCompletionsPerCall {
		return training.Invalidf("send a list of 1 to %d completions", maxCompletionsPerCall)
	}
	ctx := c.Request().Context()
	p := web.PrincipalOf(c)
	by := p.User.Username
	if p.Token != nil {
		by = p.Token.Name + " (token of " + p.User.Username + ")"
	}
	now := s.Now()
	group := GroupID(by, now)
	if err := s.Live.Current(ctx); err != nil {
		return err
	}
	var comps []training.Completion
	var err error
	s.Live.View(func(ds *training.Dataset) {
		comps, err = checkCompletions(ds, in, training.DateOf(now), training.Source{ImportID: group, By: by, At: now})
	})
	if err != nil {
		return err
	}
	rev, err := s.Live.Post(comps, apiGroup(by, now, len(comps)))
	if err != nil {
		return err
	}
	s.Audit(c, training.AuditCompletions, training.TargetImport, group, training.AuditOK, fmt.Sprintf("recorded=%d", len(comps)))
	return c.JSON(http.StatusCreated, CompletionsResponse{ImportID: group, Recorded: len(comps), Revision: rev})
}

// checkCompletions validates posted completions against ds: all or none.
func checkCompletions(ds *training.Dataset, in []CompletionInput, today training.Date, src training.Source) ([]training.Completion, error) {
	var comps []training.Completion
	var problems []string
	for i, x := range in {
		c, err := training.NewCompletion(ds, x.OfficerID, x.Course, x.Date, today, src)
		if err != nil {
			problems = append(problems, fmt.Sprintf("item %d: %s", i+1, training.MessageOf(err)))
		} else {
			comps = append(comps, c)
		}
		if len(problems) >= 20 {
			problems = append(problems, "…")
			break
		}
	}
	if len(problems) > 0 {
		return nil, training.Invalidf("nothing was recorded: %s", strings.Join(problems, "; "))
	}
	return comps, nil
}

// GroupID names the history entry of a client's API posts in one hour
// (UTC): e.g. api-20261129T14-1a2b3c4d, the last part a digest of who posted.
func GroupID(by string, now time.Time) string {
	sum := sha256.Sum256([]byte(by))
	return "api-" + now.UTC().Format("20060102T15") + "-" + hex.EncodeToString(sum[:4])
}

// apiGroup is the history entry a post adds n completions to.
func apiGroup(by string, now time.Time, n int) training.ImportRecord {
	return training.ImportRecord{
		ID: GroupID(by, now), Kind: training.ImportAPI, By: by, At: now, Outcome: training.OutcomeApplied,
		Summary: training.ImportSummary{Completions: n},
	}
}
