package server

// The route table: every route of the service, grouped by who may call it.
//
// How the pages (server-web, pages*.go) plug in:
//   - routes() calls s.pageRoutes(e) after the API routes; register pages
//     there with e.GET/e.POST (paths outside /api, /healthz, /readyz, /metrics).
//     Do not register POST /login or POST /logout: they live here (login.go);
//     GET /login (the form) is a page. The form posts fields "username",
//     "password", "next" (a local path) and gets a 303 to next (or "/") on
//     success, or to /login?error=invalid&next=… on failure; when rate
//     limited it answers 429 through s.pageError.
//   - Guard pages with the same middleware as the API:
//     s.requireRole() (any signed-in user) or s.requireRole(training.RoleHR,
//     training.RoleAdmin) etc. An anonymous visitor of a page is redirected
//     to /login?next=…; a signed-in user without the role gets 403.
//   - Every unsafe request (POST/PUT/PATCH/DELETE) from a session must carry
//     the CSRF token: put csrfToken(c) in a hidden form field named
//     "csrf_token" (or send it in the X-CSRF-Token header from scripts).
//   - Helpers (context.go): currentUser(c), s.scopeOf(c) (what the user may
//     see, with the cached Dataset), csrfToken(c), s.asOfParam(c) (the
//     as_of query or today), s.report(ctx, user, asOf, unit, courseIDs)
//     (the compliance report and its JSON for the user, cached per
//     revision, ErrForbidden outside scope),
//     s.officerStatusForLink(ctx, token) (the /me/:token page's data),
//     meView(status, courses, asOf) (the officer page's plain view),
//     s.runImport(ctx, by, fileHeader, ImportOptions) (upload; a dry run
//     is kept in the store as a preview under the report's ImportID),
//     s.confirmImport(ctx, user, id, confirmed), s.cancelImport(ctx, user, requestID, id)
//     (only the uploader decides a preview; an admin may cancel it),
//     s.importReport(ctx, id) (logged import or kept preview),
//     s.accounts (internal/accounts: every account change, with its audit event),
//     s.cfg (BaseURL, DemoAllowed, Jobs), s.store, s.now().
//   - Render with Echo's renderer: set e.Renderer in pageRoutes and call
//     c.Render(status, name, data). Set s.pageError to render error pages
//     (status, code, message) as HTML; without it they are plain text.
//     Page handlers return domain errors (training.ErrNotFound …) and let
//     the one error handler (errors.go) choose the status.

import (
	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/training"
)

// routes builds the Echo instance: middleware, then routes by caller.
func (s *Server) routes() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = s.ipExtractor()

	h := s.api
	e.Use(s.requestID, s.observe, s.CompressResponses, s.recoverPanic, s.securityHeaders, h.XAPIHeaders, s.bodyLimit, s.authenticate, s.checkCSRF)

	const (
		admin = training.RoleAdmin
		hr    = training.RoleHR
	)
	anyone := s.requireRole()
	// Those who see figures: a trainer sees only what recording needs.
	readers := s.requireRole(training.RoleManager, hr, admin)
	recorders := s.requireRole(training.RoleTrainer, hr, admin)
	staff := s.requireRole(hr, admin)
	admins := s.requireRole(admin)

	// Public: operations, login, the API description, officers' signed links.
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.serveMetrics)
	e.POST("/login", s.loginForm)
	if s.oidc != nil {
		e.GET("/login/oidc", s.oidcStart)
		e.GET(OIDCCallbackPath, s.oidcCallback)
	}
	api := e.Group("/api/v1")
	api.GET("/openapi.json", h.OpenAPI)
	api.POST("/login", s.loginJSON)
	api.GET("/me/:token", h.Me)
	e.GET("/xapi/about", h.XAPIAbout)

	// CLI forwarding: only Config.LocalToken, checked in the handler.
	api.POST("/cli", h.CLI)

	// Any signed-in user; the figures for managers (their scope only), HR and admins.
	e.POST("/logout", s.logoutForm, anyone)
	api.POST("/logout", s.logoutJSON, anyone)
	api.GET("/session", s.apiSession, anyone)
	api.GET("/compliance", h.Compliance, readers)
	api.GET("/compliance/export", h.ComplianceExport, readers)
	api.GET("/officers", h.Officers, readers)
	api.GET("/officers/:id", h.Officer, readers)
	api.GET("/courses", h.Courses, anyone)
	api.GET("/trend", h.Trend, readers)
	api.GET("/matrix", h.Matrix, readers)

	// Trainers, HR and admins: classroom registers.
	api.GET("/registers", h.ListRegisters, recorders)
	api.POST("/registers", h.RegisterSave, recorders)
	api.POST("/registers/preview", h.RegisterPreview, recorders)
	api.POST("/registers/:id/withdraw", h.RegisterWithdraw, recorders)

	// Those who may decide officers' requests (internal/requests checks each one).
	deciders := s.requireRole(training.RoleManager, hr, admin)
	api.GET("/requests", h.ListRequests, deciders)
	api.POST("/requests/:id/decision", h.RequestDecide, deciders)

	// HR and admins: uploads, courses, completions, mail.
	api.POST("/imports", h.ImportCreate, staff)
	api.GET("/imports", h.Imports, staff)
	api.GET("/imports/:id", h.Import, staff)
	api.GET("/imports/:id/errors.xlsx", h.ImportErrors, staff)
	api.POST("/imports/:id/confirm", h.ImportConfirm, staff)
	api.GET("/mappings", h.Mappings, staff)
	api.DELETE("/mappings/:name", h.MappingDelete, staff)
	api.POST("/completions", h.Completions, staff)
	api.GET("/xapi/waiting", h.XAPIWaiting, staff)
	api.POST("/xapi/rematch", h.XAPIRematch, staff)
	// xAPI statements (learning platforms, LRS forwarding): HTTP Basic
	// with an API token as the password, or Bearer (auth.go).
	e.POST("/xapi/statements", h.XAPIPost, staff)
	e.PUT("/xapi/statements", h.XAPIPut, staff)
	e.GET("/xapi/statements", h.XAPIGet, staff)
	api.PUT("/courses", h.CoursesPut, staff)
	api.POST("/courses/preview", h.CoursesPreview, staff)
	api.PUT("/courses/:id", h.CoursePut, staff)
	api.POST("/officers/:id/links/revoke", h.RevokeLinks, staff)
	api.GET("/jobs", h.Jobs, staff)
	api.GET("/jobs/runs", h.JobRuns, staff)
	api.GET("/outbox", h.Outbox, staff)
	api.GET("/outbox/status", h.OutboxStatus, staff)
	api.GET("/remind", h.Remind, staff)

	// Admins: accounts, tokens, running jobs by hand.
	api.GET("/users", h.Users, admins)
	api.POST("/users", h.UserCreate, admins)
	api.PATCH("/users/:username", h.UserUpdate, admins)
	api.DELETE("/users/:username", h.UserDelete, admins)
	api.GET("/users/:username/tokens", h.Tokens, admins)
	api.POST("/users/:username/tokens", h.TokenCreate, admins)
	api.DELETE("/users/:username/tokens/:id", h.TokenDelete, admins)
	api.POST("/users/:username/reset", h.UserReset, admins)
	api.POST("/jobs/:name/run", h.JobRun, admins)
	api.POST("/outbox/requeue-failed", h.RequeueFailed, admins)
	api.POST("/outbox/:id/requeue", h.Requeue, admins)
	api.GET("/audit", h.AuditTrail, admins)
	api.GET("/officers/:id/subject-access", h.SubjectAccess, admins)

	s.pageRoutes(e)
	return e
}
