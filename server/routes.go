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
	e.Use(s.requestID, s.observe, s.CompressResponses, s.recoverPanic, s.securityHeaders, h.xapiHeaders, s.bodyLimit, s.authenticate, s.checkCSRF)

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
	api.GET("/openapi.json", h.openAPI)
	api.POST("/login", s.loginJSON)
	api.GET("/me/:token", h.apiMe)
	e.GET("/xapi/about", h.xapiAbout)

	// CLI forwarding: only Config.LocalToken, checked in the handler.
	api.POST("/cli", h.cli)

	// Any signed-in user; the figures for managers (their scope only), HR and admins.
	e.POST("/logout", s.logoutForm, anyone)
	api.POST("/logout", s.logoutJSON, anyone)
	api.GET("/session", s.apiSession, anyone)
	api.GET("/compliance", h.apiCompliance, readers)
	api.GET("/compliance/export", h.apiComplianceExport, readers)
	api.GET("/officers", h.apiOfficers, readers)
	api.GET("/officers/:id", h.apiOfficer, readers)
	api.GET("/courses", h.apiCourses, anyone)
	api.GET("/trend", h.apiTrend, readers)
	api.GET("/matrix", h.apiMatrix, readers)

	// Trainers, HR and admins: classroom registers.
	api.GET("/registers", h.apiRegisters, recorders)
	api.POST("/registers", h.apiRegisterSave, recorders)
	api.POST("/registers/preview", h.apiRegisterPreview, recorders)
	api.POST("/registers/:id/withdraw", h.apiRegisterWithdraw, recorders)

	// Those who may decide officers' requests (internal/requests checks each one).
	deciders := s.requireRole(training.RoleManager, hr, admin)
	api.GET("/requests", h.apiRequests, deciders)
	api.POST("/requests/:id/decision", h.apiRequestDecide, deciders)

	// HR and admins: uploads, courses, completions, mail.
	api.POST("/imports", h.apiImportCreate, staff)
	api.GET("/imports", h.apiImports, staff)
	api.GET("/imports/:id", h.apiImport, staff)
	api.GET("/imports/:id/errors.xlsx", h.apiImportErrors, staff)
	api.POST("/imports/:id/confirm", h.apiImportConfirm, staff)
	api.GET("/mappings", h.apiMappings, staff)
	api.DELETE("/mappings/:name", h.apiMappingDelete, staff)
	api.POST("/completions", h.apiCompletions, staff)
	api.GET("/xapi/waiting", h.apiXAPIWaiting, staff)
	api.POST("/xapi/rematch", h.apiXAPIRematch, staff)
	// xAPI statements (learning platforms, LRS forwarding): HTTP Basic
	// with an API token as the password, or Bearer (auth.go).
	e.POST("/xapi/statements", h.xapiPost, staff)
	e.PUT("/xapi/statements", h.xapiPut, staff)
	e.GET("/xapi/statements", h.xapiGet, staff)
	api.PUT("/courses", h.apiCoursesPut, staff)
	api.POST("/courses/preview", h.apiCoursesPreview, staff)
	api.PUT("/courses/:id", h.apiCoursePut, staff)
	api.POST("/officers/:id/links/revoke", h.apiRevokeLinks, staff)
	api.GET("/jobs", h.apiJobs, staff)
	api.GET("/jobs/runs", h.apiJobRuns, staff)
	api.GET("/outbox", h.apiOutbox, staff)
	api.GET("/outbox/status", h.apiOutboxStatus, staff)
	api.GET("/remind", h.apiRemind, staff)

	// Admins: accounts, tokens, running jobs by hand.
	api.GET("/users", h.apiUsers, admins)
	api.POST("/users", h.apiUserCreate, admins)
	api.PATCH("/users/:username", h.apiUserUpdate, admins)
	api.DELETE("/users/:username", h.apiUserDelete, admins)
	api.GET("/users/:username/tokens", h.apiTokens, admins)
	api.POST("/users/:username/tokens", h.apiTokenCreate, admins)
	api.DELETE("/users/:username/tokens/:id", h.apiTokenDelete, admins)
	api.POST("/users/:username/reset", h.apiUserReset, admins)
	api.POST("/jobs/:name/run", h.apiJobRun, admins)
	api.POST("/outbox/requeue-failed", h.apiRequeueFailed, admins)
	api.POST("/outbox/:id/requeue", h.apiRequeue, admins)
	api.GET("/audit", h.apiAudit, admins)
	api.GET("/officers/:id/subject-access", h.apiSubjectAccess, admins)

	s.pageRoutes(e)
	return e
}
