// Package mailtest runs a real SMTP server (emersion/go-smtp) in-process
// on a loopback port, for tests of mail delivery. It can be stopped and
// started again on the same port (an outage), reject recipients with a
// chosen reply, and require a password.
package mailtest

import (
	"bytes"
	"crypto/tls"

	"io"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Received is one message the server accepted.
type Received struct {
	From string
	To   []string
	Raw  []byte
	// Header is Raw's header, parsed (the body is in Raw: see Parts).
	Header mail.Header
}

// MessageID returns the Message-ID header without angle brackets.
func (r Received) MessageID() string { return strings.Trim(r.Header.Get("Message-Id"), "<> ") }

// Server is an in-process SMTP server.
type Server struct {
	t    testing.TB
	mu   sync.Mutex
	addr string
	srv  *smtp.Server
	done chan struct{}
	ln   net.Listener
	msgs []Received
	// reject maps a recipient to the reply code its RCPT gets (e.g. 550, 451).
	reject map[string]int
	// rejectFrom is the reply code MAIL FROM gets (0: accepted).
	rejectFrom int
	// slow delays the reply to the end of data.
	slow time.Duration
	user string
	pass string
	mode TLSMode
	tls  *tls.Config
}

// New starts a server on 127.0.0.1 with a free port; it is stopped at the end of the test.
func New(t testing.TB) *Server {
	s := &Server{t: t, reject: map[string]int{}}
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

// RequireAuth makes the server demand AUTH PLAIN with user and password.
func (s *Server) RequireAuth(user, pass string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.user, s.pass = user, pass
}

// Reject makes RCPT TO:<to> fail with code (4xx temporary, 5xx
// permanent; 0 accepts it again).
func (s *Server) Reject(to string, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if code == 0 {
		delete(s.reject, strings.ToLower(to))
		return
	}
	s.reject[strings.ToLower(to)] = code
}

// RejectSender makes MAIL FROM fail with code (0: accept again), as a
// relay does whose policy refuses the sender address.
func (s *Server) RejectSender(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejectFrom = code
}

// SlowData makes the server wait d before it replies to the end of data;
// the message counts as received only when the reply is sent.
func (s *Server) SlowData(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.slow = d
}

// Addr returns host:port (the same across Stop and Start).
func (s *Server) Addr() string { return s.addr }

// Host returns the host part of Addr.
func (s *Server) Host() string { h, _, _ := net.SplitHostPort(s.addr); return h }

// Port returns the port.
func (s *Server) Port() int { return s.addrPort() }

func (s *Server) addrPort() int {
	a, err := net.ResolveTCPAddr("tcp", s.addr)
	if err != nil {
		s.t.Fatalf("mailtest: %v", err)
	}
	return a.Port
}

// Start listens (again) on the server's address.
func (s *Server) Start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		return
	}
	addr := s.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		s.t.Fatalf("mailtest: listen: %v", err)
	}
	s.addr = l.Addr().String()
	if s.mode == Implicit {
		l = tls.NewListener(l, s.tls)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s}, nil
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.MaxMessageBytes = 1 << 20
	if s.mode == StartTLS {
		srv.TLSConfig = s.tls
	}
	s.srv = srv
	s.ln = l
	done := make(chan struct{})
	s.done = done
	go func() {
		defer close(done)
		_ = srv.Serve(l)
	}()
}

// Stop closes the listener and every connection (an outage).
func (s *Server) Stop() {
	s.mu.Lock()
	srv, done, ln := s.srv, s.done, s.ln
	s.srv = nil
	s.mu.Unlock()
	if srv == nil {
		return
	}
	// Close the listener too: go-smtp only closes listeners Serve has
	// registered, and Serve may not have started yet.
	_ = ln.Close()
	_ = srv.Close()
	<-done
}

// Messages returns a copy of everything received so far.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.msgs...)
}

type session struct {
	s    *Server
	from string
	to   []string
	auth bool
}

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		ss.s.mu.Lock()
		defer ss.s.mu.Unlock()
		if username != ss.s.user || password != ss.s.pass {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "bad credentials"}
		}
		ss.auth = true
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.s.mu.Lock()
	need, code := ss.s.user != "", ss.s.rejectFrom
	ss.s.mu.Unlock()
	if need && !ss.auth {
		return smtp.ErrAuthRequired
	}
	if code != 0 {
		return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 7, 1}, Message: "sender refused (test)"}
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	code := ss.s.reject[strings.ToLower(to)]
	ss.s.mu.Unlock()
	if code != 0 {
		return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 1, 1}, Message: "recipient refused (test)"}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return &smtp.SMTPError{Code: 554, Message: "unparseable message"}
	}
	ss.s.mu.Lock()
	slow := ss.s.slow
	ss.s.mu.Unlock()
	time.Sleep(slow)
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	ss.s.msgs = append(ss.s.msgs, Received{From: ss.from, To: ss.to, Raw: raw, Header: m.Header})
	return nil
}

func (ss *session) Reset() { ss.from, ss.to = "", nil }

func (ss *session) Logout() error { return nil }
