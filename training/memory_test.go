package training

import (
	"testing"
	"unsafe"
)

// TestRecordSizes keeps the records a Dataset holds 150,000 times within
// their memory budget: an Officer fits the 352-byte size class (its two
// bools share one word; at 360 bytes each costs 384), and a Completion
// stays at 160 bytes. See README, "Memory of muster serve".
func TestRecordSizes(t *testing.T) {
	if n := unsafe.Sizeof(Officer{}); n > 352 {
		t.Errorf("an Officer is %d bytes, over 352 (allocated in the 384-byte size class)", n)
	}
	if n := unsafe.Sizeof(Completion{}); n > 160 {
		t.Errorf("a Completion is %d bytes, over 160", n)
	}
}
