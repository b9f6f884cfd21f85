package loadcache

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestSpillWriteFails: a write that fails (a full disk, say) is kept as
// the spill's error, which finish returns.
func TestSpillWriteFails(t *testing.T) {
	name := filepath.Join(t.TempDir(), "spill")
	if err := os.WriteFile(name, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(name) // read-only: every write fails
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	for _, tc := range []struct {
		name string
		size int // past runBytes: put's write fails; under: finish's
	}{{"put", 2 * runBytes}, {"finish", 10}} {
		t.Run(tc.name, func(t *testing.T) {
			s := &spill{f: f}
			s.put("a.yaml", nil, bytes.Repeat([]byte("r"), tc.size))
			s.put("b.yaml", nil, []byte("another"))
			err := s.finish()
			if err == nil || !strings.Contains(err.Error(), "save load cache: spill") {
				t.Fatalf("finish = %v, want the spill's write error", err)
			}
		})
	}
}

// TestSpillShards: what is put comes back by shard, a file's pieces
// joined in order with its documents' stamps, through runs written out
// and those still buffered at finish.
func TestSpillShards(t *testing.T) {
	s, err := newSpill(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.close)
	encoded := func(r *record) []byte {
		e := &encoder{}
		encodeRecord(e, r)
		return e.buf
	}
	big := &record{Entities: []declared{{ID: strings.Repeat("x", runBytes), Kind: "Person"}}}
	first := &record{Entities: []declared{{ID: "a", Kind: "Person"}}, Cites: []string{"d1"}}
	second := &record{Documents: []declared{{ID: "d2", Kind: "Document", Path: "d2.txt"}}, Cites: []string{"d1", "d2"},
		Statements: map[string][]byte{"BLAMED": []byte("id")}, Prints: map[string][]byte{"BLAMED": []byte("print")}}
	s.put("big.yaml", []stamp{{Path: "big.yaml", Size: 1}}, encoded(big)) // written out at once
	s.put("f.yaml", []stamp{{Path: "f.yaml", Size: 2}}, encoded(first))
	s.put("f.yaml", []stamp{{Path: "f.yaml", Size: 2}, {Path: "d2.txt", Size: 3}}, encoded(second))
	if err := s.finish(); err != nil {
		t.Fatal(err)
	}
	if len(s.runs[shard("big.yaml")].spans) == 0 {
		t.Fatal("a run past runBytes was not written out")
	}
	for file, want := range map[string]spilled{
		"big.yaml": {stamps: []stamp{{Path: "big.yaml", Size: 1}}, record: encoded(big)},
		"f.yaml": {stamps: []stamp{{Path: "f.yaml", Size: 2}, {Path: "d2.txt", Size: 3}}, record: encoded(&record{
			Entities: first.Entities, Documents: second.Documents, Cites: []string{"d1", "d2"},
			Statements: second.Statements, Prints: second.Prints})},
	} {
		got, err := s.shard(shard(file))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got[file], want) {
			t.Errorf("%s came back as %+v, want %+v", file, got[file], want)
		}
	}
}
