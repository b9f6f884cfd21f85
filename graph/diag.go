package graph

import (
	"fmt"
	"sort"
	"strings"
)

// Pos is a place in a user's file. Line and Col count from 1; a zero Line
// means the whole file.
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
}

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Diagnostic is one problem in the user's input, with what to do about it.
type Diagnostic struct {
	Pos     Pos    `json:"pos"`
	Message string `json:"message"`
	// Hint says what the user can do; empty when the message says it all.
	Hint string `json:"hint,omitempty"`
}

// Error formats the diagnostic as one line: "file:line:col: message; hint".
func (d Diagnostic) Error() string {
	if d.Hint == "" {
		return d.Pos.String() + ": " + d.Message
	}
	return d.Pos.String() + ": " + d.Message + "; " + d.Hint
}

// Diagnostics collects every problem found, so a user fixes them all in one
// round instead of one per run (as go/scanner.ErrorList does).
type Diagnostics []Diagnostic

// Add appends a diagnostic at pos.
func (ds *Diagnostics) Add(pos Pos, hint, format string, args ...any) {
	*ds = append(*ds, Diagnostic{Pos: pos, Message: fmt.Sprintf(format, args...), Hint: hint})
}

// Sort orders diagnostics by file, line, column and message, and drops exact
// duplicates, so output is stable from run to run.
func (ds *Diagnostics) Sort() {
	list := *ds
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Col != b.Pos.Col {
			return a.Pos.Col < b.Pos.Col
		}
		return a.Message < b.Message
	})
	out := list[:0]
	for i, d := range list {
		if i > 0 && d == list[i-1] {
			continue
		}
		out = append(out, d)
	}
	*ds = out
}

// Error prints one diagnostic per line.
func (ds Diagnostics) Error() string {
	var b strings.Builder
	for i, d := range ds {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.Error())
	}
	return b.String()
}

// Err returns ds as an error, or nil when there are none.
func (ds Diagnostics) Err() error {
	if len(ds) == 0 {
		return nil
	}
	return ds
}
