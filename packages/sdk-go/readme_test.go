package sibyl_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sibyl-dev/sibyl/packages/sdk-go/internal/testserver"
)

// TestReadmeExampleRuns runs the README's example program, as a user would, against a server of its own, so its
// output is exactly what the README says.
func TestReadmeExampleRuns(t *testing.T) {
	server := testserver.StartOwn(t)
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, found := strings.Cut(string(readme), "```go\n")
	program, _, closed := strings.Cut(rest, "```\n")
	if !found || !closed {
		t.Fatal("README.md has no ```go block")
	}
	module, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	goMod := "module readme.example\n\ngo 1.22\n\n" +
		"require github.com/sibyl-dev/sibyl/packages/sdk-go v0.0.0\n\n" +
		"replace github.com/sibyl-dev/sibyl/packages/sdk-go => " + module + "\n"
	for name, content := range map[string]string{"go.mod": goMod, "main.go": program} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to run the README's program: %v", err)
	}
	cmd := exec.Command(goTool, "run", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "SIBYL_URL="+server.URL, "SIBYL_KEY="+testserver.ServerKey,
		"GOWORK=off", "GOPROXY=off", "GOFLAGS=-mod=mod")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("the README's program failed (%v):\n%s", err, stderr.String())
	}
	if got, want := stdout.String(), "mat cooccurrence\n"; got != want {
		t.Errorf("the README's program printed %q, want %q as its comment says", got, want)
	}
	if !strings.Contains(program, "// mat cooccurrence") {
		t.Errorf("the README's program no longer says what it prints")
	}
}
