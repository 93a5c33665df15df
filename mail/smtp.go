package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/mail"
	"time"

	gomail "github.com/wneessen/go-mail"
	"golang.org/x/time/rate"

	"github.com/muster-police/muster/training"
)

// TLS modes for SMTPConfig.TLS.
const (
	TLSStartTLS = "starttls" // plain connection upgraded with STARTTLS (required), port 587
	TLSImplicit = "tls"      // TLS from the first byte, port 465
	TLSNone     = "none"     // no encryption (a relay on the same host or network), port 25
)

// SMTPConfig says how to reach the mail relay.
type SMTPConfig struct {
	Host string
	// Port defaults by TLS mode: 587 (starttls), 465 (tls), 25 (none).
	Port int
	// TLS is starttls (default), tls or none.
	TLS      string
	User     string
	Password string
	// From is the sender address, e.g. "Muster <training@force.police.uk>".
	From string
	// ReplyTo, when set, is the Reply-To address (e.g. the training team's
	// mailbox, when From is a no-reply sender).
	ReplyTo string
	// Rate is the most messages per second (0: no limit).
	Rate float64
	// Timeout bounds one connection and send (default 30 s).
	Timeout time.Duration
	// TLSConfig overrides the TLS settings (e.g. a private CA); nil uses
	// the system roots with the host as server name.
	TLSConfig *tls.Config
}

// SMTP sends messages through an SMTP relay, one connection per message.
type SMTP struct {
	client  *gomail.Client
	from    string
	replyTo string
	limiter *rate.Limiter
	timeout time.Duration
}

// NewSMTP checks cfg and returns a sender; it does not connect yet.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	if cfg.Host == "" {
		return nil, fmt.Errorf("%w: SMTP host is not set", training.ErrInvalid)
	}
	if _, err := mail.ParseAddress(cfg.From); err != nil {
		return nil, fmt.Errorf("%w: SMTP from address %q is not an email address", training.ErrInvalid, cfg.From)
	}
	if cfg.ReplyTo != "" {
		if _, err := mail.ParseAddress(cfg.ReplyTo); err != nil {
			return nil, fmt.Errorf("%w: SMTP reply-to address %q is not an email address", training.ErrInvalid, cfg.ReplyTo)
		}
	}
	if cfg.Rate < 0 {
		return nil, fmt.Errorf("%w: SMTP rate must not be negative", training.ErrInvalid)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	opts := []gomail.Option{gomail.WithTimeout(cfg.Timeout)}
	port := cfg.Port
	switch cfg.TLS {
	case "", TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
		if port == 0 {
			port = 587
		}
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
		if port == 0 {
			port = 465
		}
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
		if port == 0 {
			port = 25
		}
	default:
		return nil, fmt.Errorf("%w: SMTP TLS mode %q: use starttls, tls or none", training.ErrInvalid, cfg.TLS)
	}
	opts = append(opts, gomail.WithPort(port))
	if cfg.TLSConfig != nil {
		opts = append(opts, gomail.WithTLSConfig(cfg.TLSConfig))
	}
	if cfg.User != "" {
		// Auto-discovery picks the strongest mechanism over TLS; without TLS
		// it finds none, and PLAIN is then allowed by go-mail only to
		// localhost: a password is never sent in clear over a network.
		auth := gomail.SMTPAuthAutoDiscover
		if cfg.TLS == TLSNone {
			auth = gomail.SMTPAuthPlain
		}
		opts = append(opts, gomail.WithSMTPAuth(auth),
			gomail.WithUsername(cfg.User), gomail.WithPassword(cfg.Password))
	}
	client, err := gomail.NewClient(cfg.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("%w: SMTP settings: %w", training.ErrInvalid, err)
	}
	lim := rate.NewLimiter(rate.Inf, 1)
	if cfg.Rate > 0 {
		lim = rate.NewLimiter(rate.Limit(cfg.Rate), 1)
	}
	return &SMTP{client: client, from: cfg.From, replyTo: cfg.ReplyTo, limiter: lim, timeout: cfg.Timeout}, nil
}

// Send delivers m, waiting for the rate limit first. Errors are
// classified: IsPermanent for 5xx replies and unusable addresses, else
// temporary (wrapping training.ErrUnavailable).
func (s *SMTP) Send(ctx context.Context, m training.Message) error {
	msg, err := build(s.from, s.replyTo, m)
	if err != nil {
		return err
	}
	if err := s.limiter.Wait(ctx); err != nil {
		return fmt.Errorf("%w: %w", training.ErrUnavailable, err)
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	return classify(s.client.DialAndSendWithContext(ctx, msg))
}
