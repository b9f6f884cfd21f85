package yamlfile

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/synth"
)

// flawedCorpus writes a generated corpus to a new folder, with problems for
// both reading and checking spread over many files.
func flawedCorpus(t *testing.T, o *graph.Ontology) string {
	t.Helper()
	c := synth.Generate(o, synth.Options{Seed: 3, Relations: 3000, Documents: 60})
	for i, r := range c.Relations {
		switch i % 89 {
		case 1:
			r.Evidence.Quote = "words no document has"
		case 2:
			r.Subject = "nobody-declared"
		}
	}
	for i, d := range c.Documents {
		first := c.Relations[i*len(c.Relations)/len(c.Documents)]
		c.Waivers = append(c.Waivers,
			&graph.Waiver{Document: d.ID, Quote: first.Evidence.Quote, Reason: "found"},
			&graph.Waiver{Document: d.ID, Quote: "not in it", Reason: "missing"})
	}
	dir := t.TempDir()
	if err := WriteCorpus(dir, c); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"broken.yaml":      "relations: [\n  - subject: x\n",
		"late-error.yaml":  "entities:\n  - id: late-a\n    kind: Person\n    name: Late A\n  - id: late-b\n    kind: Person\n    name: [Late B\n",
		"empty.yaml":       "# nothing here\n",
		"latin1.yaml":      "document:\n  id: caf\xe9\n",
		"missing.yaml":     "document:\n  id: missing\n  file: missing.txt\n",
		"doc-03.txt":       "not UTF-8: \xff\n",
		"sub/extra.yml":    "relations:\n  - {subject: a, rel: BLAMED, object: b, quote: q, doc: no-such-doc}\n  - {subject: a, rel: BLAMED, object: b, quote: nowhere, doc: doc-02}\nwaivers:\n  - {quote: q, reason: r, doc: no-such-doc}\n",
		".hidden/x.yaml":   "not: read\n",
		"doc-07.yaml.orig": "ignored\n",
	}
	for name, data := range files {
		name = filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// readSequentially is ReadCorpus as it was before it read files in
// parallel: the reference the parallel version must match.
func readSequentially(r *Reader, paths ...string) (*graph.Corpus, graph.Diagnostics, error) {
	files, ds, err := expand(paths)
	if err != nil {
		return nil, nil, err
	}
	corpus := &graph.Corpus{}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			ds.Add(graph.Pos{File: name}, "", "cannot read: %v", unwrapPathError(err))
			continue
		}
		c, fileDs := ParseFile(name, data, r.Ontology)
		ds = append(ds, fileDs...)
		for _, d := range c.Documents {
			readText(d, &ds)
		}
		corpus.Append(c)
	}
	ds.Sort()
	return corpus, ds, nil
}

// TestReadParallelIdentical checks that reading and checking in parallel
// gives exactly what the sequential reading and one worker give.
func TestReadParallelIdentical(t *testing.T) {
	o := ontology(t)
	dir := flawedCorpus(t, o)
	type result struct {
		corpus        *graph.Corpus
		read, checked graph.Diagnostics
	}
	run := func(procs int, read func(*Reader, ...string) (*graph.Corpus, graph.Diagnostics, error)) result {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		c, ds, err := read(&Reader{Ontology: o}, dir)
		if err != nil {
			t.Fatal(err)
		}
		return result{c, ds, graph.Check(c, o)}
	}
	want := run(1, readSequentially)
	for _, procs := range []int{1, 4} {
		got := run(procs, (*Reader).ReadCorpus)
		if !reflect.DeepEqual(got.read, want.read) {
			t.Errorf("GOMAXPROCS %d: read diagnostics differ:\n%v\nwant:\n%v", procs, got.read, want.read)
		}
		if !reflect.DeepEqual(got.checked, want.checked) {
			t.Errorf("GOMAXPROCS %d: check diagnostics differ (%d, want %d)", procs, len(got.checked), len(want.checked))
		}
		if !reflect.DeepEqual(got.corpus, want.corpus) {
			t.Errorf("GOMAXPROCS %d: corpus differs", procs)
		}
	}
	all := want.read.Error() + "\n" + want.checked.Error()
	for _, s := range []string{"YAML syntax", "file is empty", "file is not UTF-8", "cannot read document text", "is not UTF-8 (line 1",
		"quote not found", "\"no-such-doc\" is not declared", "subject \"nobody-declared\" is not declared"} {
		if !strings.Contains(all, s) {
			t.Errorf("no %q among the diagnostics", s)
		}
	}
	t.Logf("%d documents: %d read and %d check diagnostics", len(want.corpus.Documents), len(want.read), len(want.checked))
}

// TestScanAsRead checks that graph.Scan, which checks the files one at a
// time as ReadParts hands them over, reports exactly what Read reports,
// counts what ReadCorpus reads, and finds the same quote offsets, including
// those of quotes in another file's document.
func TestScanAsRead(t *testing.T) {
	o := ontology(t)
	dir := flawedCorpus(t, o)
	text, err := os.ReadFile(filepath.Join(dir, "doc-05.txt"))
	if err != nil {
		t.Fatal(err)
	}
	cross := "relations:\n  - {subject: a, rel: BLAMED, object: b, doc: doc-05, quote: " + strconv.Quote(string(text[:40])) + "}\n"
	if err := os.WriteFile(filepath.Join(dir, "a-cross.yaml"), []byte(cross), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &Reader{Ontology: o}
	c, want, err := graph.Read(r, o, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("whole files", func(t *testing.T) { scanAsRead(t, r, dir, c, want) })
	t.Run("large files in parts", func(t *testing.T) {
		defer func(from, bytes, share int) { chunkFrom, chunkBytes, shareBytes = from, bytes, share }(chunkFrom, chunkBytes, shareBytes)
		chunkFrom, chunkBytes, shareBytes = 0, 1, 100
		parts := scanAsRead(t, r, dir, c, want)
		if got := parts[filepath.Join(dir, "entities.yaml")]; got < 2 {
			t.Errorf("entities.yaml came in %d parts, want several", got)
		}
		if got := parts[filepath.Join(dir, "doc-05.yaml")]; got != 1 {
			t.Errorf("doc-05.yaml came in %d parts, want one: its relations quote its document", got)
		}
		// Its first item parses alone, but the file does not: none of
		// it may come (the Totals would differ from Read's).
		if got := parts[filepath.Join(dir, "late-error.yaml")]; got != 0 {
			t.Errorf("late-error.yaml came in %d parts, want none", got)
		}
	})
}

// scanAsRead checks that graph.Scan of dir gives what graph.Read gave, c
// and want, and returns how many parts came of each file.
func scanAsRead(t *testing.T, r *Reader, dir string, c *graph.Corpus, want graph.Diagnostics) map[string]int {
	o := r.Ontology
	var mu sync.Mutex
	var scanned []*graph.Relation
	parts := map[string]int{}
	n, got, err := graph.Scan(context.Background(), r, o, func(part *graph.Corpus) {
		mu.Lock()
		defer mu.Unlock()
		scanned = append(scanned, part.Relations...)
		files := map[string]bool{}
		for _, e := range part.Entities {
			files[e.Pos.File] = true
		}
		for _, d := range part.Documents {
			files[d.Pos.File] = true
		}
		for _, r := range part.Relations {
			files[r.Pos.File] = true
		}
		for f := range files {
			parts[f]++
		}
	}, listed(t, r, dir))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Scan's diagnostics differ from Read's:\n%v\nwant:\n%v", got, want)
	}
	if wantN := (graph.Totals{Documents: len(c.Documents), Entities: len(c.Entities), Relations: len(c.Relations)}); n != wantN {
		t.Errorf("Scan counted %+v, want %+v", n, wantN)
	}
	at := map[graph.Pos]graph.Evidence{}
	for _, r := range c.Relations {
		at[r.Pos] = r.Evidence
	}
	if len(scanned) != len(c.Relations) {
		t.Fatalf("Scan handed over %d relations, want %d", len(scanned), len(c.Relations))
	}
	crossFound := false
	for _, r := range scanned {
		if r.Evidence != at[r.Pos] {
			t.Errorf("%s: Scan found the quote at [%d, %d), Read at [%d, %d)", r.Pos, r.Evidence.Start, r.Evidence.End, at[r.Pos].Start, at[r.Pos].End)
		}
		crossFound = crossFound || strings.HasSuffix(r.Pos.File, "a-cross.yaml") && r.Evidence.End == 40
	}
	if !crossFound {
		t.Error("the quote in another file's document was not found")
	}
	return parts
}

// TestReadPartsStops checks that ReadParts starts no file once its context
// has ended, and says why it stopped.
func TestReadPartsStops(t *testing.T) {
	o := ontology(t)
	dir := flawedCorpus(t, o)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	read := 0
	r := &Reader{Ontology: o}
	err := r.ReadParts(ctx, func(*graph.Corpus, graph.Diagnostics) { read++ }, listed(t, r, dir).Files)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("ReadParts with its context ended: %v, want %v", err, context.Canceled)
	}
	if read != 0 {
		t.Errorf("ReadParts read %d files after its context ended", read)
	}
}
