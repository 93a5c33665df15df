package redis

import (
	"context"
	"testing"

	"github.com/muster-police/muster/storage/storagetest"
	"github.com/muster-police/muster/training"
)

// aclRules is the least a Muster deployment with prefix "muster" needs
// (DESIGN.md): its own keys, and every command but the admin and
// dangerous ones.
var aclRules = []any{"on", ">muster-pw", "~{muster}:*", "~{muster:*", "~muster:*", "+@all", "-@admin", "-@dangerous"}

// TestStoreACL runs the conformance suite as a Redis ACL user limited to
// the documented rules, so the advice in DESIGN.md is known to work.
func TestStoreACL(t *testing.T) {
	admin := openTest(t, singleURL(t), nextPrefix())
	args := append([]any{"ACL", "SETUSER", "muster-acl-test", "reset"}, aclRules...)
	if err := admin.rdb.Do(t.Context(), args...).Err(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.rdb.Do(context.Background(), "ACL", "DELUSER", "muster-acl-test") })
	url := "redis://muster-acl-test:muster-pw@" + singleURL(t)[len("redis://"):]
	storagetest.Run(t, func(t *testing.T) training.Store {
		s := openTest(t, url, "muster")
		t.Cleanup(func() { dropAll(t, admin, "muster") })
		return s
	})
}

// dropAll removes every key of a prefix, so the next test starts empty.
func dropAll(t *testing.T, s *Store, prefix string) {
	ctx := context.Background()
	for _, pattern := range []string{"{" + prefix + "}:*", "{" + prefix + ":*", prefix + ":*"} {
		iter := s.rdb.Scan(ctx, 0, pattern, 1000).Iterator()
		for iter.Next(ctx) {
			if err := s.rdb.Unlink(ctx, iter.Val()).Err(); err != nil {
				t.Fatal(err)
			}
		}
		if err := iter.Err(); err != nil {
			t.Fatal(err)
		}
	}
}
