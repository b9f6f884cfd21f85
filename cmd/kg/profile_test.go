package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProfilesWritten checks that --cpuprofile and --memprofile leave
// profiles pprof can read (gzipped protocol buffers, not the empty file
// the heap profile's path is tested with), and that a path that cannot be
// written fails the command before its work, as an I/O error.
func TestProfilesWritten(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.out"), filepath.Join(dir, "mem.out")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"check", "../../seeds", "--cpuprofile", cpu, "--memprofile", mem}, nil, &stdout, &stderr); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, f := range []string{cpu, mem} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		z, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s is not a profile (%d bytes): %v", filepath.Base(f), len(data), err)
		}
		if body, err := io.ReadAll(z); err != nil || len(body) == 0 {
			t.Errorf("%s holds no profile: %v", filepath.Base(f), err)
		}
	}
	stdout.Reset()
	stderr.Reset()
	code := run([]string{"check", "../../seeds", "--memprofile", filepath.Join(dir, "no", "mem.out")}, nil, &stdout, &stderr)
	if code != ExitInternal || !strings.Contains(stderr.String(), "heap profile") || stdout.Len() > 0 {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, the heap profile's error and no work done", code, stdout.String(), stderr.String(), ExitInternal)
	}
}
