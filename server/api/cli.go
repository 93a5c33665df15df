package api

import (
	"bytes"
	"crypto/subtle"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// POST /api/v1/cli runs a muster command inside the server, for a CLI that
// finds the data directory locked by this server (README "The CLI while muster serve runs").
//
// Request: Authorization: Bearer <Config.LocalToken>; a multipart form
// with one "arg" field per argument, in order, and any files the command
// reads as "file" parts whose filename is the key the command will look
// up in files. Response: the command's stdout as the body, the exit code
// in the X-Muster-Exit header (status 200 whatever the code).
func (s *Handler) CLI(c echo.Context) error {
	if s.Cfg.LocalToken == "" || s.Cfg.ExecCLI == nil {
		return training.NotFoundf("CLI forwarding is off in this server")
	}
	scheme, tok, _ := strings.Cut(c.Request().Header.Get(echo.HeaderAuthorization), " ")
	if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(s.Cfg.LocalToken)) != 1 {
		return web.ErrUnauthenticated
	}
	form, err := c.MultipartForm()
	if err != nil {
		return training.Invalidf("send a multipart form with arg fields and file parts: %v", err)
	}
	defer form.RemoveAll()
	args := form.Value["arg"]
	files := map[string][]byte{}
	for _, fh := range form.File["file"] {
		f, err := fh.Open()
		if err != nil {
			return fmt.Errorf("cli upload: %w", err)
		}
		b, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("cli upload: %w", err)
		}
		files[fh.Filename] = b
	}
	var out bytes.Buffer
	code := s.Cfg.ExecCLI(c.Request().Context(), args, files, &out)
	s.Log.Info("cli command forwarded", "request_id", web.RequestIDOf(c), "command", firstArg(args), "exit", code)
	c.Response().Header().Set("X-Muster-Exit", strconv.Itoa(code))
	return c.Blob(http.StatusOK, "text/plain; charset=utf-8", out.Bytes())
}

// firstArg is the subcommand name, safe to log (arguments may hold names).
func firstArg(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return args[0]
}
