package ui

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/internal/export"
	"github.com/muster-police/muster/internal/registers"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// The Registers pages (trainers, HR, admins): the list with a withdraw
// button while allowed, the new register form (IDs typed, pasted or
// scanned, or ticked from a unit's list) → preview → confirm, and the
// printable sign-in sheet. Every handler calls internal/registers.

// registersView is the list page.
type registersView struct {
	Entries   []registers.Entry
	WholeTeam bool // HR and admins see everyone's registers
}

// registerFormView is the new register page: the form, the people of the
// unit picked, and once checked the preview.
type registerFormView struct {
	Courses []training.Course
	Units   []string
	In      training.RegisterInput
	Unit    string
	People  []registers.Person
	Ticked  map[string]bool
	Preview *registers.Preview
	Today   training.Date
}

// SheetLink is the sign-in sheet's address for what the form holds.
func (v registerFormView) SheetLink(format string) string {
	q := url.Values{"course": {v.In.Course}, "unit": {v.Unit}, "date": {v.In.Date}, "place": {v.In.Place}}
	return "/registers/sheet" + format + "?" + q.Encode()
}

func (p *Pages) ListRegisters(c echo.Context) error {
	by := p.RegisterActor(c)
	list, err := p.Registers.List(c.Request().Context(), by)
	if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "registers", "Registers", &registersView{Entries: list, WholeTeam: by.User.Role.SeesWholeForce()})
}

// registerForm builds the form's view from what was typed.
func (p *Pages) registerForm(c echo.Context, in training.RegisterInput, unit string) (*registerFormView, error) {
	ctx := c.Request().Context()
	by := p.RegisterActor(c)
	units, err := p.Registers.Units(ctx, by)
	if err != nil {
		return nil, err
	}
	all, err := p.Store.Courses(ctx)
	if err != nil {
		return nil, err
	}
	v := &registerFormView{Units: units, In: in, Unit: unit, Ticked: map[string]bool{}, Today: p.Today()}
	for _, co := range all {
		if !co.Retired {
			v.Courses = append(v.Courses, co)
		}
	}
	for _, id := range in.Ticked {
		v.Ticked[id] = true
	}
	return v, nil
}

func registerInput(c echo.Context) (training.RegisterInput, string, error) {
	form, err := c.FormParams()
	if err != nil {
		return training.RegisterInput{}, "", training.Invalidf("the form could not be read")
	}
	in := training.RegisterInput{Course: form.Get("course"), Date: form.Get("date"), Place: form.Get("place"), IDs: form.Get("ids"), Ticked: form["ticked"]}
	return in, form.Get("unit"), nil
}

// RegisterNew is the form; ?unit lists that unit's people to tick.
func (p *Pages) RegisterNew(c echo.Context) error {
	in := training.RegisterInput{Course: c.QueryParam("course"), Date: c.QueryParam("date"), Place: c.QueryParam("place")}
	if in.Date == "" {
		in.Date = p.Today().String()
	}
	unit := c.QueryParam("unit")
	v, err := p.registerForm(c, in, unit)
	if err != nil {
		return err
	}
	var errs formErrors
	if unit != "" {
		v.People, err = p.Registers.People(c.Request().Context(), p.RegisterActor(c), unit)
		if err != nil && !errs.addErr("unit", err) {
			return err
		}
	}
	return p.renderForm(c, "register_new", "New register", errs, v)
}

// RegisterPost checks the register and shows the preview, or, with
// confirm, saves it; "unit" alone (the Show names button) lists a unit's
// people to tick, keeping what was typed.
func (p *Pages) RegisterPost(c echo.Context) error {
	in, unit, err := registerInput(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	by := p.RegisterActor(c)
	v, err := p.registerForm(c, in, unit)
	if err != nil {
		return err
	}
	var errs formErrors
	if unit != "" {
		v.People, err = p.Registers.People(ctx, by, unit)
		if err != nil && !errs.addErr("unit", err) {
			return err
		}
	}
	if c.FormValue("action") == "names" || len(errs) > 0 {
		return p.renderForm(c, "register_new", "New register", errs, v)
	}
	confirmed, err := web.BoolField(c, "confirm")
	if err != nil {
		return err
	}
	if confirmed && c.FormValue("action") == "save" {
		r, err := p.Registers.Save(ctx, by, in, true)
		if err == nil {
			return p.redirectFlash(c, "/registers", "ok", fmt.Sprintf("Register saved: %s recorded for %s on %s (%d new). You can withdraw it until %s.",
				r.CourseID, peopleCount(len(r.Attendees)), r.Date.UK(), r.Added, r.WithdrawUntil().UK()))
		}
		if !errs.addErr(registerField(err), err) {
			return err
		}
		return p.renderForm(c, "register_new", "New register", errs, v)
	}
	v.Preview, err = p.Registers.Preview(ctx, by, in)
	if err != nil {
		if !errs.addErr(registerField(err), err) {
			return err
		}
		return p.renderForm(c, "register_new", "New register", errs, v)
	}
	return p.renderForm(c, "register_new", "Check the register", nil, v)
}

// registerField maps an error's field to the form's input.
func registerField(err error) string {
	switch f := training.FieldOf(err); f {
	case "course", "date", "place", "ids", "unit":
		return f
	}
	return "ids"
}

func (p *Pages) RegisterWithdraw(c echo.Context) error {
	r, err := p.Registers.Withdraw(c.Request().Context(), p.RegisterActor(c), c.Param("id"))
	if err != nil {
		if msg, ok := userMessage(err); ok {
			return p.redirectFlash(c, "/registers", "error", msg)
		}
		return err
	}
	return p.redirectFlash(c, "/registers", "ok", fmt.Sprintf("Register of %s on %s withdrawn: its %d completions were taken back.",
		r.CourseID, r.Date.UK(), r.Added))
}

// sheetView is the printable sign-in sheet.
type sheetView struct {
	registers.Sheet
	Place string
	XLSX  string
}

func (p *Pages) registerSheet(c echo.Context) (registers.Sheet, error) {
	return p.Registers.SignInSheet(c.Request().Context(), p.RegisterActor(c), c.QueryParam("course"), c.QueryParam("unit"), c.QueryParam("date"))
}

func (p *Pages) RegisterSheet(c echo.Context) error {
	sh, err := p.registerSheet(c)
	if err != nil {
		return err
	}
	q := c.Request().URL.Query()
	return p.render(c, http.StatusOK, "register_sheet", "Sign-in sheet: "+sh.Course.Title,
		&sheetView{Sheet: sh, Place: training.CleanText(q.Get("place")), XLSX: "/registers/sheet.xlsx?" + q.Encode()})
}

func (p *Pages) RegisterSheetXLSX(c echo.Context) error {
	sh, err := p.registerSheet(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := export.SignInSheetXLSX(&buf, sh, training.CleanText(c.QueryParam("place"))); err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="sign-in-sheet.xlsx"`)
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}
