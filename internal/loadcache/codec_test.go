package loadcache

import (
	"maps"
	"reflect"
	"slices"
	"testing"
)

func sampleManifest() *manifest {
	return &manifest{
		head: head{Version: version, Key: "k\x00ey", Generation: "gen-1", Stamps: map[string][]stamp{
			"a.yaml": {{Path: "a.yaml", Size: 10, ModTime: 1700000000123456789}, {Path: "a.txt", Size: 0, ModTime: -1}},
			"b.yaml": {{Path: "b.yaml", Size: 7}},
		}},
		files: map[string]*record{
			"a.yaml": {
				Entities:   []declared{{ID: "x", Kind: "Person", Name: "X", Aliases: []string{"ex", ""}, Line: 3, Col: 5, Print: []byte{1, 2, 3, 4, 5, 6, 7, 8}}},
				Documents:  []declared{{ID: "d", Kind: "Document", Line: 1, Col: 1, File: "a.txt", Path: "/c/a.txt", Print: []byte{8, 7, 6, 5, 4, 3, 2, 1}}},
				Cites:      []string{"d"},
				Statements: map[string][]byte{"BLAMED": {1, 1, 1, 1, 1, 1, 1, 1}},
				Prints:     map[string][]byte{"BLAMED": {2, 2, 2, 2, 2, 2, 2, 2}},
			},
			"b.yaml": {Statements: map[string][]byte{}, Prints: map[string][]byte{}},
		},
	}
}

// encodeManifest encodes m's files as one part, as Cache.write writes a
// shard.
func encodeManifest(m *manifest) []byte {
	data := encodePart(m, slices.Sorted(maps.Keys(m.Stamps)))
	return data
}

// decode decodes a part encodeManifest made into a manifest of the sample's
// version and key.
func decode(data []byte) (*manifest, error) {
	m := &manifest{head: head{Version: version, Key: "k\x00ey", Stamps: map[string][]stamp{}}}
	recs, err := decodePart(data, m)
	if err != nil {
		return nil, err
	}
	m.files, m.raw = map[string]*record{}, map[string][]byte{}
	err = decodeRecords(recs, m.files, m.raw)
	for _, r := range m.files {
		r.decodeStatements() // as a reload does for the files it reads again
	}
	return m, err
}

func TestCodecRoundTrip(t *testing.T) {
	want := sampleManifest()
	got, err := decode(encodeManifest(want))
	if err != nil {
		t.Fatal(err)
	}
	got.Generation = want.Generation // the top's, not the part's
	if !reflect.DeepEqual(got.head, want.head) || !reflect.DeepEqual(got.files, want.files) {
		t.Errorf("decoded\n%+v\n%+v\nwant\n%+v\n%+v", got.head, got.files, want.head, want.files)
	}
	// Written again, unchanged records are copied as read and changed
	// ones encoded anew, as Plan.Commit does.
	changed := &record{Cites: []string{"e"}, Statements: map[string][]byte{}, Prints: map[string][]byte{}}
	got.files["b.yaml"], want.files["b.yaml"] = changed, changed
	delete(got.raw, "b.yaml")
	again, err := decode(encodeManifest(got))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again.files, want.files) {
		t.Errorf("written again:\n%+v\nwant\n%+v", again.files, want.files)
	}
}

// TestCodecDamaged: a cache cut short or with a byte changed is reported
// damaged, or at worst decodes to other values; it never panics.
func TestCodecDamaged(t *testing.T) {
	parts := make([]string, shards)
	parts[3] = "load-x-1.part"
	decodeTop := func(data []byte) (*manifest, error) { m, _, err := decodeTop(data); return m, err }
	for _, tt := range []struct {
		name   string
		data   []byte
		decode func([]byte) (*manifest, error)
	}{
		{"part", encodeManifest(sampleManifest()), decode},
		{"top", encodeTop(sampleTop(), parts), decodeTop},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.data
			if _, err := tt.decode(data); err != nil {
				t.Fatalf("whole: %v", err)
			}
			for n := range len(data) {
				if _, err := tt.decode(data[:n]); err == nil {
					t.Errorf("the first %d of %d bytes decoded without an error", n, len(data))
				}
			}
			for i := range data {
				for _, b := range []byte{0x00, 0x7f, 0x80, 0xff} {
					bad := append([]byte(nil), data...)
					bad[i] = b
					tt.decode(bad) // must not panic
				}
			}
		})
	}
}

// sampleTop is a manifest's head as the top file holds it.
func sampleTop() *manifest {
	return &manifest{head: head{Version: version, Key: "k", Generation: "gen-2", Paths: []string{"corpus", "more/x.yaml"},
		Folders: []stamp{{Path: "corpus", Size: 4096, ModTime: 1700000000123456789}, {Path: "corpus/sub", ModTime: 0}}}}
}

func TestCodecTop(t *testing.T) {
	parts := make([]string, shards)
	parts[0], parts[63] = "load-x-1.part", "load-x-2.part"
	want := sampleTop()
	m, got, err := decodeTop(encodeTop(want, parts))
	if err != nil {
		t.Fatal(err)
	}
	m.Stamps = want.Stamps // parts hold them
	if !reflect.DeepEqual(m.head, want.head) || !reflect.DeepEqual(got, parts) {
		t.Errorf("decoded %+v %q\nwant %+v %q", m.head, got, want.head, parts)
	}
	other := sampleTop()
	other.Version--
	if m, _, err := decodeTop(encodeTop(other, parts)); err != nil || m.Version != version-1 {
		t.Errorf("another version's top: %v, %+v", err, m)
	}
}
