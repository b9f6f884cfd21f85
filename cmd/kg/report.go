package main

import (
	"context"
	"fmt"
	"os/exec"

	"github.com/spf13/cobra"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/report"
)

type reportOptions struct {
	paths  []string
	out    string
	format string
	layout string
	title  string
	from   string
	neo4j  neo4jFlags
	ctx    context.Context
}

func (a *app) reportCmd() *cobra.Command {
	opts := &reportOptions{}
	cmd := &cobra.Command{
		Use:   "report [PATH...]",
		Short: "Write an HTML and Markdown report of the graph, with evidence and pictures",
		Long: `Report reads the annotations under PATH (default: seeds/), checks them, and
writes a report of the graph to the folder --out (default: report/):

  report.html   one self-contained page (styles and pictures inline; opens offline)
  report.md     Markdown for GitHub and the like, with its pictures in img/*.svg

A report has an overview (counts and the sources with their publisher, date
and reliability), who blamed whom, who claimed and who condemned what, one
dossier per event (date, place, targets, perpetrators, claims, blame,
condemnation, and every figure each source reports, side by side, never
averaged), one section per actor, and a timeline. Every row carries its
document and verbatim quote.

Pictures are drawn with Graphviz (dot) when it is installed, otherwise with
a built-in layout; --layout picks one. See docs/reports.md.

Invalid annotations are reported as by kg check and no report is written.`,
		Example: `  kg report
  kg report --format html --out /tmp/r && xdg-open /tmp/r/report.html
  kg report seeds/003_d04f2219ff692592.yaml seeds/entities.yaml --out report-003
  kg report --layout builtin`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.paths, opts.ctx = args, cmd.Context()
			return a.report(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.out, "out", "o", "report", "folder to write the report to (created if missing)")
	cmd.Flags().StringVarP(&opts.format, "format", "f", "both", "html, md or both")
	cmd.Flags().StringVar(&opts.layout, "layout", "auto", "how to draw pictures: auto (graphviz if installed), graphviz or builtin")
	cmd.Flags().StringVar(&opts.title, "title", "", "the report's title (default \"Knowledge graph report\")")
	cmd.Flags().StringVar(&opts.from, "from", "embedded", "the graph to report on: embedded (read the annotations) or neo4j (what kg load wrote)")
	opts.neo4j.register(cmd.Flags())
	return cmd
}

func (a *app) report(opts *reportOptions) error {
	var formats []string
	switch opts.format {
	case "html":
		formats = []string{report.HTML}
	case "md":
		formats = []string{report.Markdown}
	case "both":
		formats = []string{report.HTML, report.Markdown}
	default:
		return usageErrorf("unknown --format %q; one of html, md, both", opts.format)
	}
	var renderer report.Renderer
	switch opts.layout {
	case "auto":
		renderer = report.Auto()
	case "builtin":
		renderer = report.Builtin{}
	case "graphviz":
		path, err := exec.LookPath("dot")
		if err != nil {
			return fmt.Errorf("--layout graphviz needs Graphviz's dot on the PATH (Debian: apt-get install graphviz), or use --layout builtin")
		}
		renderer = report.Graphviz{Command: path}
	default:
		return usageErrorf("unknown --layout %q; one of auto, graphviz, builtin", opts.layout)
	}
	g, err := a.reportGraph(opts)
	if err != nil {
		return err
	}
	r, err := report.New(g, report.Options{Title: opts.title, Renderer: renderer})
	if err != nil {
		return err
	}
	for _, w := range r.Warnings {
		fmt.Fprintln(a.stderr, "kg: warning: "+w)
	}
	files, err := r.Write(opts.out, formats...)
	if err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintln(a.stdout, f)
	}
	return nil
}

// reportGraph gets the graph to report on from --from.
func (a *app) reportGraph(opts *reportOptions) (*graph.Graph, error) {
	switch opts.from {
	case "embedded":
		return a.open(opts.paths)
	case "neo4j":
		if len(opts.paths) > 0 {
			return nil, usageErrorf("--from neo4j reports on what kg load wrote; it takes no PATH")
		}
		ctx := opts.ctx
		if ctx == nil {
			ctx = context.Background()
		}
		s, err := a.openReader(ctx, &opts.neo4j)
		if err != nil {
			return nil, err
		}
		defer s.Close(ctx)
		g, err := s.ReadGraph(ctx)
		if err != nil {
			return nil, neo4jError(err)
		}
		return g, nil
	}
	return nil, usageErrorf("unknown --from %q; one of embedded, neo4j", opts.from)
}
