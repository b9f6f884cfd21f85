package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/neo4jstore"
)

type loadOptions struct {
	paths     []string
	neo4j     neo4jFlags
	batchSize int
	dryRun    bool
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
  - what was removed from the YAML is removed from Neo4j (prune);
  - it is one transaction: a load that fails leaves the database as the
    previous load left it;
  - it only ever reads, changes or deletes nodes labelled KgNode and the
    relationships with a kgId between them, never anything else.

Connection settings come from flags or NEO4J_URI, NEO4J_USERNAME,
NEO4J_PASSWORD and NEO4J_DATABASE. With docker compose up -d, set
NEO4J_PASSWORD as in .env.

` + exitCodesHelp,
		Example: `  docker compose up -d && export NEO4J_PASSWORD=...   # see .env.example
  kg load
  kg load --dry-run
  kg load corpus/ --batch-size 5000 --json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.paths = args
			return a.load(cmd.Context(), opts)
		},
	}
	opts.neo4j.register(cmd.Flags())
	cmd.Flags().IntVar(&opts.batchSize, "batch-size", neo4jstore.DefaultBatchSize, "rows sent per statement")
	cmd.Flags().BoolVar(&opts.dryRun, "dry-run", false, "print what would be created, updated and deleted, and write nothing")
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
	RowsSent int     `json:"rowsSent"`
	Seconds  float64 `json:"seconds"`
}

func (a *app) load(ctx context.Context, opts *loadOptions) error {
	if opts.batchSize < 1 {
		return usageErrorf("--batch-size must be at least 1")
	}
	if ctx == nil {
		ctx = context.Background()
	}
	start := time.Now()
	g, err := a.open(opts.paths)
	if err != nil {
		return err
	}
	s, err := a.openStore(ctx, &opts.neo4j)
	if err != nil {
		return err
	}
	defer s.Close(ctx)
	lo := graph.LoadOptions{BatchSize: opts.batchSize, DryRun: opts.dryRun}
	var bar *progressbar.ProgressBar
	if f, ok := a.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) && !opts.dryRun {
		lo.Progress = func(done, total int) {
			if bar == nil {
				bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(a.stderr),
					progressbar.OptionSetDescription("loading"), progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
			}
			_ = bar.Set(done)
		}
	}
	st, err := s.Load(ctx, g, lo)
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		return neo4jError(err)
	}
	sum := summarise(st, opts.dryRun, time.Since(start))
	if opts.json {
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
	case !s.Changed:
		return fmt.Sprintf("no changes: Neo4j already holds this data (%s)", took)
	}
	return fmt.Sprintf("loaded: %s in %s%s", counts, took, kept)
}
