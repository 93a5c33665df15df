package training

import (
	"context"
	"time"
)

// Store keeps everything Muster knows. Two backends implement it
// (storage/bolt, storage/redis) and both pass storage/storagetest.
//
// Conventions: ctx first; values, not pointers; ErrNotFound when a single
// record does not exist (never a nil value with a nil error); ErrConflict
// when a create meets an existing record or an optimistic check fails;
// ErrUnavailable (wrapped) when the backend cannot be reached. Every method
// is safe for concurrent use, including from several processes on Redis.
type Store interface {
	RosterStore
	CourseStore
	AccountStore
	MailStore
	JobStore
	PreviewStore
	MappingStore
	AuditStore
	RetentionStore
	StatementStore
	OnceStore
	RequestStore
	WithdrawStore
	// Ping checks that the store answers (for /readyz).
	Ping(ctx context.Context) error
	// Close releases the store. It is safe to call once.
	Close() error
}

// RosterStore holds officers, completions, exemptions and the import log.
type RosterStore interface {
	// Revision returns a number that changes whenever roster data
	// (officers, completions, exemptions, courses) changes: cheap, for caches.
	Revision(ctx context.Context) (int64, error)
	// Dataset returns everything a report or an import plan needs, read
	// consistently at one revision.
	Dataset(ctx context.Context) (*Dataset, error)
	// Officer returns one officer with their completions and exemptions.
	Officer(ctx context.Context, id string) (OfficerRecord, error)
	// ApplyChanges writes a change set atomically: all of it or none of it,
	// and readers see the old state or the new one, never a mix. It fails
	// with ErrConflict when the store's revision is no longer
	// cs.BaseRevision (someone else changed the data since it was planned),
	// or when cs.Import.FileHash was already applied and cs.Import.Kind is
	// an import of a file. Completions posted through the API
	// (ChangeFeed.AddCompletions) in between are not a conflict: they never
	// disagree with a change set, and are kept. It returns the new revision.
	ApplyChanges(ctx context.Context, cs ChangeSet) (int64, error)
	// ApplyChangeParts is ApplyChanges for a change set too large to hold
	// twice: head's records and then every part parts yields are written
	// as one change set, with the same guarantees (all or nothing, one new
	// revision, the same conflicts). When parts returns an error, or a
	// part is invalid, nothing is changed and that error is returned.
	// The bolt store encodes each part as it comes and lets its values go;
	// a store may also collect the parts (CollectParts) and write them whole.
	ApplyChangeParts(ctx context.Context, head ChangeSet, parts ChangeParts) (int64, error)
	// Imports lists the import log, newest first, at most limit entries
	// (limit <= 0: all).
	Imports(ctx context.Context, limit int) ([]ImportRecord, error)
	// Import returns one import log entry by ID.
	Import(ctx context.Context, id string) (ImportRecord, error)
	// ImportByHash returns the applied import of a file with this SHA-256, if any.
	ImportByHash(ctx context.Context, hash string) (ImportRecord, error)
	// PutImport stores an import log entry that changed nothing (refused,
	// failed, no change), so the history shows every attempt.
	PutImport(ctx context.Context, rec ImportRecord) error
	// PutDailySnapshot stores (or replaces) the figures of one day, for the trend chart.
	PutDailySnapshot(ctx context.Context, s DailySnapshot) error
	// DailySnapshots returns the stored snapshots with from <= date <= to, oldest first.
	DailySnapshots(ctx context.Context, from, to Date) ([]DailySnapshot, error)
	ChangeFeed
}

// StatementStore keeps xAPI statements (written with completions, see
// CompletionBatch.Statements).
type StatementStore interface {
	// Statements returns the stored statements with these IDs; IDs not
	// stored are left out of the map.
	Statements(ctx context.Context, ids []string) (map[string]Statement, error)
	// VoidedBy returns, for those of ids that a stored voiding statement
	// voids, the ID of that voiding statement (a void may arrive before
	// the statement it voids).
	VoidedBy(ctx context.Context, ids []string) (map[string]string, error)
	// WaitingStatements lists the statements waiting for a person or a
	// course (StatementStatus.Waiting), oldest first, at most limit
	// (limit <= 0: all).
	WaitingStatements(ctx context.Context, limit int) ([]Statement, error)
}

// PreviewStore keeps a preview (the file of a dry run, with its report)
// until it is confirmed, cancelled or expires, so that any replica can confirm what another
// one previewed.
type PreviewStore interface {
	// PutPreview stores (or replaces) a preview unless that would take the
	// kept previews over q: then nothing is stored, and the error is
	// ErrQuota when u.By's own previews would pass q.PerUser, ErrBusy when
	// all of them would pass q.Total. Previews that expired at u.Created
	// are removed first and count for nothing; a replaced preview's old
	// size does not count either. The check and the write are atomic
	// across replicas.
	PutPreview(ctx context.Context, u Preview, q PreviewQuota) error
	// Preview returns a preview that has not expired at now; ErrNotFound
	// when it is missing or expired (an expired one is removed).
	Preview(ctx context.Context, id string, now time.Time) (Preview, error)
	// DeletePreview removes a preview; deleting a missing one is not an
	// error (cancelling twice is fine).
	DeletePreview(ctx context.Context, id string) error
}

// Preview is a dry run kept for a decision: the uploaded file waiting to
// be confirmed, with the choices it
// was previewed with, so that confirming applies exactly that file.
type Preview struct {
	ID       string // the preview's import ID
	FileName string
	By       string // who uploaded it
	// Full, Strict, Confirmed and Sheet are the import options the
	// preview ran with.
	Full, Strict, Confirmed bool
	Sheet                   string
	Data                    []byte // the file as uploaded
	Report                  []byte // the preview's report (JSON), shown until confirmed
	Created, Expires        time.Time
}

// PreviewQuota bounds kept previews by their Size: per user and in total
// (zero: no bound).
type PreviewQuota struct {
	PerUser, Total int64
}

// Size is what a preview counts against a quota: its file and report.
func (u Preview) Size() int64 { return int64(len(u.Data) + len(u.Report)) }

// CheckPreviewQuota is the quota rule both backends apply: mine and all
// are the sizes already kept (by u.By, by everyone) without u's own.
func CheckPreviewQuota(u Preview, q PreviewQuota, mine, all int64) error {
	if q.PerUser > 0 && mine+u.Size() > q.PerUser {
		return OverQuotaf("your previews waiting for a decision take %d MB and this one %d MB, more than the %d MB one user may keep; confirm or cancel one first", mb(mine), mb(u.Size()), mb(q.PerUser))
	}
	if q.Total > 0 && all+u.Size() > q.Total {
		return Busyf("previews waiting for a decision fill the server's %d MB; try again after some are confirmed, cancelled or expire (within an hour)", mb(q.Total))
	}
	return nil
}

// mb rounds bytes up to whole megabytes for messages.
func mb(n int64) int64 { return (n + 1<<20 - 1) >> 20 }

// CourseStore holds course definitions.
type CourseStore interface {
	// Courses returns every course, sorted by ID. A fresh store returns
	// DefaultCourses().
	Courses(ctx context.Context) ([]Course, error)
	// PutCourses creates or replaces the given courses in one atomic write,
	// and bumps the revision.
	PutCourses(ctx context.Context, cs []Course) error
}

// AccountStore holds users, login sessions and API tokens.
type AccountStore interface {
	// CreateUser adds a user; ErrConflict if the username exists.
	CreateUser(ctx context.Context, u User) error
	// User returns a user by username.
	User(ctx context.Context, username string) (User, error)
	// Users lists every user sorted by username.
	Users(ctx context.Context) ([]User, error)
	// UpdateUser reads a user, lets fn change it, and writes it back
	// atomically. An error from fn aborts the update and is returned.
	UpdateUser(ctx context.Context, username string, fn func(*User) error) error
	// DeleteUser removes a user with their sessions and tokens.
	DeleteUser(ctx context.Context, username string) error

	// CreateSession stores a login session (keyed by s.IDHash).
	CreateSession(ctx context.Context, s Session) error
	// Session returns an unexpired session by the hash of its ID.
	Session(ctx context.Context, idHash string, now time.Time) (Session, error)
	// DeleteSession removes a session (logout).
	DeleteSession(ctx context.Context, idHash string) error
	// TouchSession moves an unexpired session's Expires to expires in one
	// atomic step and returns the session as stored. It never re-creates
	// a session: one deleted (logout) or expired at now is ErrNotFound,
	// so a logout always wins over a request refreshing the same session.
	TouchSession(ctx context.Context, idHash string, expires, now time.Time) (Session, error)
	// RevokeCredentials removes every session and API token of a user (the
	// user stays), atomically: for disabling an account or resetting its
	// password. A missing user is not an error.
	RevokeCredentials(ctx context.Context, username string) error

	// CreateToken stores an API token (keyed by t.Hash).
	CreateToken(ctx context.Context, t Token) error
	// TokenByHash finds a token by the hash of its secret.
	TokenByHash(ctx context.Context, hash string) (Token, error)
	// Tokens lists a user's tokens ("" lists all), without secrets.
	Tokens(ctx context.Context, username string) ([]Token, error)
	// DeleteToken revokes a token by ID.
	DeleteToken(ctx context.Context, id string) error
}

// MailStore holds the outbox and the send ledger.
type MailStore interface {
	// Enqueue adds messages to the outbox and records their LedgerKeys: a
	// message any of whose LedgerKeys was ever enqueued before is skipped. The check and the
	// write are atomic across replicas. It returns the messages actually
	// enqueued.
	Enqueue(ctx context.Context, msgs []Message) ([]Message, error)
	// DueMessages returns up to limit queued messages whose NextAttempt
	// is at or before now, oldest first.
	DueMessages(ctx context.Context, now time.Time, limit int) ([]Message, error)
	// MessagesDueBetween returns the queued messages whose NextAttempt is
	// after from and at or before until, oldest first: what a restarted
	// sender looks for (claims a dead process left) without reading every
	// message already due.
	MessagesDueBetween(ctx context.Context, from, until time.Time) ([]Message, error)
	// UpdateMessage reads a message, lets fn change it and writes it back atomically.
	UpdateMessage(ctx context.Context, id string, fn func(*Message) error) error
	// Message returns one message by ID.
	Message(ctx context.Context, id string) (Message, error)
	// Messages lists messages newest first, filtered by state ("" = all),
	// at most limit (<= 0: all).
	Messages(ctx context.Context, state MessageState, limit int) ([]Message, error)
	// LedgerHas reports whether a ledger key was ever enqueued.
	LedgerHas(ctx context.Context, key string) (bool, error)
	// LedgerHasKeys reports which of keys were ever enqueued, in one read
	// (a run checks about 100,000): the map holds only those that were.
	LedgerHasKeys(ctx context.Context, keys []string) (map[string]bool, error)
	// OutboxStats counts messages by state and finds the oldest queued one.
	OutboxStats(ctx context.Context) (OutboxStats, error)
	// PruneMail removes old bodies, old messages and ledger keys that
	// can no longer matter (see MailPrune); queued messages are never touched.
	PruneMail(ctx context.Context, p MailPrune) (MailPruned, error)
}

// OnceStore remembers keys that may be used once (a single sign-on
// flow's state), for as long as they could be presented, on every replica.
type OnceStore interface {
	// UseOnce records key as used until expires. It gives ErrConflict when
	// key was used before and its expiry is after now (a key is free again
	// at its expiry instant); entries past their expiry are forgotten.
	UseOnce(ctx context.Context, key string, expires, now time.Time) error
}

// JobStore holds job locks, job run records and small settings.
type JobStore interface {
	// AcquireLock takes the named lock for owner until now+ttl. It
	// succeeds when the lock is free, expired, or already held by owner
	// (which extends it).
	AcquireLock(ctx context.Context, name, owner string, ttl time.Duration, now time.Time) (bool, error)
	// ReleaseLock frees the lock if owner holds it.
	ReleaseLock(ctx context.Context, name, owner string) error
	// PutJobRun creates or replaces a job run record (keyed by ID).
	PutJobRun(ctx context.Context, r JobRun) error
	// JobRuns lists runs newest first (by Started), filtered by job name
	// ("" = all), at most limit (<= 0: all).
	JobRuns(ctx context.Context, job string, limit int) ([]JobRun, error)
	// PruneJobRuns deletes finished runs that started before before and
	// returns how many.
	PruneJobRuns(ctx context.Context, before time.Time) (int, error)
	// Setting returns a stored setting (e.g. an edited email template).
	Setting(ctx context.Context, key string) (string, error)
	// PutSetting stores a setting; an empty value deletes it.
	PutSetting(ctx context.Context, key, value string) error
}

// Dataset is the roster at one revision.
type Dataset struct {
	Revision int64
	Courses  []Course
	// Officers by ID, leavers included.
	Officers map[string]Officer
	// Completions and Exemptions by officer ID, including officers who are
	// not (yet) on the roster.
	Completions map[string][]Completion
	Exemptions  map[string][]Exemption
}

// OfficerRecord is one officer with everything recorded about them.
type OfficerRecord struct {
	Officer     Officer      `json:"officer"`
	Completions []Completion `json:"completions"`
	Exemptions  []Exemption  `json:"exemptions"`
}

// ChangeSet is what applying an import (or an API call) writes.
type ChangeSet struct {
	// BaseRevision is the revision the change was planned against.
	BaseRevision int64
	// Import is the log entry; its ID identifies the change.
	Import ImportRecord
	// Officers are created or replaced whole (leavers included).
	Officers []Officer
	// Completions are added to the history. A completion equal to one
	// already stored (officer, course, date, date_unknown) is not added twice.
	Completions []Completion
	// Exemptions replace any exemption of the same officer and course.
	Exemptions []Exemption
}

// ImportKind says what kind of change an import log entry records.
type ImportKind string

// Import kinds.
const (
	ImportFull    ImportKind = "full"    // a full roster: missing officers become leavers
	ImportPartial ImportKind = "partial" // adds and updates only
	ImportAPI     ImportKind = "api"     // completions posted through the API
	// ImportCourse records the requirement dates a change of a course's
	// audience set for the people it moved (docs/COMPLIANCE.md).
	ImportCourse ImportKind = "course"
	// ImportRequest records what a decided officer's request changed: an
	// extension on the officer, or the completion of a claim.
	ImportRequest ImportKind = "request"
)

// ImportOutcome says how an import attempt ended.
type ImportOutcome string

// Import outcomes.
const (
	OutcomeApplied  ImportOutcome = "applied"
	OutcomeNoChange ImportOutcome = "no_change"
	OutcomeRefused  ImportOutcome = "refused"
	OutcomeFailed   ImportOutcome = "failed"
)

// ImportRecord is one entry of the import log.
type ImportRecord struct {
	ID       string        `json:"id"`
	Kind     ImportKind    `json:"kind"`
	FileName string        `json:"file_name,omitempty"`
	FileHash string        `json:"file_hash,omitempty"` // hex SHA-256 of the file
	By       string        `json:"by"`
	At       time.Time     `json:"at"`
	Outcome  ImportOutcome `json:"outcome"`
	// Summary holds the counts shown in the history list.
	Summary ImportSummary `json:"summary"`
	// Report is the importer's full report as JSON (detection, changes,
	// errors), kept so the history can show and export it.
	Report []byte `json:"report,omitempty"`
}

// ImportSummary counts what an import changed or found.
type ImportSummary struct {
	Added               int `json:"added"`
	Updated             int `json:"updated"`
	Unchanged           int `json:"unchanged"`
	Leavers             int `json:"leavers"`
	Completions         int `json:"completions"`
	CompletionsNoDate   int `json:"completions_no_date"`
	Exemptions          int `json:"exemptions"`
	OrphanCompletions   int `json:"orphan_completions"`
	RowsRejected        int `json:"rows_rejected"`
	CellErrors          int `json:"cell_errors"`
	Warnings            int `json:"warnings"`
	SkippedOtherCourses int `json:"skipped_other_courses"`
}

// DailySnapshot is the force's figures on one day, stored for trends.
type DailySnapshot struct {
	Date Date `json:"date"`
	// Units maps unit path ("" = force) to course ID to counts.
	Units map[string]map[string]Counts `json:"units"`
}

// PageReleaser is a store that reads its file through a memory map and
// can give the mapped pages back (storage/bolt: ReleasePages; the Redis
// store has no map). The runs that read or write much of the store call
// it once they are done with those pages: the live model after a full
// read of the roster, the reminder and digest runs after each batch, the
// sender every 2,000 messages (README, "The first start under 400 MiB").
type PageReleaser interface {
	ReleasePages() error
}

// ReleasePages gives st's mapped pages back when it has any (nil when it
// is not a PageReleaser). A failure costs only memory.
func ReleasePages(st Store) error {
	if r, ok := st.(PageReleaser); ok {
		return r.ReleasePages()
	}
	return nil
}
