package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/export"
)

type exportOptions struct {
	paths  []string
	format string
	out    string
}

func (a *app) exportCmd() *cobra.Command {
	opts := &exportOptions{}
	cmd := &cobra.Command{
		Use:   "export [PATH...] --format graphml|json|cypher|csv",
		Short: "Export the graph as GraphML, JSON, a Cypher script or neo4j-admin CSV",
		Long: `Export reads the annotations under PATH (default: seeds/), checks them, and
writes the whole graph in another format. Every node and every statement is
exported, one edge per statement, each with its evidence (document, quote and
the quote's byte offsets in the document).

Formats:
  graphml  GraphML for Gephi, yEd and networkx
  json     kg's JSON shape: {version, nodes: [...], statements: [...]}
  cypher   a Cypher script that recreates the graph in an empty Neo4j database
  csv      a folder of CSV files for neo4j-admin database import (needs --out DIR)

graphml, json and cypher go to stdout unless --out names a file. The shapes
and columns are described in docs/exports.md.

Invalid annotations are reported as by kg check and nothing is written.`,
		Example: `  kg export --format graphml --out kg.graphml
  kg export --format json | jq '.statements[] | select(.type == "BLAMED") | .quote'
  kg export --format cypher --out kg.cypher && cypher-shell -f kg.cypher
  kg export --format csv --out import/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.paths = args
			return a.export(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.format, "format", "f", "", "graphml, json, cypher or csv (required)")
	cmd.Flags().StringVarP(&opts.out, "out", "o", "", "file to write (folder for csv); default stdout")
	return cmd
}

func (a *app) export(opts *exportOptions) error {
	if opts.format == "" {
		return usageErrorf("export needs --format; one of %s", strings.Join(export.Formats, ", "))
	}
	if !slices.Contains(export.Formats, opts.format) {
		return usageErrorf("unknown --format %q; one of %s", opts.format, strings.Join(export.Formats, ", "))
	}
	if export.IsDir(opts.format) && opts.out == "" {
		return usageErrorf("--format %s writes several files; give a folder with --out DIR", opts.format)
	}
	g, err := a.open(opts.paths)
	if err != nil {
		return err
	}
	if opts.format == "csv" {
		paths, err := export.WriteCSV(opts.out, g)
		if err != nil {
			return err
		}
		for _, p := range paths {
			fmt.Fprintln(a.stdout, p)
		}
		fmt.Fprintf(a.stderr, "import into an empty, stopped database with:\n  %s\nthen, with the server started, run once in cypher-shell or Browser:\n", export.ImportCommand(paths, "neo4j"))
		for _, stmt := range export.AfterImport {
			fmt.Fprintf(a.stderr, "  %s;\n", stmt)
		}
		return nil
	}
	var b bytes.Buffer
	write := map[string]func(*bytes.Buffer, *graph.Graph) error{
		"graphml": func(b *bytes.Buffer, g *graph.Graph) error { return export.WriteGraphML(b, g) },
		"json":    func(b *bytes.Buffer, g *graph.Graph) error { return export.WriteJSON(b, g) },
		"cypher":  func(b *bytes.Buffer, g *graph.Graph) error { return export.WriteCypher(b, g) },
	}[opts.format]
	if err := write(&b, g); err != nil {
		return err
	}
	if opts.out == "" {
		_, err := a.stdout.Write(b.Bytes())
		return err
	}
	if dir := filepath.Dir(opts.out); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	if err := os.WriteFile(opts.out, b.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, opts.out)
	return nil
}
