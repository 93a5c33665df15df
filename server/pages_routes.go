package server

import (
	"time"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// pageRoutes registers the web pages (owned by server-web; see routes.go).
// Pages are grouped by who may open them, like the API. The handlers are
// methods of webPages, which adds the pages' own caches to the Server.
func (s *Server) pageRoutes(e *echo.Echo) {
	r, err := newWebRenderer()
	if err != nil {
		// The templates are embedded: a parse error is a broken build,
		// caught by every page test.
		panic(err)
	}
	e.Renderer = r
	p := &webPages{Core: s.Core, cache: web.NewCache(), renderer: r,
		startSession: s.startSession, oidcLoginURL: s.oidcLoginURL}
	if s.oidc != nil {
		p.ssoName = s.oidc.cfg.Name
	}
	s.pageError = p.renderPageError
	s.loginFailed = p.renderLoginFailed

	anyone := s.requireRole()
	readers := s.requireRole(training.RoleManager, training.RoleHR, training.RoleAdmin)
	recorders := s.requireRole(training.RoleTrainer, training.RoleHR, training.RoleAdmin)
	staff := s.requireRole(training.RoleHR, training.RoleAdmin)
	admins := s.requireRole(training.RoleAdmin)
	deciders := s.requireRole(training.RoleManager, training.RoleHR, training.RoleAdmin)

	// Public.
	e.GET("/static/*", staticHandler())
	e.GET("/login", p.pageLogin)
	e.GET("/me/:token", p.pageMe)
	e.POST("/me/:token/requests", p.pageMeRequest) // the link is the officer's credential
	e.GET("/help", p.pageStatic("help", "Help: what the terms mean"))
	e.GET("/accessibility", p.pageStatic("accessibility", "Accessibility statement"))

	// Everyone signed in; the figures within their scope (a trainer's
	// dashboard is the Registers page).
	e.GET("/", p.pageDashboard, anyone)
	e.GET("/officers", p.pageOfficers, readers)
	e.GET("/officers/:id", p.pageOfficer, readers)
	e.GET("/export/officers.:format", p.pageExportOfficers, readers)
	e.GET("/matrix", p.pageMatrix, readers)
	e.GET("/matrix.xlsx", p.pageMatrixXLSX, readers)
	e.GET("/account/password", p.pagePassword, anyone)
	e.POST("/account/password", p.pagePasswordPost, anyone)

	// Trainers, HR and admins: classroom registers.
	e.GET("/registers", p.pageRegisters, recorders)
	e.GET("/registers/new", p.pageRegisterNew, recorders)
	e.POST("/registers", p.pageRegisterPost, recorders)
	e.POST("/registers/:id/withdraw", p.pageRegisterWithdraw, recorders)
	e.GET("/registers/sheet", p.pageRegisterSheet, recorders)
	e.GET("/registers/sheet.xlsx", p.pageRegisterSheetXLSX, recorders)

	// Those who may decide officers' requests (internal/requests checks each one).
	e.GET("/requests", p.pageRequests, deciders)
	e.POST("/requests/:id/decide", p.pageRequestDecide, deciders)
	e.GET("/requests/:id/certificate", p.pageRequestCertificate, deciders)

	// HR and admins.
	e.GET("/upload", p.pageUpload, staff)
	e.POST("/upload", p.pageUploadPost, staff)
	e.GET("/upload/:id", p.pagePreview, staff)
	e.POST("/upload/:id/confirm", p.pagePreviewConfirm, staff)
	e.POST("/upload/:id/cancel", p.pagePreviewCancel, staff)
	e.POST("/upload/:id/remap", p.pagePreviewRemap, staff)
	e.GET("/imports", p.pageImports, staff)
	e.GET("/imports/:id", p.pageImport, staff)
	e.GET("/courses", p.pageCourses, staff)
	e.POST("/courses", p.pageCourseCreate, staff)
	e.POST("/courses/audience-count", p.pageAudienceCount, staff)
	e.POST("/courses/:id", p.pageCourseSave, staff)
	e.POST("/courses/:id/retire", p.pageCourseRetire(true), staff)
	e.POST("/courses/:id/restore", p.pageCourseRetire(false), staff)

	// Admins.
	e.POST("/demo", p.pageDemo, admins)
	e.GET("/accounts", p.pageAccounts, admins)
	e.POST("/accounts", p.pageAccountCreate, admins)
	e.POST("/accounts/:username", p.pageAccountSave, admins)
	e.POST("/accounts/:username/reset", p.pageAccountReset, admins)
	e.POST("/accounts/:username/tokens", p.pageTokenCreate, admins)
	e.POST("/accounts/:username/delete", p.pageAccountDelete, admins)
	e.POST("/accounts/tokens/:id/revoke", p.pageTokenRevoke, admins)
	e.GET("/jobs", p.pageJobs, admins)
	e.GET("/jobs/remind", p.pageRemind, admins)
	e.GET("/jobs/remind.csv", p.pageRemindCSV, admins)
	e.GET("/jobs/run", p.pageJobRunConfirm, admins)
	e.POST("/jobs/run", p.pageJobRun, admins)
	e.GET("/jobs/messages/:id", p.pageMessage, admins)
	e.POST("/jobs/messages/:id/requeue", p.pageRequeue, admins)
	e.POST("/jobs/requeue-failed", p.pageRequeueFailed, admins)
	e.POST("/jobs/templates/:name", p.pageTemplate, admins)
	e.GET("/audit", p.pageAudit, admins)
	e.GET("/officers/:id/subject-access", p.pageSubjectAccess, admins)
}

// webPages is the web pages' handlers: the shared core plus what only
// pages need.
type webPages struct {
	*web.Core
	cache    *web.Cache
	renderer *webRenderer
	// startSession signs a user in (login.go); oidcLoginURL is the single
	// sign-on start for a page to return to ("" when it is off), ssoName
	// the provider's name.
	startSession func(c echo.Context, u training.User, now time.Time) (*training.Session, error)
	oidcLoginURL func(next string) string
	ssoName      string
}

// pageStatic renders a page without data (help, accessibility statement),
// for anyone, signed in or not.
func (p *webPages) pageStatic(name, title string) echo.HandlerFunc {
	return func(c echo.Context) error { return p.render(c, 200, name, title, nil) }
}
