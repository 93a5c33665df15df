package web

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/training"
)

// ErrJobsOff answers job routes when the server runs without a scheduler.
var ErrJobsOff = echo.NewHTTPError(http.StatusServiceUnavailable, "Scheduled jobs are off in this server.")

// RequeueFailed re-queues every failed message and returns how many; one
// changed meanwhile (no longer failed) is skipped, not an error.
func RequeueFailed(c echo.Context, st training.Store, now func() time.Time) (int, error) {
	ctx := c.Request().Context()
	failed, err := st.Messages(ctx, training.MessageFailed, 0)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range failed {
		err := st.UpdateMessage(ctx, m.ID, func(m *training.Message) error { return m.Requeue(now()) })
		switch {
		case err == nil:
			n++
		case errors.Is(err, training.ErrConflict), errors.Is(err, training.ErrNotFound):
		default:
			return n, fmt.Errorf("re-queuing message %s: %w", m.ID, err)
		}
	}
	return n, nil
}
