package main

// Keeping secrets out of output: the secret type (what fmt, slog and
// encoders see is "[redacted]") and Redis URLs with their passwords replaced.

import (
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
)

// secret is a string that never prints: fmt, slog and JSON all see
// "[redacted]" (or "" when unset), so a config dump cannot leak it.
type secret string

func (s secret) String() string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// GoString keeps %#v from printing the value.
func (s secret) GoString() string { return strconv.Quote(s.String()) }

// LogValue keeps slog from printing the value.
func (s secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText keeps encoders from printing the value.
func (s secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// reveal returns the value itself, for the one place that needs it.
func (s secret) reveal() string { return string(s) }

// redactURL shows a store URL with any password replaced. It works on
// text, not net/url, because Sentinel and Cluster URLs list several hosts.
func redactURL(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return "[not a URL]"
	}
	end := strings.IndexAny(rest, "/?")
	if end < 0 {
		end = len(rest)
	}
	if at := strings.LastIndex(rest[:end], "@"); at >= 0 {
		user, _, hasPass := strings.Cut(rest[:at], ":")
		if hasPass {
			rest = user + ":xxxxx" + rest[at:]
		}
	}
	if q := strings.Index(rest, "?"); q >= 0 {
		params := strings.Split(rest[q+1:], "&")
		for i, p := range params {
			if k, _, _ := strings.Cut(p, "="); strings.Contains(strings.ToLower(k), "password") {
				params[i] = k + "=xxxxx"
			}
		}
		rest = rest[:q+1] + strings.Join(params, "&")
	}
	return scheme + "://" + rest
}

// Dump writes every setting, secrets redacted (`muster config`).
func (c Config) Dump(w io.Writer) error {
	rows := [][2]string{
		{"store", c.storeName()},
		{"MUSTER_DATA_DIR", c.DataDir},
		{"MUSTER_REDIS_URL", redactOrEmpty(c.RedisURL)},
		{"MUSTER_REDIS_PREFIX", c.RedisPrefix},
		{"MUSTER_ADDR", c.Addr},
		{"MUSTER_BASE_URL", c.baseURL()},
		{"MUSTER_SECRET", c.Secret.String()},
		{"MUSTER_ADMIN_PASSWORD", c.AdminPassword.String()},
		{"MUSTER_SMTP_HOST", c.SMTP.Host},
		{"MUSTER_SMTP_PORT", strconv.Itoa(c.SMTP.Port)},
		{"MUSTER_SMTP_USER", c.SMTP.User},
		{"MUSTER_SMTP_PASSWORD", c.SMTP.Password.String()},
		{"MUSTER_SMTP_FROM", c.SMTP.From},
		{"MUSTER_SMTP_REPLY_TO", c.SMTP.ReplyTo},
		{"MUSTER_SMTP_TLS", c.SMTP.TLS},
		{"MUSTER_SMTP_RATE", strconv.FormatFloat(c.SMTP.Rate, 'f', -1, 64)},
		{"MUSTER_SMTP_MAX_PER_MINUTE", strconv.Itoa(c.SMTP.MaxPerMinute)},
		{"MUSTER_SMTP_MAX_PER_DAY", strconv.Itoa(c.SMTP.MaxPerDay)},
		{"MUSTER_SMTP_CONNECTIONS", strconv.Itoa(c.SMTP.Connections)},
		{"MUSTER_MAX_UPLOAD_MB", strconv.Itoa(c.MaxUploadMB)},
		{"MUSTER_COOKIE_SECURE", strconv.FormatBool(c.CookieSecure)},
		{"MUSTER_SCHEDULE_REMINDERS", c.ScheduleReminders},
		{"MUSTER_SCHEDULE_DIGESTS", c.ScheduleDigests},
		{"MUSTER_SCHEDULE_SNAPSHOT", c.ScheduleSnapshot},
		{"MUSTER_SCHEDULE_PRUNE", c.SchedulePrune},
		{"MUSTER_KEEP_MAIL_BODIES_DAYS", strconv.Itoa(c.KeepMailBodiesDays)},
		{"MUSTER_KEEP_MAIL_DAYS", strconv.Itoa(c.KeepMailDays)},
		{"MUSTER_KEEP_JOB_RUNS_DAYS", strconv.Itoa(c.KeepJobRunsDays)},
		{"MUSTER_LOG_LEVEL", c.LogLevel},
		{"MUSTER_TRUSTED_PROXIES", c.Security.TrustedProxies},
		{"MUSTER_METRICS_TOKEN", c.Security.MetricsToken.String()},
		{"MUSTER_METRICS_ADDR", c.Security.MetricsAddr},
		{"MUSTER_ONE_TIME_PASSWORD_TTL", c.Security.OneTimePasswordTTL.String()},
		{"MUSTER_READ_TIMEOUT", c.Security.ReadTimeout.String()},
		{"MUSTER_UPLOAD_TIMEOUT", c.Security.UploadTimeout.String()},
		{"MUSTER_LOGIN_CONCURRENCY", strconv.Itoa(c.Security.LoginConcurrency)},
		{"MUSTER_IMPORTS_CONCURRENT", strconv.Itoa(c.Security.Imports)},
		{"MUSTER_IMPORTS_PER_USER", strconv.Itoa(c.Security.ImportsPerUser)},
		{"MUSTER_PREVIEW_MB_PER_USER", strconv.Itoa(c.Security.PreviewMBPerUser)},
		{"MUSTER_PREVIEW_MB_TOTAL", strconv.Itoa(c.Security.PreviewMB)},
		{"MUSTER_RETAIN_LEAVERS_MONTHS", strconv.Itoa(c.RetainLeaversMonths)},
		{"MUSTER_RETAIN_AUDIT_MONTHS", strconv.Itoa(c.RetainAuditMonths)},
		{"MUSTER_RETAIN_IMPORT_REPORTS_MONTHS", strconv.Itoa(c.RetainImportMonths)},
		{"MUSTER_SCHEDULE_RETENTION", c.ScheduleRetention},
	}
	width := 0
	for _, r := range rows {
		width = max(width, len(r[0]))
	}
	for _, r := range rows {
		if _, err := fmt.Fprintf(w, "%-*s %s\n", width, r[0], r[1]); err != nil {
			return err
		}
	}
	return nil
}

func redactOrEmpty(s secret) string {
	if s == "" {
		return ""
	}
	return redactURL(s.reveal())
}

// String is the config as Dump writes it: safe to log or print.
func (c Config) String() string {
	var b strings.Builder
	_ = c.Dump(&b)
	return b.String()
}

// LogValue logs the config without secrets.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("store", c.storeName()),
		slog.String("addr", c.Addr),
		slog.String("base_url", c.baseURL()),
		slog.Bool("smtp", c.SMTP.Host != ""),
		slog.String("log_level", c.LogLevel),
	)
}
