package main

import (
	"context"
	"encoding/json"
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
With no question, it answers blamed, claimed and condemned in turn.

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
		Use:   "ask [QUESTION [ARGS...]]",
		Short: "Answer a named question: blamed, claimed, condemned, about, path, conflicts, timeline",
		Long:  long.String(),
		Example: `  kg ask
  kg ask blamed
  kg ask about isil
  kg ask path "Saudi Arabia" IRGC
  kg ask conflicts --format json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ctx = cmd.Context()
			if opts.list {
				return a.listQuestions()
			}
			if len(args) > 0 {
				opts.question, opts.args = args[0], args[1:]
			}
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

// Headline are the questions a bare `kg ask` answers: the heart of what the
// sources say.
var Headline = []string{"blamed", "claimed", "condemned"}

func (a *app) ask(opts *askOptions) error {
	if !slices.Contains(table.Formats, opts.format) {
		return usageErrorf("unknown format %q; one of %s", opts.format, strings.Join(table.Formats, ", "))
	}
	names := []string{opts.question}
	if opts.question == "" {
		names = Headline
		if opts.format == "csv" {
			return usageErrorf("csv holds one question's answer; name the question")
		}
	}
	var questions []graph.Question
	for _, name := range names {
		q, err := graph.FindQuestion(name)
		if err != nil {
			return &exitError{ExitUsage, err}
		}
		if err := q.CheckArgs(opts.args); err != nil {
			return &exitError{ExitUsage, err}
		}
		questions = append(questions, q)
	}
	answer, done, err := a.backend(opts)
	if err != nil {
		return err
	}
	defer done()
	var answers []graph.Answer
	for _, q := range questions {
		ans, err := answer(q.Name, opts.args)
		if err != nil {
			return err
		}
		answers = append(answers, ans)
	}
	if len(answers) == 1 {
		return table.Write(a.stdout, answers[0], opts.format, questions[0].Table)
	}
	if opts.format == "json" {
		enc := json.NewEncoder(a.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(answers)
	}
	for i, q := range questions {
		if i > 0 {
			fmt.Fprintln(a.stdout)
		}
		fmt.Fprintf(a.stdout, "== %s: %s\n", q.Name, q.Meaning)
		if err := table.Write(a.stdout, answers[i], opts.format, q.Table); err != nil {
			return err
		}
	}
	return nil
}

// backend returns the function that answers questions from --from, and
// what to call when done with it.
func (a *app) backend(opts *askOptions) (func(string, []string) (graph.Answer, error), func(), error) {
	switch opts.from {
	case "embedded":
		g, err := a.open(opts.data)
		if err != nil {
			return nil, nil, err
		}
		return func(name string, args []string) (graph.Answer, error) {
			ans, err := g.Ask(name, args...)
			if err != nil {
				// The question is valid; what failed is resolving the user's names.
				return ans, &exitError{ExitUsage, err}
			}
			return ans, nil
		}, func() {}, nil
	case "neo4j":
		ctx := opts.ctx
		if ctx == nil {
			ctx = context.Background()
		}
		s, err := a.openReader(ctx, &opts.neo4j)
		if err != nil {
			return nil, nil, err
		}
		return func(name string, args []string) (graph.Answer, error) {
			ans, err := s.Ask(ctx, name, args...)
			var nameErr *graph.NameError
			if errors.As(err, &nameErr) {
				return ans, &exitError{ExitUsage, err}
			}
			if err != nil {
				return ans, neo4jError(err)
			}
			return ans, nil
		}, func() { s.Close(ctx) }, nil
	}
	return nil, nil, usageErrorf("unknown --from %q; one of embedded, neo4j", opts.from)
}
