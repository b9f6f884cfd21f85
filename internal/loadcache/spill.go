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
	at   map[string]span // by annotation file
	err  error           // the first failure; later calls do nothing
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
	s := &spill{f: f, w: bufio.NewWriterSize(f, 1<<16), at: map[string]span{}}
	if os.Remove(f.Name()) != nil {
		s.name = f.Name()
	}
	return s, nil
}

// put keeps file's encoded record.
func (s *spill) put(file string, rec []byte) {
	if s.err != nil {
		return
	}
	if _, err := s.w.Write(rec); err != nil {
		s.fail(err)
		return
	}
	s.at[file] = span{s.size, int64(len(rec))}
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

// get reads back file's record, if put kept one.
func (s *spill) get(file string) ([]byte, bool, error) {
	sp, ok := s.at[file]
	if !ok {
		return nil, false, nil
	}
	rec := make([]byte, sp.n)
	if _, err := s.f.ReadAt(rec, sp.off); err != nil {
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
