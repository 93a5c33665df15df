package server

import (
	"github.com/muster-police/muster/server/ui"
	"github.com/muster-police/muster/training"
)

// pageRoutes registers the web pages (see routes.go). Pages are grouped by
// who may open them, like the API. The handlers are methods of ui.Pages,
// which adds the pages' own caches and renderer to the shared web.Core.
func (s *Server) pageRoutes(e *routeTable) {
	h := ui.Hooks{StartSession: s.startSession, SSOLoginURL: s.oidcLoginURL}
	if s.oidc != nil {
		h.SSOName = s.oidc.cfg.Name
	}
	p, err := ui.New(s.Core, h)
	if err != nil {
		// The templates are embedded: a parse error is a broken build,
		// caught by every page test.
		panic(err)
	}
	e.Renderer = p.Renderer()
	s.pageError = p.RenderPageError
	s.loginFailed = p.RenderLoginFailed

	anyone := s.requireRole()
	readers := s.requireRole(training.RoleManager, training.RoleHR, training.RoleAdmin)
	recorders := s.requireRole(training.RoleTrainer, training.RoleHR, training.RoleAdmin)
	staff := s.requireRole(training.RoleHR, training.RoleAdmin)
	admins := s.requireRole(training.RoleAdmin)
	deciders := s.requireRole(training.RoleManager, training.RoleHR, training.RoleAdmin)

	// Public.
	e.GET("/static/*", ui.StaticHandler())
	e.GET("/login", p.Login)
	e.GET("/me/:token", p.Me)
	e.POST("/me/:token/requests", p.MeRequest) // the link is the officer's credential
	e.GET("/help", p.Static("help", "Help: what the terms mean"))
	e.GET("/accessibility", p.Static("accessibility", "Accessibility statement"))

	// Everyone signed in; the figures within their scope (a trainer's
	// dashboard is the Registers page).
	e.GET("/", p.Dashboard, anyone)
	e.GET("/officers", p.Officers, readers)
	e.GET("/officers/:id", p.Officer, readers)
	e.GET("/export/officers.:format", p.ExportOfficers, readers)
	e.GET("/matrix", p.Matrix, readers)
	e.GET("/matrix.xlsx", p.MatrixXLSX, readers)
	e.GET("/account/password", p.Password, anyone)
	e.POST("/account/password", p.PasswordPost, anyone)

	// Trainers, HR and admins: classroom registers.
	e.GET("/registers", p.ListRegisters, recorders)
	e.GET("/registers/new", p.RegisterNew, recorders)
	e.POST("/registers", p.RegisterPost, recorders)
	e.POST("/registers/:id/withdraw", p.RegisterWithdraw, recorders)
	e.GET("/registers/sheet", p.RegisterSheet, recorders)
	e.GET("/registers/sheet.xlsx", p.RegisterSheetXLSX, recorders)

	// Those who may decide officers' requests (internal/requests checks each one).
	e.GET("/requests", p.ListRequests, deciders)
	e.POST("/requests/:id/decide", p.RequestDecide, deciders)
	e.GET("/requests/:id/certificate", p.RequestCertificate, deciders)

	// HR and admins.
	e.GET("/upload", p.Upload, staff)
	e.POST("/upload", p.UploadPost, staff)
	e.GET("/upload/:id", p.Preview, staff)
	e.POST("/upload/:id/confirm", p.PreviewConfirm, staff)
	e.POST("/upload/:id/cancel", p.PreviewCancel, staff)
	e.POST("/upload/:id/remap", p.PreviewRemap, staff)
	e.GET("/imports", p.Imports, staff)
	e.GET("/imports/:id", p.Import, staff)
	e.GET("/courses", p.Courses, staff)
	e.POST("/courses", p.CourseCreate, staff)
	e.POST("/courses/audience-count", p.AudienceCount, staff)
	e.POST("/courses/:id", p.CourseSave, staff)
	e.POST("/courses/:id/retire", p.CourseRetire(true), staff)
	e.POST("/courses/:id/restore", p.CourseRetire(false), staff)

	// Admins.
	e.POST("/demo", p.Demo, admins)
	e.GET("/accounts", p.ListAccounts, admins)
	e.POST("/accounts", p.AccountCreate, admins)
	e.POST("/accounts/:username", p.AccountSave, admins)
	e.POST("/accounts/:username/reset", p.AccountReset, admins)
	e.POST("/accounts/:username/tokens", p.TokenCreate, admins)
	e.POST("/accounts/:username/delete", p.AccountDelete, admins)
	e.POST("/accounts/tokens/:id/revoke", p.TokenRevoke, admins)
	e.GET("/jobs", p.Jobs, admins)
	e.GET("/jobs/remind", p.Remind, admins)
	e.GET("/jobs/remind.csv", p.RemindCSV, admins)
	e.GET("/jobs/run", p.JobRunConfirm, admins)
	e.POST("/jobs/run", p.JobRun, admins)
	e.GET("/jobs/messages/:id", p.Message, admins)
	e.POST("/jobs/messages/:id/requeue", p.Requeue, admins)
	e.POST("/jobs/requeue-failed", p.RequeueFailed, admins)
	e.POST("/jobs/templates/:name", p.Template, admins)
	e.GET("/audit", p.AuditTrail, admins)
	e.GET("/officers/:id/subject-access", p.SubjectAccess, admins)
}
