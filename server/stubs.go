package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/training"
)

// Temporary stand-ins while the real handlers are written.

var errTODO = echo.NewHTTPError(http.StatusNotImplemented, "not yet")

type principal struct {
	user    training.User
	session *training.Session
	token   *training.Token
}

type loginLimiter struct{}

func newLoginLimiter() *loginLimiter { return &loginLimiter{} }

type dataCache struct{}

func newDataCache() *dataCache { return &dataCache{} }

type previewStore struct{}

func newPreviewStore() *previewStore { return &previewStore{} }
func (p *previewStore) close()       {}

func principalName(c echo.Context) string { return "" }

func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc { return next }
func (s *Server) checkCSRF(next echo.HandlerFunc) echo.HandlerFunc    { return next }
func (s *Server) requireRole(roles ...training.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc { return next }
}

func (s *Server) healthz(c echo.Context) error             { return c.String(http.StatusOK, "ok\n") }
func (s *Server) readyz(c echo.Context) error              { return errTODO }
func (s *Server) loginForm(c echo.Context) error           { return errTODO }
func (s *Server) openAPI(c echo.Context) error             { return errTODO }
func (s *Server) loginJSON(c echo.Context) error           { return errTODO }
func (s *Server) apiMe(c echo.Context) error               { return errTODO }
func (s *Server) cli(c echo.Context) error                 { return errTODO }
func (s *Server) logoutForm(c echo.Context) error          { return errTODO }
func (s *Server) logoutJSON(c echo.Context) error          { return errTODO }
func (s *Server) apiSession(c echo.Context) error          { return errTODO }
func (s *Server) apiCompliance(c echo.Context) error       { return errTODO }
func (s *Server) apiComplianceExport(c echo.Context) error { return errTODO }
func (s *Server) apiOfficers(c echo.Context) error         { return errTODO }
func (s *Server) apiOfficer(c echo.Context) error          { return errTODO }
func (s *Server) apiCourses(c echo.Context) error          { return errTODO }
func (s *Server) apiTrend(c echo.Context) error            { return errTODO }
func (s *Server) apiImportCreate(c echo.Context) error     { return errTODO }
func (s *Server) apiImports(c echo.Context) error          { return errTODO }
func (s *Server) apiImport(c echo.Context) error           { return errTODO }
func (s *Server) apiImportErrors(c echo.Context) error     { return errTODO }
func (s *Server) apiImportConfirm(c echo.Context) error    { return errTODO }
func (s *Server) apiCompletions(c echo.Context) error      { return errTODO }
func (s *Server) apiCoursesPut(c echo.Context) error       { return errTODO }
func (s *Server) apiCoursePut(c echo.Context) error        { return errTODO }
func (s *Server) apiJobs(c echo.Context) error             { return errTODO }
func (s *Server) apiJobRuns(c echo.Context) error          { return errTODO }
func (s *Server) apiOutbox(c echo.Context) error           { return errTODO }
func (s *Server) apiRemind(c echo.Context) error           { return errTODO }
func (s *Server) apiUsers(c echo.Context) error            { return errTODO }
func (s *Server) apiUserCreate(c echo.Context) error       { return errTODO }
func (s *Server) apiUserUpdate(c echo.Context) error       { return errTODO }
func (s *Server) apiUserDelete(c echo.Context) error       { return errTODO }
func (s *Server) apiTokenCreate(c echo.Context) error      { return errTODO }
func (s *Server) apiUserReset(c echo.Context) error        { return errTODO }
func (s *Server) apiJobRun(c echo.Context) error           { return errTODO }

// currentUser returns the signed-in user (session or token), if any.
func currentUser(c echo.Context) (training.User, bool) { return training.User{}, false }

// csrfToken returns the session's CSRF token for forms ("" without a session).
func csrfToken(c echo.Context) string { return "" }
