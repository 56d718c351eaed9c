// Package testserver starts a real Sibyl server for the Go client's tests: one per test binary, in its own
// process, with an empty data directory and known keys.
package testserver

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The keys the test server is started with.
const (
	TrackingKey = "pk_go_sdk_tests_tracking_0001"
	ServerKey   = "sk_go_sdk_tests_server_000000001"
)

// Server is a real Sibyl server in its own process, shared by the tests of one test binary (each test uses its
// own visitor and item ids).
type Server struct {
	URL     string
	cmd     *exec.Cmd
	dataDir string
	stderr  *lockedBuffer
	exited  chan struct{}
}

var shared struct {
	once   sync.Once
	server *Server
	err    error
}

// Main runs a test binary's tests and then stops the server if one was started; call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if shared.server != nil {
		if err := shared.server.stop(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			if code == 0 {
				code = 1
			}
		}
	}
	os.Exit(code)
}

// Start returns the shared server, starting it on first use. Without node or a built server the test is skipped
// with a message, unless CI is set: there a missing server is a failure.
func Start(t testing.TB) *Server {
	t.Helper()
	node, cli := locate(t)
	shared.once.Do(func() { shared.server, shared.err = startServer(node, cli) })
	if shared.err != nil {
		t.Fatalf("starting the Sibyl server: %v", shared.err)
	}
	return shared.server
}

// StartOwn starts a server for one test alone, stopped when the test ends: for a test whose results must not
// depend on what other tests sent.
func StartOwn(t testing.TB) *Server {
	t.Helper()
	node, cli := locate(t)
	server, err := startServer(node, cli)
	if err != nil {
		t.Fatalf("starting the Sibyl server: %v", err)
	}
	t.Cleanup(func() {
		if err := server.stop(); err != nil {
			t.Error(err)
		}
	})
	return server
}

func locate(t testing.TB) (node, cli string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		missing(t, "node is not installed")
	}
	cli, err = serverCLI()
	if err != nil {
		missing(t, err.Error())
	}
	return node, cli
}

// serverCLI finds apps/server/dist/cli.js from the test's directory, wherever in the module it is.
func serverCLI() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "pnpm-workspace.yaml")); err == nil {
			cli := filepath.Join(dir, "apps", "server", "dist", "cli.js")
			if _, err := os.Stat(cli); err != nil {
				return "", fmt.Errorf("the Sibyl server is not built (%s is missing)", cli)
			}
			return cli, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("the Sibyl repository (pnpm-workspace.yaml) is not above the test's directory")
		}
		dir = parent
	}
}

func missing(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s; with CI set the tests against a real server must run. Build it first: "+
			"pnpm --filter @sibyl/server... build", why)
	}
	t.Skipf("SKIPPED: %s. Build it to run the tests against a real server: pnpm --filter @sibyl/server... build", why)
}

var listening = regexp.MustCompile(`Sibyl listening on (http://\S+)`)

func startServer(node, cli string) (*Server, error) {
	dataDir, err := os.MkdirTemp("", "sibyl-go-sdk-")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(node, cli, "serve", "-p", "0", "-d", dataDir, "--tracking-key", TrackingKey,
		"--server-key", ServerKey, "--durability", "none", "--log-level", "warn")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	s := &Server{cmd: cmd, dataDir: dataDir, stderr: &lockedBuffer{}, exited: make(chan struct{})}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		_ = os.RemoveAll(dataDir)
		return nil, err
	}
	go func() {
		_ = cmd.Wait()
		close(s.exited)
	}()
	found := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(stdout)
		for scanner.Scan() {
			if match := listening.FindStringSubmatch(scanner.Text()); match != nil {
				found <- match[1]
				break
			}
		}
		// Keep reading, so the server never blocks on a full pipe.
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case s.URL = <-found:
	case <-s.exited:
		_ = os.RemoveAll(dataDir)
		return nil, fmt.Errorf("the server exited before listening: %s", s.stderr.String())
	}
	// It listens at once and recovers the data directory after; /readyz says when it takes events.
	for {
		res, err := http.Get(s.URL + "/readyz")
		if err == nil {
			_ = res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		select {
		case <-s.exited:
			_ = os.RemoveAll(dataDir)
			return nil, fmt.Errorf("the server exited before it was ready: %s", s.stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// stop ends the server as an operator would (SIGTERM: drain, snapshot, exit 0) and removes its data.
func (s *Server) stop() error {
	defer os.RemoveAll(s.dataDir)
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("stopping the Sibyl server: %w", err)
	}
	<-s.exited
	if !s.cmd.ProcessState.Success() {
		return fmt.Errorf("the Sibyl server exited with %v: %s", s.cmd.ProcessState, s.stderr.String())
	}
	return nil
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
