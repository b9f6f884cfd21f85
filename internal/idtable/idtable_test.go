package idtable

import (
	"encoding/binary"
	"errors"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var u64 = Codec[uint64]{Size: 8,
	Put: func(b []byte, v uint64) { binary.LittleEndian.PutUint64(b, v) },
	Get: func(b []byte) uint64 { return binary.LittleEndian.Uint64(b) }}

// files opens scratch files in a test's temporary folder and counts them.
type files struct {
	t      testing.TB
	opened int
}

func (fs *files) open() (File, error) {
	fs.opened++
	f, err := os.Create(filepath.Join(fs.t.TempDir(), strconv.Itoa(fs.opened)))
	if err != nil {
		return nil, err
	}
	return f, nil
}

// TestTableAsMap runs random puts and gets against a Table and a map, with
// a table small enough to grow several times.
func TestTableAsMap(t *testing.T) {
	minSlots = 8
	t.Cleanup(func() { minSlots = 1 << 18 })
	for _, tc := range []struct {
		name    string
		keep    int
		scratch bool
		ids     int
	}{
		{"in memory", 4, false, 200},
		{"keep one", 1, true, 200},
		{"keep few", 16, true, 2000},
		{"keep all", 5000, true, 2000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := &files{t: t}
			var open func() (File, error)
			if tc.scratch {
				open = fs.open
			}
			tab := New(u64, tc.keep, open)
			defer tab.Close()
			want := map[string]uint64{}
			r := rand.New(rand.NewPCG(1, 2))
			id := func() string {
				n := r.IntN(tc.ids)
				if n%97 == 0 {
					return strings.Repeat("long-", 12) + strconv.Itoa(n) // too long for a slot
				}
				return "id-" + strconv.Itoa(n)
			}
			for i := range 20000 {
				switch k := id(); r.IntN(3) {
				case 0:
					tab.Put(k, uint64(i))
					want[k] = uint64(i)
				default:
					v, ok := tab.Get(k)
					w, wok := want[k]
					if v != w || ok != wok {
						t.Fatalf("op %d: Get(%q) = %d, %v; want %d, %v", i, k, v, ok, w, wok)
					}
				}
				if tc.scratch && len(tab.mem) > tc.keep {
					t.Fatalf("op %d: %d ids in memory, more than %d", i, len(tab.mem), tc.keep)
				}
			}
			got := map[string]uint64{}
			tab.Each(func(id string, v uint64) bool {
				if _, dup := got[id]; dup {
					t.Errorf("Each gave %q twice", id)
				}
				got[id] = v
				return true
			})
			if !maps.Equal(got, want) {
				t.Errorf("Each gave %d ids, want %d", len(got), len(want))
			}
			if err := tab.Err(); err != nil {
				t.Fatal(err)
			}
			if tc.scratch && tc.keep < len(want) && fs.opened < 3 {
				t.Errorf("%d files opened: the table did not grow", fs.opened)
			}
			if !tc.scratch && len(tab.mem) != len(want)-len(tab.long) {
				t.Errorf("without scratch, %d ids in memory, want all %d", len(tab.mem), len(want)-len(tab.long))
			}
		})
	}
}

// brokenFile fails every write.
type brokenFile struct{ File }

func (brokenFile) WriteAt([]byte, int64) (int, error) { return 0, errors.New("disk full") }

func TestTableFileFails(t *testing.T) {
	fs := &files{t: t}
	tab := New(u64, 2, func() (File, error) {
		f, err := fs.open()
		return brokenFile{f}, err
	})
	defer tab.Close()
	for i := range 5 {
		tab.Put("id-"+strconv.Itoa(i), uint64(i))
	}
	if err := tab.Err(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Err() = %v, want the write's failure", err)
	}
}

func TestTableOpenFails(t *testing.T) {
	tab := New(u64, 2, func() (File, error) { return nil, errors.New("no temporary folder") })
	for i := range 5 {
		tab.Put("id-"+strconv.Itoa(i), uint64(i))
	}
	for i := range 5 {
		if v, ok := tab.Get("id-" + strconv.Itoa(i)); !ok || v != uint64(i) {
			t.Errorf("Get(id-%d) = %d, %v: an id lost though it could stay in memory", i, v, ok)
		}
	}
	if err := tab.Err(); err != nil {
		t.Errorf("Err() = %v; nothing was lost", err)
	}
}
