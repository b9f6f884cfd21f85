package graph

import (
	"bufio"
	"container/heap"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
)

// Scratch is temporary storage that a check writes to rather than hold in
// memory what it keeps of every relation (see PartReader.Scratch).
type Scratch interface {
	io.Writer
	io.ReaderAt
	io.WriterAt
	io.Closer
}

// runLen is how many records a check holds in memory before it sorts
// them and writes them to its scratch as one run: 1.5 MB of statement
// keys. BenchmarkStatementKeys compares the time with keeping them all in
// memory (at a million keys here, 0.41 s against 0.35 s).
const runLen = 1 << 16

// sortedRuns are records a check keeps until Finish needs them in order:
// every relation's statement key, every name. Up to runLen stay in
// memory; past that they go to scratch as sorted runs that sorted merges,
// so that a large corpus costs the check a run's memory rather than a
// record's worth for each relation or entity. No part needs them before
// Finish, which only looks for records that repeat one another.
type sortedRuns[T any] struct {
	open    func() (Scratch, error) // nil, or a nil Scratch: all in memory
	compare func(a, b T) int        // the order of the sort, and of the merge
	put     func(b []byte, v T) []byte
	get     func(r *bufio.Reader, buf []byte) (T, error) // io.EOF after the last
	what    string                                       // what the records are, for errors
	run     []T
	s       Scratch
	w       *bufio.Writer
	buf     []byte
	runs    []int64 // where each run starts in s, and where the last ends
	err     error   // the first failure of the scratch
}

func (rs *sortedRuns[T]) add(v T) {
	rs.run = append(rs.run, v)
	if len(rs.run) == runLen {
		rs.spill()
	}
}

// spill writes the run in memory to scratch, sorted, if there is one.
func (rs *sortedRuns[T]) spill() {
	if rs.err != nil {
		return
	}
	if open := rs.open; open != nil {
		rs.open = nil // asked once
		if rs.s, rs.err = open(); rs.err != nil {
			return
		}
		if rs.s != nil {
			rs.w = bufio.NewWriterSize(rs.s, 1<<16)
			rs.runs = []int64{0}
		}
	}
	if rs.s == nil {
		return // no scratch: the run grows in memory
	}
	slices.SortFunc(rs.run, rs.compare)
	n := int64(0)
	for _, v := range rs.run {
		rs.buf = rs.put(rs.buf[:0], v)
		if _, err := rs.w.Write(rs.buf); err != nil {
			rs.err = err
			return
		}
		n += int64(len(rs.buf))
	}
	rs.runs = append(rs.runs, rs.runs[len(rs.runs)-1]+n)
	clear(rs.run) // let go of what the records point at
	rs.run = rs.run[:0]
}

// sorted calls f with every record in order, then frees what they took.
func (rs *sortedRuns[T]) sorted(f func(T)) error {
	defer rs.close()
	if rs.s == nil {
		slices.SortFunc(rs.run, rs.compare)
		for _, v := range rs.run {
			f(v)
		}
		return rs.err
	}
	if len(rs.run) > 0 {
		rs.spill()
	}
	if rs.err == nil {
		rs.err = rs.w.Flush()
	}
	if rs.err != nil {
		return rs.err
	}
	m := &merge[T]{compare: rs.compare}
	for i := range len(rs.runs) - 1 {
		r := &runReader[T]{r: bufio.NewReaderSize(io.NewSectionReader(rs.s, rs.runs[i], rs.runs[i+1]-rs.runs[i]), 1<<15), get: rs.get, what: rs.what}
		if r.next() {
			m.runs = append(m.runs, r)
		} else if r.err != nil {
			return r.err
		}
	}
	heap.Init(m)
	for m.Len() > 0 {
		r := m.runs[0]
		f(r.v)
		if r.next() {
			heap.Fix(m, 0)
			continue
		}
		if r.err != nil {
			return r.err
		}
		heap.Pop(m)
	}
	return nil
}

func (rs *sortedRuns[T]) close() {
	if rs.s != nil {
		rs.s.Close()
	}
	*rs = sortedRuns[T]{err: rs.err}
}

// runReader reads a run back, a record at a time.
type runReader[T any] struct {
	r    *bufio.Reader
	get  func(*bufio.Reader, []byte) (T, error)
	what string
	v    T
	b    [keyAtSize]byte // here, so that reading a key allocates nothing
	err  error
}

func (r *runReader[T]) next() bool {
	v, err := r.get(r.r, r.b[:])
	if err != nil {
		if err != io.EOF {
			r.err = fmt.Errorf("read back %s: %w", r.what, err)
		}
		return false
	}
	r.v = v
	return true
}

// merge is a heap of runs by their next record.
type merge[T any] struct {
	runs    []*runReader[T]
	compare func(a, b T) int
}

func (m *merge[T]) Len() int           { return len(m.runs) }
func (m *merge[T]) Less(i, j int) bool { return m.compare(m.runs[i].v, m.runs[j].v) < 0 }
func (m *merge[T]) Swap(i, j int)      { m.runs[i], m.runs[j] = m.runs[j], m.runs[i] }
func (m *merge[T]) Push(x any)         { m.runs = append(m.runs, x.(*runReader[T])) }
func (m *merge[T]) Pop() any {
	r := m.runs[len(m.runs)-1]
	m.runs = m.runs[:len(m.runs)-1]
	return r
}

// keyAtSize is a keyAt's size in a run: key, file, line, column.
const keyAtSize = 8 + 4 + 4 + 4

// statementKeys are every relation's key and place, kept until Finish
// looks for duplicates (a list sorted at the end costs less than a map,
// and a run of them on scratch less than either).
type statementKeys = sortedRuns[keyAt]

func newStatementKeys(open func() (Scratch, error), compare func(a, b keyAt) int) statementKeys {
	return statementKeys{open: open, compare: compare, put: putKeyAt, get: getKeyAt, what: "statement keys"}
}

func putKeyAt(b []byte, k keyAt) []byte {
	b = binary.LittleEndian.AppendUint64(b, uint64(k.key))
	return appendPlace(b, k.at)
}

func getKeyAt(r *bufio.Reader, b []byte) (keyAt, error) {
	b = b[:keyAtSize]
	if _, err := io.ReadFull(r, b); err != nil {
		return keyAt{}, err
	}
	return keyAt{statementKey(binary.LittleEndian.Uint64(b)), placeOf(b[8:])}, nil
}

func appendPlace(b []byte, at place) []byte {
	b = binary.LittleEndian.AppendUint32(b, at.file)
	b = binary.LittleEndian.AppendUint32(b, uint32(at.line))
	return binary.LittleEndian.AppendUint32(b, uint32(at.col))
}

func placeOf(b []byte) place {
	return place{binary.LittleEndian.Uint32(b), int32(binary.LittleEndian.Uint32(b[4:])), int32(binary.LittleEndian.Uint32(b[8:]))}
}
