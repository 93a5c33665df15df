package storagetest

import (
	"errors"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

var onceTests = []test{
	{"UseOnce", testUseOnce},
}

// testUseOnce: a key is used once until its expiry, on its own, and free
// again at the expiry instant.
func testUseOnce(t *testing.T, s training.Store) {
	const ttl = 10 * time.Minute
	steps := []struct {
		name string
		key  string
		now  time.Time
		want error
	}{
		{"first use", "state-a", at(0), nil},
		{"second use", "state-a", at(1), training.ErrConflict},
		{"another key", "state-b", at(1), nil},
		{"just before the expiry", "state-a", at(0).Add(ttl - time.Second), training.ErrConflict},
		{"at the expiry", "state-a", at(0).Add(ttl), nil},
		{"used again after that", "state-a", at(11), training.ErrConflict},
		{"an expired key is free", "state-b", at(30), nil},
	}
	for _, st := range steps {
		err := s.UseOnce(ctx(t), st.key, st.now.Add(ttl), st.now)
		if st.want == nil && err != nil || st.want != nil && !errors.Is(err, st.want) {
			t.Fatalf("%s: err = %v, want %v", st.name, err, st.want)
		}
	}
	if err := s.UseOnce(ctx(t), "", at(1), at(0)); !errors.Is(err, training.ErrInvalid) {
		t.Fatalf("empty key: %v, want ErrInvalid", err)
	}
}
