// Package idtable maps ids to small values of a fixed size in memory that
// does not grow with the ids: those used last stay in a map, and the rest
// go to a hash table in a scratch file. A load looks up the ends of every
// relation by id, in the check, the feed and the store; kept in maps, those
// ids were most of what its memory grew with (BENCHMARKS.md, the memory
// bullet). The few very connected actors most relations are about stay in
// memory, so most lookups never reach the file; BenchmarkTable prices
// those that do.
package idtable

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math/bits"
)

// File is scratch storage for a Table, gone once closed.
type File interface {
	io.ReaderAt
	io.WriterAt
	io.Closer
}

// Codec writes a value in Size bytes and reads it back.
type Codec[V any] struct {
	Size int
	Put  func(b []byte, v V) // len(b) is Size
	Get  func(b []byte) V
}

// The file is a table of slots, open-addressed with linear probing. A slot
// holds the id's hash (0 when empty), the id's length, the id, and the
// value in its last Size bytes.
const (
	slotLen  = 64
	slotHead = 9
	probeLen = 4 // slots read at once: a probe seldom goes further
)

// minSlots is the size of the file's first table, 16 MB. Tests make it
// small, to see tables grow.
var minSlots uint64 = 1 << 18

// Table maps ids to values. At most keep of them are in memory, the last
// used; the others are in a file. Ids too long for a slot stay in memory.
// What else it keeps grows with the file's table: a bit a slot, to know
// which are taken without reading them. A Table is not safe for use by
// several goroutines at once.
type Table[V any] struct {
	codec Codec[V]
	keep  int
	open  func() (File, error) // nil: every id stays in memory
	tried bool                 // whether open was called to spill

	mem  map[string]*entry[V]
	last entry[V] // of a ring of mem's entries: last.next is the last used
	long map[string]V
	miss string // the id the last Get did not find, which a Put may follow

	f     File
	seed  maphash.Seed
	slots uint64   // of f's table, a power of two
	taken []uint64 // a bit for each slot of f's table
	used  uint64   // slots taken
	buf   []byte
	err   error // the first failure of a file
}

type entry[V any] struct {
	id         string
	v          V
	dirty      bool // not in the file as it is
	onFile     bool // the file has id, perhaps with an older value
	prev, next *entry[V]
}

// New returns an empty Table that keeps up to keep ids in memory and the
// rest in a file that open opens. With a nil open, or one that fails or
// returns a nil File, every id stays in memory. The file's table grows by
// moving to another file that open opens.
func New[V any](c Codec[V], keep int, open func() (File, error)) *Table[V] {
	if c.Size > slotLen-slotHead-1 {
		panic(fmt.Sprintf("idtable: values of %d bytes do not fit a slot", c.Size))
	}
	t := &Table[V]{codec: c, keep: max(keep, 1), open: open, mem: map[string]*entry[V]{}, long: map[string]V{}, seed: maphash.MakeSeed()}
	t.last.prev, t.last.next = &t.last, &t.last
	return t
}

// Get returns the value of id, and whether there is one.
func (t *Table[V]) Get(id string) (V, bool) {
	if e, ok := t.mem[id]; ok {
		t.use(e)
		return e.v, true
	}
	if v, ok := t.long[id]; ok || t.f == nil {
		return v, ok
	}
	v, ok := t.read(id)
	if ok {
		t.add(&entry[V]{id: id, v: v, onFile: true})
	} else {
		t.miss = id
	}
	return v, ok
}

// Has says whether id has a value.
func (t *Table[V]) Has(id string) bool {
	_, ok := t.Get(id)
	return ok
}

// Put sets the value of id.
func (t *Table[V]) Put(id string, v V) {
	if e, ok := t.mem[id]; ok {
		e.v, e.dirty = v, true
		t.use(e)
		return
	}
	if len(id) > slotLen-slotHead-t.codec.Size {
		t.long[id] = v
		return
	}
	e := &entry[V]{id: id, v: v, dirty: true}
	if t.f != nil && id != t.miss {
		_, e.onFile = t.read(id)
	}
	t.add(e)
}

// Each calls f with every id and its value, in no order, until f returns
// false. It reads the whole file: it is for what is rare, such as the
// hints of an error.
func (t *Table[V]) Each(f func(id string, v V) bool) {
	for e := t.last.next; e != &t.last; e = e.next {
		if !f(e.id, e.v) {
			return
		}
	}
	for id, v := range t.long {
		if !f(id, v) {
			return
		}
	}
	if t.f == nil {
		return
	}
	buf := make([]byte, slotLen*1024)
	for at := uint64(0); at < t.slots; at += 1024 {
		n := readSlots(t, t.f, buf, at, t.slots)
		for i := range n {
			s := buf[i*slotLen : (i+1)*slotLen]
			if binary.LittleEndian.Uint64(s) == 0 {
				continue
			}
			id := string(s[slotHead : slotHead+int(s[8])])
			if _, ok := t.mem[id]; ok {
				continue // seen, and perhaps changed since
			}
			if !f(id, t.codec.Get(s[slotLen-t.codec.Size:])) {
				return
			}
		}
	}
}

// Err is the first failure of the table's file. Once there is one, the
// ids that should have gone to the file are lost, and Get may miss them.
func (t *Table[V]) Err() error { return t.err }

// Close removes the file, if any.
func (t *Table[V]) Close() error {
	if t.f == nil {
		return nil
	}
	err := t.f.Close()
	t.f = nil
	return err
}

// use makes e the last used.
func (t *Table[V]) use(e *entry[V]) {
	e.prev.next, e.next.prev = e.next, e.prev
	t.link(e)
}

func (t *Table[V]) link(e *entry[V]) {
	e.prev, e.next = &t.last, t.last.next
	e.prev.next, e.next.prev = e, e
}

// add puts e in memory as the last used, making room if there is none.
func (t *Table[V]) add(e *entry[V]) {
	if len(t.mem) >= t.keep && t.spill() {
		old := t.last.prev
		old.prev.next, old.next.prev = old.next, old.prev
		delete(t.mem, old.id)
		if old.dirty {
			t.write(old)
		}
	}
	t.mem[e.id] = e
	t.link(e)
	if e.id == t.miss {
		t.miss = ""
	}
}

// spill says whether ids go to the file, opening it the first time.
func (t *Table[V]) spill() bool {
	if t.f != nil {
		return true
	}
	if t.open == nil || t.tried {
		return false
	}
	t.tried = true
	f, err := t.open()
	if err != nil || f == nil {
		return false // the ids stay in memory, where nothing is lost
	}
	t.f, t.slots, t.taken, t.buf = f, minSlots, make([]uint64, (minSlots+63)/64), make([]byte, probeLen*slotLen)
	return true
}

func (t *Table[V]) hash(id string) uint64 { return maphash.String(t.seed, id) | 1 } // 0 is an empty slot

func (t *Table[V]) isTaken(s uint64) bool { return t.taken[s/64]&(1<<(s%64)) != 0 }

// run is how many slots from s on are taken, up to probeLen and the end of
// the table.
func (t *Table[V]) run(s uint64) uint64 {
	w := ^t.taken[s/64] >> (s % 64) // the slots not taken, from s
	return min(uint64(bits.TrailingZeros64(w)), probeLen, t.slots-s)
}

// find returns the number of id's slot in the file and the slot, read, or
// false. Only taken slots are read, so that an id not there costs no read
// at all when its own slot is free.
func (t *Table[V]) find(id string, h uint64) (uint64, []byte, bool) {
	for s := h & (t.slots - 1); t.isTaken(s); {
		n := t.run(s)
		readSlots(t, t.f, t.buf, s, s+n)
		for i := range n {
			b := t.buf[i*slotLen : (i+1)*slotLen]
			if binary.LittleEndian.Uint64(b) == h && string(b[slotHead:slotHead+int(b[8])]) == id {
				return s + i, b, true
			}
		}
		if t.err != nil {
			break
		}
		s = (s + n) & (t.slots - 1)
	}
	return 0, nil, false
}

// read looks id up in the file.
func (t *Table[V]) read(id string) (V, bool) {
	_, b, ok := t.find(id, t.hash(id))
	if !ok {
		var zero V
		return zero, false
	}
	return t.codec.Get(b[slotLen-t.codec.Size:]), true
}

// write puts e in the file's table, growing it if it is half full.
func (t *Table[V]) write(e *entry[V]) {
	if t.err != nil {
		return
	}
	h := t.hash(e.id)
	var s [slotLen]byte
	binary.LittleEndian.PutUint64(s[:], h)
	s[8] = byte(len(e.id))
	copy(s[slotHead:], e.id)
	t.codec.Put(s[slotLen-t.codec.Size:], e.v)
	if e.onFile {
		if at, _, ok := t.find(e.id, h); ok {
			t.writeSlot(s[:], at)
			return
		}
	}
	if t.used >= t.slots/2 {
		t.grow()
	}
	t.place(s[:], h)
}

// place writes slot s, of an id not in the table, in the first free slot
// from its own.
func (t *Table[V]) place(s []byte, h uint64) {
	at := h & (t.slots - 1)
	for t.isTaken(at) {
		at = (at + 1) & (t.slots - 1)
	}
	t.taken[at/64] |= 1 << (at % 64)
	t.used++
	t.writeSlot(s, at)
}

func (t *Table[V]) writeSlot(s []byte, at uint64) {
	if _, err := t.f.WriteAt(s, int64(at*slotLen)); err != nil && t.err == nil {
		t.err = fmt.Errorf("write the scratch of ids: %w", err)
	}
}

// readSlots reads f's slots [from, to) into buf, as many as fit, and
// returns how many it read. Slots past the end of the file are free.
func readSlots[V any](t *Table[V], f File, buf []byte, from, to uint64) uint64 {
	n := min(uint64(len(buf)/slotLen), to-from)
	b := buf[:n*slotLen]
	got, err := f.ReadAt(b, int64(from*slotLen))
	clear(b[got:])
	if err != nil && !errors.Is(err, io.EOF) && t.err == nil {
		t.err = fmt.Errorf("read the scratch of ids: %w", err)
	}
	return n
}

// grow moves the file's table to a new file twice its size.
func (t *Table[V]) grow() {
	f, err := t.open()
	if err == nil && f == nil {
		err = errors.New("no scratch")
	}
	if err != nil {
		t.err = fmt.Errorf("grow the scratch of ids: %w", err)
		return
	}
	old, oldSlots := t.f, t.slots
	t.f, t.slots, t.taken, t.used = f, 2*oldSlots, make([]uint64, (2*oldSlots+63)/64), 0
	buf := make([]byte, slotLen*1024)
	for at := uint64(0); at < oldSlots && t.err == nil; at += 1024 {
		n := readSlots(t, old, buf, at, oldSlots)
		for i := range n {
			s := buf[i*slotLen : (i+1)*slotLen]
			if h := binary.LittleEndian.Uint64(s); h != 0 {
				t.place(s, h)
			}
		}
	}
	if err := old.Close(); err != nil && t.err == nil {
		t.err = fmt.Errorf("grow the scratch of ids: %w", err)
	}
}
