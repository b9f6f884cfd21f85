package report

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kgraph/kg/internal/kgtest"
)

// Chromium is where Debian's chromium package installs the browser.
const Chromium = "/usr/bin/chromium"

// browserOut keeps the browser test's artifacts, so a person can look at
// them after a run; testdata/.gitignore keeps them out of git.
var browserOut = filepath.Join("testdata", "out")

// chromium runs headless Chromium on url with extra flags and returns what
// it prints on stdout.
func chromium(t *testing.T, url string, flags ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir()}, flags...)
	cmd := exec.CommandContext(ctx, Chromium, append(args, url)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(flags, " "), err, stderr.String())
	}
	return stdout.Bytes()
}

// TestBrowser opens the seed report in headless Chromium: the DOM it
// renders must hold the tables and pictures, and its screenshot (kept at
// testdata/out/report.png) must be a picture, not a blank page.
func TestBrowser(t *testing.T) {
	if _, err := os.Stat(Chromium); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing; install Debian's chromium package", Chromium)
		}
		t.Skipf("%s is missing (apt-get install chromium); skipping the browser test", Chromium)
	}
	r, err := New(kgtest.Seeds(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := filepath.Abs(browserOut)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Write(out, HTML); err != nil {
		t.Fatal(err)
	}
	url := "file://" + filepath.ToSlash(filepath.Join(out, HTMLFile))

	dom := string(chromium(t, url, "--dump-dom"))
	for _, want := range []string{`<section id="blamed">`, "<table>", "<svg", `id="event-tehran-2017"`,
		"Iran's powerful Revolutionary Guards accused Saudi Arabia"} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered DOM lacks %s", want)
		}
	}
	if n := strings.Count(dom, "<svg"); n != len(r.Pictures()) {
		t.Errorf("rendered DOM has %d svg, want %d", n, len(r.Pictures()))
	}

	shot := filepath.Join(out, "report.png")
	_ = os.Remove(shot)
	chromium(t, url, "--screenshot="+shot, "--window-size=1280,2000", "--hide-scrollbars")
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	b := img.Bounds()
	if b.Dx() != 1280 || b.Dy() != 2000 {
		t.Errorf("screenshot is %dx%d, want 1280x2000", b.Dx(), b.Dy())
	}
	colours := map[uint32]bool{}
	for y := b.Min.Y; y < b.Max.Y && len(colours) < 16; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[r>>8<<16|g>>8<<8|bl>>8] = true
		}
	}
	if len(colours) < 16 {
		t.Errorf("screenshot has %d colours: blank page?", len(colours))
	}
	t.Logf("screenshot: %s", shot)
}
