package graph

import (
	"fmt"
	"testing"

	"github.com/kgraph/kg/internal/idtable"
)

// TestFeedEndsFull checks that a statement whose ends come as the feed's
// shared ends fill up still gets all of them: a fresh map between its
// subject and its object would lose the subject.
func TestFeedEndsFull(t *testing.T) {
	for _, filled := range []int{maxEnds - 3, maxEnds - 2, maxEnds - 1, maxEnds} {
		t.Run(fmt.Sprint(filled), func(t *testing.T) {
			f := &Feed{ends: map[string]*Node{}}
			f.nodes = newTable(idtable.Codec[uint16]{Size: 2}, nil) // in memory: no codec needed
			for id, kind := range map[string]string{"a": "Person", "b": "ArmedGroup", "c": "Attack"} {
				f.nodes.Put(id, f.kinds.number(kind))
			}
			for i := range filled {
				id := fmt.Sprint("n", i)
				f.nodes.Put(id, f.kinds.number("Person"))
				f.ends[id] = &Node{ID: id, Kind: "Person"}
			}
			var p Part
			f.ready(&Relation{Type: "BLAMED", Subject: "a", Object: "b", About: "c"}, &p)
			if len(p.Statements) != 1 {
				t.Fatalf("%d statements, want 1", len(p.Statements))
			}
			s := p.Statements[0]
			if s.Subject.ID != "a" || s.Object.ID != "b" || s.About.ID != "c" {
				t.Errorf("ends %v %v %v, want a b c", s.Subject, s.Object, s.About)
			}
			if len(f.ends) > maxEnds {
				t.Errorf("%d shared ends, more than %d", len(f.ends), maxEnds)
			}
		})
	}
}
