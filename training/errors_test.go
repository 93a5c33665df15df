package training

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestErrorKinds(t *testing.T) {
	cause := errors.New("disk on fire")
	tests := []struct {
		name       string
		err        error
		sentinel   error
		kind       Kind
		field, msg string
	}{
		{"invalid with a field", FieldErrorf(KindInvalid, "email", "email %q is not an address", "x"), ErrInvalid, KindInvalid, "email", `email "x" is not an address`},
		{"wrapped with context", fmt.Errorf("saving: %w", NotFoundf("no officer %s", "A1")), ErrNotFound, KindNotFound, "", "saving: no officer A1"},
		{"over quota", OverQuotaf("you have %d imports running", 2), ErrQuota, KindOverQuota, "", "you have 2 imports running"},
		{"busy", Busyf("the server is busy"), ErrBusy, KindBusy, "", "the server is busy"},
		{"unavailable with a cause", Errorf(KindUnavailable, "the store: %w", cause), ErrUnavailable, KindUnavailable, "", "the store: disk on fire"},
		{"a sentinel wrapped by a store", fmt.Errorf("user %q: %w", "ann", ErrConflict), ErrConflict, KindConflict, "", `user "ann": conflict`},
		{"unknown unit", &UnknownUnitError{Unit: "Nowhere"}, ErrInvalid, KindInvalid, "units", `there is no unit "Nowhere" on the roster; pick one of the roster's units (full path, e.g. Frontline Policing / Central West)`},
		{"course name clash", &CourseNameError{Field: "aliases", Name: "CSE", Other: "cse"}, ErrInvalid, KindInvalid, "aliases", `the name "CSE" is already used by course "cse"; rosters could not tell them apart`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !errors.Is(tt.err, tt.sentinel) {
				t.Errorf("errors.Is(%v, %v) = false", tt.err, tt.sentinel)
			}
			for _, other := range []error{ErrInvalid, ErrNotFound, ErrConflict, ErrForbidden, ErrUnavailable, ErrQuota, ErrBusy, ErrUnauthenticated} {
				if other != tt.sentinel && errors.Is(tt.err, other) {
					t.Errorf("errors.Is(%v, %v) = true", tt.err, other)
				}
			}
			if got := KindOf(tt.err); got != tt.kind {
				t.Errorf("KindOf = %q, want %q", got, tt.kind)
			}
			if got := FieldOf(tt.err); got != tt.field {
				t.Errorf("FieldOf = %q, want %q", got, tt.field)
			}
			if got := MessageOf(tt.err); got != tt.msg {
				t.Errorf("MessageOf = %q, want %q", got, tt.msg)
			}
		})
	}
	if e := Errorf(KindUnavailable, "the store: %w", cause); !errors.Is(e, cause) {
		t.Error("the cause given with %w is not in the chain")
	}
	if got := Invalidf("the date is bad").Error(); got != "invalid: the date is bad" {
		t.Errorf("Error() = %q: logs keep the kind first", got)
	}
	if MessageOf(ErrNotFound) != "" || MessageOf(fmt.Errorf("item 3: %w", Invalidf("bad date"))) != "item 3: bad date" {
		t.Error("a bare sentinel has a message, or context around an *Error is lost")
	}
	if KindOf(errors.New("plain")) != "" || MessageOf(errors.New("plain")) != "" {
		t.Error("an error from outside the domain has a kind or a message")
	}
}

// TestNoErrorText keeps the rule that nothing decides on an error's text:
// no code wraps a kind's sentinel with a message of its own (use Invalidf
// and friends, whose message the edges show) and none strips a kind's
// prefix or searches an error's text. (A dependency's text, where it
// offers no error value, is marked on its line: "text, not the domain's".)
func TestNoErrorText(t *testing.T) {
	banned := []*regexp.Regexp{
		regexp.MustCompile(`Errorf\("%w: [^"]*",\s*(training\.)?Err(Invalid|NotFound|Conflict|Forbidden|Unavailable|Quota|Busy)\b`),
		regexp.MustCompile(`strings\.(Contains|HasPrefix|TrimPrefix)\(err\.Error\(\)`),
		regexp.MustCompile(`Err(Invalid|NotFound|Conflict|Forbidden|Unavailable|Quota|Busy)\.Error\(\)`),
	}
	root := ".."
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			for _, re := range banned {
				if re.MatchString(line) && !strings.Contains(line, "text, not the domain's") {
					t.Errorf("%s:%d: %s\n\tuse training.Invalidf (etc.), KindOf, FieldOf and MessageOf, not the error's text", path, i+1, strings.TrimSpace(line))
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
