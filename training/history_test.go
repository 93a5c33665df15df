package training_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/muster-police/muster/training"
)

// comp is a completion written "course date [?] source": "?" marks an
// unknown date; the source (import ID) tells which record was kept.
func comp(s string) training.Completion {
	f := strings.Fields(s)
	d, err := training.ParseDate(f[1])
	if err != nil {
		panic(err)
	}
	c := training.Completion{OfficerID: "A1", CourseID: f[0], Date: d}
	for _, x := range f[2:] {
		if x == "?" {
			c.DateUnknown = true
		} else {
			c.Source.ImportID = x
		}
	}
	return c
}

func comps(ss ...string) []training.Completion {
	var out []training.Completion
	for _, s := range ss {
		out = append(out, comp(s))
	}
	return out
}

func showComps(cs []training.Completion) string {
	var parts []string
	for _, c := range cs {
		s := c.CourseID + " " + c.Date.String()
		if c.DateUnknown {
			s += " ?"
		}
		parts = append(parts, s+" "+c.Source.ImportID)
	}
	return strings.Join(parts, ", ")
}

func TestMergeCompletions(t *testing.T) {
	tests := []struct {
		name      string
		have, add []training.Completion
		want      []training.Completion
		changed   bool
	}{
		{"into nothing", nil, comps("cse 2026-01-10 i1"), comps("cse 2026-01-10 i1"), true},
		{"nothing to add", comps("cse 2026-01-10 i1"), nil, comps("cse 2026-01-10 i1"), false},
		{"the same again keeps the first record", comps("cse 2026-01-10 i1"), comps("cse 2026-01-10 i2"), comps("cse 2026-01-10 i1"), false},
		{"twice in one batch keeps the first", nil, comps("cse 2026-01-10 i1", "cse 2026-01-10 i2"), comps("cse 2026-01-10 i1"), true},
		{"sorted by course, then date", comps("tic 2026-03-01 i1", "cse 2026-05-01 i1"), comps("cse 2026-02-01 i2"),
			comps("cse 2026-02-01 i2", "cse 2026-05-01 i1", "tic 2026-03-01 i1"), true},
		{"an undated one is another record, after the dated one of its day", comps("cse 2026-01-10 ? i1"), comps("cse 2026-01-10 i2"),
			comps("cse 2026-01-10 i2", "cse 2026-01-10 ? i1"), true},
		{"other course, same date", comps("cse 2026-01-10 i1"), comps("tic 2026-01-10 i2"), comps("cse 2026-01-10 i1", "tic 2026-01-10 i2"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, changed := training.MergeCompletions(tt.have, tt.add)
			if showComps(got) != showComps(tt.want) || changed != tt.changed {
				t.Errorf("got [%s] changed=%v, want [%s] changed=%v", showComps(got), changed, showComps(tt.want), tt.changed)
			}
		})
	}
}

func TestMergeExemptions(t *testing.T) {
	x := func(course, reason string) training.Exemption {
		return training.Exemption{OfficerID: "A1", CourseID: course, Reason: reason}
	}
	show := func(xs []training.Exemption) string {
		var parts []string
		for _, e := range xs {
			parts = append(parts, e.CourseID+"="+e.Reason)
		}
		return fmt.Sprint(parts)
	}
	tests := []struct {
		name      string
		have, add []training.Exemption
		want      string
	}{
		{"into nothing", nil, []training.Exemption{x("tic", "leave"), x("cse", "leave")}, "[cse=leave tic=leave]"},
		{"replaces the same course", []training.Exemption{x("cse", "old"), x("tic", "keep")}, []training.Exemption{x("cse", "new")}, "[cse=new tic=keep]"},
		{"the last of a batch wins", []training.Exemption{x("cse", "old")}, []training.Exemption{x("cse", "first"), x("cse", "last")}, "[cse=last]"},
		{"the last of a batch wins over nothing", nil, []training.Exemption{x("cse", "first"), x("cse", "last")}, "[cse=last]"},
		{"adds another course, sorted", []training.Exemption{x("tic", "a")}, []training.Exemption{x("cse", "b")}, "[cse=b tic=a]"},
		{"nothing to add", []training.Exemption{x("cse", "a")}, nil, "[cse=a]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := show(training.MergeExemptions(tt.have, tt.add)); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}
