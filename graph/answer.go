package graph

import (
	"bytes"
	"encoding/json"
	"slices"
)

// Answer is the result of a named question: a table whose columns are fixed
// per question and whose rows are in canonical order (sorted by every column
// in turn), so two backends answering alike give equal Answers.
//
// Its JSON shape is stable:
//
//	{"question": "blamed", "args": [], "columns": ["subject", ...],
//	 "rows": [{"subject": "...", ...}, ...]}
//
// Every cell is a string; an unknown value is "".
type Answer struct {
	Question string
	Args     []string
	Columns  []string
	Rows     [][]string
}

// Sort puts rows in canonical order and drops duplicate rows.
func (a *Answer) Sort() {
	slices.SortFunc(a.Rows, func(x, y []string) int { return slices.Compare(x, y) })
	a.Rows = slices.CompactFunc(a.Rows, func(x, y []string) bool { return slices.Equal(x, y) })
}

// Column returns the values of the named column, or nil if there is none.
func (a *Answer) Column(name string) []string {
	i := slices.Index(a.Columns, name)
	if i < 0 {
		return nil
	}
	out := make([]string, len(a.Rows))
	for j, r := range a.Rows {
		out[j] = r[i]
	}
	return out
}

// MarshalJSON writes rows as objects whose keys follow the column order.
func (a Answer) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"question":`)
	writeJSON(&b, a.Question)
	b.WriteString(`,"args":`)
	writeJSON(&b, nonNil(a.Args))
	b.WriteString(`,"columns":`)
	writeJSON(&b, nonNil(a.Columns))
	b.WriteString(`,"rows":[`)
	for i, row := range a.Rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('{')
		for j, col := range a.Columns {
			if j > 0 {
				b.WriteByte(',')
			}
			writeJSON(&b, col)
			b.WriteByte(':')
			writeJSON(&b, row[j])
		}
		b.WriteByte('}')
	}
	b.WriteString("]}")
	return b.Bytes(), nil
}

// UnmarshalJSON reads the shape MarshalJSON writes.
func (a *Answer) UnmarshalJSON(data []byte) error {
	var raw struct {
		Question string              `json:"question"`
		Args     []string            `json:"args"`
		Columns  []string            `json:"columns"`
		Rows     []map[string]string `json:"rows"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	a.Question, a.Args, a.Columns, a.Rows = raw.Question, raw.Args, raw.Columns, nil
	for _, m := range raw.Rows {
		row := make([]string, len(a.Columns))
		for i, c := range a.Columns {
			row[i] = m[c]
		}
		a.Rows = append(a.Rows, row)
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func writeJSON(b *bytes.Buffer, v any) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)       // strings and string slices always encode
	b.Truncate(b.Len() - 1) // Encode appends a newline
}
