package neo4jstore

import (
	"fmt"
	"slices"
	"testing"

	"github.com/kgraph/kg/graph"
)

// TestGatherCutsLargeParts checks that no chunk holds more than its limit
// of rows, however large a part is, that nodes and statements keep their
// order, and that no statement is sent before a node of its part.
func TestGatherCutsLargeParts(t *testing.T) {
	type part struct{ nodes, statements int }
	for _, tc := range []struct {
		parts []part
		limit int
		want  []int // rows in each chunk sent
	}{
		{[]part{{2, 3}, {1, 1}}, 10, nil},
		{[]part{{2, 3}, {3, 2}}, 10, []int{10}},
		{[]part{{25, 0}}, 10, []int{10, 10}},
		{[]part{{4, 0}, {12, 9}, {0, 3}}, 10, []int{10, 10}},
		{[]part{{0, 0}, {1, 30}}, 7, []int{7, 7, 7, 7}},
	} {
		t.Run(fmt.Sprint(tc.parts, tc.limit), func(t *testing.T) {
			var nodeOrder, statementOrder, nodesSent, statementsSent []string
			var sizes []int
			sentIn := map[string]int{} // the chunk each row was sent in
			send := func(c chunk) bool {
				for _, n := range c.nodes {
					nodesSent, sentIn[n.ID] = append(nodesSent, n.ID), len(sizes)
				}
				for _, s := range c.statements {
					statementsSent, sentIn[s.ID] = append(statementsSent, s.ID), len(sizes)
				}
				sizes = append(sizes, len(c.nodes)+len(c.statements))
				return true
			}
			var c chunk
			for i, p := range tc.parts {
				var nodes []*graph.Node
				var statements []*graph.Statement
				for j := range p.nodes {
					nodes = append(nodes, &graph.Node{ID: fmt.Sprintf("n%d.%d", i, j)})
					nodeOrder = append(nodeOrder, nodes[j].ID)
				}
				for j := range p.statements {
					statements = append(statements, &graph.Statement{ID: fmt.Sprintf("s%d.%d", i, j)})
					statementOrder = append(statementOrder, statements[j].ID)
				}
				if !c.gather(nodes, statements, tc.limit, send) {
					t.Fatal("gather stopped, though send did not")
				}
			}
			if !slices.Equal(sizes, tc.want) {
				t.Errorf("chunks of %v rows, want %v", sizes, tc.want)
			}
			if !slices.Equal(nodesSent, nodeOrder[:len(nodesSent)]) || !slices.Equal(statementsSent, statementOrder[:len(statementsSent)]) {
				t.Errorf("sent nodes %v and statements %v, want them in the order %v and %v", nodesSent, statementsSent, nodeOrder, statementOrder)
			}
			if len(nodesSent)+len(statementsSent)+len(c.nodes)+len(c.statements) != len(nodeOrder)+len(statementOrder) {
				t.Errorf("rows lost: %d sent, %d left, of %d", len(nodesSent)+len(statementsSent), len(c.nodes)+len(c.statements), len(nodeOrder)+len(statementOrder))
			}
			for _, s := range statementsSent {
				var part int
				fmt.Sscanf(s, "s%d.", &part)
				for _, n := range nodesSent {
					var of int
					if fmt.Sscanf(n, "n%d.", &of); of <= part && sentIn[n] > sentIn[s] {
						t.Errorf("statement %s sent in chunk %d, before node %s (chunk %d)", s, sentIn[s], n, sentIn[n])
					}
				}
			}
		})
	}
}
