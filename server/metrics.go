package server

import (
	"context"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/training"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are this server's Prometheus metrics, in its own registry (never
// the global one, so tests and several servers in one process do not clash).
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	imports  *prometheus.CounterVec
	jobs     *prometheus.CounterVec
	handler  http.Handler
	// observers keeps each (method, route, status)'s counter and
	// histogram: WithLabelValues hashes the three values and looks them up
	// in both vectors on every call, about a microsecond a request. The
	// keys are few (route patterns, not paths; seven methods and "other").
	observers sync.Map // requestKey → *requestObservers
}

type requestKey struct {
	method, route string
	status        int
}

type requestObservers struct {
	count   prometheus.Counter
	latency prometheus.Observer
}

// jobRunsCollector reports, at scrape time, each job's last run from the
// store: scheduled runs happen in the jobs package (and on other
// replicas), so counting only runs started here would miss most of them.
type jobRunsCollector struct {
	store    jobRunLister
	lastRun  *prometheus.Desc
	lastOK   *prometheus.Desc
	duration *prometheus.Desc
}

type jobRunLister interface {
	JobRuns(ctx context.Context, job string, limit int) ([]training.JobRun, error)
}

func newJobRunsCollector(st jobRunLister) *jobRunsCollector {
	return &jobRunsCollector{
		store:    st,
		lastRun:  prometheus.NewDesc("muster_job_last_run_timestamp_seconds", "When each job last started (any replica).", []string{"job"}, nil),
		lastOK:   prometheus.NewDesc("muster_job_last_run_success", "1 when the job's last run ended without errors.", []string{"job"}, nil),
		duration: prometheus.NewDesc("muster_job_last_run_duration_seconds", "How long the job's last finished run took.", []string{"job"}, nil),
	}
}

func (j *jobRunsCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- j.lastRun
	ch <- j.lastOK
	ch <- j.duration
}

func (j *jobRunsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	runs, err := j.store.JobRuns(ctx, "", 500)
	if err != nil {
		return // the scrape goes on without these; /readyz reports the store
	}
	seen := map[string]bool{}
	for _, r := range runs { // newest first
		if seen[r.Job] || r.DryRun {
			continue
		}
		seen[r.Job] = true
		ch <- prometheus.MustNewConstMetric(j.lastRun, prometheus.GaugeValue, float64(r.Started.Unix()), r.Job)
		ok := 0.0
		if r.Error == "" && len(r.Errors) == 0 && !r.Finished.IsZero() {
			ok = 1
		}
		ch <- prometheus.MustNewConstMetric(j.lastOK, prometheus.GaugeValue, ok, r.Job)
		if !r.Finished.IsZero() {
			ch <- prometheus.MustNewConstMetric(j.duration, prometheus.GaugeValue, r.Finished.Sub(r.Started).Seconds(), r.Job)
		}
	}
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "muster_http_requests_total",
			Help: "HTTP requests by method, route pattern and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "muster_http_request_duration_seconds",
			Help:    "HTTP request latency by method, route pattern and status.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"method", "route", "status"}),
		imports: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "muster_imports_total",
			Help: "Roster imports through the service by outcome (dry runs counted as preview).",
		}, []string{"outcome"}),
		jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "muster_job_runs_total",
			Help: "Jobs run through the service by job and result.",
		}, []string{"job", "result"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.imports, m.jobs,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.handler = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
	return m
}

func (m *metrics) observe(method, route string, status int, d time.Duration) {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
	default:
		method = "other" // label values must stay few
	}
	k := requestKey{method, route, status}
	o, ok := m.observers.Load(k)
	if !ok {
		st := strconv.Itoa(status)
		o, _ = m.observers.LoadOrStore(k, &requestObservers{m.requests.WithLabelValues(method, route, st), m.latency.WithLabelValues(method, route, st)})
	}
	obs := o.(*requestObservers)
	obs.count.Inc()
	obs.latency.Observe(d.Seconds())
}

// serveMetrics answers GET /metrics on the main address. The figures
// tell an outsider what the service does and when (imports, reminders),
// so they are never public: with Config.MetricsAddr they are served only
// there (a port the operator keeps internal); else only to a caller
// sending Config.MetricsToken as a Bearer token; with neither, not at all.
func (s *Server) serveMetrics(c echo.Context) error {
	switch {
	case s.cfg.MetricsAddr != "":
		return echo.NewHTTPError(http.StatusNotFound, "Metrics are served on the separate metrics address.")
	case s.cfg.MetricsToken == "":
		return echo.NewHTTPError(http.StatusNotFound, "Metrics are off: set MUSTER_METRICS_TOKEN or MUSTER_METRICS_ADDR.")
	}
	scheme, tok, _ := strings.Cut(c.Request().Header.Get(echo.HeaderAuthorization), " ")
	if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(s.cfg.MetricsToken)) != 1 {
		// Plain text, not the pages' sign-in redirect: the caller is a scraper.
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
		return c.String(http.StatusUnauthorized, "Send the metrics token: Authorization: Bearer <MUSTER_METRICS_TOKEN>.\n")
	}
	s.metrics.handler.ServeHTTP(c.Response(), c.Request())
	return nil
}

// MetricsHandler serves the metrics alone, for Config.MetricsAddr.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.metrics.handler)
	return mux
}

func slogLevelFor(status int) slog.Level {
	switch {
	case status >= 500:
		return slog.LevelError
	case status >= 400 && status != http.StatusNotFound && status != http.StatusUnauthorized:
		return slog.LevelWarn
	}
	return slog.LevelInfo
}

// outboxCollector reports the outbox at scrape time from the store (the
// sender may run on another replica): messages by state, the age of the
// oldest queued one, and whether the relay was last seen answering.
type outboxCollector struct {
	store  outboxReader
	clock  func() time.Time
	depth  *prometheus.Desc
	oldest *prometheus.Desc
	relay  *prometheus.Desc
	empty  *prometheus.Desc
}

type outboxReader interface {
	OutboxStats(ctx context.Context) (training.OutboxStats, error)
	Setting(ctx context.Context, key string) (string, error)
}

func newOutboxCollector(st outboxReader, clock func() time.Time) *outboxCollector {
	return &outboxCollector{
		store:  st,
		clock:  clock,
		depth:  prometheus.NewDesc("muster_outbox_messages", "Outbox messages by state (all replicas).", []string{"state"}, nil),
		oldest: prometheus.NewDesc("muster_outbox_oldest_queued_age_seconds", "Age of the oldest queued message; 0 when none waits.", nil, nil),
		relay:  prometheus.NewDesc("muster_mail_relay_up", "1 when the sender last reached the mail relay, 0 after a relay-wide failure.", nil, nil),
		empty: prometheus.NewDesc("muster_outbox_empty_by_timestamp_seconds",
			"When the queue will be empty at the relay's sending limits (Unix time, as the sender last estimated); 0 without limits or when empty.", nil, nil),
	}
}

func (o *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- o.depth
	ch <- o.oldest
	ch <- o.relay
	ch <- o.empty
}

func (o *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	st, err := o.store.OutboxStats(ctx)
	if err != nil {
		return // the scrape goes on without these; /readyz reports the store
	}
	for _, s := range []training.MessageState{training.MessageQueued, training.MessageSent, training.MessageFailed} {
		ch <- prometheus.MustNewConstMetric(o.depth, prometheus.GaugeValue, float64(st.ByState[s]), string(s))
	}
	age := 0.0
	if !st.OldestQueued.IsZero() {
		age = max(0, o.clock().Sub(st.OldestQueued).Seconds())
	}
	ch <- prometheus.MustNewConstMetric(o.oldest, prometheus.GaugeValue, age)
	if r, err := training.ReadRelayStatus(ctx, o.store); err == nil && !r.Checked.IsZero() {
		up := 1.0
		if r.Down {
			up = 0
		}
		ch <- prometheus.MustNewConstMetric(o.relay, prometheus.GaugeValue, up)
		empty := 0.0
		if !r.EmptyBy.IsZero() && st.ByState[training.MessageQueued] > 0 {
			empty = float64(r.EmptyBy.Unix())
		}
		ch <- prometheus.MustNewConstMetric(o.empty, prometheus.GaugeValue, empty)
	}
}

// deliveryFailures is what a scheduler offers for the failures counter.
type deliveryFailures interface {
	DeliveryFailures() map[string]int64
}

// failuresCollector reports this process's failed sends by class (relay,
// recipient, deferred, message) as counters.
type failuresCollector struct {
	src  deliveryFailures
	desc *prometheus.Desc
}

func (f failuresCollector) Describe(ch chan<- *prometheus.Desc) { ch <- f.desc }

func (f failuresCollector) Collect(ch chan<- prometheus.Metric) {
	for class, n := range f.src.DeliveryFailures() {
		ch <- prometheus.MustNewConstMetric(f.desc, prometheus.CounterValue, float64(n), class)
	}
}
