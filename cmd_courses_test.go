package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/muster-police/muster/training"
)

// cseFigures returns the CSE counts of every node of a report, by path.
func cseFigures(t *testing.T, c *cli) map[string]training.Counts {
	t.Helper()
	var r training.Report
	if err := json.Unmarshal([]byte(c.must("report", "--as-of", "2026-11-24", "--format", "json")), &r); err != nil {
		t.Fatal(err)
	}
	out := map[string]training.Counts{}
	var walk func(n *training.ReportNode)
	walk = func(n *training.ReportNode) {
		for _, f := range n.Courses {
			if f.Course == "cse-recognition" {
				out[n.Unit] = f.Counts
			}
		}
		for _, u := range n.Units {
			walk(u)
		}
	}
	walk(&r.ReportNode)
	return out
}

// TestCoursesApplyAudience: narrowing CSE to Frontline Policing is
// previewed, refused without --yes, then leaves exactly the Frontline
// figures (every other unit's people are not required); widening it again
// brings the others back with R = the day of the change, so none of them is
// overdue at once but those whose completion has lapsed; both changes are in the audit trail with before and after.
func TestCoursesApplyAudience(t *testing.T) {
	c := newCLI(t)
	c.importSamples()
	before := cseFigures(t, c)
	// People outside Frontline Policing whose CSE completion has lapsed:
	// their due date is the expiry, whatever R is, so they are the only
	// newcomers overdue at once when the audience is widened again.
	var overdue []training.OfficerStatus
	if err := json.Unmarshal([]byte(c.must("officers", "list", "--as-of", "2026-11-24", "--status", "overdue", "--course", "cse-recognition", "--format", "json")), &overdue); err != nil {
		t.Fatal(err)
	}
	lapsedOutside := 0
	for _, o := range overdue {
		for _, cs := range o.Courses {
			if cs.CourseID == "cse-recognition" && cs.Status == training.StatusOverdue && cs.Completion != nil && !training.InUnit(o.Officer.Unit, "Frontline Policing") {
				lapsedOutside++
			}
		}
	}
	front := before["Frontline Policing"]
	if front.Required == 0 || front.Required == before[""].Required {
		t.Fatalf("the samples need people inside and outside Frontline Policing: %+v of %+v", front, before[""])
	}

	code, out, errOut := c.run("courses", "apply", "testdata/courses/audience_frontline.yaml")
	leaving := before[""].Required - front.Required
	if code != exitFail || !strings.Contains(errOut, "--yes") {
		t.Fatalf("a change of more than 20%% was not refused: exit %d\n%s\n%s", code, out, errOut)
	}
	wantLine := "0 become required, " + itoa(leaving) + " stop being required"
	if !strings.Contains(out, wantLine) {
		t.Errorf("preview lacks %q:\n%s", wantLine, out)
	}
	if got := cseFigures(t, c); got[""] != before[""] {
		t.Fatalf("a refused change changed the figures: %+v", got[""])
	}
	c.must("courses", "apply", "--yes", "testdata/courses/audience_frontline.yaml")
	after := cseFigures(t, c)
	for unit, n := range after {
		switch {
		case training.InUnit(unit, "Frontline Policing"):
			if n != before[unit] {
				t.Errorf("%s: %+v, want unchanged %+v", unit, n, before[unit])
			}
		case unit == "":
			if n != front {
				t.Errorf("whole force: %+v, want Frontline Policing's %+v", n, front)
			}
		case n.Required != 0 || n.Overdue != 0 || n.Compliant != 0:
			t.Errorf("%s: %+v, want nobody required", unit, n)
		}
	}
	if list := c.must("courses", "list"); !strings.Contains(list, "required of: unit Frontline Policing") {
		t.Errorf("courses list does not say who must do it:\n%s", list)
	}

	out = c.must("courses", "apply", "--yes", "testdata/courses/audience_everyone.yaml")
	if !strings.Contains(out, itoa(leaving)+" become required, 0 stop being required, "+itoa(lapsedOutside)+" overdue at once") {
		t.Errorf("widening preview:\n%s", out)
	}
	again := cseFigures(t, c)
	if again[""].Required != before[""].Required || again[""].Overdue != front.Overdue+lapsedOutside {
		t.Errorf("after widening: %+v, want %d required of whom %d overdue (Frontline's %d and %d lapsed elsewhere)",
			again[""], before[""].Required, front.Overdue+lapsedOutside, front.Overdue, lapsedOutside)
	}
	events := c.must("audit", "--action", "course_changed", "--format", "json")
	if strings.Count(events, `"target_id": "cse-recognition"`)+strings.Count(events, `"target_id":"cse-recognition"`) != 2 ||
		!strings.Contains(events, `audience before: everyone; after: {\"include\":[{\"unit\":[\"Frontline Policing\"]}]}`) {
		t.Errorf("audit trail:\n%s", events)
	}
}
