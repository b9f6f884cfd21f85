package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/yamlfile"
)

type checkOptions struct {
	paths []string
	json  bool
}

func (a *app) checkCmd() *cobra.Command {
	opts := &checkOptions{}
	cmd := &cobra.Command{
		Use:   "check [PATH...]",
		Short: "Check annotation files against the ontology and their documents",
		Long: `Check reads every annotation file under PATH (default: seeds/) and reports
every problem at once, one per line as file:line:col: message; hint.

It checks YAML syntax, unknown or misspelt fields, duplicate keys and ids,
references to undeclared entities, events or documents, relation ends of a
kind the ontology does not allow, malformed dates, numbers and grades, and
that every quote is found verbatim in its document (white space, typographic
quotes and dashes may differ; nothing else).

Exit status: 0 clean, 1 problems found, 2 usage error.`,
		Example: `  kg check
  kg check seeds/003_d04f2219ff692592.yaml
  kg check --json seeds | jq '.problems[].message'`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.paths = args
			return a.check(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.json, "json", false, "print the result as JSON on stdout: {ok, documents, entities, relations, problems: [{pos: {file, line, col}, message, hint}]}")
	return cmd
}

type checkResult struct {
	OK        bool              `json:"ok"`
	Documents int               `json:"documents"`
	Entities  int               `json:"entities"`
	Relations int               `json:"relations"`
	Problems  graph.Diagnostics `json:"problems"`
}

func (a *app) check(opts *checkOptions) error {
	paths := opts.paths
	if len(paths) == 0 {
		paths = []string{DefaultData}
	}
	o, err := a.ontology()
	if err != nil {
		return err
	}
	// Scanned, not read whole: kg check needs the counts and the problems,
	// not the corpus, so memory holds only the files being read.
	reader := &yamlfile.Reader{Ontology: o}
	l, err := reader.List(paths...)
	if err != nil {
		return err
	}
	n, ds, err := graph.Scan(context.Background(), reader, o, nil, l)
	if err != nil {
		return err
	}
	res := checkResult{OK: len(ds) == 0, Documents: n.Documents, Entities: n.Entities, Relations: n.Relations, Problems: ds}
	if res.Problems == nil {
		res.Problems = graph.Diagnostics{}
	}
	if opts.json {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return err
		}
		if !res.OK {
			return errInvalid
		}
		return nil
	}
	if !res.OK {
		a.printDiagnostics(ds)
		return errInvalid
	}
	fmt.Fprintf(a.stdout, "ok: %d documents, %d entities and events, %d relations\n", res.Documents, res.Entities, res.Relations)
	return nil
}
