package web

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/importers"
	"github.com/muster-police/muster/training"
)

func JSONUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// BoolField reads a true/false form or query value ("" is false; "on"
// from a checkbox is true).
func BoolField(c echo.Context, name string) (bool, error) {
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

// ConfirmField reads the one answer to a guard (too many leavers, IDs
// that match nobody, a course change moving more than 20% of its people):
// "confirm", or its older spelling "confirm_leavers", which scripts may
// still send. (The CLI's is --yes, or --confirm; the code's Confirmed.)
func ConfirmField(c echo.Context) (bool, error) {
	confirm, err := BoolField(c, "confirm")
	if err != nil {
		return false, err
	}
	old, err := BoolField(c, "confirm_leavers")
	return confirm || old, err
}

// ImportOptionsFrom reads the upload form's options.
func ImportOptionsFrom(c echo.Context) (ImportOptions, error) {
	var o ImportOptions
	var err error
	for _, f := range []struct {
		name string
		dst  *bool
	}{{"full", &o.Full}, {"dry_run", &o.DryRun}, {"strict", &o.Strict}} {
		if *f.dst, err = BoolField(c, f.name); err != nil {
			return o, err
		}
	}
	if o.Confirmed, err = ConfirmField(c); err != nil {
		return o, err
	}
	o.Sheet = c.FormValue("sheet")
	o.Course = c.FormValue("course")
	o.SaveMappingAs = c.FormValue("save_mapping")
	o.Mapping, err = mappingFrom(c)
	return o, err
}

// mappingFrom reads the upload form's column choices: "map" fields of
// the form HEADER=FIELD (the API, the CLI's --map), and the preview
// page's per-column choices col_header_N / col_field_N (a blank field
// keeps what Muster detected).
func mappingFrom(c echo.Context) ([]training.MappingRule, error) {
	form, err := c.FormParams()
	if err != nil {
		return nil, training.Invalidf("the form could not be read")
	}
	var out []training.MappingRule
	lines := form["map"]
	for _, block := range form["map_lines"] { // the upload form's text box: one per line
		lines = append(lines, strings.Split(block, "\n")...)
	}
	for _, v := range lines {
		if strings.TrimSpace(v) == "" {
			continue
		}
		r, err := importers.ParseMappingRule(strings.TrimSpace(v))
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	for i := 0; i < training.MaxMappingHeaders; i++ {
		h, ok := form["col_header_"+strconv.Itoa(i)]
		if !ok {
			break
		}
		f := form.Get("col_field_" + strconv.Itoa(i))
		if len(h) == 0 || h[0] == "" || f == "" {
			continue
		}
		out = append(out, training.MappingRule{Header: h[0], Field: f})
	}
	if len(out) > training.MaxMappingHeaders {
		return nil, training.Invalidf("a mapping has at most %d columns", training.MaxMappingHeaders)
	}
	return out, nil
}
