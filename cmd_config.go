package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/server"
	"github.com/muster-police/muster/training"
)

// SMTPSettings configure outgoing mail; without a host, mail is written
// as .eml files under the data directory.
type SMTPSettings struct {
	Host     string
	Port     int
	User     string
	Password secret
	From     string
	ReplyTo  string // where replies go (e.g. the training team), when not From
	TLS      string // starttls, tls or none
	Rate     float64
	// MaxPerMinute and MaxPerDay are the relay's sending limits (0: none);
	// Connections is how many messages go at once (0: jobs.DefaultConnections).
	MaxPerMinute int
	MaxPerDay    int
	Connections  int
}

// Config is every setting of the muster command: defaults, overridden by
// MUSTER_* environment variables, overridden by flags. Secrets come only
// from the environment (flags show in `ps`).
type Config struct {
	DataDir           string
	RedisURL          secret // may carry a password
	RedisPrefix       string
	Addr              string
	BaseURL           string
	XAPIHomePage      string
	Secret            secret
	AdminPassword     secret
	SMTP              SMTPSettings
	MaxUploadMB       int
	CookieSecure      bool
	ScheduleReminders string
	ScheduleDigests   string
	ScheduleSnapshot  string
	SchedulePrune     string
	// Keep*Days are the prune job's retention periods (0 keeps for ever).
	KeepMailBodiesDays int
	KeepMailDays       int
	KeepJobRunsDays    int
	LogLevel           string
	// Retention (README, "Retention"): months after leaving before a
	// leaver is anonymised, months an audit event is kept (0: keep), and
	// when the daily retention job runs.
	RetainLeaversMonths int
	RetainAuditMonths   int
	RetainImportMonths  int
	ScheduleRetention   string
	Security            SecuritySettings
	SSO                 SSOSettings
}

// SecuritySettings bound what clients may cost and say whom to trust
// (README "Security").
type SecuritySettings struct {
	TrustedProxies     string // comma-separated IPs and CIDR ranges
	MetricsToken       secret
	MetricsAddr        string
	OneTimePasswordTTL time.Duration
	// AuthCacheTTL is how long a checked session or token is trusted
	// without reading the store again (0: never).
	AuthCacheTTL     time.Duration
	ReadTimeout      time.Duration
	UploadTimeout    time.Duration
	LoginConcurrency int
	Imports          int
	ImportsPerUser   int
	PreviewMBPerUser int
	PreviewMB        int
}

// defaultConfig is the embedded default: one bolt file under ./muster-data.
func defaultConfig() Config {
	return Config{
		DataDir:           "./muster-data",
		RedisPrefix:       "muster",
		Addr:              "127.0.0.1:8080", // this machine only, unless told otherwise
		SMTP:              SMTPSettings{TLS: "starttls"},
		MaxUploadMB:       50,
		ScheduleReminders: "0 8 * * 1-5",
		ScheduleDigests:   "0 7 * * 1",
		ScheduleSnapshot:  "30 0 * * *",
		SchedulePrune:     "15 1 * * *",
		// README "Pruning" gives the reasons for these periods.
		KeepMailBodiesDays:  30,
		KeepMailDays:        90,
		KeepJobRunsDays:     90,
		LogLevel:            "info",
		RetainLeaversMonths: training.DefaultRetainLeaversMonths,
		RetainAuditMonths:   training.DefaultRetainAuditMonths,
		RetainImportMonths:  training.DefaultRetainImportReportsMonths,
		ScheduleRetention:   jobs.DefaultRetentionSchedule,
		Security: SecuritySettings{
			OneTimePasswordTTL: server.DefaultOneTimePasswordTTL,
			AuthCacheTTL:       server.DefaultAuthCacheTTL,
			ReadTimeout:        30 * time.Second,
			UploadTimeout:      10 * time.Minute,
			LoginConcurrency:   server.DefaultLimits().Hashing,
			Imports:            server.DefaultLimits().Imports,
			ImportsPerUser:     server.DefaultLimits().ImportsPerUser,
			PreviewMBPerUser:   100,
			PreviewMB:          500,
		},
	}
}

func setDuration(dst *time.Duration) func(*Config, string) error {
	return func(_ *Config, v string) error {
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil || d <= 0 {
			return errors.New("must be a positive duration such as 30s, 10m or 72h")
		}
		*dst = d
		return nil
	}
}

// envVar names one setting's environment variable and how to set it.
type envVar struct {
	name string
	set  func(c *Config, v string) error
}

func setInt(dst *int) func(*Config, string) error {
	return func(_ *Config, v string) error {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return errors.New("must be a whole number")
		}
		*dst = n
		return nil
	}
}

// envVars lists every MUSTER_* variable (README's configuration table).
func (c *Config) envVars() []envVar {
	str := func(dst *string) func(*Config, string) error {
		return func(_ *Config, v string) error { *dst = v; return nil }
	}
	sec := func(dst *secret) func(*Config, string) error {
		return func(_ *Config, v string) error { *dst = secret(v); return nil }
	}
	return append([]envVar{
		{"MUSTER_DATA_DIR", str(&c.DataDir)},
		{"MUSTER_REDIS_URL", sec(&c.RedisURL)},
		{"MUSTER_REDIS_PREFIX", str(&c.RedisPrefix)},
		{"MUSTER_ADDR", str(&c.Addr)},
		{"MUSTER_BASE_URL", str(&c.BaseURL)},
		{"MUSTER_XAPI_HOMEPAGE", str(&c.XAPIHomePage)},
		{"MUSTER_SECRET", sec(&c.Secret)},
		{"MUSTER_ADMIN_PASSWORD", sec(&c.AdminPassword)},
		{"MUSTER_SMTP_HOST", str(&c.SMTP.Host)},
		{"MUSTER_SMTP_PORT", setInt(&c.SMTP.Port)},
		{"MUSTER_SMTP_USER", str(&c.SMTP.User)},
		{"MUSTER_SMTP_PASSWORD", sec(&c.SMTP.Password)},
		{"MUSTER_SMTP_FROM", str(&c.SMTP.From)},
		{"MUSTER_SMTP_REPLY_TO", str(&c.SMTP.ReplyTo)},
		{"MUSTER_SMTP_TLS", str(&c.SMTP.TLS)},
		{"MUSTER_SMTP_RATE", func(_ *Config, v string) error {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return errors.New("must be a number of messages per second")
			}
			c.SMTP.Rate = f
			return nil
		}},
		{"MUSTER_SMTP_MAX_PER_MINUTE", setInt(&c.SMTP.MaxPerMinute)},
		{"MUSTER_SMTP_MAX_PER_DAY", setInt(&c.SMTP.MaxPerDay)},
		{"MUSTER_SMTP_CONNECTIONS", setInt(&c.SMTP.Connections)},
		{"MUSTER_MAX_UPLOAD_MB", setInt(&c.MaxUploadMB)},
		{"MUSTER_COOKIE_SECURE", func(_ *Config, v string) error {
			b, err := strconv.ParseBool(strings.TrimSpace(v))
			if err != nil {
				return errors.New("must be true or false")
			}
			c.CookieSecure = b
			return nil
		}},
		{"MUSTER_SCHEDULE_REMINDERS", str(&c.ScheduleReminders)},
		{"MUSTER_SCHEDULE_DIGESTS", str(&c.ScheduleDigests)},
		{"MUSTER_SCHEDULE_SNAPSHOT", str(&c.ScheduleSnapshot)},
		{"MUSTER_SCHEDULE_PRUNE", str(&c.SchedulePrune)},
		{"MUSTER_KEEP_MAIL_BODIES_DAYS", setInt(&c.KeepMailBodiesDays)},
		{"MUSTER_KEEP_MAIL_DAYS", setInt(&c.KeepMailDays)},
		{"MUSTER_KEEP_JOB_RUNS_DAYS", setInt(&c.KeepJobRunsDays)},
		{"MUSTER_LOG_LEVEL", str(&c.LogLevel)},
		{"MUSTER_TRUSTED_PROXIES", str(&c.Security.TrustedProxies)},
		{"MUSTER_METRICS_TOKEN", sec(&c.Security.MetricsToken)},
		{"MUSTER_METRICS_ADDR", str(&c.Security.MetricsAddr)},
		{"MUSTER_ONE_TIME_PASSWORD_TTL", setDuration(&c.Security.OneTimePasswordTTL)},
		{"MUSTER_AUTH_CACHE_TTL", setDuration(&c.Security.AuthCacheTTL)},
		{"MUSTER_READ_TIMEOUT", setDuration(&c.Security.ReadTimeout)},
		{"MUSTER_UPLOAD_TIMEOUT", setDuration(&c.Security.UploadTimeout)},
		{"MUSTER_LOGIN_CONCURRENCY", setInt(&c.Security.LoginConcurrency)},
		{"MUSTER_IMPORTS_CONCURRENT", setInt(&c.Security.Imports)},
		{"MUSTER_IMPORTS_PER_USER", setInt(&c.Security.ImportsPerUser)},
		{"MUSTER_PREVIEW_MB_PER_USER", setInt(&c.Security.PreviewMBPerUser)},
		{"MUSTER_PREVIEW_MB_TOTAL", setInt(&c.Security.PreviewMB)},
		{"MUSTER_RETAIN_LEAVERS_MONTHS", setInt(&c.RetainLeaversMonths)},
		{"MUSTER_RETAIN_AUDIT_MONTHS", setInt(&c.RetainAuditMonths)},
		{"MUSTER_RETAIN_IMPORT_REPORTS_MONTHS", setInt(&c.RetainImportMonths)},
		{"MUSTER_SCHEDULE_RETENTION", str(&c.ScheduleRetention)},
	}, c.ssoEnvVars()...)
}

// fromEnv applies the MUSTER_* variables that are set.
func (c *Config) fromEnv(getenv func(string) string) error {
	for _, ev := range c.envVars() {
		v := getenv(ev.name)
		if v == "" {
			continue
		}
		if err := ev.set(c, v); err != nil {
			return fmt.Errorf("%s: %v", ev.name, err)
		}
	}
	return nil
}

// register adds a flag for every non-secret setting to fs, bound to c.
func (c *Config) register(fs *flag.FlagSet) {
	fs.StringVar(&c.DataDir, "data-dir", c.DataDir, "data directory for the embedded store (`DIR`; MUSTER_DATA_DIR)")
	fs.StringVar(&c.RedisPrefix, "redis-prefix", c.RedisPrefix, "key prefix in Redis (MUSTER_REDIS_PREFIX; the URL itself only from MUSTER_REDIS_URL)")
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address for serve (MUSTER_ADDR)")
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "public URL for links in emails (MUSTER_BASE_URL)")
	fs.StringVar(&c.XAPIHomePage, "xapi-homepage", c.XAPIHomePage, "account homePage whose xAPI account names are officer IDs; empty accepts any (MUSTER_XAPI_HOMEPAGE)")
	fs.StringVar(&c.SMTP.Host, "smtp-host", c.SMTP.Host, "SMTP relay; empty writes .eml files (MUSTER_SMTP_HOST)")
	fs.IntVar(&c.SMTP.Port, "smtp-port", c.SMTP.Port, "SMTP port; 0 picks by TLS mode (MUSTER_SMTP_PORT)")
	fs.StringVar(&c.SMTP.User, "smtp-user", c.SMTP.User, "SMTP user (MUSTER_SMTP_USER; password only from MUSTER_SMTP_PASSWORD)")
	fs.StringVar(&c.SMTP.From, "smtp-from", c.SMTP.From, "sender address (MUSTER_SMTP_FROM)")
	fs.StringVar(&c.SMTP.ReplyTo, "smtp-reply-to", c.SMTP.ReplyTo, "Reply-To address of reminders and digests, e.g. the training team (MUSTER_SMTP_REPLY_TO)")
	fs.StringVar(&c.SMTP.TLS, "smtp-tls", c.SMTP.TLS, "starttls, tls or none (MUSTER_SMTP_TLS)")
	fs.Float64Var(&c.SMTP.Rate, "smtp-rate", c.SMTP.Rate, "most messages per second, 0 unlimited (MUSTER_SMTP_RATE)")
	fs.IntVar(&c.SMTP.MaxPerMinute, "smtp-max-per-minute", c.SMTP.MaxPerMinute, "most messages the relay takes in any minute, 0 unlimited (MUSTER_SMTP_MAX_PER_MINUTE)")
	fs.IntVar(&c.SMTP.MaxPerDay, "smtp-max-per-day", c.SMTP.MaxPerDay, "most messages the relay takes in any 24 hours, 0 unlimited (MUSTER_SMTP_MAX_PER_DAY)")
	fs.IntVar(&c.SMTP.Connections, "smtp-connections", c.SMTP.Connections, "messages sent at once, each on its own connection (MUSTER_SMTP_CONNECTIONS, default 2)")
	fs.IntVar(&c.MaxUploadMB, "max-upload-mb", c.MaxUploadMB, "largest upload in MB (MUSTER_MAX_UPLOAD_MB)")
	fs.BoolVar(&c.CookieSecure, "cookie-secure", c.CookieSecure, "mark cookies Secure, behind HTTPS (MUSTER_COOKIE_SECURE)")
	fs.StringVar(&c.ScheduleReminders, "schedule-reminders", c.ScheduleReminders, "cron spec, Europe/London (MUSTER_SCHEDULE_REMINDERS)")
	fs.StringVar(&c.ScheduleDigests, "schedule-digests", c.ScheduleDigests, "cron spec (MUSTER_SCHEDULE_DIGESTS)")
	fs.StringVar(&c.ScheduleSnapshot, "schedule-snapshot", c.ScheduleSnapshot, "cron spec (MUSTER_SCHEDULE_SNAPSHOT)")
	fs.StringVar(&c.SchedulePrune, "schedule-prune", c.SchedulePrune, "cron spec (MUSTER_SCHEDULE_PRUNE)")
	fs.IntVar(&c.KeepMailBodiesDays, "keep-mail-bodies-days", c.KeepMailBodiesDays, "days to keep sent mail bodies and .eml files, 0 for ever (MUSTER_KEEP_MAIL_BODIES_DAYS)")
	fs.IntVar(&c.KeepMailDays, "keep-mail-days", c.KeepMailDays, "days to keep sent and failed messages, 0 for ever (MUSTER_KEEP_MAIL_DAYS)")
	fs.IntVar(&c.KeepJobRunsDays, "keep-job-runs-days", c.KeepJobRunsDays, "days to keep job run records, 0 for ever (MUSTER_KEEP_JOB_RUNS_DAYS)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "debug, info, warn or error (MUSTER_LOG_LEVEL)")
	fs.StringVar(&c.Security.TrustedProxies, "trusted-proxies", c.Security.TrustedProxies, "reverse proxies whose X-Forwarded-For is believed: IPs and CIDR ranges, comma-separated (MUSTER_TRUSTED_PROXIES)")
	fs.StringVar(&c.Security.MetricsAddr, "metrics-addr", c.Security.MetricsAddr, "separate listen address for /metrics (MUSTER_METRICS_ADDR; the token only from MUSTER_METRICS_TOKEN)")
	fs.DurationVar(&c.Security.OneTimePasswordTTL, "one-time-password-ttl", c.Security.OneTimePasswordTTL, "how long a generated password signs in (MUSTER_ONE_TIME_PASSWORD_TTL)")
	fs.DurationVar(&c.Security.AuthCacheTTL, "auth-cache-ttl", c.Security.AuthCacheTTL, "how long a replica trusts a checked session or token before reading it again; 0 reads it on every request (MUSTER_AUTH_CACHE_TTL)")
	fs.DurationVar(&c.Security.ReadTimeout, "read-timeout", c.Security.ReadTimeout, "longest time to read one request (MUSTER_READ_TIMEOUT)")
	fs.DurationVar(&c.Security.UploadTimeout, "upload-timeout", c.Security.UploadTimeout, "longest time to read one upload (MUSTER_UPLOAD_TIMEOUT)")
	fs.IntVar(&c.Security.LoginConcurrency, "login-concurrency", c.Security.LoginConcurrency, "password checks at once, 19 MiB each (MUSTER_LOGIN_CONCURRENCY)")
	fs.IntVar(&c.Security.Imports, "imports-concurrent", c.Security.Imports, "imports and previews running at once (MUSTER_IMPORTS_CONCURRENT)")
	fs.IntVar(&c.Security.ImportsPerUser, "imports-per-user", c.Security.ImportsPerUser, "imports and previews one user may run at once (MUSTER_IMPORTS_PER_USER)")
	fs.IntVar(&c.Security.PreviewMBPerUser, "preview-mb-per-user", c.Security.PreviewMBPerUser, "MB of kept previews per user (MUSTER_PREVIEW_MB_PER_USER)")
	fs.IntVar(&c.Security.PreviewMB, "preview-mb-total", c.Security.PreviewMB, "MB of kept previews in total (MUSTER_PREVIEW_MB_TOTAL)")
	fs.IntVar(&c.RetainLeaversMonths, "retain-leavers-months", c.RetainLeaversMonths, "months after leaving before a leaver is anonymised, 0 never (MUSTER_RETAIN_LEAVERS_MONTHS)")
	fs.IntVar(&c.RetainAuditMonths, "retain-audit-months", c.RetainAuditMonths, "months the audit trail is kept, 0 forever (MUSTER_RETAIN_AUDIT_MONTHS)")
	fs.IntVar(&c.RetainImportMonths, "retain-import-reports-months", c.RetainImportMonths, "months an import's row-by-row report is kept, 0 forever (MUSTER_RETAIN_IMPORT_REPORTS_MONTHS)")
	fs.StringVar(&c.ScheduleRetention, "schedule-retention", c.ScheduleRetention, "cron spec (MUSTER_SCHEDULE_RETENTION)")
}

// Validate checks every setting and returns the first problem as one sentence.
func (c *Config) Validate() error {
	if strings.TrimSpace(c.DataDir) == "" && c.RedisURL == "" {
		return errors.New("MUSTER_DATA_DIR must not be empty")
	}
	if c.Addr == "" {
		return errors.New("MUSTER_ADDR must not be empty (e.g. 127.0.0.1:8080, or :8080 for every interface)")
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("MUSTER_BASE_URL %q must be an http or https URL such as https://muster.force.police.uk", c.BaseURL)
		}
	}
	if c.XAPIHomePage != "" {
		if u, err := url.Parse(c.XAPIHomePage); err != nil || u.Scheme == "" || u.Host == "" {
			return fmt.Errorf("MUSTER_XAPI_HOMEPAGE %q must be a URL such as https://moodle.force.police.uk", c.XAPIHomePage)
		}
	}
	if c.Secret != "" && len(c.Secret) < 16 {
		return errors.New("MUSTER_SECRET must be at least 16 characters")
	}
	switch c.SMTP.TLS {
	case "starttls", "tls", "none":
	default:
		return fmt.Errorf("MUSTER_SMTP_TLS %q must be starttls, tls or none", c.SMTP.TLS)
	}
	if c.SMTP.Port < 0 || c.SMTP.Port > 65535 {
		return fmt.Errorf("MUSTER_SMTP_PORT %d is not a port number", c.SMTP.Port)
	}
	if c.SMTP.Rate < 0 {
		return errors.New("MUSTER_SMTP_RATE must not be negative")
	}
	if err := c.sendLimits().Validate(); err != nil {
		return fmt.Errorf("MUSTER_SMTP_MAX_PER_MINUTE, MUSTER_SMTP_MAX_PER_DAY, MUSTER_SMTP_CONNECTIONS: %w", err)
	}
	// The mail settings end up in message headers and SMTP commands: a line
	// break in one would start another (serve's mailer refuses the same).
	for _, f := range []struct{ name, v string }{
		{"MUSTER_SMTP_HOST", c.SMTP.Host}, {"MUSTER_SMTP_USER", c.SMTP.User},
		{"MUSTER_SMTP_FROM", c.SMTP.From}, {"MUSTER_SMTP_REPLY_TO", c.SMTP.ReplyTo},
	} {
		if strings.ContainsAny(f.v, "\r\n\x00") {
			return fmt.Errorf("%s must not contain a line break", f.name)
		}
	}
	for _, a := range []struct{ name, v string }{{"MUSTER_SMTP_FROM", c.SMTP.From}, {"MUSTER_SMTP_REPLY_TO", c.SMTP.ReplyTo}} {
		if a.v == "" {
			continue
		}
		if _, err := netmail.ParseAddress(a.v); err != nil {
			return fmt.Errorf("%s %q is not an email address", a.name, a.v)
		}
	}
	if c.SMTP.Host != "" && c.SMTP.From == "" {
		return errors.New("MUSTER_SMTP_FROM is required when MUSTER_SMTP_HOST is set")
	}
	for _, k := range []struct {
		name string
		days int
	}{{"MUSTER_KEEP_MAIL_BODIES_DAYS", c.KeepMailBodiesDays}, {"MUSTER_KEEP_MAIL_DAYS", c.KeepMailDays}, {"MUSTER_KEEP_JOB_RUNS_DAYS", c.KeepJobRunsDays}} {
		if k.days < 0 {
			return fmt.Errorf("%s must be 0 (keep for ever) or a number of days", k.name)
		}
	}
	if c.MaxUploadMB <= 0 {
		return errors.New("MUSTER_MAX_UPLOAD_MB must be at least 1")
	}
	for _, s := range []struct{ name, spec string }{
		{"MUSTER_SCHEDULE_REMINDERS", c.ScheduleReminders},
		{"MUSTER_SCHEDULE_DIGESTS", c.ScheduleDigests},
		{"MUSTER_SCHEDULE_SNAPSHOT", c.ScheduleSnapshot},
		{"MUSTER_SCHEDULE_PRUNE", c.SchedulePrune},
		{"MUSTER_SCHEDULE_RETENTION", c.ScheduleRetention},
	} {
		if s.spec == "" || s.spec == "off" {
			continue
		}
		if _, err := cron.ParseStandard(s.spec); err != nil {
			return fmt.Errorf("%s %q is not a cron schedule (minute hour day month weekday), or \"off\"", s.name, s.spec)
		}
	}
	if _, err := c.level(); err != nil {
		return err
	}
	if _, err := server.ParseTrustedProxies(c.Security.TrustedProxies); err != nil {
		return fmt.Errorf("MUSTER_TRUSTED_PROXIES: %v", err)
	}
	sec := c.Security
	for _, n := range []struct {
		name string
		v    int
	}{
		{"MUSTER_LOGIN_CONCURRENCY", sec.LoginConcurrency}, {"MUSTER_IMPORTS_CONCURRENT", sec.Imports},
		{"MUSTER_IMPORTS_PER_USER", sec.ImportsPerUser}, {"MUSTER_PREVIEW_MB_PER_USER", sec.PreviewMBPerUser},
		{"MUSTER_PREVIEW_MB_TOTAL", sec.PreviewMB},
	} {
		if n.v < 1 {
			return fmt.Errorf("%s must be at least 1", n.name)
		}
	}
	if sec.PreviewMBPerUser < c.MaxUploadMB || sec.PreviewMB < sec.PreviewMBPerUser {
		return errors.New("MUSTER_PREVIEW_MB_PER_USER must be at least MUSTER_MAX_UPLOAD_MB, and MUSTER_PREVIEW_MB_TOTAL at least MUSTER_PREVIEW_MB_PER_USER")
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"MUSTER_ONE_TIME_PASSWORD_TTL", sec.OneTimePasswordTTL}, {"MUSTER_READ_TIMEOUT", sec.ReadTimeout}, {"MUSTER_UPLOAD_TIMEOUT", sec.UploadTimeout}} {
		if d.v <= 0 {
			return fmt.Errorf("%s must be positive", d.name)
		}
	}
	if sec.AuthCacheTTL < 0 || sec.AuthCacheTTL > time.Minute {
		return errors.New("MUSTER_AUTH_CACHE_TTL must be from 0 (read every request) to 1m")
	}
	for _, r := range []struct {
		name string
		v    int
	}{{"MUSTER_RETAIN_LEAVERS_MONTHS", c.RetainLeaversMonths}, {"MUSTER_RETAIN_AUDIT_MONTHS", c.RetainAuditMonths},
		{"MUSTER_RETAIN_IMPORT_REPORTS_MONTHS", c.RetainImportMonths}} {
		if r.v < 0 || r.v > 1200 {
			return fmt.Errorf("%s %d must be a number of months from 0 (keep) to 1200", r.name, r.v)
		}
	}
	return c.validateSSO()
}

// serverSecurity turns the settings into the server's (after Validate).
func (c *Config) serverSecurity(cfg *server.Config) {
	sec := c.Security
	cfg.TrustedProxies, _ = server.ParseTrustedProxies(sec.TrustedProxies)
	cfg.MetricsToken, cfg.MetricsAddr = sec.MetricsToken.reveal(), sec.MetricsAddr
	cfg.OneTimePasswordTTL = sec.OneTimePasswordTTL
	cfg.AuthCacheTTL = sec.AuthCacheTTL
	if cfg.AuthCacheTTL == 0 {
		cfg.AuthCacheTTL = -1 // the server's "never"; its 0 is the default
	}
	cfg.Timeouts.Read, cfg.Timeouts.UploadRead = sec.ReadTimeout, sec.UploadTimeout
	l := server.DefaultLimits()
	l.Hashing, l.Imports, l.ImportsPerUser = sec.LoginConcurrency, sec.Imports, sec.ImportsPerUser
	l.ImportBytes = int64(sec.Imports) * int64(c.MaxUploadMB) << 20
	l.PreviewBytesPerUser, l.PreviewBytes = int64(sec.PreviewMBPerUser)<<20, int64(sec.PreviewMB)<<20
	cfg.Limits = l
}

// retention is the retention policy the settings give.
func (c *Config) retention() training.RetentionPolicy {
	return training.RetentionPolicy{LeaversMonths: c.RetainLeaversMonths, AuditMonths: c.RetainAuditMonths,
		ImportReportsMonths: c.RetainImportMonths}
}

// level is the slog level named by LogLevel.
func (c *Config) level() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return 0, fmt.Errorf("MUSTER_LOG_LEVEL %q must be debug, info, warn or error", c.LogLevel)
	}
	return l, nil
}

// baseURL is BaseURL, or a localhost URL for Addr.
func (c *Config) baseURL() string {
	if c.BaseURL != "" {
		return strings.TrimRight(c.BaseURL, "/")
	}
	return "http://" + localHost(c.Addr)
}

// linkScope names the deployment in officer links (training.LinkKey):
// the Redis prefix, so that forces sharing a Redis and a secret cannot
// open each other's links; "" for the embedded store.
func (c *Config) linkScope() string {
	if c.RedisURL == "" {
		return ""
	}
	return "redis:" + c.RedisPrefix
}

// storeName says which store the settings select, without secrets.
func (c *Config) storeName() string {
	if c.RedisURL != "" {
		return "redis (" + redactURL(c.RedisURL.reveal()) + ")"
	}
	return "bolt (" + c.dbPath() + ")"
}

// localHost turns a listen address into one a browser on this machine can
// open: ":8080" and "0.0.0.0:8080" become "localhost:8080".
func localHost(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// sendLimits are the relay's sending limits as the sender takes them.
func (c *Config) sendLimits() jobs.SendLimits {
	return jobs.SendLimits{PerMinute: c.SMTP.MaxPerMinute, PerDay: c.SMTP.MaxPerDay, Connections: c.SMTP.Connections}
}
