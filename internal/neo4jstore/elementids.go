package neo4jstore

import (
	"encoding/binary"
	"strconv"
	"strings"
	"sync"

	"github.com/kgraph/kg/internal/idtable"
)

// elementIDs are the element ids of the nodes a load's new relationships
// join, by node id, kept for the whole load. Neo4j 5's element ids are
// "4:", the database's UUID, ":" and a number, so that those of one
// database differ only in the number: kept as that number after one
// shared prefix, an id costs 8 bytes rather than a 44-byte string of its
// own. Element ids are opaque to clients, though, so any other shape is
// kept whole, in memory. The numbers are in a table that keeps those used
// last in memory and the rest on scratch (see idtable), so that what a
// load keeps does not grow with the nodes.
type elementIDs struct {
	mu     sync.Mutex // gets are made while other batches are sent
	prefix string     // of the first element id put, up to its number
	number *idtable.Table[int64]
	other  map[string]string // over number, which may hold an older one
}

// keepElementIDs is how many numbers stay in memory; most relationships
// join the few actors most statements are about.
const keepElementIDs = 1 << 14

// newElementIDs keeps numbers past keepElementIDs on scratch that open
// opens; all in memory if open is nil.
func newElementIDs(open func() (idtable.File, error)) *elementIDs {
	codec := idtable.Codec[int64]{Size: 8,
		Put: func(b []byte, n int64) { binary.LittleEndian.PutUint64(b, uint64(n)) },
		Get: func(b []byte) int64 { return int64(binary.LittleEndian.Uint64(b)) }}
	return &elementIDs{number: idtable.New(codec, keepElementIDs, open), other: map[string]string{}}
}

// openScratch opens a temporary file for the element ids.
func openScratch() (idtable.File, error) {
	f, err := idtable.OpenTemp("kg-load-*")
	if err != nil {
		return nil, err
	}
	return f, nil
}

func (e *elementIDs) put(id, eid string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if i := strings.LastIndexByte(eid, ':') + 1; i > 0 {
		n, err := strconv.ParseInt(eid[i:], 10, 64)
		if err == nil && strconv.FormatInt(n, 10) == eid[i:] { // one way back
			if e.prefix == "" {
				e.prefix = strings.Clone(eid[:i])
			}
			if eid[:i] == e.prefix {
				e.number.Put(id, n)
				delete(e.other, id)
				return
			}
		}
	}
	e.other[id] = eid
}

// get is the element id of node id, and whether there is one.
func (e *elementIDs) get(id string) (string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if eid, ok := e.other[id]; ok {
		return eid, true
	}
	if n, ok := e.number.Get(id); ok {
		return e.prefix + strconv.FormatInt(n, 10), true
	}
	return "", false
}

func (e *elementIDs) has(id string) bool {
	_, ok := e.get(id)
	return ok
}

// err is the first failure of the scratch, which may have lost ids.
func (e *elementIDs) err() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.number.Err()
}

// close removes the scratch.
func (e *elementIDs) close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.number.Close()
}
