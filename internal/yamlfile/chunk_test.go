package yamlfile

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/synth"
)

// parseBoth parses data whole and in chunks of about size bytes, handed
// over a chunk at a time where it can be, and whether the chunks were
// taken. The cut corpus and problems are those of all parts together.
func parseBoth(t testing.TB, o *graph.Ontology, data []byte, size int) (whole, cut *graph.Corpus, wholeDs, cutDs graph.Diagnostics, chunked bool) {
	t.Helper()
	defer func(from, bytes, share int) { chunkFrom, chunkBytes, shareBytes = from, bytes, share }(chunkFrom, chunkBytes, shareBytes)
	chunkFrom = len(data) + 1
	whole, wholeDs = ParseFile("f.yaml", data, o)
	chunkFrom, chunkBytes, shareBytes = 0, size, 100
	cut = &graph.Corpus{}
	last, lastDs := parseFile("f.yaml", data, o, func(c *graph.Corpus, ds graph.Diagnostics) {
		cut.Append(c)
		cutDs = append(cutDs, ds...)
	})
	cut.Append(last)
	cutDs = append(cutDs, lastDs...)
	cutDs.Sort()
	_, chunked = (&parser{file: "f.yaml", dir: ".", ont: o}).parseChunked(data, nil)
	return whole, cut, wholeDs, cutDs, chunked
}

// sameParse fails t unless data parses the same whole and cut.
func sameParse(t testing.TB, o *graph.Ontology, data []byte, size int) bool {
	t.Helper()
	whole, cut, wholeDs, cutDs, chunked := parseBoth(t, o, data, size)
	if !reflect.DeepEqual(wholeDs, cutDs) {
		t.Fatalf("diagnostics differ, chunks of %d bytes:\nwhole:\n%v\ncut:\n%v", size, wholeDs, cutDs)
	}
	if !reflect.DeepEqual(whole, cut) {
		t.Fatalf("corpus differs, chunks of %d bytes:\nwhole: %+v\ncut:   %+v", size, whole, cut)
	}
	return chunked
}

func TestChunkedParseMatchesWhole(t *testing.T) {
	o := ontology(t)
	for _, tc := range []struct {
		name string
		text string
		cut  bool // whether it is cut when each item is a chunk
	}{
		{"entities", "# c\nentities:\n  - id: a\n    kind: Person\n    name: A\n  - id: b\n    kind: Person\n    name: B\n    aliases: [Bee]\n", true},
		{"items at column one", "entities:\n- id: a\n  kind: Person\n  name: A\n- id: b\n  kind: Person\n  name: B\n", true},
		{"document after relations", "relations:\n  - subject: a\n    rel: BLAMED\n    object: b\n    quote: q\ndocument:\n  id: d\n  file: d.txt\n", true},
		{"comments between items", "entities:\n  - id: a\n    kind: Person\n    name: A\n# between\n\n  # indented\n  - id: b\n    kind: Nope\n    name: B\n", true},
		{"block scalars", "events:\n  - id: e\n    name: E\n    note: |\n      - not an item\n      x: y\n  - id: f\n    name: F\n    note: >-\n      folded\n", true},
		{"problems in items", "entities:\n  - id: A B\n    kind: Person\n  - id: a\n    kind: Person\n    name: A\n    bogus: 1\n  - [1, 2]\n  - id: a\n    kind: Person\n    name: A\n", true},
		{"crlf", "entities:\r\n  - id: a\r\n    kind: Person\r\n    name: A\r\n  - id: b\r\n    kind: Person\r\n    name: B\r\n", true},
		{"no final newline", "waivers:\n  - sentence: s\n    reason: r\n  - sentence: t\n    reason: u", true},
		{"a quote across a cut", "relations:\n  - subject: a\n    rel: BLAMED\n    object: b\n    quote: \"q\n  - r\"\n  - subject: c\n    rel: BLAMED\n    object: d\n    quote: q\n", false},
		{"a flow list across a cut", "entities:\n  - id: a\n    kind: Person\n    name: A\n    aliases: [x,\n  - y]\n  - id: b\n    kind: Person\n    name: B\n", false},
		{"syntax error in an item", "entities:\n  - id: a\n    kind: Person\n    name: [A\n  - id: b\n    kind: Person\n    name: B\n", false},
		{"an anchor and an alias", "entities:\n  - &x id: a\n    kind: Person\n    name: A\n  - id: b\n    kind: Person\n    name: *x\n", false},
		{"a key twice", "entities:\n  - id: a\n    kind: Person\n    name: A\nentities:\n  - id: b\n    kind: Person\n    name: B\n", false},
		{"a key on one line, then as a list", "entities: []\nentities:\n  - id: b\n    kind: Person\n    name: B\n", false},
		{"a key with a space, then as a list", "entities : []\nentities:\n  - id: b\n    kind: Person\n    name: B\n", false},
		{"two documents", "entities:\n  - id: a\n    kind: Person\n    name: A\n---\nentities: []\n", false},
		{"less indented line", "entities:\n    - id: a\n      kind: Person\n      name: A\n  - id: b\n", false},
		{"a tab", "entities:\n\t- id: a\n", false},
		{"not a list", "entities:\n  id: a\n", false},
		{"flow list", "entities: [{id: a, kind: Person, name: A}]\n", false},
		{"unknown top-level key", "entitis:\n  - id: a\nentities:\n  - id: b\n    kind: Person\n    name: B\n", true},
		{"document with a syntax error", "document:\n  id: [d\nentities:\n  - id: b\n    kind: Person\n    name: B\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, size := range []int{1, 30, 1 << 20} {
				if got := sameParse(t, o, []byte(tc.text), size); size == 1 && got != tc.cut {
					t.Errorf("cut = %v, want %v", got, tc.cut)
				}
			}
		})
	}
}

func TestChunkedParseMatchesWholeOnCorpora(t *testing.T) {
	o := ontology(t)
	var files []string
	seeds, _ := filepath.Glob("../../seeds/*.yaml")
	files = append(files, seeds...)
	dir := t.TempDir()
	if err := WriteCorpus(dir, synth.Generate(o, synth.Options{Seed: 5, Relations: 2000, Documents: 20})); err != nil {
		t.Fatal(err)
	}
	generated, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	files = append(files, generated...)
	cut := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, size := range []int{1, 4 << 10} {
			if sameParse(t, o, data, size) {
				cut++
			}
		}
	}
	if cut < len(files) {
		t.Errorf("only %d of %d parses were cut: the chunked path is not being tested", cut, 2*len(files))
	}
}

// FuzzChunkedParse checks that a file parses the same cut into chunks as
// whole, whatever it holds.
func FuzzChunkedParse(f *testing.F) {
	o := ontology(f)
	seeds, _ := filepath.Glob("../../seeds/*.yaml")
	for _, s := range seeds {
		data, _ := os.ReadFile(s)
		f.Add(data, 40)
	}
	f.Add([]byte("entities:\n- id: a\n  kind: Person\n  name: A\n  note: |\n    - b\n- id: b\n"), 1)
	f.Add([]byte("relations:\n  - quote: 'a\n  - b'\n  - x: y\n"), 1)
	f.Fuzz(func(t *testing.T, data []byte, size int) {
		sameParse(t, o, data, size)
	})
}

// BenchmarkParseEntities parses the entities.yaml of a 100k-relation
// corpus (1 MB) whole and in chunks. The live heap a chunk saves is
// measured by kg check itself (BENCHMARKS.md); this shows what cutting
// costs in time.
func BenchmarkParseEntities(b *testing.B) {
	o := ontology(b)
	dir := b.TempDir()
	if err := WriteCorpus(dir, synth.Generate(o, synth.Options{Seed: 1, Relations: 100000})); err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "entities.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		from int
	}{{"whole", len(data) + 1}, {"chunked", 0}} {
		b.Run(bc.name, func(b *testing.B) {
			defer func(from int) { chunkFrom = from }(chunkFrom)
			chunkFrom = bc.from
			for b.Loop() {
				if _, ds := ParseFile("entities.yaml", data, o); len(ds) > 0 {
					b.Fatal(ds)
				}
			}
			b.ReportMetric(float64(len(data))*float64(b.N)/b.Elapsed().Seconds()/1e6, "MB/s")
		})
	}
}
