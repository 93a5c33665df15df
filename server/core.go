package server

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/muster-police/muster/internal/accounts"
	"github.com/muster-police/muster/internal/registers"
	"github.com/muster-police/muster/internal/requests"
	"github.com/muster-police/muster/training"
	"github.com/prometheus/client_golang/prometheus"
)

// core is what the API and the pages both call: the services the server
// wires, the settings they read, and the helpers they share.
type core struct {
	// store is the server's store: roster writes refresh the live model,
	// account writes drop the credentials they take away from the cache.
	store training.Store
	// live is the read model (internal/live).
	live readModel
	// accounts, requests and registers are the use cases (internal/...),
	// over store.
	accounts  *accounts.Service
	requests  *requests.Service
	registers *registers.Service
	log       *slog.Logger
	now       func() time.Time
	cfg       settings
	// linkKey signs officers' links (training.LinkKey).
	linkKey []byte
	// compress holds the reused encoders of compressed responses.
	compress *compressors
	// imports bounds the uploads and previews under way.
	imports *importGate
	metrics coreMetrics
}

// settings is the part of the configuration the handlers read.
type settings struct {
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

// coreMetrics are the counters the handlers add to.
type coreMetrics struct {
	// imports counts completions recorded, by way in; jobs, job runs by hand.
	imports, jobs *prometheus.CounterVec
}

// apiHandler is the JSON API's handlers: the shared core plus what only
// the API keeps.
type apiHandler struct {
	*core
	// lists keeps encoded officers API pages of the current revision.
	lists *webCache
}
