package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/internal/live"
	"github.com/muster-police/muster/internal/reports"
	"github.com/muster-police/muster/training"
)

// Helpers shared by the API handlers and the pages.

// ScopeOf returns what the signed-in user may see, with the cached
// Dataset it was computed from (shared: never modify it).
func (s *Core) ScopeOf(c echo.Context) (training.Scope, *training.Dataset, error) {
	u, ok := CurrentUser(c)
	if !ok {
		return training.Scope{}, nil, ErrUnauthenticated
	}
	ds, err := s.Live.Dataset(c.Request().Context())
	if err != nil {
		return training.Scope{}, nil, err
	}
	return s.Live.Scope(u, ds), ds, nil
}

// Today is the civil date now in Europe/London.
func (s *Core) Today() training.Date { return training.DateOf(s.Now()) }

// AsOfParam reads the as_of query parameter (YYYY-MM-DD), defaulting to today.
func (s *Core) AsOfParam(c echo.Context) (training.Date, error) {
	return s.DateParam(c, "as_of", s.Today())
}

func (s *Core) DateParam(c echo.Context, name string, def training.Date) (training.Date, error) {
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

// ErrOutOfScope is what a manager gets for a unit they may not see.
var ErrOutOfScope = reports.ErrOutOfScope

// ReportQuery parses and checks, once, what the signed-in user asks for
// (?as_of, ?course and unit; reports.For): an unknown unit is not found,
// one outside their scope forbidden.
func (s *Core) ReportQuery(c echo.Context, unit string) (reports.Query, error) {
	u, ok := CurrentUser(c)
	if !ok {
		return reports.Query{}, ErrUnauthenticated
	}
	if err := s.Live.Current(c.Request().Context()); err != nil {
		return reports.Query{}, err
	}
	// Checked against the model itself, under its read lock: taking a
	// snapshot (a copy of every officer's completions) for every request
	// would cost a clone of the roster per revision, which a stream of
	// completion posts makes per read. Only a report the live index cannot
	// answer needs one (reportData).
	req := reports.Request{Unit: unit, AsOf: c.QueryParam("as_of"), Courses: listParam(c, "course")}
	var q reports.Query
	var err error
	s.Live.View(func(ds *training.Dataset) {
		q, err = reports.For(ds, s.Live.Units(ds), reports.Viewer{User: u, Scope: s.Live.Scope(u, ds)}, req, s.Today())
	})
	return q, err
}

// ReportData is the immutable Dataset a built report or an export reads.
func (s *Core) ReportData(c echo.Context) (*training.Dataset, error) {
	return s.Live.Dataset(c.Request().Context())
}

// Report returns the compliance report for q (the COMPLIANCE.md
// contract), with its JSON encoding; managers' figures count only the
// officers they may see. Cached per store revision.
func (s *Core) Report(u training.User, ds *training.Dataset, q reports.Query) (*training.Report, []byte, error) {
	e := s.ReportFor(u, ds, q)
	return e.Report, e.JSON, e.Err
}

// ReportFor is the report for q: today's figures for a viewer who sees
// the whole unit come from the live index, never rebuilt; the rest are
// built once per revision and shared.
func (s *Core) ReportFor(u training.User, ds *training.Dataset, q reports.Query) *live.Entry {
	if q.Whole {
		if e, ok := s.Live.Report(q.AsOf, q.Unit, q.Courses); ok {
			return e
		}
	}
	key := live.ReportKey{Rev: ds.Revision, AsOf: q.AsOf, Unit: q.Unit, Courses: strings.Join(q.Courses, ",")}
	if !q.Scope.All {
		// The scoped-figures rule (docs/COMPLIANCE.md): rooted at the
		// manager's units, never a parent's name on partial counts.
		key.Scope = "user:" + u.Username + "\x00" + u.OfficerID + "\x00" + strings.Join(u.Units, "\x00")
	}
	return s.Live.Build(ds, key, func() (*training.Report, error) {
		return training.BuildReport(ds, q.AsOf, q.Options())
	})
}

// OfficerStatusForLink verifies an officer's signed link and returns their
// status on every course today (for GET /me/:token and its JSON).
func (s *Core) OfficerStatusForLink(ctx context.Context, token string) (training.OfficerStatus, []training.Course, error) {
	rec, err := s.OfficerForLink(ctx, token)
	if err != nil {
		return training.OfficerStatus{}, nil, err
	}
	courses, err := s.Store.Courses(ctx)
	if err != nil {
		return training.OfficerStatus{}, nil, err
	}
	courses = training.InUse(courses)
	return training.EvaluateOfficer(rec.Officer, courses, rec.Completions, rec.Exemptions, s.Today()), courses, nil
}

// BindJSON decodes a JSON request body into v, rejecting unknown fields
// and trailing data with a plain ErrInvalid.
func BindJSON(c echo.Context, v any) error {
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return ErrTooLarge
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
