package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/loadcache"
	"github.com/kgraph/kg/internal/neo4jstore"
	"github.com/kgraph/kg/internal/yamlfile"
	"github.com/kgraph/kg/schema"
)

type loadOptions struct {
	paths     []string
	neo4j     neo4jFlags
	batchSize int
	dryRun    bool
	full      bool
	json      bool
}

func (a *app) loadCmd() *cobra.Command {
	opts := &loadOptions{}
	cmd := &cobra.Command{
		Use:   "load [PATH...]",
		Short: "Load the annotations into Neo4j (idempotent, atomic, touching only what kg wrote)",
		Long: `Load checks the annotations under PATH (default seeds/) exactly as kg check does,
refusing invalid data, then makes Neo4j hold the graph they describe:

  - constraints and indexes are created if missing (derived from the ontology);
  - only what changed is written: loading the same data twice changes nothing
    the second time, and says so;
  - only what changed is read: kg remembers each file's size and modification
    time from the last load (in KG_CACHE_DIR, default the user cache folder),
    and its folders' times, so it lists the folders again only when a file was
    added, removed or renamed; it re-reads only the files that changed, and
    reads back from Neo4j only their rows. (On a file system that does not
    update a folder's time when a file is added to it, a few network ones,
    use --full after adding files.) When a change could affect other files
    (an id removed, problems found) or Neo4j took another load since, it
    loads in full. --full always does: it reads everything and compares
    every stored row, which also repairs kg's data edited by hand in Neo4j;
  - what was removed from the YAML is removed from Neo4j (prune);
  - a load that fails leaves the database as the previous load left it: it
    is one transaction. A full load reads, checks and sends the files as it
    goes, so memory holds neither the corpus nor its graph; if the check
    then finds problems, everything sent is rolled back. The first load,
    into a database without kg's data, commits each batch as it goes (much
    less work for Neo4j) and, if it fails or is interrupted (Ctrl-C),
    deletes what it wrote; if kg is killed midway (or interrupted twice),
    the next load completes what it left, and until then kg ask and kg
    report --from neo4j warn that answers may miss data;
  - it only ever reads, changes or deletes nodes labelled KgNode, the
    relationships with a kgId between them and its KgLoad nodes (records
    of the last load and of a first load not yet complete), never
    anything else.

Connection settings come from flags or NEO4J_URI, NEO4J_USERNAME,
NEO4J_PASSWORD and NEO4J_DATABASE. With docker compose up -d, set
NEO4J_PASSWORD as in .env.

Memory: kg trades memory for speed while it reads (at a million relations,
a peak of about 0.6 GiB, some five times what it keeps live, under 150 MB).
GOMEMLIMIT=640MiB held a peak of 1.2 GiB near 640 MiB for 7% more CPU;
set such a limit well above the live heap, which does not grow with the
relations or the entities but does, slowly, with the files (a name, about
0.05 KB, each). Past 16,384 ids, kg keeps them in scratch files in
TMPDIR, gone when it exits. GOGC=100 cuts the peak at any size, for about
a sixth more CPU (BENCHMARKS.md).

` + exitCodesHelp,
		Example: `  docker compose up -d && export NEO4J_PASSWORD=...   # see .env.example
  GOMEMLIMIT=640MiB kg load corpus/   # a smaller peak of memory, a little more CPU
  kg load
  kg load --dry-run
  kg load --full
  kg load corpus/ --batch-size 5000 --json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.paths = args
			ctx, stop := a.interruptible(cmd.Context())
			defer stop()
			return a.load(ctx, opts)
		},
	}
	opts.neo4j.register(cmd.Flags())
	cmd.Flags().IntVar(&opts.batchSize, "batch-size", neo4jstore.DefaultBatchSize, "rows sent per statement")
	cmd.Flags().BoolVar(&opts.dryRun, "dry-run", false, "print what would be created, updated and deleted, and write nothing")
	cmd.Flags().BoolVar(&opts.full, "full", false, "read every file and compare every stored row, ignoring what the last load remembers")
	cmd.Flags().BoolVar(&opts.json, "json", false, "print the summary as JSON on stdout")
	return cmd
}

// loadSummary is the --json shape of kg load.
type loadSummary struct {
	DryRun  bool `json:"dryRun"`
	Changed bool `json:"changed"`
	Nodes   struct {
		Created int `json:"created"`
		Updated int `json:"updated"`
		Deleted int `json:"deleted"`
		Kept    int `json:"kept"`
	} `json:"nodes"`
	Relationships struct {
		Created int `json:"created"`
		Updated int `json:"updated"`
		Deleted int `json:"deleted"`
	} `json:"relationships"`
	RowsSent int `json:"rowsSent"`
	// Mode is "full" (every file read, every stored row compared) or
	// "incremental" (only changed files read, only their rows compared).
	Mode string `json:"mode"`
	// Files counts the annotation files; FilesRead those read by this load.
	Files     int     `json:"files"`
	FilesRead int     `json:"filesRead"`
	Seconds   float64 `json:"seconds"`
}

// interruptible returns a context that the first SIGINT (Ctrl-C) or
// SIGTERM ends, so that a load stops cleanly instead of dying: its
// transaction rolls back, and a first load deletes the batches it had
// committed. The signal is then let through, so a second one kills kg at
// once. stop releases the signals.
func (a *app) interruptible(parent context.Context) (ctx context.Context, stop func()) {
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithCancel(parent)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case <-sig:
			signal.Stop(sig)
			fmt.Fprintln(a.stderr, "kg: interrupted: stopping and undoing what this load wrote (interrupt again to quit at once; the next kg load completes what is left)")
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, func() { signal.Stop(sig); cancel() }
}

// load is the work of kg load; an error once ctx is done (an interrupt) is
// reported as the interruption it is.
func (a *app) load(ctx context.Context, opts *loadOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	err := a.loadOnce(ctx, opts)
	if err == nil || ctx.Err() == nil {
		return err
	}
	if errors.Is(err, neo4jstore.ErrPartialLoad) {
		return &exitError{ExitInterrupted, fmt.Errorf("interrupted: %w", err)}
	}
	return &exitError{ExitInterrupted, errors.New("interrupted: nothing was loaded; Neo4j is as the previous load left it")}
}

func (a *app) loadOnce(ctx context.Context, opts *loadOptions) error {
	if opts.batchSize < 1 {
		return usageErrorf("--batch-size must be at least 1")
	}
	if len(opts.paths) == 0 {
		opts.paths = []string{DefaultData}
	}
	start := time.Now()
	o, err := a.ontology()
	if err != nil {
		return err
	}
	reader := &yamlfile.Reader{Ontology: o}
	cache := a.loadCache(reader, o, &opts.neo4j, opts.paths)
	// Connecting to Neo4j waits on the network, and planning works the
	// CPU and the disk: the one overlaps the other. On a one-file reload
	// of a large corpus the plan is most of the time, and a remote
	// server's handshake is not small.
	store := a.openInBackground(ctx, &opts.neo4j)
	defer store.close(ctx)
	var plan *loadcache.Plan
	if cache != nil && !opts.full && !opts.dryRun {
		if plan, err = cache.Plan(opts.paths); err != nil {
			return err
		}
	}
	if plan != nil && plan.Delta != nil {
		done, err := a.loadDelta(ctx, opts, store, plan, start)
		if done || err != nil {
			return err
		}
		// Neo4j took another load since the cached one: load in full.
	}
	return a.loadFull(ctx, opts, store, reader, o, cache, start)
}

// opening is a connection to Neo4j being opened in the background.
type opening struct {
	done chan struct{}
	s    *neo4jstore.Store
	err  error
}

func (a *app) openInBackground(ctx context.Context, f *neo4jFlags) *opening {
	o := &opening{done: make(chan struct{})}
	go func() {
		defer close(o.done)
		o.s, o.err = a.openStore(ctx, f)
	}()
	return o
}

// store waits for the connection.
func (o *opening) store() (*neo4jstore.Store, error) {
	<-o.done
	return o.s, o.err
}

func (o *opening) close(ctx context.Context) {
	if s, err := o.store(); err == nil {
		s.Close(ctx)
	}
}

// loadDelta sends Neo4j the changes of the files plan found changed. It
// reports done=false, and no error, when Neo4j no longer holds the load the
// plan was made against, so the caller loads in full.
func (a *app) loadDelta(ctx context.Context, opts *loadOptions, store *opening, plan *loadcache.Plan, start time.Time) (done bool, err error) {
	s, err := store.store()
	if err != nil {
		return false, err
	}
	// The cache's next content is made while Neo4j works, and saved once
	// it has taken the delta.
	next := prepare(plan.Prepare)
	st, err := s.LoadDelta(ctx, plan.Delta, a.loadOptions(opts))
	if errors.Is(err, graph.ErrStale) {
		<-next // the full load that follows plans afresh
		return false, nil
	}
	if err != nil {
		return false, neo4jError(err)
	}
	a.commitCache(<-next, st.Generation)
	sum := summarise(st, false, time.Since(start))
	sum.Mode, sum.Files, sum.FilesRead = "incremental", plan.Files, plan.Changed
	return true, a.printLoad(sum, opts.json)
}

// loadFull reads and checks every file, loads the whole graph and, unless
// this is a dry run, remembers the load in cache (when there is one). The
// files are read, checked and sent a chunk at a time (graph.Stream), so
// memory holds neither the corpus nor its graph; invalid data is still
// never kept, and its problems are reported as kg check reports them,
// before any error of Neo4j's.
func (a *app) loadFull(ctx context.Context, opts *loadOptions, store *opening, reader *yamlfile.Reader, o *graph.Ontology, cache *loadcache.Cache, start time.Time) error {
	// One listing serves the cache, the reading and the check: a corpus
	// of many small files would otherwise hold each name several times.
	l, err := reader.List(opts.paths...)
	if err != nil {
		return err
	}
	// The record of the load for the next one is made as the parts go by,
	// and saved once Neo4j has taken the load.
	var rec *loadcache.Recorder
	var each func(graph.Part)
	if cache != nil && !opts.dryRun {
		rec = cache.Record(l, start)
		defer rec.Close()
		each = rec.Add
	}
	feed := graph.Stream(ctx, reader, o, each, l)
	// fed is why the feed failed, once every file is read: the corpus's
	// problems are printed, and are the error.
	fed := func() error {
		if ctx.Err() != nil {
			// Interrupted: the feed reads no more files, and stops soon
			// after; it must be stopped before the record it feeds is
			// closed (the deferred rec.Close).
			_ = feed.Drain()
			return nil
		}
		err := feed.Drain()
		var ds graph.Diagnostics
		if errors.As(err, &ds) {
			a.printDiagnostics(ds)
			return errInvalid
		}
		return err
	}
	s, err := store.store()
	if err != nil {
		if ferr := fed(); ferr != nil {
			return ferr
		}
		return err
	}
	st, err := s.LoadFeed(ctx, feed, a.loadOptions(opts))
	if ferr := fed(); ferr != nil {
		return ferr
	}
	if err != nil {
		return neo4jError(err)
	}
	if rec != nil {
		next, err := rec.Pending()
		a.commitCache(prepared{next, err}, st.Generation)
	}
	sum := summarise(st, opts.dryRun, time.Since(start))
	sum.Mode, sum.Files, sum.FilesRead = "full", len(l.Files), len(l.Files)
	return a.printLoad(sum, opts.json)
}

// prepared is the cache's next content, or why there is none.
type prepared struct {
	next *loadcache.Pending
	err  error
}

// prepare runs f, which makes the cache's next content, in the background.
func prepare(f func() (*loadcache.Pending, error)) chan prepared {
	c := make(chan prepared, 1)
	go func() {
		next, err := f()
		c <- prepared{next, err}
	}()
	return c
}

// commitCache saves what kg remembers of a load Neo4j took as generation.
// Failing to is not the load's failure: the next load is full instead.
func (a *app) commitCache(p prepared, generation string) {
	err := p.err
	if err == nil {
		err = p.next.Commit(generation)
	}
	if err != nil {
		fmt.Fprintf(a.stderr, "kg: warning: %v; the next load will be full\n", err)
	}
}

// loadOptions turns the flags into the store's options, with a progress
// bar when stderr is a terminal.
func (a *app) loadOptions(opts *loadOptions) graph.LoadOptions {
	lo := graph.LoadOptions{BatchSize: opts.batchSize, DryRun: opts.dryRun}
	f, ok := a.stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || opts.dryRun {
		return lo
	}
	var bar *progressbar.ProgressBar
	lo.Progress = func(done, total int) {
		if bar == nil {
			bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(a.stderr),
				progressbar.OptionSetDescription("loading"), progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
		}
		if int64(total) != bar.GetMax64() { // a full load learns its relationships after its nodes
			bar.ChangeMax(total)
		}
		_ = bar.Set(done)
		if done == total {
			_ = bar.Finish()
		}
	}
	return lo
}

// loadCache is what kg remembers of loads of paths into this Neo4j
// database, or nil when there is nowhere to keep it.
func (a *app) loadCache(r *yamlfile.Reader, o *graph.Ontology, f *neo4jFlags, paths []string) *loadcache.Cache {
	dir := a.getenv("KG_CACHE_DIR")
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return nil
		}
		dir = filepath.Join(base, "kg")
	}
	cfg := a.neo4jConfig(f)
	cwd, _ := os.Getwd()
	sum := sha256.Sum256(schema.Ontology)
	key := strings.Join(append([]string{cfg.URI, cfg.Database, cwd, hex.EncodeToString(sum[:])}, paths...), "\x00")
	return &loadcache.Cache{Dir: dir, Reader: r, Ontology: o, Key: key}
}

func (a *app) printLoad(sum loadSummary, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(sum)
	}
	fmt.Fprintln(a.stdout, describeLoad(sum))
	return nil
}

func summarise(st graph.LoadStats, dryRun bool, took time.Duration) loadSummary {
	var s loadSummary
	s.DryRun, s.Changed = dryRun, st.Changes() > 0
	s.Nodes.Created, s.Nodes.Updated, s.Nodes.Deleted, s.Nodes.Kept = st.NodesCreated, st.NodesUpdated, st.NodesDeleted, st.NodesKept
	s.Relationships.Created, s.Relationships.Updated, s.Relationships.Deleted = st.RelsCreated, st.RelsUpdated, st.RelsDeleted
	s.RowsSent, s.Seconds = st.RowsSent, took.Seconds()
	return s
}

func describeLoad(s loadSummary) string {
	took := time.Duration(s.Seconds * float64(time.Second)).Round(time.Millisecond)
	counts := fmt.Sprintf("nodes %d created, %d updated, %d deleted; relationships %d created, %d updated, %d deleted",
		s.Nodes.Created, s.Nodes.Updated, s.Nodes.Deleted, s.Relationships.Created, s.Relationships.Updated, s.Relationships.Deleted)
	kept := ""
	if s.Nodes.Kept > 0 {
		kept = fmt.Sprintf(" (%d node(s) no longer in the data kept: data kg did not write points at them)", s.Nodes.Kept)
	}
	switch {
	case s.DryRun && !s.Changed:
		return "dry run: no changes; Neo4j already holds this data"
	case s.DryRun:
		return "dry run: would change " + counts + "; nothing written"
	}
	read := fmt.Sprintf("read all %d files", s.Files)
	if s.Mode == "incremental" {
		read = fmt.Sprintf("read %d of %d files: the others are unchanged since the last load", s.FilesRead, s.Files)
	}
	if !s.Changed {
		return fmt.Sprintf("no changes: Neo4j already holds this data (%s; %s)", took, read)
	}
	return fmt.Sprintf("loaded: %s in %s (%s)%s", counts, took, read, kept)
}
