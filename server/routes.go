package server

// The route table: every route of the service, grouped by who may call it.
// It names the handlers of both sides, so it lives here, above them:
// server/api (api.Handler: the JSON API and xAPI) and server/ui (ui.Pages,
// registered in pageRoutes, pages_routes.go); both take the services they
// call as a *web.Core and share server/web, and neither imports the other.
//
// Adding a route:
//   - An API handler is a method of api.Handler in server/api/<resource>.go,
//     a page a method of ui.Pages in server/ui/<page>.go with its template in
//     server/ui/templates; register it below (API) or in pageRoutes (pages,
//     paths outside /api, /healthz, /readyz, /metrics), and give it a row in
//     the authorization matrix (matrix_test.go).
//   - Do not register POST /login or POST /logout as pages: they live here
//     (login.go); GET /login (the form) is a page. The form posts fields
//     "username", "password", "next" (a local path) and gets a 303 to next
//     (or "/") on success, or to /login?error=invalid&next=… on failure;
//     when rate limited it answers 429 through s.pageError.
//   - Guard every route with the role middleware: s.requireRole() (any
//     signed-in user) or s.requireRole(training.RoleHR, training.RoleAdmin)
//     etc. An anonymous visitor of a page is redirected to /login?next=…; a
//     signed-in user without the role gets 403.
//   - Every unsafe request (POST/PUT/PATCH/DELETE) from a session must carry
//     the CSRF token: put web.CSRFToken(c) in a hidden form field named
//     "csrf_token" (or send it in the X-CSRF-Token header from scripts).
//   - What both sides read from a request is in server/web (context.go and
//     beside it): web.CurrentUser(c), Core.ScopeOf(c) (what the user may see,
//     with the cached Dataset), Core.AsOfParam(c) (the as_of query or today),
//     Core.ReportQuery(c, unit) and Core.Report(user, ds, q) (the compliance
//     report and its JSON for the user, cached per revision, forbidden
//     outside scope), Core.OfficerStatusForLink(ctx, token) (the /me/:token
//     data), Core.ReceiveUpload and Core.RunImport (an upload; a dry run is
//     kept in the store as a preview under the report's ImportID),
//     Core.ConfirmImport, Core.CancelImport (only the uploader decides a
//     preview; an admin may cancel it), Core.ImportReport (logged import or
//     kept preview), Core.Accounts (internal/accounts: every account change,
//     with its audit event), Core.Cfg (BaseURL, DemoAllowed, Jobs),
//     Core.Store, Core.Now().
//   - Handlers return domain errors (training.NotFoundf …) and let the one
//     error handler (errors.go, web.Classify) choose the status; pages'
//     errors are drawn by ui.Pages.RenderPageError (s.pageError).

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
	// The global chain, composed around each route once (chain.go).
	t := newRouteTable(e, s.requestID, s.observe, s.CompressResponses, s.recoverPanic, s.securityHeaders, h.XAPIHeaders, s.bodyLimit, s.authenticate, s.checkCSRF)

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
	t.GET("/healthz", s.healthz)
	t.GET("/readyz", s.readyz)
	t.GET("/metrics", s.serveMetrics)
	t.POST("/login", s.loginForm)
	if s.oidc != nil {
		t.GET("/login/oidc", s.oidcStart)
		t.GET(OIDCCallbackPath, s.oidcCallback)
	}
	api := t.Group("/api/v1")
	api.GET("/openapi.json", h.OpenAPI)
	api.POST("/login", s.loginJSON)
	api.GET("/me/:token", h.Me)
	t.GET("/xapi/about", h.XAPIAbout)

	// CLI forwarding: only Config.LocalToken, checked in the handler.
	api.POST("/cli", h.CLI)

	// Any signed-in user; the figures for managers (their scope only), HR and admins.
	t.POST("/logout", s.logoutForm, anyone)
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
	t.POST("/xapi/statements", h.XAPIPost, staff)
	t.PUT("/xapi/statements", h.XAPIPut, staff)
	t.GET("/xapi/statements", h.XAPIGet, staff)
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

	s.pageRoutes(t)
	return e
}
