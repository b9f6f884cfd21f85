package neo4jstore

import "testing"

// TestPropertyMap checks the map literal new nodes and relationships are
// created with: every key any row has, each read from the row, and nothing
// that could break out of the literal.
func TestPropertyMap(t *testing.T) {
	rows := []row{
		{props: map[string]any{"kgId": "1", "quote": "x"}},
		{props: map[string]any{"kgId": "2", "note": "n"}},
	}
	got, err := propertyMap("row.props", keysOf(rows))
	if want := "{kgId: row.props.kgId, note: row.props.note, quote: row.props.quote}"; err != nil || got != want {
		t.Errorf("propertyMap = %q, %v; want %q", got, err, want)
	}
	if got, err := propertyMap("row.props", nil); err != nil || got != "{}" {
		t.Errorf("no keys: %q, %v; want {}", got, err)
	}
	for _, bad := range []string{"", "Quote", "a b", "a}]->(x) DELETE x //", "quote-start", "`q`"} {
		if got, err := propertyMap("row.props", []string{"kgId", bad}); err == nil {
			t.Errorf("key %q accepted: %q", bad, got)
		}
	}
}
