// Package bolt is the embedded Muster store: one bbolt file, one process.
//
// Every bucket is created in one transaction at Open. Values are explicit,
// versioned wire records (records.go, codec.go), never the domain types
// themselves, so that a change to a training type cannot silently change
// what is on disk. Bytes are always copied out of transactions.
package bolt

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/muster-police/muster/training"
	bbolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

var _ training.Store = (*Store)(nil)

// ErrLocked is returned by Open when another process holds the file. It
// wraps training.ErrUnavailable, so callers that only know the domain
// errors still treat it as "try again later".
var ErrLocked error = lockedError{}

type lockedError struct{}

func (lockedError) Error() string {
	return "another muster process has the data directory open (is `muster serve` running?)"
}

func (lockedError) Is(target error) bool { return target == training.ErrUnavailable }

// DefaultTimeout is how long Open waits for the file lock when
// Options.Timeout is zero: long enough to ride out a process that is just
// exiting, short enough that a second command fails fast.
const DefaultTimeout = time.Second

// Options configure Open.
type Options struct {
	// Timeout is how long to wait for another process to release the
	// file (default DefaultTimeout).
	Timeout time.Duration
	// Logger receives operational messages; nil discards them.
	Logger *slog.Logger
}

// Store is a training.Store kept in one bbolt file.
type Store struct {
	db  *bbolt.DB
	log *slog.Logger
	// rev is the revision last committed. The file has one process (an
	// exclusive lock), so every write goes through this Store and the
	// revision can be answered from memory: the live model asks for it
	// on every read, and a read transaction for it was a quarter of the
	// CPU of serving a kept report.
	rev    atomic.Int64
	closed atomic.Bool
}

// Bucket names. Index buckets start with "ix-".
var (
	bMeta               = []byte("meta")
	bOfficers           = []byte("officers")
	bCompletions        = []byte("completions") // officer ID -> all their completions
	bExemptions         = []byte("exemptions")  // officer ID -> all their exemptions
	bCourses            = []byte("courses")
	bImports            = []byte("imports")
	bImportsByTime      = []byte("ix-imports-at")   // at|id -> nil
	bImportsByHash      = []byte("ix-imports-hash") // file hash -> id (applied only)
	bSnapshots          = []byte("snapshots")       // YYYY-MM-DD -> record
	bUsers              = []byte("users")
	bSessions           = []byte("sessions")         // id hash -> record
	bSessionsByUser     = []byte("ix-sessions-user") // username\x00idhash -> nil
	bTokens             = []byte("tokens")           // id -> record
	bTokensByHash       = []byte("ix-tokens-hash")   // hash -> id
	bOutbox             = []byte("outbox")           // id -> record
	bOutboxDue          = []byte("ix-outbox-due")    // next attempt|id -> nil (queued only)
	bOutboxCreated      = []byte("ix-outbox-created")
	bOutboxState        = []byte("ix-outbox-state") // state\x00created|id -> nil
	bLedger             = []byte("ledger")          // ledger key -> message id
	bLocks              = []byte("locks")
	bJobRuns            = []byte("jobruns")
	bJobRunsByStart     = []byte("ix-jobruns-started") // started|id -> job name
	bSettings           = []byte("settings")
	bPreviews           = []byte("uploads")                 // id -> kept dry-run upload
	bMappings           = []byte("mappings")                // name -> saved column mapping
	bChanges            = []byte("changes")                 // revision (8 bytes) -> logged change
	bAudit              = []byte("audit")                   // training.AuditKey -> event
	bAuditTarget        = []byte("ix-audit-target")         // kind\x00id\x00AuditKey -> nil
	bOnce               = []byte("once")                    // once-only key -> its expiry (timeKey's first bytes)
	bOnceByExpiry       = []byte("ix-once-expires")         // expiry|key -> nil
	bStatements         = []byte("statements")              // xAPI statement ID -> statementRec
	bStatementsWaiting  = []byte("ix-statements-waiting")   // statement ID -> nil (unmatched or orphan)
	bStatementsVoidedBy = []byte("ix-statements-voided-by") // voided statement ID -> voiding statement ID

	allBuckets = [][]byte{bMeta, bOfficers, bCompletions, bExemptions, bCourses,
		bImports, bImportsByTime, bImportsByHash, bSnapshots, bUsers, bSessions,
		bSessionsByUser, bTokens, bTokensByHash, bOutbox, bOutboxDue, bOutboxCreated,
		bOutboxState, bLedger, bLocks, bJobRuns, bJobRunsByStart, bSettings, bPreviews, bMappings, bChanges, bAudit, bAuditTarget, bOnce, bOnceByExpiry,
		bStatements, bStatementsWaiting, bStatementsVoidedBy,
		bRequests, bRequestCerts, bRequestOpen, bRequestsWaiting}

	keyRevision = []byte("revision")
	keySchema   = []byte("schema")
)

// schemaVersion is the layout of buckets and keys. Records carry their own
// version besides.
const schemaVersion = 1

// Open opens (creating if needed) the store at path. When another process
// has the file open it fails with ErrLocked after opts.Timeout.
func Open(path string, opts Options) (*Store, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	bopts := &bbolt.Options{
		Timeout: opts.Timeout,
		// The map freelist keeps commits fast once the file holds
		// hundreds of thousands of records.
		FreelistType: bbolt.FreelistMapType,
	}
	if runtime.GOOS != "windows" && strconv.IntSize == 64 {
		// Mapping 1 GiB up front (address space, not memory or disk)
		// spares a large import the remaps that copy every node of the
		// transaction each time the file outgrows the map: a third of
		// the memory and a tenth of the allocations at 150k officers.
		// Windows grows the file to the mapped size, and 32-bit systems
		// lack the address space, so they keep the default.
		bopts.InitialMmapSize = 1 << 30
	}
	db, err := bbolt.Open(path, 0o600, bopts)
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, ErrLocked
	}
	if err != nil {
		return nil, training.Unavailablef("open store %s: %v", path, err)
	}
	s := &Store{db: db, log: log}
	if err := s.init(); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.recoverAfterCrash(time.Now()); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.view(func(tx *bbolt.Tx) error {
		s.rev.Store(revision(tx))
		return nil
	}); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// init creates every bucket and, on a new file, the default courses, in
// one transaction, so a file is either empty or complete.
func (s *Store) init() error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		meta := tx.Bucket(bMeta)
		if v := meta.Get(keySchema); v != nil {
			if got := binary.BigEndian.Uint64(v); got != schemaVersion {
				return training.Unavailablef("store file has layout version %d; this muster understands %d", got, schemaVersion)
			}
			return nil
		}
		if err := meta.Put(keySchema, u64(schemaVersion)); err != nil {
			return err
		}
		if err := meta.Put(keyRevision, u64(0)); err != nil {
			return err
		}
		s.log.Info("created store")
		return putCourses(tx, training.DefaultCourses())
	})
}

// Close releases the file (and its lock).
func (s *Store) Close() error {
	s.closed.Store(true)
	return s.db.Close()
}

// Ping checks that the file can be read.
func (s *Store) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.view(func(tx *bbolt.Tx) error {
		if tx.Bucket(bMeta) == nil {
			return training.Unavailablef("store has no meta bucket")
		}
		return nil
	})
}

// Backup writes a consistent copy of the whole file to w while the store
// stays in use, and returns the number of bytes written.
func (s *Store) Backup(ctx context.Context, w io.Writer) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var n int64
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		n, err = tx.WriteTo(ctxWriter{ctx, w})
		return err
	})
	return n, err
}

// ctxWriter stops a long backup when its context ends.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// view and update translate bbolt's own failures into ErrUnavailable while
// passing domain errors through untouched.
func (s *Store) view(fn func(*bbolt.Tx) error) error {
	return wrapDB(s.db.View(fn))
}

func (s *Store) update(fn func(*bbolt.Tx) error) error {
	return wrapDB(s.db.Update(fn))
}

func wrapDB(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, berrors.ErrDatabaseNotOpen):
		return training.Unavailablef("store is closed")
	}
	return err
}

func revision(tx *bbolt.Tx) int64 {
	return int64(binary.BigEndian.Uint64(tx.Bucket(bMeta).Get(keyRevision)))
}

// bumpRevision moves the revision on in tx; Revision answers it once tx
// has committed.
func (s *Store) bumpRevision(tx *bbolt.Tx) (int64, error) {
	rev := revision(tx) + 1
	tx.OnCommit(func() {
		// Handlers of two commits may run in either order: keep the later.
		for cur := s.rev.Load(); cur < rev && !s.rev.CompareAndSwap(cur, rev); cur = s.rev.Load() {
		}
	})
	return rev, tx.Bucket(bMeta).Put(keyRevision, u64(uint64(rev)))
}

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

// timeKeyLen is the length of the time prefix of a timeKey.
const timeKeyLen = 12

// timeKey is a sortable form of t (8 bytes of seconds with the sign bit
// flipped, 4 of nanoseconds: any year works, unlike UnixNano) followed by
// id, for indexes ordered by time. Zero times sort first.
func timeKey(t time.Time, id string) []byte {
	k := make([]byte, timeKeyLen, timeKeyLen+len(id))
	if !t.IsZero() {
		binary.BigEndian.PutUint64(k, uint64(t.Unix())^1<<63)
		binary.BigEndian.PutUint32(k[8:], uint32(t.Nanosecond()))
	}
	return append(k, id...)
}

// keyID returns the id part of a timeKey.
func keyID(k []byte) string { return string(k[timeKeyLen:]) }

// notFound names what was missing but not its key: keys can be officer
// IDs or usernames, and errors end up in logs.
func notFound(what string) error {
	return training.NotFoundf("%s", what)
}
