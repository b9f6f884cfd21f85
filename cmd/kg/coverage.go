package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/yamlfile"
)

type coverageOptions struct {
	paths     []string
	json      bool
	failUnder float64
}

func (a *app) coverageCmd() *cobra.Command {
	opts := &coverageOptions{}
	cmd := &cobra.Command{
		Use:   "coverage [PATH...]",
		Short: "Show which sentences of the documents still need annotation",
		Long: `Coverage checks the annotation files under PATH (default: seeds/) as kg check
does, then measures how much of each document's text they cover.

A sentence needs annotation when it has a trigger word (claimed, blamed,
accused, condemned, warned, attack, killed, ...) or names a known entity by
its name or an alias. It is covered when a relation's quote overlaps it, and
waived when only a waiver's quote does. Coverage is the share of sentences
needing annotation that are covered or waived, per document and overall.

Every uncovered sentence is printed as file:line:col: text [reasons], so an
editor can jump to it. Capitalised names that match no entity name or alias
are listed as candidates for new entities or aliases.

When the annotations have problems, coverage prints them as kg check does
and exits 1.

Exit status: 0 done, 1 invalid data or coverage under --fail-under,
2 usage error.`,
		Example: `  kg coverage
  kg coverage seeds/003_d04f2219ff692592.yaml
  kg coverage --fail-under 80 seeds
  kg coverage --json | jq '.documents[] | {id, percent}'`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.failUnder < 0 || opts.failUnder > 100 {
				return usageErrorf("--fail-under %v is not a percentage from 0 to 100", opts.failUnder)
			}
			opts.paths = args
			return a.coverage(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.json, "json", false, "print the report as JSON on stdout: {documents: [{id, file, sentences, needing, covered, waived, percent, uncovered: [{line, col, text, reasons}], unknownNames: [{name, count}]}], needing, covered, waived, percent}")
	cmd.Flags().Float64Var(&opts.failUnder, "fail-under", 0, "exit 1 when overall coverage is under `N` percent")
	return cmd
}

func (a *app) coverage(opts *coverageOptions) error {
	paths := opts.paths
	if len(paths) == 0 {
		paths = []string{DefaultData}
	}
	o, err := a.ontology()
	if err != nil {
		return err
	}
	reader := &yamlfile.Reader{Ontology: o}
	c, ds, err := graph.Read(reader, o, paths...)
	if err != nil {
		return err
	}
	if len(ds) > 0 {
		a.printDiagnostics(ds)
		return errInvalid
	}
	// A text nobody has annotated yet counts too: all of it is uncovered.
	bare, err := reader.Unannotated(paths, c)
	if err != nil {
		return err
	}
	c.Documents = append(c.Documents, bare...)
	rep := graph.Coverage(c, o)
	if opts.json {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		a.printCoverage(rep)
	}
	if rep.Percent < opts.failUnder {
		return &exitError{ExitInvalid, fmt.Errorf("coverage %.1f%% is under --fail-under %g%% by %.1f points",
			rep.Percent, opts.failUnder, opts.failUnder-rep.Percent)}
	}
	return nil
}

func (a *app) printCoverage(rep graph.CoverageReport) {
	for _, d := range rep.Documents {
		fmt.Fprintf(a.stdout, "%s (%s): %.1f%% of %d sentence%s needing annotation (%d covered, %d waived; %d sentences in all)\n",
			d.File, d.ID, d.Percent, d.Needing, plural(d.Needing), d.Covered, d.Waived, d.Sentences)
		for _, u := range d.Uncovered {
			fmt.Fprintf(a.stdout, "%s:%d:%d: %s [%s]\n", d.File, u.Line, u.Col, clipSentence(u.Text, 100), strings.Join(u.Reasons, "; "))
		}
		if len(d.UnknownNames) > 0 {
			names := make([]string, len(d.UnknownNames))
			for i, n := range d.UnknownNames {
				names[i] = n.Name
				if n.Count > 1 {
					names[i] += fmt.Sprintf(" (%d)", n.Count)
				}
			}
			fmt.Fprintf(a.stdout, "  unknown names: %s\n", strings.Join(names, ", "))
		}
		fmt.Fprintln(a.stdout)
	}
	fmt.Fprintf(a.stdout, "overall: %.1f%% of %d sentence%s needing annotation in %d document%s (%d covered, %d waived)\n",
		rep.Percent, rep.Needing, plural(rep.Needing), len(rep.Documents), plural(len(rep.Documents)), rep.Covered, rep.Waived)
}

// clipSentence cuts s to at most n characters at a word boundary, marking the cut.
func clipSentence(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n-1])
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return cut + "…"
}
