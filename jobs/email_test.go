package jobs

import (
	"net/mail"
	"testing"
)

var addressCases = []struct {
	addr  string
	plain bool
}{
	{"pc.smith@police.example", true},
	{"A_b+c%d-e@sub-1.police.uk", true},
	{"x@y.z", true},
	{"nodot@localhost", false},
	{".lead@police.example", false},
	{"trail.@police.example", false},
	{"two..dots@police.example", false},
	{"a@police..example", false},
	{"a@.police.example", false},
	{"a@police.example.", false},
	{"@police.example", false},
	{"a@", false},
	{"a@b@police.example", false},
	{"Pat Smith <pat@police.example>", false},
	{"pat@police.example (Pat)", false},
	{"\"pat smith\"@police.example", false},
	{"pät@police.example", false},
	{"pat@[10.0.0.1]", false},
	{"o'neil@police.example", false}, // the parser accepts it; not the fast path
}

// TestPlainAddress checks the fast path against the cases it must and
// must not take.
func TestPlainAddress(t *testing.T) {
	for _, c := range addressCases {
		if got := plainAddress(c.addr); got != c.plain {
			t.Errorf("plainAddress(%q) = %v, want %v", c.addr, got, c.plain)
		}
	}
}

// FuzzPlainAddress checks that every address the fast path takes is one
// mail.ParseAddress accepts unchanged, so checkEmail decides as before.
func FuzzPlainAddress(f *testing.F) {
	for _, c := range addressCases {
		f.Add(c.addr)
	}
	f.Fuzz(func(t *testing.T, addr string) {
		if !plainAddress(addr) {
			return
		}
		a, err := mail.ParseAddress(addr)
		if err != nil || a.Name != "" || a.Address != addr {
			t.Errorf("plainAddress(%q) but ParseAddress gives %+v, %v", addr, a, err)
		}
	})
}
