package loadcache

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSpillWriteFails: a write that fails (a full disk, say) is kept as
// the spill's error, which finish returns, and no record is said to be
// there.
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
		name   string
		buffer int // smaller than the record: put's write fails; larger: finish's flush
	}{{"put", 4}, {"finish", 1 << 10}} {
		t.Run(tc.name, func(t *testing.T) {
			s := &spill{f: f, w: bufio.NewWriterSize(f, tc.buffer), at: map[string][]span{}}
			s.put("a.yaml", []byte("a record longer than the buffer"))
			s.put("b.yaml", []byte("another"))
			err := s.finish()
			if err == nil || !strings.Contains(err.Error(), "save load cache: spill") {
				t.Fatalf("finish = %v, want the spill's write error", err)
			}
			if tc.name == "put" {
				if _, ok, err := s.get("a.yaml"); ok || err != nil {
					t.Errorf("get = %v, %v; want no record for a write that failed", ok, err)
				}
			}
		})
	}
}
