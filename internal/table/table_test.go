package table

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/kgraph/kg/graph"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var answer = graph.Answer{
	Question: "blamed",
	Columns:  []string{"subject", "relation", "object", "quote"},
	Rows: [][]string{
		{"Islamic Revolutionary Guard Corps", "BLAMED", "Saudi Arabia", "This terrorist attack happened only a week after the meeting between the US president and the [Saudi] backward leaders who support terrorists."},
		{"Name with \"quotes\", commas\nand a line break", "BLAMED", "United States", "short <quote> & ampersand"},
	},
}

func TestWriteGolden(t *testing.T) {
	for _, tt := range []struct {
		format, golden string
		view           []string
	}{
		{"table", "blamed.table.golden", []string{"subject", "object", "quote"}},
		{"json", "blamed.json.golden", nil},
		{"csv", "blamed.csv.golden", nil},
	} {
		t.Run(tt.format, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, answer, tt.format, tt.view); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tt.golden)
			if *update {
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				t.Errorf("%s output differs from %s:\n%s", tt.format, path, b.String())
			}
		})
	}
}

// TestJSONRoundTrip pins the JSON shape: it reads back into the same Answer.
func TestJSONRoundTrip(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, answer, "json", nil); err != nil {
		t.Fatal(err)
	}
	var back graph.Answer
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Question != answer.Question || len(back.Rows) != 2 || back.Rows[1][0] != answer.Rows[1][0] {
		t.Errorf("round trip lost data: %+v", back)
	}
	var raw map[string]any
	_ = json.Unmarshal(b.Bytes(), &raw)
	if _, ok := raw["args"].([]any); !ok {
		t.Errorf("args must be a list even when empty: %v", raw["args"])
	}
}

func TestEmptyAnswer(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, graph.Answer{Question: "claimed", Columns: []string{"subject"}}, "table", nil); err != nil {
		t.Fatal(err)
	}
	if b.String() != "(no answers)\n" {
		t.Errorf("got %q", b.String())
	}
	if err := Write(&b, answer, "xml", nil); err == nil {
		t.Error("unknown format accepted")
	}
}
