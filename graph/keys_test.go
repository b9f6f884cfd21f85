package graph_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/kgtest"
)

// memScratch is scratch in memory, that counts what is written to it and
// can be made to fail.
type memScratch struct {
	b      []byte
	fail   error
	closed bool
}

func (s *memScratch) Write(p []byte) (int, error) {
	if s.fail != nil {
		return 0, s.fail
	}
	s.b = append(s.b, p...)
	return len(p), nil
}

func (s *memScratch) ReadAt(p []byte, off int64) (int, error) {
	n := copy(p, s.b[min(off, int64(len(s.b))):])
	if n < len(p) {
		return n, errors.New("read past the end")
	}
	return n, nil
}

func (s *memScratch) Close() error { s.closed = true; return nil }

// scratchReader is partReader with scratch.
type scratchReader struct {
	partReader
	s *memScratch
}

func (r scratchReader) Scratch() (graph.Scratch, error) { return r.s, nil }

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
	texts := map[string]string{}
	for _, d := range c.Documents {
		texts[d.ID] = d.Text
	}
	s := &memScratch{}
	_, got, err := graph.Scan(t.Context(), scratchReader{partReader{parts(c), texts}, s}, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	if runs := len(s.b) / 20 / (1 << 16); runs < 2 {
		t.Fatalf("the scratch holds %d bytes, %d whole runs: the keys did not go to it", len(s.b), runs)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Scan with scratch:\n%v\nwant Check's:\n%v", got, want)
	}
	if !s.closed {
		t.Error("the scratch was not closed")
	}
}

// TestScanScratchFails checks that a check whose scratch fails says so,
// rather than report a corpus without its duplicates.
func TestScanScratchFails(t *testing.T) {
	o := kgtest.Ontology(t)
	full := errors.New("no space left on device")
	s := &memScratch{fail: full}
	_, ds, err := graph.Scan(t.Context(), scratchReader{partReader{parts: parts(withDuplicates(o))}, s}, o, nil)
	if !errors.Is(err, full) || ds != nil {
		t.Errorf("Scan with a failing scratch: %v, %d problems; want the scratch's error", err, len(ds))
	}
}
