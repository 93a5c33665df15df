package api

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/internal/live"
	"github.com/muster-police/muster/internal/xapi"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// The xAPI statements resource (docs/xapi.md): learning platforms and
// LRSs post statements; internal/xapi reads them, training decides what
// they mean (StatementMatcher, PlanStatements), and the completions they
// record go through the same group commit as POST /api/v1/completions.

// XAPIHeaders puts X-Experience-API-Version on every /xapi/ response
// (errors included: it runs before authentication) and refuses a request
// without a version Muster speaks (1.0.3 Communication 3.3), except
// /xapi/about, which tells clients what to send.
func (s *Handler) XAPIHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if !strings.HasPrefix(r.URL.Path, "/xapi/") {
			return next(c)
		}
		v, err := xapi.CheckVersion(r.Header.Get(xapi.VersionHeader))
		c.Response().Header().Set(xapi.VersionHeader, v)
		if err != nil && r.URL.Path != "/xapi/about" {
			return err
		}
		return next(c)
	}
}

// XAPIAbout answers GET /xapi/about: the versions Muster speaks.
func (s *Handler) XAPIAbout(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]any{"version": xapi.Versions})
}

// XAPIPost stores one statement or a batch (POST /xapi/statements) and
// answers their IDs in order.
func (s *Handler) XAPIPost(c echo.Context) error {
	if c.QueryParam("method") != "" {
		return training.Invalidf("Muster does not take the alternate request syntax (method=…); send the request itself")
	}
	ids, err := s.recordStatements(c, "")
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ids)
}

// XAPIPut stores one statement under ?statementId= (PUT /xapi/statements).
func (s *Handler) XAPIPut(c echo.Context) error {
	id := c.QueryParam("statementId")
	if id == "" {
		return training.Invalidf("PUT needs the statementId parameter")
	}
	if _, err := s.recordStatements(c, id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// XAPIGet returns one stored statement by statementId or
// voidedStatementId. Muster keeps statements for what they record, so it
// does not answer queries over them (docs/xapi.md says which conformance
// tests that leaves out).
func (s *Handler) XAPIGet(c echo.Context) error {
	c.Response().Header().Set("X-Experience-API-Consistent-Through", s.Now().UTC().Format(time.RFC3339Nano))
	id, voided := c.QueryParam("statementId"), c.QueryParam("voidedStatementId")
	if (id == "") == (voided == "") {
		return training.Invalidf("Muster returns one statement by statementId or voidedStatementId (one of them); it does not list or query statements")
	}
	for k := range c.QueryParams() {
		if k != "statementId" && k != "voidedStatementId" && k != "attachments" && k != "format" {
			return training.Invalidf("the parameter %s cannot go with statementId or voidedStatementId", k)
		}
	}
	want := strings.ToLower(id + voided)
	got, err := s.Store.Statements(c.Request().Context(), []string{want})
	if err != nil {
		return err
	}
	st, ok := got[want]
	// A voided statement is found only by voidedStatementId, any other
	// only by statementId (1.0.3 Communication 2.1.4).
	if !ok || (st.Status == training.StatementVoided) != (voided != "") {
		return training.NotFoundf("no statement %s", want)
	}
	c.Response().Header().Set("Last-Modified", st.Source.At.UTC().Format(http.TimeFormat))
	return c.JSONBlob(http.StatusOK, st.Raw)
}

// recordStatements reads, checks and records the request's statements:
// all or none. It returns their IDs in order.
func (s *Handler) recordStatements(c echo.Context, statementID string) ([]string, error) {
	ctx := c.Request().Context()
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, web.ErrTooLarge
		}
		return nil, err
	}
	by := clientName(web.PrincipalOf(c))
	now := s.Now()
	group := xapiGroupID(by, now)
	sts, err := xapi.Parse(xapi.Request{ContentType: c.Request().Header.Get(echo.HeaderContentType), Body: body,
		StatementID: statementID, Source: training.Source{ImportID: group, By: by, At: now},
		Authority: map[string]any{"objectType": "Agent", "name": by,
			"account": map[string]any{"homePage": cmp.Or(s.Cfg.BaseURL, "http://muster.invalid"), "name": web.PrincipalOf(c).User.Username}}})
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, st := range sts {
		ids = append(ids, st.ID)
		if st.Voids != "" {
			ids = append(ids, st.Voids)
		}
	}
	have, err := s.Store.Statements(ctx, ids)
	if err != nil {
		return nil, err
	}
	newIDs := make([]string, len(sts))
	for i, st := range sts {
		newIDs[i] = st.ID
	}
	voidedBy, err := s.Store.VoidedBy(ctx, newIDs)
	if err != nil {
		return nil, err
	}
	if err := s.Live.Current(ctx); err != nil {
		return nil, err
	}
	var plan training.StatementPlan
	s.Live.View(func(ds *training.Dataset) {
		plan, err = training.PlanStatements(training.NewStatementMatcher(ds, s.Cfg.XAPIHomePage), have, voidedBy, sts, training.DateOf(now))
	})
	if err != nil {
		return nil, err
	}
	if len(plan.Statements) == 0 {
		return newIDs, nil // every one already stored: nothing changes
	}
	rec := apiGroup(by, now, plan.Recorded)
	rec.ID, rec.FileName, rec.Summary.OrphanCompletions = group, "xAPI statements", plan.Waiting
	if _, err := s.Live.PostBatch(live.Batch{Completions: plan.Completions, Removed: plan.Removed, Statements: plan.Statements, Group: rec}); err != nil {
		return nil, err
	}
	s.Audit(c, training.AuditCompletions, training.TargetImport, group, training.AuditOK,
		fmt.Sprintf("statements=%d recorded=%d waiting=%d removed=%d", len(plan.Statements), plan.Recorded, plan.Waiting, len(plan.Removed)))
	return newIDs, nil
}

// clientName names who posts: the user, or the token and its user.
func clientName(p *web.Principal) string {
	if p.Token != nil {
		return p.Token.Name + " (token of " + p.User.Username + ")"
	}
	return p.User.Username
}

// xapiGroupID names the history entry of a client's statements in one
// hour (UTC), as apiGroupID does for completion posts.
func xapiGroupID(by string, now time.Time) string {
	return "xapi-" + strings.TrimPrefix(GroupID(by, now), "api-")
}

// WaitingStatement is one statement waiting for a person or a course, as
// HR sees it.
type WaitingStatement struct {
	ID           string    `json:"id"`
	Status       string    `json:"status"`
	Problem      string    `json:"problem"`
	Account      string    `json:"account,omitempty"`
	HomePage     string    `json:"home_page,omitempty"`
	Email        string    `json:"email,omitempty"`
	Activity     string    `json:"activity,omitempty"`
	ActivityName string    `json:"activity_name,omitempty"`
	Timestamp    time.Time `json:"timestamp"`
	By           string    `json:"by"`
	At           time.Time `json:"at"`
	ImportID     string    `json:"import_id"`
}

// XAPIWaiting lists the statements that wait for a person or a course
// (GET /api/v1/xapi/waiting), oldest first: HR adds the person, or the
// activity's IRI to a course's activity_ids, and they count.
func (s *Handler) XAPIWaiting(c echo.Context) error {
	sts, err := s.Store.WaitingStatements(c.Request().Context(), 1000)
	if err != nil {
		return err
	}
	out := make([]WaitingStatement, 0, len(sts))
	for _, st := range sts {
		out = append(out, WaitingStatement{ID: st.ID, Status: string(st.Status), Problem: st.Problem, Account: st.Actor.Name,
			HomePage: st.Actor.HomePage, Email: st.Actor.Email, Activity: st.Activity, ActivityName: st.ActivityName,
			Timestamp: st.Timestamp, By: st.Source.By, At: st.Source.At, ImportID: st.Source.ImportID})
	}
	return c.JSON(http.StatusOK, out)
}

// XAPIRematch looks at the waiting statements again (POST
// /api/v1/xapi/rematch) and records those that now match.
func (s *Handler) XAPIRematch(c echo.Context) error {
	// A roster written elsewhere (another replica, the CLI) may not be in
	// this replica's model yet: read it first.
	if err := s.Live.Reload(c.Request().Context()); err != nil {
		return err
	}
	n, err := s.RematchStatements(c.Request().Context())
	if err != nil {
		return err
	}
	s.Audit(c, training.AuditCompletions, training.TargetImport, "xapi-rematch", training.AuditOK, fmt.Sprintf("matched=%d", n))
	return c.JSON(http.StatusOK, map[string]int{"matched": n})
}

// RematchStatements records the waiting statements that match now (a
// person added, a course given the activity's IRI) and returns how many.
func (s *Handler) RematchStatements(ctx context.Context) (int, error) {
	waiting, err := s.Store.WaitingStatements(ctx, 0)
	if err != nil || len(waiting) == 0 {
		return 0, err
	}
	if err := s.Live.Current(ctx); err != nil {
		return 0, err
	}
	now := s.Now()
	var sts []training.Statement
	var comps []training.Completion
	s.Live.View(func(ds *training.Dataset) {
		sts, comps = training.RematchStatements(training.NewStatementMatcher(ds, s.Cfg.XAPIHomePage), waiting, training.DateOf(now))
	})
	if len(sts) == 0 {
		return 0, nil
	}
	// The completions keep their statements' sources: they belong to the
	// history entries the statements were posted in, which exist.
	_, err = s.Live.PostBatch(live.Batch{Completions: comps, Statements: sts})
	return len(sts), err
}
