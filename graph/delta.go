package graph

import (
	"context"
	"errors"
)

// Delta is a change to the graph a store holds: what some annotation files
// hold now, replacing what the same files held at an earlier load. Loading a
// delta costs what changed, not what the corpus holds, which is what makes
// reloading a large corpus after an edit cheap.
type Delta struct {
	// Generation names the load the delta was computed against. A store
	// applies the delta only if that load is still the last one it took;
	// otherwise it fails with ErrStale and the caller loads in full.
	Generation string
	// Nodes and Statements are everything the changed files declare and
	// report now.
	Nodes      []*Node
	Statements []*Statement
	// OldNodes and OldStatements identify what the changed and the removed
	// files declared and reported at that load.
	OldNodes      []string
	OldStatements []StatementRef
}

// StatementRef identifies a stored statement: stores index statements by
// type, so the type comes with the ID.
type StatementRef struct {
	ID, Type string
}

// Empty reports whether the delta changes nothing.
func (d *Delta) Empty() bool {
	return len(d.Nodes) == 0 && len(d.Statements) == 0 && len(d.OldNodes) == 0 && len(d.OldStatements) == 0
}

// ErrStale means a delta no longer applies: the store's data is not what
// the delta was computed against (another load ran since, the database was
// emptied, or a changed file now clashes with one that did not change). A
// full load is the remedy, and reports any clash properly.
var ErrStale = errors.New("the store changed since the last load this delta was computed against")

// DeltaStore is a store that can apply a delta as well as load in full.
type DeltaStore interface {
	Store
	LoadDelta(ctx context.Context, d *Delta, opts LoadOptions) (LoadStats, error)
}
