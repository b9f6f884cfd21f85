package loadcache

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
	"unsafe"
)

// The cache file is written by hand rather than with encoding/gob: a
// reload of a large corpus decodes 50,000 records and writes them back, and
// gob's reflection made that most of the cost of a one-file change.
//
// A cache is a top file and its parts (see Cache.write). The top is magic,
// version, key, generation, the paths listed and the stamps of the folders
// read to list them, and the names of the part files by shard. A
// part is magic, version, key, the stamps of its shard's files, then their
// records as one length-prefixed section, so that a reload that finds every
// file unchanged decodes only the stamps. Strings and byte strings are
// length-prefixed; numbers are varints.

const (
	magic     = "kg load cache\n"
	partMagic = "kg load cache part\n"
)

var errDamaged = errors.New("damaged")

type encoder struct{ buf []byte }

func (e *encoder) uint(n int)     { e.buf = binary.AppendUvarint(e.buf, uint64(n)) }
func (e *encoder) int(n int64)    { e.buf = binary.AppendVarint(e.buf, n) }
func (e *encoder) str(s string)   { e.uint(len(s)); e.buf = append(e.buf, s...) }
func (e *encoder) bytes(b []byte) { e.uint(len(b)); e.buf = append(e.buf, b...) }
func (e *encoder) strs(ss []string) {
	e.uint(len(ss))
	for _, s := range ss {
		e.str(s)
	}
}

// decoder reads what encoder wrote; the first problem sticks in err and
// every later read returns zero values, so callers check err once.
type decoder struct {
	buf []byte
	err error
}

func (d *decoder) fail() { d.err, d.buf = errDamaged, nil }

func (d *decoder) uint() int {
	n, k := binary.Uvarint(d.buf)
	if k <= 0 || n > 1<<40 {
		d.fail()
		return 0
	}
	d.buf = d.buf[k:]
	return int(n)
}

func (d *decoder) int() int64 {
	n, k := binary.Varint(d.buf)
	if k <= 0 {
		d.fail()
		return 0
	}
	d.buf = d.buf[k:]
	return n
}

// count reads a number of items, each taking at least one byte.
func (d *decoder) count() int {
	n := d.uint()
	if n > len(d.buf) {
		d.fail()
		return 0
	}
	return n
}

func (d *decoder) bytes() []byte {
	n := d.count()
	b := d.buf[:n:n]
	d.buf = d.buf[n:]
	return b
}

// str returns a string that shares the cache file's bytes rather than a
// copy: a reload decodes over a million of them, and the file's buffer is
// never written to, so the strings stay what they were.
func (d *decoder) str() string {
	b := d.bytes()
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

func (d *decoder) strs() []string {
	n := d.count()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

// encodeTop encodes a cache's top file: the part of the cache that waits
// for the store to take the load, and all a reload that changes no file
// writes if the store names a new generation.
func encodeTop(m *manifest, parts []string) []byte {
	e := &encoder{}
	e.buf = append(e.buf, magic...)
	e.uint(m.Version)
	e.str(m.Key)
	e.str(m.Generation)
	e.strs(m.Paths)
	e.stamps(m.Folders)
	e.strs(parts)
	return e.buf
}

func (e *encoder) stamps(st []stamp) {
	e.uint(len(st))
	for _, s := range st {
		e.str(s.Path)
		e.int(s.Size)
		e.int(s.ModTime)
	}
}

func (d *decoder) stamps() []stamp {
	n := d.count()
	if n == 0 {
		return nil
	}
	st := make([]stamp, n)
	for i := range st {
		st[i] = stamp{Path: d.str(), Size: d.int(), ModTime: d.int()}
	}
	return st
}

// decodeTop reads a top file. A top of another version decodes to its
// version alone, for the caller to tell the user.
func decodeTop(data []byte) (m *manifest, parts []string, err error) {
	if !bytes.HasPrefix(data, []byte(magic)) {
		return nil, nil, errDamaged
	}
	d := &decoder{buf: data[len(magic):]}
	m = &manifest{}
	m.Version = d.uint()
	if d.err == nil && m.Version != version {
		return m, nil, nil
	}
	m.Key = d.str()
	m.Generation = d.str()
	m.Paths = d.strs()
	m.Folders = d.stamps()
	parts = d.strs()
	if d.err != nil || len(d.buf) != 0 || len(parts) != shards {
		return nil, nil, errDamaged
	}
	return m, parts, nil
}

// encodePart encodes the stamps and records of files, one shard of m.
// Records decoded and not changed since are copied as they were encoded.
func encodePart(m *manifest, files []string) []byte {
	return encodeShard(m.head, files, func(f string) []stamp { return m.Stamps[f] }, func(f string) []byte {
		if raw, ok := m.raw[f]; ok {
			return raw
		}
		x := &encoder{}
		encodeRecord(x, m.files[f])
		return x.buf
	})
}

// encodeShard encodes a part of a cache of h's version and key: the
// stamps of files, then their encoded records. The records' section is
// length-prefixed; it is measured first and then written in place rather
// than built apart and copied.
func encodeShard(h head, files []string, stamps func(string) []stamp, record func(string) []byte) []byte {
	e := &encoder{}
	e.buf = append(e.buf, partMagic...)
	e.uint(h.Version)
	e.str(h.Key)
	e.uint(len(files))
	for _, f := range files {
		e.str(f)
		e.stamps(stamps(f))
	}
	encoded := make([][]byte, len(files)) // files[i]'s record
	size := uvarintLen(len(files))
	for i, f := range files {
		raw := record(f)
		encoded[i] = raw
		size += uvarintLen(len(f)) + len(f) + len(raw)
	}
	e.buf = slices.Grow(e.buf, uvarintLen(size)+size)
	e.uint(size)
	e.uint(len(files))
	for i, f := range files {
		e.str(f)
		e.buf = append(e.buf, encoded[i]...)
	}
	return e.buf
}

func uvarintLen(n int) int {
	var b [binary.MaxVarintLen64]byte
	return binary.PutUvarint(b[:], uint64(n))
}

func encodeRecord(e *encoder, r *record) {
	for _, ds := range [][]declared{r.Entities, r.Documents} {
		e.uint(len(ds))
		for _, x := range ds {
			e.str(x.ID)
			e.str(x.Kind)
			e.str(x.Name)
			e.strs(x.Aliases)
			e.uint(x.Line)
			e.uint(x.Col)
			e.str(x.File)
			e.str(x.Path)
			e.bytes(x.Print)
		}
	}
	e.strs(r.Cites)
	e.uint(len(r.Statements))
	for t, ids := range r.Statements {
		e.str(t)
		e.bytes(ids)
		e.bytes(r.Prints[t])
	}
}

// decodePart reads a part of m's cache: it adds the part's stamps to m's
// and returns its records' section undecoded.
func decodePart(data []byte, m *manifest) ([]byte, error) {
	if !bytes.HasPrefix(data, []byte(partMagic)) {
		return nil, errDamaged
	}
	d := &decoder{buf: data[len(partMagic):]}
	if d.uint() != m.Version || d.str() != m.Key {
		return nil, errDamaged
	}
	for range d.count() {
		f := d.str()
		m.Stamps[f] = d.stamps()
	}
	recs := d.bytes()
	if d.err != nil || len(d.buf) != 0 {
		return nil, errDamaged
	}
	return recs, nil
}

// statements moves past a record's statements and returns their bytes:
// a reload decodes them (decodeStatements) only for the files it reads
// again, a handful of the records it decodes.
func (d *decoder) statements() []byte {
	from := d.buf
	for range d.count() {
		d.bytes() // type
		d.bytes() // ids
		d.bytes() // prints
	}
	return from[:len(from)-len(d.buf)]
}

// decodeStatements decodes the statements' bytes statements returned, by
// then known to be whole.
func decodeStatements(data []byte) (ids, prints map[string][]byte) {
	d := &decoder{buf: data}
	k := d.count()
	ids, prints = make(map[string][]byte, k), make(map[string][]byte, k)
	for range k {
		t := d.str()
		ids[t], prints[t] = d.bytes(), d.bytes()
	}
	return ids, prints
}

// decodeRecords decodes a part's records' section into out, and the bytes
// each was decoded from into raw, for encodePart to copy.
func decodeRecords(data []byte, out map[string]*record, raw map[string][]byte) error {
	d := &decoder{buf: data}
	for range d.count() {
		f := d.str()
		from := d.buf
		r := d.record()
		out[f], raw[f] = r, from[:len(from)-len(d.buf)]
	}
	if d.err != nil || len(d.buf) != 0 {
		return errDamaged
	}
	return nil
}

// record decodes one record, leaving its statements undecoded.
func (d *decoder) record() *record {
	r := &record{}
	for _, into := range []*[]declared{&r.Entities, &r.Documents} {
		k := d.count()
		if k == 0 {
			continue
		}
		ds := make([]declared, k)
		for j := range ds {
			ds[j] = declared{ID: d.str(), Kind: d.str(), Name: d.str(), Aliases: d.strs(), Line: d.uint(), Col: d.uint(),
				File: d.str(), Path: d.str(), Print: d.bytes()}
		}
		*into = ds
	}
	r.Cites = d.strs()
	r.undecoded = d.statements()
	return r
}

// joinRecords is the record of a file that came in parts (see
// Recorder.Add), from the record of each part, in order.
func joinRecords(pieces [][]byte) ([]byte, error) {
	all := &record{Statements: map[string][]byte{}, Prints: map[string][]byte{}}
	for _, piece := range pieces {
		d := &decoder{buf: piece}
		r := d.record()
		if d.err != nil || len(d.buf) != 0 {
			return nil, errDamaged
		}
		r.decodeStatements()
		all.Entities = append(all.Entities, r.Entities...)
		all.Documents = append(all.Documents, r.Documents...)
		for _, doc := range r.Cites {
			if !slices.Contains(all.Cites, doc) {
				all.Cites = append(all.Cites, doc)
			}
		}
		for t, ids := range r.Statements {
			all.Statements[t] = append(all.Statements[t], ids...)
			all.Prints[t] = append(all.Prints[t], r.Prints[t]...)
		}
	}
	e := &encoder{}
	encodeRecord(e, all)
	return e.buf, nil
}
