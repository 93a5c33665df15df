package mail

import (
	"context"
	"crypto/tls"
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
	// Timeout bounds connecting: the greeting, EHLO, STARTTLS and AUTH
	// (default 30 s).
	Timeout time.Duration
	// ReplyTimeout bounds the mail transaction, MAIL FROM to the reply to
	// the end of data (default DefaultReplyTimeout).
	ReplyTimeout time.Duration
	// TLSConfig overrides the TLS settings (e.g. a private CA); nil uses
	// the system roots with the host as server name.
	TLSConfig *tls.Config
}

// DefaultReplyTimeout is how long a send waits for the relay's reply to
// the end of the message data: RFC 5321 §4.5.3.2.6 ("DATA Termination:
// 10 minutes") asks a client to wait that long, because a relay may
// check the message before it answers. Giving up earlier is the way to
// send a message twice: the relay accepts it after the client left, and
// the client, seeing no reply, sends it again. The other limits of
// §4.5.3.2 (5 minutes for MAIL and RCPT, 2 for DATA, 3 per data block)
// are shorter, so one deadline of this length covers the transaction.
const DefaultReplyTimeout = 10*time.Minute + 30*time.Second

// SMTP sends messages through an SMTP relay, one connection per message.
//
// go-mail (v0.8.1) has one timeout, connTimeout, that it sets as the
// connection's deadline when dialling (DialToSMTPClientWithContext) and
// again before each message (checkConn, from SendWithSMTPClient). Two
// clients with the same settings and different timeouts give connecting
// a short limit and the transaction the RFC's long one: dial with one,
// send with the other.
type SMTP struct {
	dial    *gomail.Client
	send    *gomail.Client
	from    string
	replyTo string
	limiter *rate.Limiter
}

// NewSMTP checks cfg and returns a sender; it does not connect yet.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	if cfg.Host == "" {
		return nil, training.Invalidf("SMTP host is not set")
	}
	if _, err := mail.ParseAddress(cfg.From); err != nil {
		return nil, training.Invalidf("SMTP from address %q is not an email address", cfg.From)
	}
	if cfg.ReplyTo != "" {
		if _, err := mail.ParseAddress(cfg.ReplyTo); err != nil {
			return nil, training.Invalidf("SMTP reply-to address %q is not an email address", cfg.ReplyTo)
		}
	}
	if cfg.Rate < 0 {
		return nil, training.Invalidf("SMTP rate must not be negative")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.ReplyTimeout <= 0 {
		cfg.ReplyTimeout = DefaultReplyTimeout
	}
	var opts []gomail.Option
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
		return nil, training.Invalidf("SMTP TLS mode %q: use starttls, tls or none", cfg.TLS)
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
	dial, err := gomail.NewClient(cfg.Host, append(opts, gomail.WithTimeout(cfg.Timeout))...)
	if err != nil {
		return nil, training.Invalidf("SMTP settings: %w", err)
	}
	send, err := gomail.NewClient(cfg.Host, append(opts, gomail.WithTimeout(cfg.ReplyTimeout))...)
	if err != nil {
		return nil, training.Invalidf("SMTP settings: %w", err)
	}
	lim := rate.NewLimiter(rate.Inf, 1)
	if cfg.Rate > 0 {
		lim = rate.NewLimiter(rate.Limit(cfg.Rate), 1)
	}
	return &SMTP{dial: dial, send: send, from: cfg.From, replyTo: cfg.ReplyTo, limiter: lim}, nil
}

// Send delivers m, waiting for the rate limit first, and returns nil as
// soon as the relay has accepted the end of data (a 250 reply: from then
// on the relay is responsible for the message, RFC 5321 §6.1). Errors
// are classified (see classify): IsPermanent, IsRelay, or temporary for
// this message. ctx bounds the wait for the rate limit and connecting;
// once the message is being handed over, Send waits for the relay's
// reply up to the reply timeout even if ctx ends, because leaving then
// is what makes a duplicate.
func (s *SMTP) Send(ctx context.Context, m training.Message) error {
	msg, err := build(s.from, s.replyTo, m)
	if err != nil {
		return err
	}
	if err := s.limiter.Wait(ctx); err != nil {
		return training.Unavailablef("%w", err)
	}
	c, err := s.dial.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return classify(err)
	}
	err = s.send.SendWithSMTPClient(c, msg)
	// The QUIT after the message is not part of delivering it.
	_ = s.send.CloseWithSMTPClient(c)
	if msg.IsDelivered() {
		// go-mail marks the message delivered after the 250 to the end of
		// data; an error after that (the RSET that follows) is not a
		// failure of the message, and retrying it would send it twice.
		return nil
	}
	return classify(err)
}
