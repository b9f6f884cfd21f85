package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/table"
)

type askOptions struct {
	question string
	args     []string
	data     []string
	format   string
	list     bool
	from     string
	neo4j    neo4jFlags
	ctx      context.Context
}

func (a *app) askCmd() *cobra.Command {
	opts := &askOptions{}
	var long strings.Builder
	long.WriteString(`Ask answers one of kg's named questions, with the evidence behind each answer.

Questions:
`)
	for _, q := range graph.Questions {
		fmt.Fprintf(&long, "  %-16s %s\n", q.Usage(), q.Meaning)
	}
	long.WriteString(`
Names resolve by id, name or alias, ignoring case: "isil", "ISIS" and
"Islamic State" are the same group.

Formats: table (for people; long quotes are shortened), json (stable shape:
{question, args, columns, rows: [{column: value}]}), csv (header row first).
In json and csv every column is present and every value is a string.`)
	cmd := &cobra.Command{
		Use:   "ask QUESTION [ARGS...]",
		Short: "Answer a named question: blamed, claimed, condemned, about, path, conflicts, timeline",
		Long:  long.String(),
		Example: `  kg ask blamed
  kg ask about isil
  kg ask path "Saudi Arabia" IRGC
  kg ask conflicts --format json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ctx = cmd.Context()
			if opts.list {
				return a.listQuestions()
			}
			if len(args) == 0 {
				return usageErrorf("ask needs a question; kg ask --list names them")
			}
			opts.question, opts.args = args[0], args[1:]
			return a.ask(opts)
		},
	}
	cmd.Flags().StringSliceVarP(&opts.data, "data", "d", nil, "annotation files or folders to read (default seeds/)")
	cmd.Flags().StringVarP(&opts.format, "format", "f", "table", "output format: table, json or csv")
	cmd.Flags().BoolVar(&opts.list, "list", false, "list the named questions with their meaning")
	cmd.Flags().StringVar(&opts.from, "from", "embedded", "where to answer: embedded (read the annotations, no server) or neo4j (what kg load wrote)")
	opts.neo4j.register(cmd.Flags())
	return cmd
}

func (a *app) listQuestions() error {
	for _, q := range graph.Questions {
		fmt.Fprintf(a.stdout, "%-16s %s\n", q.Usage(), q.Meaning)
	}
	return nil
}

func (a *app) ask(opts *askOptions) error {
	if !slices.Contains(table.Formats, opts.format) {
		return usageErrorf("unknown format %q; one of %s", opts.format, strings.Join(table.Formats, ", "))
	}
	q, err := graph.FindQuestion(opts.question)
	if err != nil {
		return &exitError{ExitUsage, err}
	}
	if err := q.CheckArgs(opts.args); err != nil {
		return &exitError{ExitUsage, err}
	}
	var ans graph.Answer
	switch opts.from {
	case "embedded":
		g, _, err := a.open(opts.data)
		if err != nil {
			return err
		}
		if ans, err = g.Ask(q.Name, opts.args...); err != nil {
			// The question is valid; what failed is resolving the user's names.
			return &exitError{ExitUsage, err}
		}
	case "neo4j":
		ctx := opts.ctx
		if ctx == nil {
			ctx = context.Background()
		}
		s, err := a.openStore(ctx, &opts.neo4j)
		if err != nil {
			return err
		}
		defer s.Close(ctx)
		if ans, err = s.Ask(ctx, q.Name, opts.args...); err != nil {
			var nameErr *graph.NameError
			if errors.As(err, &nameErr) {
				return &exitError{ExitUsage, err}
			}
			return neo4jError(err)
		}
	default:
		return usageErrorf("unknown --from %q; one of embedded, neo4j", opts.from)
	}
	return table.Write(a.stdout, ans, opts.format, q.Table)
}
