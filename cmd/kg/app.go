package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/yamlfile"
	"github.com/kgraph/kg/schema"
)

// app is kg's process environment, injected so tests can run commands
// in-process and read what they print.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	prof           profiles
}

// DefaultData is where kg looks for annotations when given no path.
const DefaultData = "seeds"

func (a *app) execute(args []string) int {
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	err := root.Execute()
	if perr := a.prof.finish(); err == nil {
		err = perr
	}
	if err == nil {
		return ExitOK
	}
	code := exitCode(err)
	if code == ExitInternal && isCobraUsage(err) {
		code = ExitUsage
	}
	if err != errInvalid {
		fmt.Fprintln(a.stderr, "kg: "+err.Error())
	}
	if code == ExitUsage {
		fmt.Fprintln(a.stderr, "Run 'kg --help' for usage.")
	}
	return code
}

// isCobraUsage recognises the flag and argument errors cobra itself raises.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "flag needs an argument",
		"invalid argument", "accepts ", "requires at least", "requires at most", "bad flag syntax"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "kg",
		Short: "Build an evidence-backed knowledge graph from annotated documents",
		Long: `kg turns hand-written YAML annotations of news and reports into a knowledge
graph of actors, places, events and what the sources say of them: who CLAIMED
an attack, who BLAMED whom, who CONDEMNED what, each with its source document
and a verbatim quote.

It checks annotations against the ontology (schema/ontology.yaml), answers
named questions on an embedded graph (no server) or on Neo4j, loads Neo4j,
and writes reports.

Start here:
  kg check                 check the annotations in seeds/
  kg ask blamed            who blamed whom, with evidence
  kg ask --list            the named questions

` + exitCodesHelp,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.CompletionOptions.DisableDefaultCmd = true
	a.prof.flags(root.PersistentFlags())
	root.PersistentPreRunE = func(*cobra.Command, []string) error { return a.prof.start() }
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitError{ExitUsage, err}
	})
	root.AddCommand(a.checkCmd(), a.askCmd(), a.schemaCmd(), a.loadCmd(), a.coverageCmd(), a.reportCmd(), a.exportCmd(), a.genCmd())
	return root
}

// ontology reads the ontology the kg binary carries.
func (a *app) ontology() (*graph.Ontology, error) {
	return yamlfile.ReadOntology(schema.OntologyFile, schema.Ontology)
}

// open reads, checks and builds the graph at paths, printing every problem
// to stderr. It returns errInvalid when the data has problems.
func (a *app) open(paths []string) (*graph.Graph, error) {
	if len(paths) == 0 {
		paths = []string{DefaultData}
	}
	o, err := a.ontology()
	if err != nil {
		return nil, err
	}
	g, ds, err := graph.Open(&yamlfile.Reader{Ontology: o}, o, paths...)
	if err != nil {
		return nil, err
	}
	if len(ds) > 0 {
		a.printDiagnostics(ds)
		return nil, errInvalid
	}
	return g, nil
}

func (a *app) printDiagnostics(ds graph.Diagnostics) {
	for _, d := range ds {
		fmt.Fprintln(a.stderr, d.Error())
	}
	fmt.Fprintf(a.stderr, "%d problem%s\n", len(ds), plural(len(ds)))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
