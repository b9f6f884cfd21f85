package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/kgraph/kg/internal/synth"
	"github.com/kgraph/kg/internal/yamlfile"
)

type genOptions struct {
	out       string
	relations int
	seed      int64
	documents int
	// actors, events and places are the entity counts; 0 derives each
	// from the relations or the documents, as synth.Options says.
	actors, events, places int
}

func (a *app) genCmd() *cobra.Command {
	opts := &genOptions{}
	cmd := &cobra.Command{
		Use:   "gen --out DIR --relations N",
		Short: "Write a synthetic corpus of annotation files, for tests and benchmarks",
		Long: `Gen writes a synthetic corpus to DIR: entities.yaml with the entities and
events, and for each document DOC.txt (its text) and DOC.yaml (its
annotation). The corpus has the shape of real annotations: a few actors in
many statements and many in one or two, several documents reporting each
attack, sources disagreeing on the figures, every relation type of the
ontology, and names that are awkward to quote (apostrophes, quote marks,
backticks, non-Latin scripts, Cypher keywords). It passes kg check.

By default the documents, actors, events and places grow with --relations.
Fixing them (--documents, --actors, --events, --places) grows the
statements alone: the way to see what a cost owes to the relations and what
to the entities.

The same --seed always writes the same files. DIR must not exist or be
empty, so a corpus is never mixed with the files of another.

Gen prints a one-line summary to stderr.`,
		Example: `  kg gen --out /tmp/kg1k --relations 1000
  kg gen --out /tmp/kg1m --relations 1000000 --seed 7 && kg check /tmp/kg1m
  kg gen --out /tmp/few --relations 500 --documents 5
  kg gen --out /tmp/dense --relations 1000000 --documents 5000 --actors 10000 --events 1250 --places 500`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case opts.out == "":
				return usageErrorf("gen needs --out DIR")
			case opts.relations < 1:
				return usageErrorf("--relations %d: want at least 1", opts.relations)
			case opts.documents < 0 || opts.documents > opts.relations:
				return usageErrorf("--documents %d: want 0 (derive) to --relations (%d)", opts.documents, opts.relations)
			case opts.actors < 0 || opts.events < 0 || opts.places < 0:
				return usageErrorf("--actors, --events and --places: want 0 (derive) or more")
			}
			return a.gen(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.out, "out", "o", "", "write the corpus to `DIR` (created; must be empty)")
	cmd.Flags().IntVarP(&opts.relations, "relations", "n", 1000, "number of relations")
	cmd.Flags().Int64Var(&opts.seed, "seed", 1, "random seed; the same seed writes the same corpus")
	cmd.Flags().IntVar(&opts.documents, "documents", 0, "number of documents (0: relations/20)")
	cmd.Flags().IntVar(&opts.actors, "actors", 0, "number of actors: people, organisations, groups, states (0: relations/10)")
	cmd.Flags().IntVar(&opts.events, "events", 0, "number of events (0: documents/4)")
	cmd.Flags().IntVar(&opts.places, "places", 0, "number of places (0: relations/200)")
	return cmd
}

func (a *app) gen(opts *genOptions) error {
	if entries, err := os.ReadDir(opts.out); err == nil && len(entries) > 0 {
		return usageErrorf("--out %s is not empty; name a new folder or empty it", opts.out)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("--out %s: %w", opts.out, err)
	}
	o, err := a.ontology()
	if err != nil {
		return err
	}
	start := time.Now()
	c := synth.Generate(o, synth.Options{Seed: opts.seed, Relations: opts.relations, Documents: opts.documents,
		Actors: opts.actors, Events: opts.events, Places: opts.places})
	if err := yamlfile.WriteCorpus(opts.out, c); err != nil {
		return err
	}
	var bytes int64
	files := 0
	err = filepath.WalkDir(opts.out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		bytes += info.Size()
		files++
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "kg gen: %d documents, %d entities and events, %d relations: %d files, %s in %s, %s\n",
		len(c.Documents), len(c.Entities), len(c.Relations), files, humanBytes(bytes), opts.out,
		time.Since(start).Round(time.Millisecond))
	return nil
}

// humanBytes gives a size in B, KB, MB or GB (powers of 1024).
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 2; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "KMG"[exp])
}
