package training

import (
	"errors"
	"testing"
)

// TestCourseURL: a course link is http(s) or nothing, whoever edits it.
func TestCourseURL(t *testing.T) {
	for _, tt := range []struct {
		url string
		ok  bool
	}{
		{"", true},
		{"https://learning.example/cse", true},
		{"http://intranet.local/course?id=1", true},
		{"javascript:alert(1)", false},
		{"JavaScript:alert(1)", false},
		{" javascript:alert(1)", false},
		{"java\tscript:alert(1)", false},
		{"data:text/html,<script>alert(1)</script>", false},
		{"vbscript:msgbox", false},
		{"//evil.example/x", false},
		{"/relative/path", false},
		{"https://user:pw@evil.example/", false},
		{"https:\\\\evil.example", false},
		{"ftp://files.example/x", false},
	} {
		c := Course{ID: "cse", Title: "CSE", URL: tt.url}.Normalize()
		err := c.Validate()
		if tt.ok && err != nil || !tt.ok && !errors.Is(err, ErrInvalid) {
			t.Errorf("URL %q: %v", tt.url, err)
		}
	}
}
