package graph_test

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/kgtest"
)

// memScratch is scratch in memory, that counts what is appended to it and
// can be made to fail.
type memScratch struct {
	b        []byte
	appended int
	fail     error
	closed   bool
}

func (s *memScratch) Write(p []byte) (int, error) {
	if s.fail != nil {
		return 0, s.fail
	}
	s.b = append(s.b, p...)
	s.appended += len(p)
	return len(p), nil
}

func (s *memScratch) WriteAt(p []byte, off int64) (int, error) {
	if s.fail != nil {
		return 0, s.fail
	}
	if end := int(off) + len(p); end > len(s.b) {
		s.b = append(s.b, make([]byte, end-len(s.b))...)
	}
	return copy(s.b[off:], p), nil
}

func (s *memScratch) ReadAt(p []byte, off int64) (int, error) {
	n := copy(p, s.b[min(off, int64(len(s.b))):])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (s *memScratch) Close() error { s.closed = true; return nil }

// scratchReader is partReader with scratch, a memScratch for each opening.
type scratchReader struct {
	partReader
	s *scratches
}

type scratches struct {
	fail error // of every scratch
	all  []*memScratch
}

// writtenAt counts the scratches written at, not only appended to: those
// of the idtable tables, which write slots in place.
func (s *scratches) writtenAt() int {
	n := 0
	for _, m := range s.all {
		if len(m.b) > m.appended {
			n++
		}
	}
	return n
}

// textsOf is each document's text by ID, the last declared counting, as
// in Check.
func textsOf(c *graph.Corpus) map[string]string {
	texts := map[string]string{}
	for _, d := range c.Documents {
		texts[d.ID] = d.Text
	}
	return texts
}

func (r scratchReader) Scratch() (graph.Scratch, error) {
	s := &memScratch{fail: r.s.fail}
	r.s.all = append(r.s.all, s)
	return s, nil
}

// withDuplicates is a corpus large enough that its check writes its
// statement keys to scratch as several runs, with relations that repeat
// earlier ones from the first run and from the last, in a file of their
// own and in the file they repeat.
func withDuplicates(o *graph.Ontology) *graph.Corpus {
	c := filedN(o, 150_000, 200)
	for i, j := range []int{5, 70_000, 149_000, 5} {
		dup := *c.Relations[j]
		dup.Pos = graph.Pos{File: "dups.yaml", Line: i + 2, Col: 3}
		if i == 3 {
			dup.Pos = graph.Pos{File: c.Relations[j].Pos.File, Line: 1_000_000, Col: 3}
		}
		c.Relations = append(c.Relations, &dup)
	}
	return c
}

// TestScanSpillsStatementKeys checks that a check whose statement keys go
// to scratch, sorted in runs and merged, finds the duplicates that Check
// finds holding them all in memory, and closes its scratch.
func TestScanSpillsStatementKeys(t *testing.T) {
	o := kgtest.Ontology(t)
	want := graph.Check(withDuplicates(o), o)
	if n := strings.Count(want.Error(), "the same relation"); n != 4 {
		t.Fatalf("Check found %d duplicates, want the 4 made:\n%v", n, want)
	}
	c := withDuplicates(o)
	texts := textsOf(c)
	s := &scratches{}
	r := scratchReader{partReader{parts(c), texts}, s}
	_, got, err := graph.Scan(t.Context(), r, o, nil, listed(r))
	if err != nil {
		t.Fatal(err)
	}
	appended := 0
	for _, s := range s.all {
		appended += s.appended
	}
	if runs := appended / 20 / (1 << 16); runs < 2 {
		t.Fatalf("the scratch holds %d bytes in runs, %d whole runs: the keys did not go to it", appended, runs)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Scan with scratch:\n%v\nwant Check's:\n%v", got, want)
	}
	for i, s := range s.all {
		if !s.closed {
			t.Errorf("scratch %d was not closed", i)
		}
	}
}

// TestScanScratchFails checks that a check whose scratch fails says so,
// rather than report a corpus without its duplicates.
func TestScanScratchFails(t *testing.T) {
	o := kgtest.Ontology(t)
	full := errors.New("no space left on device")
	s := &scratches{fail: full}
	r := scratchReader{partReader{parts: parts(withDuplicates(o))}, s}
	_, ds, err := graph.Scan(t.Context(), r, o, nil, listed(r))
	if !errors.Is(err, full) || ds != nil {
		t.Errorf("Scan with a failing scratch: %v, %d problems; want the scratch's error", err, len(ds))
	}
}

// TestScanSpillsIDs checks that a check whose declared IDs go to scratch,
// past the few it keeps in memory, reports what Check reports holding
// them all: a duplicate ID, an ID not declared (with its hint) and an ID
// of the wrong kind, in references made before and after the IDs were
// declared.
func TestScanSpillsIDs(t *testing.T) {
	corpus := func() *graph.Corpus {
		c := filedN(kgtest.Ontology(t), 200_000, 200) // 20,000 actors
		dup := *c.Entities[len(c.Entities)/2]
		dup.Pos.Line = 1_000_000 // after the first, in the same file
		c.Entities = append(c.Entities, &dup)
		c.Relations[1].Subject = c.Entities[3].ID + "x"  // not declared, in a document's file
		c.Relations[10].Object = c.Entities[7].ID + "x"  // in relations.yaml, after entities.yaml
		c.Relations[2].Subject = c.Documents[0].ID       // a document where an actor must be
		c.Relations[20].Object = c.Documents[1].ID + "x" // not declared, close to a document
		return c
	}
	o := kgtest.Ontology(t)
	want := graph.Check(corpus(), o)
	for _, m := range []string{"duplicate id", "is not declared", "is a Document"} {
		if !strings.Contains(want.Error(), m) {
			t.Fatalf("Check did not report %q:\n%v", m, want)
		}
	}
	c := corpus()
	texts := textsOf(c)
	s := &scratches{}
	r := scratchReader{partReader{parts(c), texts}, s}
	_, got, err := graph.Scan(t.Context(), r, o, nil, listed(r))
	if err != nil {
		t.Fatal(err)
	}
	tables := s.writtenAt()
	if tables != 1 {
		t.Fatalf("%d scratches written at, want the one of the IDs", tables)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Scan with the IDs on scratch:\n%v\nwant Check's:\n%v", got, want)
	}
}
