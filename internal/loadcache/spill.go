package loadcache

import (
	"bufio"
	"fmt"
	"os"
)

// spill keeps the records a full load has encoded in a file rather than in
// memory until the load ends: at a million relations they are some 40 MB,
// which would stay live through the load and, at the collector's setting
// while files are read (collect.Percent), hold five times that in RSS.
// Writing the cache reads them back a part at a time.
type spill struct {
	f    *os.File
	w    *bufio.Writer
	name string // to remove once done, where the open file could not be
	size int64
	at   map[string][]span // by annotation file: its record, in pieces if it came in parts
	err  error             // the first failure; later calls do nothing
}

// span is where a record is in the spill file.
type span struct{ off, n int64 }

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
	s := &spill{f: f, w: bufio.NewWriterSize(f, 1<<16), at: map[string][]span{}}
	if os.Remove(f.Name()) != nil {
		s.name = f.Name()
	}
	return s, nil
}

// put keeps file's encoded record, or the next piece of it.
func (s *spill) put(file string, rec []byte) {
	if s.err != nil {
		return
	}
	if _, err := s.w.Write(rec); err != nil {
		s.fail(err)
		return
	}
	s.at[file] = append(s.at[file], span{s.size, int64(len(rec))})
	s.size += int64(len(rec))
}

// finish writes out what put buffered: after it, get may be called from
// several goroutines at once, and put not at all.
func (s *spill) finish() error {
	if s.err == nil {
		if err := s.w.Flush(); err != nil {
			s.fail(err)
		}
	}
	return s.err
}

// has reports whether put kept some of file's record.
func (s *spill) has(file string) bool {
	_, ok := s.at[file]
	return ok
}

// get reads back file's record, if put kept one, its pieces joined.
func (s *spill) get(file string) ([]byte, bool, error) {
	spans, ok := s.at[file]
	if !ok {
		return nil, false, nil
	}
	pieces := make([][]byte, len(spans))
	for i, sp := range spans {
		pieces[i] = make([]byte, sp.n)
		if _, err := s.f.ReadAt(pieces[i], sp.off); err != nil {
			return nil, false, fmt.Errorf("read back %s's record: %w", file, err)
		}
	}
	if len(pieces) == 1 {
		return pieces[0], true, nil
	}
	rec, err := joinRecords(pieces)
	if err != nil {
		return nil, false, fmt.Errorf("read back %s's record: %w", file, err)
	}
	return rec, true, nil
}

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
