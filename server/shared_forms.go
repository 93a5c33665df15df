package server

import (
	"encoding/json"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/training"
)

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// boolField reads a true/false form or query value ("" is false; "on"
// from a checkbox is true).
func boolField(c echo.Context, name string) (bool, error) {
	v := c.FormValue(name)
	if v == "" || v == "on" {
		return v == "on", nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, training.Invalidf("the %s field must be true or false", name)
	}
	return b, nil
}

// confirmField reads the one answer to a guard (too many leavers, IDs
// that match nobody, a course change moving more than 20% of its people):
// "confirm", or its older spelling "confirm_leavers", which scripts may
// still send. (The CLI's is --yes, or --confirm; the code's Confirmed.)
func confirmField(c echo.Context) (bool, error) {
	confirm, err := boolField(c, "confirm")
	if err != nil {
		return false, err
	}
	old, err := boolField(c, "confirm_leavers")
	return confirm || old, err
}

// importOptionsFrom reads the upload form's options.
func importOptionsFrom(c echo.Context) (ImportOptions, error) {
	var o ImportOptions
	var err error
	for _, f := range []struct {
		name string
		dst  *bool
	}{{"full", &o.Full}, {"dry_run", &o.DryRun}, {"strict", &o.Strict}} {
		if *f.dst, err = boolField(c, f.name); err != nil {
			return o, err
		}
	}
	if o.Confirmed, err = confirmField(c); err != nil {
		return o, err
	}
	o.Sheet = c.FormValue("sheet")
	o.Course = c.FormValue("course")
	o.SaveMappingAs = c.FormValue("save_mapping")
	o.Mapping, err = mappingFrom(c)
	return o, err
}
