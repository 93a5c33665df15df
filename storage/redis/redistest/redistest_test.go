package redistest

import (
	"errors"
	"testing"
)

// TestStartOnATakenPort: a server started on a port another redis-server
// holds reports the port as taken (so Start with Port 0 picks again),
// never success through the neighbour answering PING.
func TestStartOnATakenPort(t *testing.T) {
	a := Start(t, "--save", "", "--appendonly", "no")
	bin, _ := Binaries(t)
	b := &Server{bin: bin, Port: a.Port, Dir: t.TempDir(), args: []string{"--save", "", "--appendonly", "no"}}
	err := b.Start()
	if err == nil {
		b.Stop()
		t.Fatal("Start on a taken port succeeded: it took the neighbour's answer for its own")
	}
	if !errors.Is(err, errPortTaken) {
		t.Fatalf("Start on a taken port: %v, want errPortTaken", err)
	}
}
