package neo4jstore

import (
	"strconv"
	"strings"
)

// elementIDs are the element ids of the nodes a load's new relationships
// join, by node id, kept for the whole load. Neo4j 5's element ids are
// "4:", the database's UUID, ":" and a number, so that those of one
// database differ only in the number: kept as that number after one
// shared prefix, an id costs 8 bytes rather than a 44-byte string of its
// own. Element ids are opaque to clients, though, so any other shape is
// kept whole.
type elementIDs struct {
	prefix string           // of the first element id put, up to its number
	number map[string]int64 // the element ids that are prefix and a number
	other  map[string]string
}

func newElementIDs(n int) *elementIDs {
	return &elementIDs{number: make(map[string]int64, n), other: map[string]string{}}
}

func (e *elementIDs) put(id, eid string) {
	if i := strings.LastIndexByte(eid, ':') + 1; i > 0 {
		n, err := strconv.ParseInt(eid[i:], 10, 64)
		if err == nil && strconv.FormatInt(n, 10) == eid[i:] { // one way back
			if e.prefix == "" {
				e.prefix = strings.Clone(eid[:i])
			}
			if eid[:i] == e.prefix {
				e.number[id] = n
				delete(e.other, id)
				return
			}
		}
	}
	e.other[id] = eid
	delete(e.number, id)
}

// get is the element id of node id, and whether there is one.
func (e *elementIDs) get(id string) (string, bool) {
	if n, ok := e.number[id]; ok {
		return e.prefix + strconv.FormatInt(n, 10), true
	}
	eid, ok := e.other[id]
	return eid, ok
}

func (e *elementIDs) has(id string) bool {
	_, ok := e.number[id]
	if !ok {
		_, ok = e.other[id]
	}
	return ok
}
