package mailtest

import (
	"bufio"
	_ "embed"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/muster-police/muster/internal/testenv"
)

//go:embed relay.py
var relayScript []byte

// Relay is a real SMTP server process (Debian's aiosmtpd, python3-aiosmtpd)
// driven by relay.py: the test changes its behaviour with Set and reads
// what it accepted with Deliveries.
type Relay struct {
	t       testing.TB
	Host    string
	Port    int
	control string
	log     string
	mu      sync.Mutex
	ctl     RelayControl
}

// RelayControl is what relay.py reads before each command.
type RelayControl struct {
	// RejectSender is the reply code to MAIL FROM (0 accepts).
	RejectSender int `json:"reject_sender,omitempty"`
	// Defer maps a recipient to its reply code to RCPT TO.
	Defer map[string]int `json:"defer,omitempty"`
	// DataDelay is how long the relay waits before replying to the end of data.
	DataDelay float64 `json:"data_delay,omitempty"`
	// DelayFor maps a recipient to a delay before the reply to the end of
	// data of messages to them (seconds; the longer of it and DataDelay).
	DelayFor map[string]float64 `json:"delay_for,omitempty"`
	// KeepRaw makes the relay log each message as it received it
	// (Delivery.Raw), for tests that read what arrived.
	KeepRaw bool `json:"keep_raw,omitempty"`
}

// Delivery is one message the relay accepted.
type Delivery struct {
	MessageID string   `json:"message_id"`
	To        []string `json:"to"`
	// At is when the relay took it (Unix seconds, the relay's clock).
	At float64 `json:"at"`
	// Raw is the message as the relay received it (with KeepRaw only).
	Raw []byte `json:"raw,omitempty"`
}

// aiosmtpdPython returns a python3 that can import aiosmtpd: Debian's
// (/usr/bin/python3) first, since another python3 may come first on PATH.
func aiosmtpdPython() (string, bool) {
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import aiosmtpd").Run() == nil {
			return p, true
		}
	}
	return "", false
}

// StartRelay starts relay.py under aiosmtpd on a free port, stopped at
// the end of the test. Without aiosmtpd the test is skipped, or fails
// when MUSTER_TEST_REQUIRE=1 (CI installs python3-aiosmtpd).
func StartRelay(t testing.TB) *Relay {
	t.Helper()
	py, ok := aiosmtpdPython()
	if !ok {
		testenv.Need(t, "aiosmtpd is not installed", "apt-get install -y python3-aiosmtpd")
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "relay.py")
	if err := os.WriteFile(script, relayScript, 0o600); err != nil {
		t.Fatal(err)
	}
	r := &Relay{t: t, Host: "127.0.0.1", control: filepath.Join(dir, "control.json"), log: filepath.Join(dir, "deliveries.jsonl")}
	r.Set(RelayControl{})
	for attempt := 0; ; attempt++ {
		r.Port = freePort(t)
		cmd := exec.Command(py, script, strconv.Itoa(r.Port), r.control, r.log)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ready := make(chan bool, 1)
		go func() {
			line, _ := bufio.NewReader(out).ReadString('\n')
			ready <- strings.TrimSpace(line) == "ready"
		}()
		var ok bool
		select {
		case ok = <-ready:
		case <-time.After(20 * time.Second):
		}
		if ok {
			t.Cleanup(func() {
				_ = cmd.Process.Signal(os.Interrupt)
				done := make(chan struct{})
				go func() { _ = cmd.Wait(); close(done) }()
				select {
				case <-done:
				case <-time.After(5 * time.Second):
					_ = cmd.Process.Kill()
					<-done
				}
			})
			return r
		}
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if attempt == 2 {
			t.Fatal("mailtest: aiosmtpd relay did not start")
		}
	}
}

// Set replaces the relay's behaviour (read again for every SMTP command).
func (r *Relay) Set(c RelayControl) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ctl = c
	b, err := json.Marshal(c)
	if err != nil {
		r.t.Fatal(err)
	}
	tmp := r.control + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		r.t.Fatal(err)
	}
	if err := os.Rename(tmp, r.control); err != nil {
		r.t.Fatal(err)
	}
}

// Deliveries returns every message accepted so far, in order.
func (r *Relay) Deliveries() []Delivery {
	b, err := os.ReadFile(r.log)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		r.t.Fatal(err)
	}
	var out []Delivery
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if line == "" {
			continue
		}
		var d Delivery
		if err := json.Unmarshal([]byte(line), &d); err != nil {
			continue // a line being written
		}
		out = append(out, d)
	}
	return out
}

// Counts returns how many times each Message-ID was accepted.
func (r *Relay) Counts() map[string]int {
	out := map[string]int{}
	for _, d := range r.Deliveries() {
		out[d.MessageID]++
	}
	return out
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
