package neo4jstore

import (
	"reflect"
	"testing"
)

// TestPropertyList checks the map literal new nodes and relationships are
// created with: every key any row has, each read from its place in the
// row's list, and nothing that could break out of the literal.
func TestPropertyList(t *testing.T) {
	rows := []row{
		{props: rowProps{{"kgId", "1"}, {"quote", "x"}}},
		{props: rowProps{{"kgId", "2"}, {"note", "n"}}},
	}
	got, err := propertyList("row", 2, keysOf(rows))
	if want := "{kgId: row[2], note: row[3], quote: row[4]}"; err != nil || got != want {
		t.Errorf("propertyList = %q, %v; want %q", got, err, want)
	}
	if got, err := propertyList("row", 0, nil); err != nil || got != "{}" {
		t.Errorf("no keys: %q, %v; want {}", got, err)
	}
	for _, bad := range []string{"", "Quote", "a b", "a}]->(x) DELETE x //", "quote-start", "`q`"} {
		if got, err := propertyList("row", 0, []string{"kgId", bad}); err == nil {
			t.Errorf("key %q accepted: %q", bad, got)
		}
	}
}

// TestValueLists checks each row's list holds what propertyList reads:
// the lead values, then each key's value in order, nil where the row has
// no such key (which CREATE then skips).
func TestValueLists(t *testing.T) {
	rows := []row{
		{from: "a", to: "b", props: rowProps{{"kgId", "1"}, {"quote", "x"}}},
		{from: "c", to: "d", props: rowProps{{"kgId", "2"}, {"note", "n"}}},
	}
	keys := keysOf(rows)
	ends := []func(row) any{func(r row) any { return r.from }, func(r row) any { return r.to }}
	want := []any{
		[]any{"a", "b", "1", nil, "x"},
		[]any{"c", "d", "2", "n", nil},
	}
	if got := valueLists(rows, keys, ends...); !reflect.DeepEqual(got, want) {
		t.Errorf("valueLists with ends = %v; want %v", got, want)
	}
	want = []any{[]any{"1", nil, "x"}, []any{"2", "n", nil}}
	if got := valueLists(rows, keys); !reflect.DeepEqual(got, want) {
		t.Errorf("valueLists = %v; want %v", got, want)
	}
}
