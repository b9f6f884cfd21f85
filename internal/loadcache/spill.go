package loadcache

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"time"
)

// spill keeps the records a full load has encoded in a file rather than in
// memory until the load ends: at a million relations they are some 40 MB,
// which would stay live through the load and, at the collector's setting
// while files are read (collect.Percent), hold five times that in RSS.
// Each record goes with its file's name and stamps into the run of the
// file's shard, so that memory holds nothing for each file: an index of
// records and the stamps by file were about 0.4 KB of live heap a
// document. Writing the cache reads the runs back a shard at a time.
type spill struct {
	f    *os.File
	name string // to remove once done, where the open file could not be
	size int64
	runs [shards]run
	err  error // the first failure; later calls do nothing
}

// run is one shard's entries: each a file's name, its stamps and its
// encoded record, or the next piece of a record (see Recorder.Add).
type run struct {
	buf   []byte // the entries not yet written
	spans []span // where the others are in the spill file
}

// span is where some of a run is in the spill file.
type span struct{ off, n int64 }

// runBytes is how much of a run is kept before it is written: the
// buffers of all shards hold about 64 times this.
const runBytes = 32 << 10

// newSpill opens a spill file in dir. Where the system allows it, the file
// is removed at once and lives only while open, so a load that fails or is
// killed leaves nothing behind.
func newSpill(dir string) (*spill, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("save load cache: %w", err)
	}
	f, err := os.CreateTemp(dir, ".spill-*")
	if err != nil {
		return nil, fmt.Errorf("save load cache: %w", err)
	}
	s := &spill{f: f}
	if os.Remove(f.Name()) != nil {
		s.name = f.Name()
	}
	return s, nil
}

// put keeps file's stamps and encoded record, or the next piece of it.
func (s *spill) put(file string, stamps []stamp, rec []byte) {
	if s.err != nil {
		return
	}
	r := &s.runs[shard(file)]
	e := &encoder{buf: r.buf}
	e.str(file)
	e.stamps(stamps)
	e.bytes(rec)
	if r.buf = e.buf; len(r.buf) >= runBytes {
		s.write(r)
	}
}

// write writes out what r holds.
func (s *spill) write(r *run) {
	if s.err != nil || len(r.buf) == 0 {
		return
	}
	if _, err := s.f.Write(r.buf); err != nil {
		s.fail(err)
		return
	}
	r.spans = append(r.spans, span{s.size, int64(len(r.buf))})
	s.size += int64(len(r.buf))
	r.buf = r.buf[:0]
}

// finish writes out what put kept: after it, shard may be called from
// several goroutines at once, and put not at all.
func (s *spill) finish() error {
	for i := range s.runs {
		s.write(&s.runs[i])
		s.runs[i].buf = nil
	}
	return s.err
}

// spilled is what a spill holds of one file.
type spilled struct {
	stamps []stamp
	record []byte
}

// shard reads back the files of shard i: their stamps, and their records
// with the pieces of each joined.
func (s *spill) shard(i int) (map[string]spilled, error) {
	var data []byte
	for _, sp := range s.runs[i].spans {
		at := len(data)
		data = slices.Grow(data, int(sp.n))[:at+int(sp.n)]
		if _, err := s.f.ReadAt(data[at:], sp.off); err != nil {
			return nil, fmt.Errorf("save load cache: read back the spill: %w", err)
		}
	}
	stamps, pieces := map[string][]stamp{}, map[string][][]byte{}
	d := &decoder{buf: data}
	for len(d.buf) > 0 && d.err == nil {
		f, st, rec := d.str(), d.stamps(), d.bytes()
		if earlier, ok := stamps[f]; ok {
			st = append(earlier, st[min(1, len(st)):]...) // the file's own stamp is there
		}
		stamps[f], pieces[f] = st, append(pieces[f], rec)
	}
	if d.err != nil {
		return nil, fmt.Errorf("save load cache: read back the spill: %w", d.err)
	}
	out := make(map[string]spilled, len(pieces))
	for f, ps := range pieces {
		rec := ps[0]
		if len(ps) > 1 {
			var err error
			if rec, err = joinRecords(ps); err != nil {
				return nil, fmt.Errorf("save load cache: read back %s's record: %w", f, err)
			}
		}
		out[f] = spilled{stamps: stamps[f], record: rec}
	}
	return out, nil
}

// part encodes shard i of m, the cache after a full load of the files
// listed in it (listed), begun at start: those with records in the spill,
// and the others, which declared nothing, with empty records.
func (s *spill) part(m *manifest, i int, listed []string, start time.Time) ([]byte, error) {
	got, err := s.shard(i)
	if err != nil {
		return nil, err
	}
	for _, f := range listed {
		if _, ok := got[f]; !ok {
			got[f] = spilled{stamps: []stamp{stampOf(f, start)}, record: emptyRecord}
		}
	}
	if len(got) == 0 {
		return nil, nil
	}
	files := slices.Sorted(maps.Keys(got))
	return encodeShard(m.head, files, func(f string) []stamp { return got[f].stamps },
		func(f string) []byte { return got[f].record }), nil
}

// emptyRecord is the encoded record of a file that declares nothing.
var emptyRecord = func() []byte {
	e := &encoder{}
	encodeRecord(e, &record{})
	return e.buf
}()

func (s *spill) fail(err error) {
	s.err = fmt.Errorf("save load cache: spill: %w", err)
}

// close closes the spill file, and removes it if it is still there.
func (s *spill) close() {
	s.f.Close()
	if s.name != "" {
		os.Remove(s.name)
	}
}
