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
	io.Closer
}

// runLen is how many statement keys a check holds in memory before it
// sorts them and writes them to its scratch as one run: 1.5 MB of keys.
// BenchmarkStatementKeys compares the time with keeping them all in
// memory (at a million keys here, 0.41 s against 0.35 s).
const runLen = 1 << 16

// keyAtSize is a keyAt's size in a run: key, file, line, column.
const keyAtSize = 8 + 4 + 4 + 4

// statementKeys are every relation's key and place, kept until Finish
// looks for duplicates, which needs them sorted. Up to runLen stay in
// memory; past that they go to scratch as sorted runs that sorted merges,
// so that a large corpus costs the check a run's memory rather than 24
// bytes a relation (a list, sorted at the end, costs less than a map, and
// no part needs to know of a duplicate before Finish).
type statementKeys struct {
	open    func() (Scratch, error) // nil, or a nil Scratch: all in memory
	compare func(a, b keyAt) int    // the order of the sort, and of the merge
	run     []keyAt
	s       Scratch
	w       *bufio.Writer
	runs    []int64 // where each run starts in s, and where the last ends
	err     error   // the first failure of the scratch
}

func (ks *statementKeys) add(k keyAt) {
	ks.run = append(ks.run, k)
	if len(ks.run) == runLen {
		ks.spill()
	}
}

// spill writes the run in memory to scratch, sorted, if there is one.
func (ks *statementKeys) spill() {
	if ks.err != nil {
		return
	}
	if open := ks.open; open != nil {
		ks.open = nil // asked once
		if ks.s, ks.err = open(); ks.err != nil {
			return
		}
		if ks.s != nil {
			ks.w = bufio.NewWriterSize(ks.s, 1<<16)
			ks.runs = []int64{0}
		}
	}
	if ks.s == nil {
		return // no scratch: the run grows in memory
	}
	slices.SortFunc(ks.run, ks.compare)
	var b [keyAtSize]byte
	for _, k := range ks.run {
		putKeyAt(b[:], k)
		if _, err := ks.w.Write(b[:]); err != nil {
			ks.err = err
			return
		}
	}
	ks.runs = append(ks.runs, ks.runs[len(ks.runs)-1]+int64(len(ks.run))*keyAtSize)
	ks.run = ks.run[:0]
}

// sorted calls f with every key in order, then frees what they took.
func (ks *statementKeys) sorted(f func(keyAt)) error {
	defer ks.close()
	if ks.s == nil {
		slices.SortFunc(ks.run, ks.compare)
		for _, k := range ks.run {
			f(k)
		}
		return ks.err
	}
	if len(ks.run) > 0 {
		ks.spill()
	}
	if ks.err == nil {
		ks.err = ks.w.Flush()
	}
	if ks.err != nil {
		return ks.err
	}
	m := &merge{compare: ks.compare}
	for i := range len(ks.runs) - 1 {
		r := &runReader{r: bufio.NewReaderSize(io.NewSectionReader(ks.s, ks.runs[i], ks.runs[i+1]-ks.runs[i]), 1<<15)}
		if r.next() {
			m.runs = append(m.runs, r)
		} else if r.err != nil {
			return r.err
		}
	}
	heap.Init(m)
	for m.Len() > 0 {
		r := m.runs[0]
		f(r.k)
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

func (ks *statementKeys) close() {
	if ks.s != nil {
		ks.s.Close()
	}
	*ks = statementKeys{err: ks.err}
}

func putKeyAt(b []byte, k keyAt) {
	binary.LittleEndian.PutUint64(b, uint64(k.key))
	binary.LittleEndian.PutUint32(b[8:], k.at.file)
	binary.LittleEndian.PutUint32(b[12:], uint32(k.at.line))
	binary.LittleEndian.PutUint32(b[16:], uint32(k.at.col))
}

// runReader reads a run back, a key at a time.
type runReader struct {
	r   *bufio.Reader
	k   keyAt
	b   [keyAtSize]byte // here, so that reading a key allocates nothing
	err error
}

func (r *runReader) next() bool {
	b := r.b[:]
	if _, err := io.ReadFull(r.r, b); err != nil {
		if err != io.EOF {
			r.err = fmt.Errorf("read back statement keys: %w", err)
		}
		return false
	}
	r.k = keyAt{statementKey(binary.LittleEndian.Uint64(b[:])), place{binary.LittleEndian.Uint32(b[8:]),
		int32(binary.LittleEndian.Uint32(b[12:])), int32(binary.LittleEndian.Uint32(b[16:]))}}
	return true
}

// merge is a heap of runs by their next key.
type merge struct {
	runs    []*runReader
	compare func(a, b keyAt) int
}

func (m *merge) Len() int           { return len(m.runs) }
func (m *merge) Less(i, j int) bool { return m.compare(m.runs[i].k, m.runs[j].k) < 0 }
func (m *merge) Swap(i, j int)      { m.runs[i], m.runs[j] = m.runs[j], m.runs[i] }
func (m *merge) Push(x any)         { m.runs = append(m.runs, x.(*runReader)) }
func (m *merge) Pop() any {
	r := m.runs[len(m.runs)-1]
	m.runs = m.runs[:len(m.runs)-1]
	return r
}
