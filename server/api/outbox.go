package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// outboxStatus is the relay's state and the outbox's counts.
type outboxStatus struct {
	Relay        training.RelayStatus          `json:"relay"`
	Counts       map[training.MessageState]int `json:"counts"`
	OldestQueued *time.Time                    `json:"oldest_queued,omitempty"`
}

// OutboxStatus says whether the mail relay answers and how many
// messages wait, were sent or failed.
func (s *Handler) OutboxStatus(c echo.Context) error {
	ctx := c.Request().Context()
	relay, err := training.ReadRelayStatus(ctx, s.Store)
	if err != nil {
		return err
	}
	st, err := s.Store.OutboxStats(ctx)
	if err != nil {
		return err
	}
	out := outboxStatus{Relay: relay, Counts: st.ByState}
	if !st.OldestQueued.IsZero() {
		out.OldestQueued = &st.OldestQueued
	}
	return c.JSON(http.StatusOK, out)
}

// Requeue puts one failed message back in the queue (409 unless failed).
func (s *Handler) Requeue(c echo.Context) error {
	id := c.Param("id")
	if err := s.Store.UpdateMessage(c.Request().Context(), id, func(m *training.Message) error { return m.Requeue(s.Now()) }); err != nil {
		return err
	}
	s.Audit(c, training.AuditMailRequeued, training.TargetMessage, id, training.AuditOK, "one message")
	m, err := s.Store.Message(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m)
}

// RequeueFailed puts every failed message back in the queue.
func (s *Handler) RequeueFailed(c echo.Context) error {
	n, err := web.RequeueFailed(c, s.Store, s.Now)
	if err != nil {
		return err
	}
	s.Audit(c, training.AuditMailRequeued, training.TargetMessage, "", training.AuditOK, fmt.Sprintf("every failed message: %d", n))
	return c.JSON(http.StatusOK, map[string]int{"requeued": n})
}
