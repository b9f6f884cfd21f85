package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestLoadInterruptedExitCode checks that a load whose context has ended
// (kg's answer to Ctrl-C, see interruptible) exits ExitInterrupted and says
// Neo4j was left alone, whatever the error the interruption caused; the
// Neo4j script load_interrupted sends the real signal.
func TestLoadInterruptedExitCode(t *testing.T) {
	cache := t.TempDir()
	var stderr bytes.Buffer
	a := &app{stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &stderr, getenv: func(k string) string {
		return map[string]string{"NEO4J_URI": "bolt://127.0.0.1:1", "KG_CACHE_DIR": cache}[k]
	}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := a.load(ctx, &loadOptions{paths: []string{"../../seeds"}, batchSize: 10})
	if code := exitCode(err); code != ExitInterrupted {
		t.Fatalf("interrupted load: exit %d (%v), want %d", code, err, ExitInterrupted)
	}
	if want := "interrupted: nothing was loaded"; !strings.Contains(err.Error(), want) {
		t.Errorf("interrupted load said %q, want it to say %q", err, want)
	}
}
