// Package neo4jtest gives tests a real Neo4j 5.26 server to talk to; there is
// no mock.
//
// A package that tests against Neo4j calls Main from its TestMain and Get at
// the top of each test that needs the database:
//
//	func TestMain(m *testing.M) { os.Exit(neo4jtest.Main(m)) }
//
//	func TestSomething(t *testing.T) {
//		s := neo4jtest.Get(t)
//		neo4jtest.Reset(t, s) // only if the test wants an empty database
//		d := neo4jtest.Driver(t, s)
//		...
//	}
//
// Where the server comes from:
//
//   - NEO4J_URI set: that server, with NEO4J_USERNAME (default neo4j),
//     NEO4J_PASSWORD and NEO4J_DATABASE (default neo4j). Tests may write to it
//     and Reset empties it, so a database that already holds data is used
//     only with KG_TEST_WIPE=1 (a shell that loaded .env for kg must not
//     lose its graph to go test).
//   - Otherwise a real in-process Neo4j community server from Maven Central
//     (org.neo4j.test:neo4j-harness, see tools/neo4j-harness), which needs a
//     JDK 17+ and Maven. It is built with mvn when its target/ is missing or
//     older than its sources, started the first time a test calls Get, and
//     stopped when the tests are done. It listens on 127.0.0.1 only, with
//     authentication on: user neo4j and a password made up for each run.
//     NEO4JTEST_JAVA_OPTS adds JVM flags (default heap 1 GiB, page cache
//     256 MiB).
//
// When no server can be had, Get skips the test with a one-line hint, except
// with CI=true, where it fails the test instead.
//
// Imported starts a second, private harness server for one test, on the store
// that Neo4j's import tool (neo4j-admin database import full) writes.
//
// Each test binary (one per Go package) gets its own server; the tests of a
// package share it, so tests that write should not call t.Parallel.
package neo4jtest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Server says how to reach a Neo4j server.
type Server struct {
	URI      string // e.g. bolt://127.0.0.1:40123
	Username string
	Password string
	Database string // the database to use, e.g. "neo4j"
}

const (
	harnessDir   = "tools/neo4j-harness"
	harnessJar   = "target/kg-neo4j-harness.jar"
	harnessDeps  = "target/dependency"
	launcher     = "com.github.kgraph.kg.neo4jharness.Launcher"
	buildTimeout = 10 * time.Minute // the first build downloads ~150 MB of jars
	readyTimeout = 180 * time.Second
	stopTimeout  = 60 * time.Second

	howToEnable = "to run them install a JDK 17+ and Maven (mvn), " +
		"or start Neo4j (docker compose up -d) and set NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD"
)

var state struct {
	mu       sync.Mutex
	tried    bool
	server   Server
	err      error         // why there is no server
	source   string        // "harness" or "NEO4J_URI"
	version  string        // e.g. "5.26.30 community"
	took     time.Duration // to get the server ready
	built    time.Duration // of which building the harness with mvn
	proc     *harness
	ran      map[string]bool // tests that got the server
	notRan   map[string]bool // tests that were skipped or failed for want of one
	mainUsed bool
}

// Main runs the package's tests with one shared server; call it from
// TestMain: os.Exit(neo4jtest.Main(m)). The server is started lazily by the
// first Get and stopped when the tests are done. If any test asked for a
// server, Main prints one line saying how many tests ran against which server.
func Main(m *testing.M) int {
	state.mu.Lock()
	state.mainUsed = true
	state.mu.Unlock()

	code := m.Run()

	state.mu.Lock()
	defer state.mu.Unlock()
	if state.proc != nil {
		if err := state.proc.stop(); err != nil {
			fmt.Fprintf(os.Stderr, "neo4j: stopping the harness: %v\n", err)
		}
		state.proc = nil
	}
	if !state.tried {
		return code
	}
	line := summary()
	fmt.Print(line)
	// go test ./... hides the output of packages that pass; a tally file
	// lets CI print every package's line anyway.
	if path := os.Getenv(TallyEnv); path != "" {
		if f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			fmt.Fprintf(f, "%s: %s", pkgName(), line)
			f.Close()
		}
	}
	return code
}

// TallyEnv names a file to which Main appends its summary line.
const TallyEnv = "KG_NEO4J_TALLY"

func pkgName() string {
	wd, _ := os.Getwd()
	if root, err := repoRoot(); err == nil {
		if rel, err := filepath.Rel(root, wd); err == nil {
			return rel
		}
	}
	return wd
}

// summary says how many tests ran against which server; state.mu is held.
func summary() string {
	if state.err == nil {
		build := ""
		if state.built > 0 {
			build = fmt.Sprintf(" incl. %.1fs mvn build", state.built.Seconds())
		}
		return fmt.Sprintf("neo4j: %d tests ran against a real Neo4j %s (%s, %s, ready in %.1fs%s)\n",
			len(state.ran), state.version, state.source, state.server.URI, state.took.Seconds(), build)
	}
	verb := "skipped"
	if inCI() {
		verb = "failed"
	}
	return fmt.Sprintf("neo4j: 0 tests ran against Neo4j, %d %s: %s\n", len(state.notRan), verb, firstLine(state.err))
}

// Get returns the shared server for t. When there is none it skips t, or
// fails it when CI=true.
func Get(t testing.TB) Server {
	t.Helper()
	state.mu.Lock()
	if !state.tried {
		state.tried = true
		start := time.Now()
		state.server, state.source, state.version, state.proc, state.err = acquire()
		state.took = time.Since(start)
		if state.proc != nil {
			state.built = state.proc.buildTook
		}
	}
	s, err := state.server, state.err
	detailed := false // the first failure shows the whole error, the others its first line
	if err == nil {
		state.ran[t.Name()] = true
	} else {
		detailed = len(state.notRan) == 0
		state.notRan[t.Name()] = true
	}
	state.mu.Unlock()

	if err != nil {
		if inCI() {
			if detailed {
				t.Fatalf("neo4j: no server and CI=true, so this is a failure: %v", err)
			}
			t.Fatalf("neo4j: no server and CI=true, so this is a failure: %s (details above)", firstLine(err))
		}
		hint := howToEnable
		if os.Getenv("NEO4J_URI") != "" {
			hint = "start that server, or unset NEO4J_URI to have the tests start one (needs a JDK 17+ and Maven)"
		}
		t.Skipf("neo4j: skipped, %s; %s", firstLine(err), hint)
	}
	return s
}

func init() {
	state.ran = map[string]bool{}
	state.notRan = map[string]bool{}
}

// Driver opens a driver to s, verifies connectivity, and closes it at
// t.Cleanup.
func Driver(t testing.TB, s Server) neo4j.DriverWithContext {
	t.Helper()
	d, err := openDriver(s)
	if err != nil {
		t.Fatalf("neo4j: %v", err)
	}
	t.Cleanup(func() { _ = d.Close(context.Background()) })
	return d
}

// Reset empties s's database for a test that wants a clean slate: it deletes
// all nodes and relationships and drops all constraints and indexes (except
// the built-in token lookup indexes).
func Reset(t testing.TB, s Server) {
	t.Helper()
	d, err := openDriver(s)
	if err != nil {
		t.Fatalf("neo4j: reset: %v", err)
	}
	defer d.Close(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	run := func(q string) *neo4j.EagerResult {
		res, err := neo4j.ExecuteQuery(ctx, d, q, nil, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(s.Database))
		if err != nil {
			t.Fatalf("neo4j: reset: %s: %v", q, err)
		}
		return res
	}
	run("MATCH (n) DETACH DELETE n")
	// Constraints first: dropping one drops the index it owns.
	for _, rec := range run("SHOW CONSTRAINTS YIELD name").Records {
		name, _ := rec.Get("name")
		run("DROP CONSTRAINT " + quoteName(fmt.Sprint(name)) + " IF EXISTS")
	}
	for _, rec := range run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name").Records {
		name, _ := rec.Get("name")
		run("DROP INDEX " + quoteName(fmt.Sprint(name)) + " IF EXISTS")
	}
}

func quoteName(s string) string { return "`" + strings.ReplaceAll(s, "`", "``") + "`" }

func openDriver(s Server) (neo4j.DriverWithContext, error) {
	d, err := neo4j.NewDriverWithContext(s.URI, neo4j.BasicAuth(s.Username, s.Password, ""))
	if err != nil {
		return nil, fmt.Errorf("driver for %s: %w", s.URI, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := d.VerifyConnectivity(ctx); err != nil {
		_ = d.Close(context.Background())
		return nil, fmt.Errorf("cannot connect to %s as %s: %w", s.URI, s.Username, err)
	}
	return d, nil
}

// serverVersion returns e.g. "5.26.30 community" from CALL dbms.components().
func serverVersion(s Server) (string, error) {
	d, err := openDriver(s)
	if err != nil {
		return "", err
	}
	defer d.Close(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := neo4j.ExecuteQuery(ctx, d,
		"CALL dbms.components() YIELD name, versions, edition WHERE name = 'Neo4j Kernel' "+
			"RETURN versions[0] AS version, edition", nil,
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(s.Database))
	if err != nil {
		return "", fmt.Errorf("CALL dbms.components() on %s: %w", s.URI, err)
	}
	if len(res.Records) == 0 {
		return "", fmt.Errorf("CALL dbms.components() on %s: no Neo4j Kernel row", s.URI)
	}
	v, _ := res.Records[0].Get("version")
	e, _ := res.Records[0].Get("edition")
	return fmt.Sprintf("%v %v", v, e), nil
}

// WipeEnv names the variable that lets tests empty a NEO4J_URI database
// that already holds data.
const WipeEnv = "KG_TEST_WIPE"

// refuseToWipe protects a user's graph: a shell that loaded .env for kg has
// NEO4J_URI set, and tests empty the database they use. A server of the
// user's own is used only when its database is empty or WipeEnv=1.
func refuseToWipe(s Server) error {
	if ok, _ := strconv.ParseBool(os.Getenv(WipeEnv)); ok {
		return nil
	}
	d, err := openDriver(s)
	if err != nil {
		return err
	}
	defer d.Close(context.Background())
	res, err := neo4j.ExecuteQuery(context.Background(), d, "MATCH (n) RETURN count(n) AS n", nil,
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(s.Database))
	if err != nil {
		return fmt.Errorf("NEO4J_URI=%s: count nodes: %w", s.URI, err)
	}
	if n, _ := res.Records[0].Values[0].(int64); n > 0 {
		return fmt.Errorf("NEO4J_URI=%s database %q holds %d nodes, and the tests empty the database they use; "+
			"point NEO4J_URI at an empty scratch database, unset it to let the tests start their own server, "+
			"or set %s=1 to let them wipe this one", s.URI, s.Database, n, WipeEnv)
	}
	return nil
}

func inCI() bool {
	ci, _ := strconv.ParseBool(os.Getenv("CI"))
	return ci
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// acquire finds or starts the server. Called once, with state.mu held.
func acquire() (s Server, source, version string, h *harness, err error) {
	if uri := os.Getenv("NEO4J_URI"); uri != "" {
		s = Server{
			URI:      uri,
			Username: envOr("NEO4J_USERNAME", "neo4j"),
			Password: os.Getenv("NEO4J_PASSWORD"),
			Database: envOr("NEO4J_DATABASE", "neo4j"),
		}
		version, err = serverVersion(s)
		if err != nil {
			return Server{}, "", "", nil, fmt.Errorf("NEO4J_URI=%s: %w", uri, err)
		}
		if err := refuseToWipe(s); err != nil {
			return Server{}, "", "", nil, err
		}
		return s, "NEO4J_URI", version, nil, nil
	}

	h, err = startHarness(nil)
	if err != nil {
		return Server{}, "", "", nil, err
	}
	s = h.server
	version, err = serverVersion(s)
	if err != nil {
		_ = h.stop()
		return Server{}, "", "", nil, fmt.Errorf("harness at %s: %w", s.URI, err)
	}
	if !state.mainUsed {
		fmt.Fprintln(os.Stderr, "neo4j: Get without neo4jtest.Main in TestMain: the harness stops only when the test binary exits")
	}
	return s, "harness", version, h, nil
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// harness is a running tools/neo4j-harness Launcher.
type harness struct {
	server  Server
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	exited  chan struct{} // closed when the process has exited
	waitErr error         // valid after exited is closed
	logPath string        // the JVM's stderr
	dataDir string
	unlock  func() // releases the shared lock on the harness build

	buildTook time.Duration // time spent building it with mvn, if it was built
}

// launchFailed is an error of the harness JVM itself, once Java and the
// harness were there.
type launchFailed struct{ error }

// startHarness builds and starts a harness; with importArgs, on the database
// `neo4j-admin database import full importArgs...` writes.
func startHarness(importArgs []string) (*harness, error) {
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(root, filepath.FromSlash(harnessDir))
	if _, err := os.Stat(filepath.Join(dir, "pom.xml")); err != nil {
		return nil, fmt.Errorf("no harness: %w", err)
	}
	java, err := javaPath()
	if err != nil {
		return nil, err
	}
	unlock, buildTook, err := ensureBuilt(dir)
	if err != nil {
		return nil, err
	}
	h, err := launch(java, dir, importArgs)
	if err != nil {
		unlock()
		return nil, launchFailed{err}
	}
	h.unlock, h.buildTook = unlock, buildTook
	return h, nil
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory, cannot find " + harnessDir)
		}
		dir = parent
	}
}

func javaPath() (string, error) {
	if home := os.Getenv("JAVA_HOME"); home != "" {
		p := filepath.Join(home, "bin", "java")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	p, err := exec.LookPath("java")
	if err != nil {
		return "", errors.New("no NEO4J_URI and no java on PATH")
	}
	return p, nil
}

// ensureBuilt builds the harness with mvn unless its jar is newer than its
// sources. It returns holding a shared lock, so that no other test binary
// rebuilds (and so deletes) the jars while this one runs them.
func ensureBuilt(dir string) (unlock func(), took time.Duration, err error) {
	lockPath := filepath.Join(os.TempDir(), "kg-neo4j-harness-"+shortHash(dir)+".lock")
	built := false
	for {
		unlock, err := lockFile(lockPath, false)
		if err != nil {
			return nil, took, err
		}
		if built || fresh(dir) {
			return unlock, took, nil
		}
		unlock()

		unlockEx, err := lockFile(lockPath, true)
		if err != nil {
			return nil, took, err
		}
		if !fresh(dir) {
			start := time.Now()
			err = build(dir)
			took = time.Since(start)
		}
		unlockEx()
		if err != nil {
			return nil, took, err
		}
		built = true
	}
}

func shortHash(s string) string {
	var h uint64 = 14695981039346656037 // FNV-1a
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	return strconv.FormatUint(h, 36)
}

// fresh reports whether the harness jar and its dependencies exist and the jar
// is newer than pom.xml and everything under src/.
func fresh(dir string) bool {
	jar, err := os.Stat(filepath.Join(dir, filepath.FromSlash(harnessJar)))
	if err != nil {
		return false
	}
	if st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(harnessDeps))); err != nil || !st.IsDir() {
		return false
	}
	newest := time.Time{}
	note := func(p string) {
		if st, err := os.Stat(p); err == nil && st.ModTime().After(newest) {
			newest = st.ModTime()
		}
	}
	note(filepath.Join(dir, "pom.xml"))
	_ = filepath.WalkDir(filepath.Join(dir, "src"), func(p string, d fs.DirEntry, err error) error {
		if err == nil {
			note(p)
		}
		return nil
	})
	return !jar.ModTime().Before(newest)
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

func build(dir string) error {
	mvn, err := exec.LookPath("mvn")
	if err != nil {
		return errors.New("no NEO4J_URI, and no mvn on PATH to build " + harnessDir)
	}
	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, mvn, "-q", "-B", "-f", filepath.Join(dir, "pom.xml"), "clean", "package")
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("building %s with mvn failed after %s: %v\n%s", harnessDir,
			time.Since(start).Round(time.Second), err, tail(ansi.ReplaceAllString(out.String(), ""), 40))
	}
	return nil
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func randomPassword() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "kg-test-" + hex.EncodeToString(b)
}

func launch(java, dir string, importArgs []string) (_ *harness, err error) {
	h := &harness{exited: make(chan struct{})}
	h.dataDir, err = os.MkdirTemp("", "kg-neo4j-data-")
	if err != nil {
		return nil, err
	}
	logFile, err := os.CreateTemp("", "kg-neo4j-harness-*.log")
	if err != nil {
		os.RemoveAll(h.dataDir)
		return nil, err
	}
	h.logPath = logFile.Name()
	defer logFile.Close() // the child has its own copy
	defer func() {
		if err != nil {
			os.RemoveAll(h.dataDir)
		}
	}()

	password := randomPassword()
	sep := string(os.PathListSeparator)
	cp := filepath.Join(dir, filepath.FromSlash(harnessJar)) + sep + filepath.Join(dir, filepath.FromSlash(harnessDeps), "*")
	// C1 only (TieredStopAtLevel=1) starts Neo4j about a third faster on two
	// cores; NEO4JTEST_JAVA_OPTS can add or override flags.
	args := []string{"-Xms256m", "-Xmx1g", "-XX:+UseG1GC", "-XX:TieredStopAtLevel=1", "-XX:-OmitStackTraceInFastThrow"}
	args = append(args, strings.Fields(os.Getenv("NEO4JTEST_JAVA_OPTS"))...)
	args = append(args, "-cp", cp, launcher,
		"--host=127.0.0.1", "--port=0", "--pagecache=256m", "--dir="+h.dataDir)
	if importArgs != nil {
		args = append(append(args, "--"), importArgs...)
	}
	h.cmd = exec.Command(java, args...)
	h.cmd.Dir = h.dataDir
	// The password goes through the environment, not the command line (ps).
	h.cmd.Env = append(os.Environ(), "KG_NEO4J_PASSWORD="+password)
	h.cmd.Stderr = logFile
	h.cmd.SysProcAttr = sysProcAttr()
	// Our own pipe rather than StdoutPipe, so that Wait does not close it
	// before a FAILED line has been read.
	stdoutR, stdoutW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer stdoutW.Close()
	h.cmd.Stdout = stdoutW
	if h.stdin, err = h.cmd.StdinPipe(); err != nil {
		stdoutR.Close()
		return nil, err
	}

	// On Linux the child gets SIGTERM when the OS thread that started it
	// exits (Pdeathsig), so start it from a goroutine that keeps its thread
	// locked until the child has exited.
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if err := h.cmd.Start(); err != nil {
			started <- err
			return // exits the locked thread; there is no child
		}
		started <- nil
		h.waitErr = h.cmd.Wait()
		close(h.exited)
		runtime.UnlockOSThread()
	}()
	if err := <-started; err != nil {
		stdoutR.Close()
		return nil, fmt.Errorf("starting %s: %w", java, err)
	}
	stdoutW.Close()

	// The launcher prints one READY or FAILED line; anything else is ignored.
	lines := make(chan string, 1)
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		defer stdoutR.Close()
		sc := bufio.NewScanner(stdoutR)
		for sc.Scan() {
			if line := sc.Text(); strings.HasPrefix(line, "READY ") || strings.HasPrefix(line, "FAILED ") {
				lines <- line
				break
			}
		}
		_, _ = io.Copy(io.Discard, stdoutR)
	}()

	fail := func(format string, args ...any) error {
		_ = h.kill()
		log, _ := os.ReadFile(h.logPath)
		return fmt.Errorf("neo4j harness: %s (JVM log %s)\n%s", fmt.Sprintf(format, args...), h.logPath, tail(string(log), 30))
	}
	timer := time.NewTimer(readyTimeout)
	defer timer.Stop()
	for {
		select {
		case line := <-lines:
			if uri, ok := strings.CutPrefix(line, "READY "); ok {
				h.server = Server{URI: strings.TrimSpace(uri), Username: "neo4j", Password: password, Database: "neo4j"}
				return h, nil
			}
			if msg, ok := strings.CutPrefix(line, "FAILED "); ok {
				return nil, fail("failed to start: %s", msg)
			}
		case <-h.exited:
			<-readerDone
			select {
			case line := <-lines:
				if msg, ok := strings.CutPrefix(line, "FAILED "); ok {
					return nil, fail("failed to start: %s", msg)
				}
			default:
			}
			return nil, fail("exited before it was ready: %v", h.waitErr)
		case <-timer.C:
			return nil, fail("not ready after %s", readyTimeout)
		}
	}
}

// stop asks the harness to shut down by closing its stdin, and kills it if
// it does not exit in time. It removes the data directory, and the JVM log if
// all went well.
func (h *harness) stop() error {
	defer func() {
		if h.unlock != nil {
			h.unlock()
			h.unlock = nil
		}
	}()
	_ = h.stdin.Close()
	var err error
	select {
	case <-h.exited:
		if h.waitErr != nil {
			err = fmt.Errorf("harness exited with %v, see %s", h.waitErr, h.logPath)
		}
	case <-time.After(stopTimeout):
		err = fmt.Errorf("harness did not stop within %s, killed it; see %s", stopTimeout, h.logPath)
		_ = h.kill()
	}
	os.RemoveAll(h.dataDir)
	if err == nil {
		os.Remove(h.logPath)
	}
	return err
}

// kill terminates the harness: SIGTERM (which still runs its shutdown hook),
// then SIGKILL.
func (h *harness) kill() error {
	signalGroup(h.cmd.Process, false)
	select {
	case <-h.exited:
	case <-time.After(20 * time.Second):
		signalGroup(h.cmd.Process, true)
		<-h.exited
	}
	os.RemoveAll(h.dataDir)
	return nil
}
