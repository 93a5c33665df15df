package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/internal/requests"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// ListRequests lists the officers' requests the caller may decide (HR and
// admins: all), waiting ones unless show=all.
func (s *Handler) ListRequests(c echo.Context) error {
	u, _ := web.CurrentUser(c)
	show := c.QueryParam("show")
	if show != "" && show != "all" && show != "open" {
		return training.FieldErrorf(training.KindInvalid, "show", "show must be open (the default) or all")
	}
	items, err := s.Requests.List(c.Request().Context(), u, show != "all")
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, no-store")
	return c.JSON(http.StatusOK, map[string]any{"requests": items})
}

// decisionInput is the body of POST /api/v1/requests/:id/decision.
type decisionInput struct {
	Decision string `json:"decision"` // approve or decline
	Reason   string `json:"reason"`
}

// RequestDecide approves or declines one request.
func (s *Handler) RequestDecide(c echo.Context) error {
	var in decisionInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	if in.Decision != "approve" && in.Decision != "decline" {
		return training.FieldErrorf(training.KindInvalid, "decision", "decision must be approve or decline")
	}
	u, _ := web.CurrentUser(c)
	r, err := s.Requests.Decide(c.Request().Context(), u, c.Param("id"), requests.Decision{Approve: in.Decision == "approve", Reason: in.Reason}, web.RequestsActor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}
