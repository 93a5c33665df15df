package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the test binary act as the muster command in a child
// process (MUSTER_TEST_AS_MAIN=1), so the process tests need no build.
func TestMain(m *testing.M) {
	if os.Getenv("MUSTER_TEST_AS_MAIN") == "1" {
		os.Args = append([]string{"muster"}, os.Args[1:]...)
		main()
		return
	}
	os.Exit(m.Run())
}

// musterProcess starts the command as a real process with the given data directory.
func musterProcess(dataDir string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "MUSTER_TEST_AS_MAIN=1", "MUSTER_DATA_DIR="+dataDir, "MUSTER_ADMIN_PASSWORD=correct horse battery")
	return cmd
}

// TestServeProcess: two real processes on one data directory. The second
// is forwarded through serve.json (the bolt file is locked across
// processes); SIGTERM stops serve cleanly and removes serve.json.
func TestServeProcess(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	serve := musterProcess(dir, "serve", "--addr", "127.0.0.1:0")
	var out, errOut bytes.Buffer
	serve.Stdout, serve.Stderr = &out, &errOut
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- serve.Wait() }()
	defer func() {
		if serve.ProcessState == nil {
			_ = serve.Process.Kill()
			<-done
		}
	}()
	path := filepath.Join(dir, serveFile)
	for i := 0; ; i++ {
		if _, err := os.Stat(path); err == nil {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("serve exited early: %v\n%s", err, errOut.String())
		case <-time.After(20 * time.Millisecond):
		}
		if i > 1500 {
			t.Fatalf("serve.json never appeared\n%s", errOut.String())
		}
	}

	imp := musterProcess(dir, "import", "--full", filepath.Join(samplesDir, "1_roster_full.xlsx"))
	b, err := imp.CombinedOutput()
	if err != nil || !strings.Contains(string(b), "muster: forwarded to the running server at http://127.0.0.1:") || !strings.Contains(string(b), "officers added") {
		t.Fatalf("forwarded import: %v\n%s", err, b)
	}
	rep := musterProcess(dir, "report", "--course", "nope")
	b, err = rep.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitFail || !strings.Contains(string(b), `there is no course with id "nope"`) {
		t.Errorf("forwarded failing report: %v\n%s", err, b)
	}

	if err := serve.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Errorf("serve after SIGTERM: %v\n%s", err, errOut.String())
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("serve.json still there after stop: %v", err)
	}
	if !strings.Contains(errOut.String(), `"msg":"stopped"`) {
		t.Errorf("no clean stop in the log:\n%s", errOut.String())
	}
	// The store is free again: a command runs directly, not forwarded.
	b, err = musterProcess(dir, "report", "--format", "json").CombinedOutput()
	if err != nil || strings.Contains(string(b), "forwarded") {
		t.Errorf("after stop: %v\n%.300s", err, b)
	}
}
