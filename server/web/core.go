// Package web is what the JSON API (server/api) and the pages (server/ui)
// share: the services they call (Core), the request's viewer and context,
// the map from a training.Error to an HTTP status, compressed bodies,
// uploads and imports, the audit, officers lists' cursors and the caches.
// It imports neither of them, nor server.
package web

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/muster-police/muster/internal/accounts"
	"github.com/muster-police/muster/internal/live"
	"github.com/muster-police/muster/internal/registers"
	"github.com/muster-police/muster/internal/reports"
	"github.com/muster-police/muster/internal/requests"
	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/training"
	"github.com/prometheus/client_golang/prometheus"
)

// Core is what the API and the pages both call: the services the server
// wires, the settings they read, and the helpers they share.
type Core struct {
	// Store is the server's store: roster writes refresh the live model,
	// account writes drop the credentials they take away from the cache.
	Store training.Store
	// Live is the read model (internal/live).
	Live ReadModel
	// Accounts, requests and registers are the use cases (internal/...),
	// over store.
	Accounts  *accounts.Service
	Requests  *requests.Service
	Registers *registers.Service
	Log       *slog.Logger
	Now       func() time.Time
	Cfg       Settings
	// LinkKey signs officers' links (training.LinkKey).
	LinkKey []byte
	// Compress holds the reused encoders of compressed responses.
	Compress *Compressors
	// ImportGate bounds the uploads and previews under way.
	ImportGate *ImportGate
	Metrics    Metrics
}

// Settings is the part of the configuration the handlers read.
type Settings struct {
	BaseURL string
	// Secret derives the keys of cursors and flash cookies.
	Secret []byte
	// Jobs may be nil: then job pages say jobs are off and job routes answer 503.
	Jobs             Jobs
	MailDrop         string
	MaxUploadBytes   int64
	CookieSecure     bool
	DemoAllowed      bool
	XAPIHomePage     string
	LocalToken       string
	ExecCLI          func(ctx context.Context, args []string, files map[string][]byte, stdout io.Writer) int
	Limits           Limits
	PasswordLoginOff bool
}

// Metrics are the counters the handlers add to.
type Metrics struct {
	// Imports counts completions recorded, by way in; jobs, job runs by hand.
	Imports, Jobs *prometheus.CounterVec
}

// Limits bound concurrent work per user and in total. Over a per-user
// limit a request gets 429; over a total one, 503.
type Limits struct {
	// Hashing is how many argon2id computations (19 MiB each) may run at
	// once; HashQueue how many more may wait for one.
	Hashing, HashQueue int
	// Imports is how many imports or previews may run at once in total,
	// ImportsPerUser for one user; ImportBytes the total size of the
	// files they work on.
	Imports, ImportsPerUser int
	ImportBytes             int64
	// PreviewBytesPerUser and PreviewBytes bound the kept dry-run files.
	PreviewBytesPerUser, PreviewBytes int64
}

// DefaultLimits are the limits of an unconfigured server.
func DefaultLimits() Limits {
	return Limits{
		Hashing: 4, HashQueue: 32,
		Imports: 2, ImportsPerUser: 1, ImportBytes: 2 * DefaultMaxUploadBytes,
		PreviewBytesPerUser: 2 * DefaultMaxUploadBytes, PreviewBytes: 10 * DefaultMaxUploadBytes,
	}
}

// Jobs is what the web needs from jobs/ (implemented by *jobs.Scheduler).
type Jobs interface {
	Names() []string
	RunNow(ctx context.Context, job string, dryRun bool, asOf training.Date) (training.JobRun, error)
	// PlanReminders returns who a reminder run on asOf would email, with
	// what and why, sending nothing.
	PlanReminders(ctx context.Context, asOf training.Date) (*jobs.Plan, error)
	// Templates returns the email templates, name -> text.
	Templates(ctx context.Context) (map[string]string, error)
	// SetTemplate validates and stores a template; ErrInvalid if it does not parse.
	SetTemplate(ctx context.Context, name, text string) error
	PreviewTemplate(ctx context.Context, name, text string) (subject, textBody, htmlBody string, err error)
}

// ReadModel is what the server reads through: the live read model
// (*live.Model), tested on its own in internal/live.
type ReadModel interface {
	// Current brings the model to the store's revision as far as it can
	// without waiting for a full read.
	Current(ctx context.Context) error
	// Dataset is an immutable Dataset at the model's revision (shared).
	Dataset(ctx context.Context) (*training.Dataset, error)
	// Revision is the model's revision, -1 before the first load.
	Revision() int64
	// View calls fn with the model's Dataset under its read lock.
	View(fn func(ds *training.Dataset))
	// Scope and Units are what a viewer may see and the roster's unit
	// paths, kept per revision.
	Scope(u training.User, ds *training.Dataset) training.Scope
	Units(ds *training.Dataset) reports.Units
	// Report and ReportJSON are today's unrestricted figures from the
	// live index (ok false for another date).
	Report(asOf training.Date, unit string, courses []string) (*live.Entry, bool)
	ReportJSON(asOf training.Date, unit string, courses []string) (*live.Entry, bool, error)
	// Build builds a report once per key and revision.
	Build(ds *training.Dataset, key live.ReportKey, build func() (*training.Report, error)) *live.Entry
	// List and EachListed are officers lists from the list index, a page
	// at a time or streamed.
	List(ctx context.Context, rq live.ListRequest) (*live.ListPage, error)
	EachListed(ctx context.Context, rq live.ListRequest, begin func([]training.Course) error, row func(training.OfficerStatus) error) (int, error)
	// Post records completions by group commit and returns the revision.
	Post(comps []training.Completion, group training.ImportRecord) (int64, error)
	// PostBatch records an xAPI post (completions, removals, statements)
	// in the same group commit.
	PostBatch(b live.Batch) (int64, error)
	// Reload reads the store into the model now, without the hook that
	// looks at waiting statements (for that look itself).
	Reload(ctx context.Context) error
	// Store is the store whose roster writes refresh the model.
	Store() training.Store
	// ReadRoster lends the jobs the model's roster (jobs.Roster).
	ReadRoster(ctx context.Context, fn func(ds *training.Dataset) error) error
	// Tail follows the change feed until ctx ends.
	Tail(ctx context.Context)
	Close()
}

// DefaultMaxUploadBytes is the upload limit of an unconfigured server.
const DefaultMaxUploadBytes = 50 << 20
