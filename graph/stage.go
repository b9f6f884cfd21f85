package graph

import "context"

// Staged is a corpus on its way to becoming a graph: its nodes are made at
// once, its check and its statements in the background. A store can write
// the nodes meanwhile, so that the server and kg work at the same time: at
// a million relations, checking and building take seconds in which the
// server would otherwise wait (BENCHMARKS.md).
type Staged struct {
	// Nodes are the graph's nodes, as Build makes them, sorted by ID. Until
	// the check is done they may be those of an invalid corpus, so a store
	// must not keep what it writes of them unless Wait succeeds.
	Nodes []*Node
	// Corpus is what was read; it must not change until Wait returns.
	Corpus *Corpus

	g    *Graph
	done chan struct{}
	err  error
}

// Stage reads the annotation files at paths and, if they parse, starts
// checking them and building their graph. When the files do not parse it
// checks what they hold at once and returns every problem (as Read does)
// and no Staged. The error is for failures that are not the data's.
func Stage(r CorpusReader, o *Ontology, paths ...string) (*Staged, Diagnostics, error) {
	c, ds, err := r.ReadCorpus(paths...)
	if err != nil {
		return nil, nil, err
	}
	if len(ds) > 0 {
		return nil, withCheck(ds, c, o), nil
	}
	g := withNodes(c, o)
	s := &Staged{Nodes: g.Nodes, Corpus: c, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		if ds := Check(c, o); len(ds) > 0 {
			s.err = ds
			return
		}
		if s.err = g.addStatements(c); s.err == nil {
			s.g = g
		}
	}()
	return s, nil, nil
}

// Ready is g, staged: its check and statements are already done.
func Ready(g *Graph) *Staged {
	done := make(chan struct{})
	close(done)
	return &Staged{Nodes: g.Nodes, g: g, done: done}
}

// Wait returns the graph once the corpus is checked and built. When the
// check found problems the error is their Diagnostics, sorted.
func (s *Staged) Wait() (*Graph, error) {
	<-s.done
	return s.g, s.err
}

// StagedStore is a store that can start a load before the graph is done:
// it writes a Staged's nodes while the corpus is checked, and keeps nothing
// if the check fails.
type StagedStore interface {
	Store
	LoadStaged(ctx context.Context, s *Staged, opts LoadOptions) (LoadStats, error)
}
