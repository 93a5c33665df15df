package training

import (
	"testing"
	"unsafe"
)

// TestRecordSizes keeps the records a Dataset holds 150,000 times
// compact: an Officer's two bools share one word (apart, each pads to 8
// bytes), and a Completion stays at 160 bytes. See README, "Memory of
// muster serve".
func TestRecordSizes(t *testing.T) {
	var o Officer
	if unsafe.Offsetof(o.Leaver) != unsafe.Offsetof(o.EmailInvalid)+1 {
		t.Errorf("Officer.Leaver is at %d, EmailInvalid at %d: they no longer share a word",
			unsafe.Offsetof(o.Leaver), unsafe.Offsetof(o.EmailInvalid))
	}
	if n := unsafe.Sizeof(o); n > 360 {
		t.Errorf("an Officer is %d bytes, over 360", n)
	}
	if n := unsafe.Sizeof(Completion{}); n > 160 {
		t.Errorf("a Completion is %d bytes, over 160", n)
	}
}
