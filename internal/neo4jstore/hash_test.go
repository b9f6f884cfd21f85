package neo4jstore

import "testing"

// TestRowHashTellsValuesApart checks that rows which store different
// properties never share a hash, including values that would print alike.
func TestRowHashTellsValuesApart(t *testing.T) {
	hash := func(kind, from, to string, props map[string]any) string {
		return finish(row{kind: kind, from: from, to: to}, props).hash
	}
	same := hash("KILLED", "a", "b", map[string]any{"quote": "x", "quoteStart": 1})
	if again := hash("KILLED", "a", "b", map[string]any{"quoteStart": 1, "quote": "x"}); again != same {
		t.Fatalf("the same row hashed twice: %s and %s", same, again)
	}
	differ := []struct {
		name           string
		kind, from, to string
		props          map[string]any
	}{
		{"type", "BLAMED", "a", "b", map[string]any{"quote": "x", "quoteStart": 1}},
		{"ends moved across the boundary", "KILLED", "ab", "", map[string]any{"quote": "x", "quoteStart": 1}},
		{"ends swapped", "KILLED", "b", "a", map[string]any{"quote": "x", "quoteStart": 1}},
		{"value", "KILLED", "a", "b", map[string]any{"quote": "y", "quoteStart": 1}},
		{"string for int", "KILLED", "a", "b", map[string]any{"quote": "x", "quoteStart": "1"}},
		{"key renamed", "KILLED", "a", "b", map[string]any{"quote": "x", "quoteEnd": 1}},
		{"property added", "KILLED", "a", "b", map[string]any{"quote": "x", "quoteStart": 1, "note": ""}},
		{"list split differently", "KILLED", "a", "b", map[string]any{"quote": "x", "quoteStart": 1, "aliases": []string{"ab"}}},
	}
	seen := map[string]string{same: "the original"}
	for _, c := range differ {
		h := hash(c.kind, c.from, c.to, c.props)
		if other, ok := seen[h]; ok {
			t.Errorf("%s: hash %s is also that of %s", c.name, h, other)
		}
		seen[h] = c.name
	}
	a := hash("X", "", "", map[string]any{"aliases": []string{"a", "b"}})
	b := hash("X", "", "", map[string]any{"aliases": []string{"ab"}})
	c := hash("X", "", "", map[string]any{"figureValues": []int64{1, 2}})
	d := hash("X", "", "", map[string]any{"figureValues": []int64{12}})
	if a == b || c == d {
		t.Errorf("lists that join alike share a hash: %s %s %s %s", a, b, c, d)
	}
}
