// Package table writes question answers for people and scripts: aligned
// text tables, CSV, and the stable JSON shape of graph.Answer.
package table

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/kgraph/kg/graph"
)

// Formats are the output formats Write knows.
var Formats = []string{"table", "json", "csv"}

// MaxCell bounds a table cell, so long quotes do not push every column off
// screen; json and csv always carry the full text.
const MaxCell = 60

// Write writes a in format. For "table", only the columns in view are shown
// (all when view is empty).
func Write(w io.Writer, a graph.Answer, format string, view []string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(a)
	case "csv":
		cw := csv.NewWriter(w)
		if err := cw.Write(a.Columns); err != nil {
			return err
		}
		if err := cw.WriteAll(a.Rows); err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	case "table":
		return text(w, a, view)
	}
	return fmt.Errorf("unknown format %q; one of %s", format, strings.Join(Formats, ", "))
}

func text(w io.Writer, a graph.Answer, view []string) error {
	if len(view) == 0 {
		view = a.Columns
	}
	var idx []int
	for _, c := range view {
		if i := slices.Index(a.Columns, c); i >= 0 {
			idx = append(idx, i)
		}
	}
	if len(a.Rows) == 0 {
		_, err := fmt.Fprintln(w, "(no answers)")
		return err
	}
	cells := [][]string{make([]string, len(idx))}
	for j, i := range idx {
		cells[0][j] = strings.ToUpper(a.Columns[i])
	}
	for _, row := range a.Rows {
		line := make([]string, len(idx))
		for j, i := range idx {
			line[j] = shorten(row[i], MaxCell)
		}
		cells = append(cells, line)
	}
	width := make([]int, len(idx))
	for _, line := range cells {
		for j, c := range line {
			width[j] = max(width[j], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for _, line := range cells {
		for j, c := range line {
			b.WriteString(c)
			if j < len(line)-1 {
				b.WriteString(strings.Repeat(" ", width[j]-utf8.RuneCountInString(c)+2))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// shorten cuts s to n characters, folding white space and marking the cut.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
