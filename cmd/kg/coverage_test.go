package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const coverageText = `Gunmen attacked the market on Monday.
The sky was blue.
`

const coverageAnnotation = `document:
  id: doc-1
  file: doc.txt
  title: Market attack
`

func TestCoverageGate(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("doc.txt", coverageText)
	write("doc.yaml", coverageAnnotation)
	kg := func(args ...string) (code int, stdout, stderr string) {
		var out, errb bytes.Buffer
		code = run(args, strings.NewReader(""), &out, &errb)
		return code, out.String(), errb.String()
	}

	code, out, errs := kg("coverage", dir, "--fail-under", "100")
	if code != ExitInvalid {
		t.Fatalf("uncovered: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, ExitInvalid, out, errs)
	}
	wantLine := filepath.Join(dir, "doc.txt") + ":1:1: Gunmen attacked the market on Monday. [trigger: gunmen; trigger: attacked]"
	if !strings.Contains(out, wantLine) {
		t.Errorf("stdout lacks %q:\n%s", wantLine, out)
	}
	if !strings.Contains(errs, "by 100.0 points") {
		t.Errorf("stderr does not say by how much coverage is short:\n%s", errs)
	}

	code, out, _ = kg("coverage", dir, "--json")
	if code != ExitOK {
		t.Fatalf("--json without a gate: exit %d, want 0", code)
	}
	var rep struct {
		Documents []struct {
			ID        string
			Needing   int
			Uncovered []struct{ Line, Col int }
		}
		Needing int
		Percent float64
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	if len(rep.Documents) != 1 || rep.Documents[0].ID != "doc-1" || rep.Needing != 1 || rep.Percent != 0 ||
		len(rep.Documents[0].Uncovered) != 1 || rep.Documents[0].Uncovered[0].Line != 1 {
		t.Errorf("--json report %+v, want doc-1 with one uncovered sentence on line 1 and 0%%", rep)
	}

	write("doc.yaml", coverageAnnotation+`
waivers:
  - quote: Gunmen attacked the market on Monday.
    reason: A test sentence; nothing to record.
`)
	code, out, errs = kg("coverage", dir, "--fail-under", "100")
	if code != ExitOK {
		t.Fatalf("waived: exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	if !strings.Contains(out, "overall: 100.0%") {
		t.Errorf("stdout lacks the overall 100.0%%:\n%s", out)
	}

	write("doc.yaml", coverageAnnotation+`
waivers:
  - quote: Gunmen attacked the shop.
    reason: not in the text
`)
	if code, _, errs = kg("coverage", dir); code != ExitInvalid || !strings.Contains(errs, "quote not found") {
		t.Errorf("invalid data: exit %d, stderr %q; want %d and the check diagnostics", code, errs, ExitInvalid)
	}

	if code, _, _ = kg("coverage", dir, "--fail-under", "101"); code != ExitUsage {
		t.Errorf("--fail-under 101: exit %d, want %d", code, ExitUsage)
	}
}
