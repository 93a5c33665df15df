package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// The register API (/api/v1/registers) for scripts: trainers, HR and
// admins. Each handler reads its input and calls internal/registers once.

// registerBody is a register on the wire: the input, and for a save the
// answer to its one guard (confirm, in the body or the query).
type registerBody struct {
	training.RegisterInput
	Confirm bool `json:"confirm"`
}

// RegisterPreviewJSON is a preview on the wire: nothing was saved.
type RegisterPreviewJSON struct {
	Course      string                  `json:"course"`
	Date        training.Date           `json:"date"`
	Place       string                  `json:"place"`
	Lines       []training.RegisterLine `json:"lines"`
	Recorded    int                     `json:"recorded"`
	Unknown     int                     `json:"unknown"`
	NotRequired int                     `json:"not_required"`
	Compliant   int                     `json:"compliant"`
}

// RegisterJSON is a saved register with what the viewer may still do.
type RegisterJSON struct {
	training.Register
	Withdrawn     bool          `json:"withdrawn"`
	WithdrawUntil training.Date `json:"withdraw_until"`
	CanWithdraw   bool          `json:"can_withdraw"`
}

func (s *Handler) toRegisterJSON(c echo.Context, r training.Register) RegisterJSON {
	u, _ := web.CurrentUser(c)
	return RegisterJSON{Register: r, Withdrawn: r.Withdrawn(), WithdrawUntil: r.WithdrawUntil(), CanWithdraw: r.CanWithdraw(u, s.Now()) == nil}
}

// RegisterPreview says what saving the register in the body would
// record; it writes nothing.
func (s *Handler) RegisterPreview(c echo.Context) error {
	var in registerBody
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	p, err := s.Registers.Preview(c.Request().Context(), s.RegisterActor(c), in.RegisterInput)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, RegisterPreviewJSON{Course: p.Course.ID, Date: p.Register.Date, Place: p.Register.Place,
		Lines: p.Lines, Recorded: p.Recorded, Unknown: p.Unknown, NotRequired: p.NotRequired, Compliant: p.Compliant})
}

// RegisterSave saves the register in the body once confirmed
// ("confirm": true, or ?confirm=true); else 409 on the field confirm.
func (s *Handler) RegisterSave(c echo.Context) error {
	var in registerBody
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	confirm, err := web.ConfirmField(c)
	if err != nil {
		return err
	}
	r, err := s.Registers.Save(c.Request().Context(), s.RegisterActor(c), in.RegisterInput, in.Confirm || confirm)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, s.toRegisterJSON(c, r))
}

// ListRegisters lists the registers the caller may see, newest first.
func (s *Handler) ListRegisters(c echo.Context) error {
	list, err := s.Registers.List(c.Request().Context(), s.RegisterActor(c))
	if err != nil {
		return err
	}
	out := make([]RegisterJSON, len(list))
	for i, e := range list {
		out[i] = s.toRegisterJSON(c, e.Register)
	}
	return c.JSON(http.StatusOK, out)
}

// RegisterWithdraw takes back a register's completions.
func (s *Handler) RegisterWithdraw(c echo.Context) error {
	r, err := s.Registers.Withdraw(c.Request().Context(), s.RegisterActor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.toRegisterJSON(c, r))
}
