package bolt

import (
	"errors"
	"reflect"
	"testing"

	"github.com/muster-police/muster/training"
)

// TestMessageRecord checks that every message field survives the binary
// record, that records written as JSON before still decode, and that a
// damaged record is an error, not a message.
func TestMessageRecord(t *testing.T) {
	m := filled[training.Message]()
	noKeys := m
	noKeys.LedgerKeys = nil
	cases := []struct {
		name string
		rec  []byte
		want training.Message
	}{
		{"binary", encodeMessage(m), m},
		{"binary without ledger keys", encodeMessage(noKeys), noKeys},
		{"json from before", encodeJSON(toMessageRec(m)), m},
	}
	for _, c := range cases {
		got, err := decodeMessage(c.rec)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
	}
	rec := encodeMessage(m)
	for name, bad := range map[string][]byte{
		"empty":     nil,
		"truncated": rec[:len(rec)-1],
		"trailing":  append(append([]byte(nil), rec...), 0),
		"version":   append([]byte{9}, rec[1:]...),
	} {
		if _, err := decodeMessage(bad); err == nil {
			t.Errorf("%s record: decoded without an error", name)
		} else if name != "version" && !errors.Is(err, errCorrupt) {
			t.Errorf("%s record: got %v, want errCorrupt", name, err)
		}
	}
}
