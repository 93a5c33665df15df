package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/training"
)

// ExportFormat reads ?format: xlsx or csv (and json when allowJSON, the default then).
func ExportFormat(c echo.Context, allowJSON bool) (string, error) {
	f := strings.ToLower(strings.TrimSpace(c.QueryParam("format")))
	switch {
	case f == "" && allowJSON:
		return "json", nil
	case f == "":
		return "xlsx", nil
	case f == "xlsx" || f == "csv" || f == "json" && allowJSON:
		return f, nil
	}
	return "", training.Invalidf("format must be xlsx or csv")
}

var ExportTypes = map[string]string{
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"csv":  "text/csv; charset=utf-8",
}

// SendFile answers with a download named name.format.
func SendFile(c echo.Context, name, format string, body []byte) error {
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", name+"."+format))
	c.Response().Header().Set("Cache-Control", "private, no-store")
	return c.Blob(http.StatusOK, ExportTypes[format], body)
}

func Attachment(c echo.Context, name, ctype string, b []byte) error {
	name = strings.Map(func(r rune) rune {
		if r == '"' || r == '\\' || r < ' ' {
			return '_'
		}
		return r
	}, name)
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, ctype, b)
}
