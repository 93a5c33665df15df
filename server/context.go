package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/training"
)

// Helpers shared by the API handlers and the pages.

// scopeOf returns what the signed-in user may see, with the cached
// Dataset it was computed from (shared: never modify it).
func (s *Server) scopeOf(c echo.Context) (training.Scope, *training.Dataset, error) {
	u, ok := currentUser(c)
	if !ok {
		return training.Scope{}, nil, errUnauthenticated
	}
	ds, err := s.dataset(c.Request().Context())
	if err != nil {
		return training.Scope{}, nil, err
	}
	return s.scopeFor(u, ds), ds, nil
}

// today is the civil date now in Europe/London.
func (s *Server) today() training.Date { return training.DateOf(s.now()) }

// asOfParam reads the as_of query parameter (YYYY-MM-DD), defaulting to today.
func (s *Server) asOfParam(c echo.Context) (training.Date, error) {
	return s.dateParam(c, "as_of", s.today())
}

func (s *Server) dateParam(c echo.Context, name string, def training.Date) (training.Date, error) {
	v := strings.TrimSpace(c.QueryParam(name))
	if v == "" {
		return def, nil
	}
	d, err := training.ParseDate(v)
	if err != nil {
		return training.Date{}, training.Invalidf("the %s parameter must be a date in the form YYYY-MM-DD", name)
	}
	return d, nil
}

// listParam reads a parameter given as repeats and/or comma-separated.
func listParam(c echo.Context, name string) []string {
	var out []string
	for _, v := range c.QueryParams()[name] {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// unitVisible reports whether a manager with scope sc may ask about unit:
// it lies in their units, or holds one of their units or someone of their
// reporting line. (The figures then count only what they may see.)
func unitVisible(sc training.Scope, ds *training.Dataset, unit string) bool {
	if sc.All || sc.AllowsUnit(unit) {
		return true
	}
	for _, u := range sc.Units {
		if training.InUnit(u, unit) {
			return true
		}
	}
	for id := range sc.Officers {
		if o, ok := ds.Officers[id]; ok && training.InUnit(o.Unit, unit) {
			return true
		}
	}
	return false
}

// errOutOfScope is what a manager gets for a unit they may not see.
var errOutOfScope = training.Forbiddenf("this unit is outside what you may see")

// report returns the compliance report for user u (the COMPLIANCE.md
// contract), with its JSON encoding; managers' figures count only the
// officers they may see. Cached per store revision.
func (s *Server) report(ctx context.Context, u training.User, asOf training.Date, unit string, courses []string) (*training.Report, []byte, error) {
	e, err := s.reportFor(ctx, u, asOf, unit, courses)
	if err != nil {
		return nil, nil, err
	}
	return e.report, e.json, e.err
}

func (s *Server) reportFor(ctx context.Context, u training.User, asOf training.Date, unit string, courses []string) (*reportEntry, error) {
	if seesWholeUnit(u, training.ParseUnit(unit)) {
		// Everyone in the unit counts: today's figures come from the live
		// index, never rebuilt.
		if err := s.liveCurrent(ctx); err != nil {
			return nil, err
		}
		if e, ok := s.liveReport(asOf, training.ParseUnit(unit), courses); ok {
			return e, nil
		}
	}
	ds, err := s.dataset(ctx)
	if err != nil {
		return nil, err
	}
	sc := s.scopeFor(u, ds)
	unit = training.ParseUnit(unit)
	if !unitVisible(sc, ds, unit) {
		return nil, errOutOfScope
	}
	key := reportKey{rev: ds.Revision, asOf: asOf, unit: unit, courses: strings.Join(courses, ",")}
	opts := training.ReportOptions{Unit: unit, Courses: courses}
	if !sc.All {
		// The scoped-figures rule (docs/COMPLIANCE.md): rooted at the
		// manager's units, never a parent's name on partial counts.
		key.scope = "user:" + u.Username + "\x00" + u.OfficerID + "\x00" + strings.Join(u.Units, "\x00")
		opts.Scope = &sc
	}
	return s.reportEntry(ds, key, func() (*training.Report, error) {
		return training.BuildReport(ds, asOf, opts)
	}), nil
}

// seesWholeUnit reports whether u may see every officer in the subtree of
// unit (admin and HR; a manager asking within their assigned units), so
// that their figures for it are the unrestricted ones of the live index.
func seesWholeUnit(u training.User, unit string) bool {
	if u.Role == training.RoleAdmin || u.Role == training.RoleHR {
		return true
	}
	return u.Role == training.RoleManager && training.Scope{Units: u.Units}.AllowsUnit(unit)
}

// officerStatusForLink verifies an officer's signed link and returns their
// status on every course today (for GET /me/:token and its JSON).
func (s *Server) officerStatusForLink(ctx context.Context, token string) (training.OfficerStatus, []training.Course, error) {
	rec, err := s.officerForLink(ctx, token)
	if err != nil {
		return training.OfficerStatus{}, nil, err
	}
	courses, err := s.store.Courses(ctx)
	if err != nil {
		return training.OfficerStatus{}, nil, err
	}
	courses = training.InUse(courses)
	return training.EvaluateOfficer(rec.Officer, courses, rec.Completions, rec.Exemptions, s.today()), courses, nil
}

// bindJSON decodes a JSON request body into v, rejecting unknown fields
// and trailing data with a plain ErrInvalid.
func bindJSON(c echo.Context, v any) error {
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errTooLarge
		}
		if errors.Is(err, io.EOF) {
			return training.Invalidf("the request body is empty; send JSON")
		}
		return training.Invalidf("the request body is not valid JSON: %s", jsonErrorText(err))
	}
	if dec.More() {
		return training.Invalidf("the request body has data after the JSON value")
	}
	return nil
}

func jsonErrorText(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("field %q should be %s", te.Field, te.Type)
	}
	msg := strings.TrimPrefix(err.Error(), "json: ") // encoding/json's text, not the domain's
	if len(msg) > 200 {
		msg = msg[:200]
	}
	return msg
}
