package loadcache

import (
	"strings"
	"testing"
)

// TestNearbyNameFoldsAsCheck: name must match exactly the names that
// graph.Check would find clashing, which lower-cases with strings.ToLower.
func TestNearbyNameFoldsAsCheck(t *testing.T) {
	long := strings.Repeat("Long Name ", 10) // past name's stack buffer
	n := nearby{names: map[string]bool{"islamic state": true, "österreich": true, strings.ToLower(long): true}}
	for _, tt := range []struct {
		name string
		want bool
	}{
		{"Islamic State", true},
		{"ISLAMIC STATE", true},
		{"islamic state", true},
		{"Islamic States", false},
		{"Islamic_State", false},
		{"Österreich", true},
		{"Osterreich", false},
		{long, true},
		{"", false},
	} {
		if got := n.name(tt.name); got != tt.want {
			t.Errorf("name(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}
