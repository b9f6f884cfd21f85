// Package loadcache remembers, per annotation file, what the last kg load
// read from it, so that the next load reads and checks only the files that
// changed and sends the store a graph.Delta rather than the whole graph.
//
// It is what makes reloading a large corpus cost what changed: a file is
// unchanged when its size and modification time, and those of the document
// texts it declares, are what they were (the test make and git use). The
// cache is only ever a shortcut: when it is missing, old, for another store
// or ontology, or when a change could affect files that did not change (an
// id removed, a kind changed, problems found), Plan says so and the caller
// loads in full, which checks everything and rewrites the cache.
package loadcache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/collect"
	"github.com/kgraph/kg/internal/parallel"
)

// Reader is what the cache needs of the annotation reader: the files a set
// of paths names and the folders read to find them, and reading some files.
type Reader interface {
	graph.CorpusReader
	List(paths ...string) (graph.Listing, error)
}

// Cache plans loads from what it remembers of the last one.
type Cache struct {
	Dir      string // where the cache keeps its files; created when needed
	Reader   Reader
	Ontology *graph.Ontology
	// Key names everything outside the files that a load depends on (the
	// store's address, the ontology's text): a cache saved under another
	// key is not used.
	Key string
}

// version changes whenever the manifest's meaning changes.
const version = 4

// shards is how many parts a cache is stored in. A reload rewrites only the
// parts holding a file that changed: at a million relations a part is
// under a megabyte, where the whole cache is some 40.
const shards = 64

// manifest is what the cache keeps about one load. It is stored as a top
// file and the parts it names (see codec.go), each part holding the stamps
// and then the records of its files, so that a reload that finds every file
// unchanged decodes only the stamps.
type manifest struct {
	head
	files map[string]*record // by annotation file, as the reader names it
	// raw holds the encoded bytes of the records read from the cache and
	// not changed since, which writing copies as they are.
	raw map[string][]byte
	// spill holds the records a full load encoded as it went, when it
	// made m (Recorder).
	spill *spill
	// parts names each shard's part file, "" for none; nil before the
	// first write.
	parts []string
	// decode reads files from the cache on first need.
	decode func() error
	once   sync.Once
	done   chan struct{} // closed once decode has run
	err    error         // of decode
}

type head struct {
	Version    int
	Key        string
	Generation string
	// Stamps are each annotation file's, then the texts of the documents
	// it declares.
	Stamps map[string][]stamp
	// Paths are those the load listed, and Folders the stamps of the
	// folders read to list them: while those are as they were, the files
	// are those in Stamps, and the next plan need not list them again.
	Paths   []string
	Folders []stamp
}

// shard is the part that file's stamps and record are stored in.
func shard(file string) int {
	h := fnv.New32a()
	h.Write([]byte(file))
	return int(h.Sum32() % shards)
}

// shardFiles lists, by shard, the files of m in the shards wanted.
func (m *manifest) shardFiles(wanted func(int) bool) map[int][]string {
	byShard := map[int][]string{}
	for f := range m.Stamps {
		if i := shard(f); wanted(i) {
			byShard[i] = append(byShard[i], f)
		}
	}
	for _, files := range byShard {
		slices.Sort(files)
	}
	return byShard
}

// records gives the records, reading them from the cache on first need.
func (m *manifest) records() (map[string]*record, error) {
	m.prefetch()
	<-m.done
	return m.files, m.err
}

// prefetch starts decoding the records in the background, once: Plan calls
// it as soon as it finds a changed file, so that the decoding overlaps the
// checking of the other files' stamps.
func (m *manifest) prefetch() {
	m.once.Do(func() {
		m.done = make(chan struct{})
		go func() {
			defer close(m.done)
			if m.decode != nil {
				m.err = m.decode()
			}
		}()
	})
}

// record is what one annotation file contributed to a load.
type record struct {
	Entities  []declared
	Documents []declared
	// Cites lists the documents its relations and waivers quote: when one
	// of them changes, so may the offsets of its quotes.
	Cites []string
	// Statements holds its statements' IDs by type, each ID packed into
	// the bytes its hex spells, which keeps a million of them small.
	Statements map[string][]byte
	// Prints holds, by type and in the same order, each statement's print.
	Prints map[string][]byte
	// undecoded holds Statements and Prints as read from the cache, until
	// decodeStatements decodes them.
	undecoded []byte
}

// decodeStatements fills in Statements and Prints of a record read from
// the cache.
func (r *record) decodeStatements() {
	if r.undecoded != nil {
		r.Statements, r.Prints = decodeStatements(r.undecoded)
		r.undecoded = nil
	}
}

// stamp identifies a file's content without reading it.
type stamp struct {
	Path          string
	Size, ModTime int64
}

// declared is an entity or document as other files see it: what the
// checks of references and names need, and where it was declared.
type declared struct {
	ID, Kind, Name string
	Aliases        []string
	Line, Col      int
	File, Path     string // documents: the text file as written, and resolved
	Print          []byte // of its node
}

// Plan is the outcome of comparing the files with the cache.
type Plan struct {
	// Delta is what to send the store, or nil when the load must be full;
	// Reason then says why.
	Delta  *graph.Delta
	Reason string
	// Files counts the annotation files; Changed those read again
	// (changed, new, or quoting a document that changed); Removed those gone.
	Files, Changed, Removed int

	cache   *Cache
	m       *manifest
	updated map[string]*record
	stamps  map[string][]stamp // of the updated files
	removed []string
	listed  *graph.Listing // when the plan listed the files again
	start   time.Time
}

// name is what the cache's files are named after: the top file is
// name.cache, its parts name-*.part.
func (c *Cache) name() string {
	sum := sha256.Sum256([]byte(c.Key))
	return "load-" + hex.EncodeToString(sum[:8])
}

func (c *Cache) path() string { return filepath.Join(c.Dir, c.name()+".cache") }

// readTop reads the cache's top file.
func (c *Cache) readTop() (*manifest, error) {
	data, err := os.ReadFile(c.path())
	if err != nil {
		return nil, err
	}
	m, parts, err := decodeTop(data)
	if err != nil {
		return nil, err
	}
	if m.Version != version || m.Key != c.Key {
		return nil, errors.New("made by another kg version or for another store")
	}
	m.parts, m.Stamps = parts, map[string][]stamp{}
	return m, nil
}

// readParts reads the stamps of m's parts, and readies the decoding of
// their records.
func (c *Cache) readParts(m *manifest) error {
	var sections [][]byte // each part's records, undecoded
	for _, name := range m.parts {
		if name == "" {
			continue
		}
		if filepath.Base(name) != name {
			return errDamaged
		}
		data, err := os.ReadFile(filepath.Join(c.Dir, name))
		if err != nil {
			return err
		}
		recs, err := decodePart(data, m)
		if err != nil {
			return err
		}
		sections = append(sections, recs)
	}
	m.decode = func() error {
		m.files, m.raw = make(map[string]*record, len(m.Stamps)), make(map[string][]byte, len(m.Stamps))
		for _, recs := range sections {
			if err := decodeRecords(recs, m.files, m.raw); err != nil {
				return err
			}
		}
		if len(m.files) != len(m.Stamps) {
			return errDamaged
		}
		return nil
	}
	return nil
}

func full(reason string, files int) (*Plan, error) {
	return &Plan{Reason: reason, Files: files}, nil
}

// Plan compares the annotation files at paths with the last load. The error
// is for failures that are not the data's; problems in the data make a
// full-load plan, whose full check reports them.
func (c *Cache) Plan(paths []string) (*Plan, error) {
	start := time.Now()
	// Each stat allocates, and the cache decoded lives until the plan is
	// made: at a million relations, collecting less took a one-file reload
	// from 0.37 to 0.34 s (bench/reloads, ten rounds; BENCHMARKS.md).
	defer collect.Less()()
	// The files are those the last load listed while the folders read to
	// list them are as they were: a file added, removed or renamed changes
	// its folder's modification time. Otherwise, listing the files, and
	// reading the cache then checking the stamps it holds, are independent;
	// on a large corpus each is a noticeable part of a reload.
	m, readErr := c.readTop()
	relist := readErr != nil || !slices.Equal(m.Paths, paths) || !fresh(m.Folders)
	stale := map[string]bool{} // files the cache holds that changed or went
	read := make(chan struct{})
	go func() {
		defer close(read)
		if readErr != nil {
			return
		}
		if readErr = c.readParts(m); readErr != nil {
			return
		}
		cached := slices.Collect(maps.Keys(m.Stamps))
		changed := make([]bool, len(cached))
		parallel.Each(len(cached), func(i int) {
			if !fresh(m.Stamps[cached[i]]) {
				changed[i] = true
				m.prefetch()
			}
		})
		for i, f := range cached {
			if changed[i] {
				stale[f] = true
			}
		}
	}()
	var listed *graph.Listing
	if relist {
		l, err := c.Reader.List(paths...)
		<-read
		if err != nil || len(l.Problems) > 0 {
			return full("the paths have problems", len(l.Files))
		}
		listed = &l
	}
	<-read
	if readErr != nil {
		return full("no cache of an earlier load", 0)
	}
	p := &Plan{cache: c, m: m, Files: len(m.Stamps), start: start, updated: map[string]*record{}, listed: listed}
	changed := slices.Sorted(maps.Keys(stale))
	if listed != nil {
		p.Files = len(listed.Files)
		changed = p.compare(listed.Files, stale)
	}
	p.Delta = &graph.Delta{Generation: m.Generation}
	if len(changed) == 0 && len(p.removed) == 0 {
		return p, nil
	}
	recs, err := m.records()
	if err != nil {
		return full("the cache of the last load is damaged", p.Files)
	}
	changed = withCiting(recs, changed, p.removed)
	p.Changed, p.Removed = len(changed), len(p.removed)
	if reason, err := p.compute(recs, changed); err != nil || reason != "" {
		return &Plan{Reason: reason, Files: p.Files}, err
	}
	return p, nil
}

// compare compares the files listed with those the cache holds, of which
// stale have changed: it returns the files to read again, and notes in p
// those gone.
func (p *Plan) compare(files []string, stale map[string]bool) (changed []string) {
	present := make(map[string]bool, len(files))
	for _, f := range files {
		present[f] = true
		if _, cached := p.m.Stamps[f]; !cached || stale[f] {
			changed = append(changed, f)
			p.m.prefetch()
		}
	}
	for f := range p.m.Stamps {
		if !present[f] {
			p.removed = append(p.removed, f)
		}
	}
	slices.Sort(p.removed)
	return changed
}

// fresh reports whether every file stamped is as it was.
func fresh(stamps []stamp) bool {
	for _, s := range stamps {
		if s.ModTime == 0 {
			return false
		}
		info, err := os.Stat(s.Path)
		if err != nil || info.Size() != s.Size || info.ModTime().UnixNano() != s.ModTime {
			return false
		}
	}
	return len(stamps) > 0
}

// withCiting adds to changed the unchanged files that quote a document
// declared by a changed or removed file: their quotes must be found again.
func withCiting(recs map[string]*record, changed, removed []string) []string {
	docs := map[string]bool{}
	for _, f := range append(slices.Clone(changed), removed...) {
		if r := recs[f]; r != nil {
			for _, d := range r.Documents {
				docs[d.ID] = true
			}
		}
	}
	if len(docs) == 0 {
		return changed
	}
	in := map[string]bool{} // changed, or gone
	for _, f := range append(slices.Clone(changed), removed...) {
		in[f] = true
	}
	for f, r := range recs {
		if in[f] {
			continue
		}
		for _, d := range r.Cites {
			if docs[d] {
				changed, in[f] = append(changed, f), true
				break
			}
		}
	}
	slices.Sort(changed)
	return changed
}

// compute reads and checks the changed files against what the unchanged
// ones declare, and fills in the delta. A non-empty reason means the
// change needs a full load.
func (p *Plan) compute(recs map[string]*record, changed []string) (reason string, err error) {
	c := p.cache
	corpus, ds, err := c.Reader.ReadCorpus(changed...)
	if err != nil {
		return "", err
	}
	if len(ds) > 0 {
		return "the changed files have problems: " + ds[0].Error(), nil
	}
	// What the changed and removed files declared must still be declared,
	// with the same kind: unchanged files may refer to it.
	now := map[string]string{}
	for _, e := range corpus.Entities {
		now[e.ID] = e.Kind
	}
	for _, d := range corpus.Documents {
		now[d.ID] = "Document"
	}
	d := p.Delta
	redo := map[string]bool{}
	oldNodes := map[string][]byte{}                  // print by id
	oldStatements := map[graph.StatementRef][]byte{} // print
	for _, f := range append(slices.Clone(changed), p.removed...) {
		redo[f] = true
		r := recs[f]
		if r == nil {
			continue
		}
		for _, e := range slices.Concat(r.Entities, r.Documents) {
			if kind := now[e.ID]; kind != e.Kind {
				return fmt.Sprintf("%s no longer declares %s %q as it did", f, e.Kind, e.ID), nil
			}
			oldNodes[e.ID] = e.Print
		}
		r.decodeStatements()
		for typ, ids := range r.Statements {
			prints := r.Prints[typ]
			for i := 0; i+idBytes <= len(ids); i += idBytes {
				ref := graph.StatementRef{ID: hex.EncodeToString(ids[i : i+idBytes]), Type: typ}
				if i+printBytes <= len(prints) {
					oldStatements[ref] = prints[i : i+printBytes]
				} else {
					oldStatements[ref] = nil
				}
			}
		}
	}
	// The check sees the changed files whole and, of the rest, what they
	// declared at the last load that the changed files could clash with or
	// refer to: enough for references, duplicate ids and names, and the
	// quotes of the changed files. Declarations that concern neither cannot
	// change the outcome, and leaving them out keeps a one-file change from
	// costing a check of every declaration.
	partial := &graph.Corpus{Relations: corpus.Relations, Waivers: corpus.Waivers}
	partial.Entities = append(partial.Entities, corpus.Entities...)
	partial.Documents = append(partial.Documents, corpus.Documents...)
	near := concerns(corpus)
	// The records are visited in map order, and what is kept of them is
	// put in file order after: sorting every file's name cost a one-file
	// reload more than the check does (BenchmarkReload with -cpuprofile
	// shows a plan's costs).
	for f, r := range recs {
		if redo[f] {
			continue
		}
		for _, e := range r.Entities {
			if !near.entity(e) {
				continue
			}
			partial.Entities = append(partial.Entities, &graph.Entity{ID: e.ID, Kind: e.Kind, Name: e.Name, Aliases: e.Aliases,
				Pos: graph.Pos{File: f, Line: e.Line, Col: e.Col}})
		}
		for _, e := range r.Documents {
			if !near.ids[e.ID] {
				continue
			}
			doc := &graph.Document{ID: e.ID, File: e.File, Path: e.Path, Pos: graph.Pos{File: f, Line: e.Line, Col: e.Col}}
			if near.cited[e.ID] {
				text, err := os.ReadFile(e.Path)
				if err != nil {
					return "a quoted document's text cannot be read", nil
				}
				doc.Text = string(text)
			}
			partial.Documents = append(partial.Documents, doc)
		}
	}
	slices.SortStableFunc(partial.Entities[len(corpus.Entities):], func(a, b *graph.Entity) int { return strings.Compare(a.Pos.File, b.Pos.File) })
	slices.SortStableFunc(partial.Documents[len(corpus.Documents):], func(a, b *graph.Document) int { return strings.Compare(a.Pos.File, b.Pos.File) })
	if ds := graph.Check(partial, c.Ontology); len(ds) > 0 {
		return "the changed files have problems: " + ds[0].Error(), nil
	}
	g, err := graph.Build(partial, c.Ontology)
	if err != nil {
		return "", err
	}
	// What the changed files declare and report as they did before is
	// stored as it is: the delta leaves it out, before and after.
	for _, n := range g.Nodes {
		if _, ok := now[n.ID]; !ok {
			continue
		}
		if old, ok := oldNodes[n.ID]; ok && bytes.Equal(old, nodePrint(n)) {
			delete(oldNodes, n.ID)
			continue
		}
		d.Nodes = append(d.Nodes, n)
	}
	d.OldNodes = slices.Sorted(maps.Keys(oldNodes))
	for _, st := range g.Statements {
		ref := graph.StatementRef{ID: st.ID, Type: st.Type}
		if old, ok := oldStatements[ref]; ok && bytes.Equal(old, statementPrint(st)) {
			delete(oldStatements, ref)
			continue
		}
		d.Statements = append(d.Statements, st)
	}
	d.OldStatements = slices.SortedFunc(maps.Keys(oldStatements), func(a, b graph.StatementRef) int {
		return strings.Compare(a.Type+" "+a.ID, b.Type+" "+b.ID)
	})
	p.updated, p.stamps = records(corpus, g, changed, p.start)
	return "", nil
}

// nearby is what a set of changed files could clash with or refer to in
// the files that did not change.
type nearby struct {
	ids   map[string]bool // declared or referred to by the changed files
	names map[string]bool // their entities' names and aliases, lower-cased as graph.Check compares them
	cited map[string]bool // documents they quote
}

func concerns(c *graph.Corpus) nearby {
	n := nearby{ids: map[string]bool{}, names: map[string]bool{}, cited: map[string]bool{}}
	for _, e := range c.Entities {
		n.ids[e.ID] = true
		for _, name := range append([]string{e.Name}, e.Aliases...) {
			n.names[strings.ToLower(name)] = true
		}
	}
	for _, d := range c.Documents {
		n.ids[d.ID] = true
	}
	for _, r := range c.Relations {
		n.ids[r.Subject], n.ids[r.Object], n.ids[r.About] = true, true, true
		n.ids[r.Evidence.Document], n.cited[r.Evidence.Document] = true, true
	}
	for _, w := range c.Waivers {
		n.ids[w.Document], n.cited[w.Document] = true, true
	}
	return n
}

// entity reports whether an unchanged file's entity concerns the changed
// files: they declare or refer to its id, or share one of its names.
func (n nearby) entity(e declared) bool {
	return n.ids[e.ID] || n.name(e.Name) || slices.ContainsFunc(e.Aliases, n.name)
}

// name reports whether the changed files' entities use name. It runs for
// every name of every entity of the corpus on each reload, so it lower-cases
// ASCII names, nearly all of them, without allocating.
func (n nearby) name(name string) bool {
	var buf [64]byte
	lower := buf[:0]
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= utf8.RuneSelf {
			return n.names[strings.ToLower(name)]
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower = append(lower, c)
	}
	return n.names[string(lower)]
}

// idBytes is the length of a statement ID once packed.
const idBytes = 8

// records makes the records of files from the corpus read from them and its
// graph. Stamps of files modified since start are left zero, so the next
// load reads them again: an edit made during this load is not lost, even
// within the file system's clock resolution.
func records(c *graph.Corpus, g *graph.Graph, files []string, start time.Time) (map[string]*record, map[string][]stamp) {
	rec := newRecorder()
	rec.declarations(c, g.Node)
	rec.statements(c.Relations, g.Statements)
	rec.complete(files)
	return rec.recs, rec.stamps(start)
}

// recorder makes the records of files from what was read from them.
type recorder struct {
	recs map[string]*record
}

func newRecorder() *recorder { return &recorder{recs: map[string]*record{}} }

// complete gives a record to each of files that has none, being empty.
// Records are made as files' items come, not all at the start: at a
// million relations, 100,000 empty records were 10 MB at the live heap's
// largest, while entities.yaml is read.
func (rec *recorder) complete(files []string) {
	for _, f := range files {
		rec.get(f)
	}
}

// get is file's record, made if there is none.
func (rec *recorder) get(file string) *record {
	r := rec.recs[file]
	if r == nil {
		r = &record{Statements: map[string][]byte{}, Prints: map[string][]byte{}}
		rec.recs[file] = r
	}
	return r
}

// declarations records c's entities and documents, with the print of each
// one's node (node finds it), and the documents c's relations and waivers
// cite.
func (rec *recorder) declarations(c *graph.Corpus, node func(id string) (*graph.Node, bool)) {
	printOf := func(id string) []byte {
		if n, ok := node(id); ok {
			return nodePrint(n)
		}
		return nil // never matches: the node is sent
	}
	for _, e := range c.Entities {
		r := rec.get(e.Pos.File)
		r.Entities = append(r.Entities, declared{ID: e.ID, Kind: e.Kind, Name: e.Name, Aliases: e.Aliases, Line: e.Pos.Line, Col: e.Pos.Col,
			Print: printOf(e.ID)})
	}
	for _, d := range c.Documents {
		r := rec.get(d.Pos.File)
		r.Documents = append(r.Documents, declared{ID: d.ID, Kind: "Document", Line: d.Pos.Line, Col: d.Pos.Col, File: d.File, Path: d.Path,
			Print: printOf(d.ID)})
	}
	for _, rel := range c.Relations {
		rec.cite(rel.Pos.File, rel.Evidence.Document)
	}
	for _, w := range c.Waivers {
		rec.cite(w.Pos.File, w.Document)
	}
}

func (rec *recorder) cite(file, doc string) {
	if r := rec.get(file); !slices.Contains(r.Cites, doc) {
		r.Cites = append(r.Cites, doc)
	}
}

// statements records statements[i], made from rels[i], in rels[i]'s file.
func (rec *recorder) statements(rels []*graph.Relation, statements []*graph.Statement) {
	// Hashing a million statements is most of the work: on all CPUs.
	prints := make([]byte, printBytes*len(statements))
	parallel.EachSmall(len(statements), func(i int) {
		copy(prints[i*printBytes:], statementPrint(statements[i]))
	})
	for i, rel := range rels {
		r := rec.get(rel.Pos.File)
		st := statements[i]
		id, err := hex.DecodeString(st.ID)
		if err != nil || len(id) != idBytes {
			id = make([]byte, idBytes) // never matches; the next load of this file is full
		}
		r.Statements[st.Type] = append(r.Statements[st.Type], id...)
		r.Prints[st.Type] = append(r.Prints[st.Type], prints[i*printBytes:(i+1)*printBytes]...)
	}
}

// stamps are the stamps of each recorded file and of its documents' texts.
func (rec *recorder) stamps(start time.Time) map[string][]stamp {
	stamps := make(map[string][]stamp, len(rec.recs))
	for f, r := range rec.recs {
		stamps[f] = stampsOf(f, r, start)
	}
	return stamps
}

// stampsOf are the stamps of file, whose record is r, and of its
// documents' texts.
func stampsOf(file string, r *record, start time.Time) []stamp {
	st := []stamp{stampOf(file, start)}
	for _, d := range r.Documents {
		st = append(st, stampOf(d.Path, start))
	}
	return st
}

// Recorder makes the record of a full load as its parts go by (see
// graph.Stream), so that the corpus need not be held whole for it. A file's
// record is encoded once all its statements have come, and kept with its
// stamps in a spill file until the cache is written; memory holds only
// the records of files whose parts are still coming. A large file may
// come in several parts (see graph.PartReader): each part's record is
// encoded as it is complete, and the pieces are joined when the cache is
// written.
type Recorder struct {
	cache  *Cache
	listed graph.Listing
	start  time.Time
	rec    *recorder      // the records not yet encoded
	spill  *spill         // the records encoded so far; nil until the first
	owed   map[string]int // by file: statements still to come
	err    error          // why the records cannot be kept, if so
}

// Record starts the record of a full load of the files listed, which began
// reading them at start. Once the load is over, the caller saves the record
// (Pending) or drops it (Close).
func (c *Cache) Record(listed graph.Listing, start time.Time) *Recorder {
	return &Recorder{cache: c, listed: listed, start: start, rec: newRecorder(), owed: map[string]int{}}
}

// Add records a part of the load; parts come one at a time, in the feed's
// order, so a file's items come before or with its statements.
func (r *Recorder) Add(p graph.Part) {
	touched := map[string]bool{}
	if p.Corpus != nil {
		nodes := make(map[string]*graph.Node, len(p.Nodes))
		for _, n := range p.Nodes {
			nodes[n.ID] = n
		}
		r.rec.declarations(p.Corpus, func(id string) (*graph.Node, bool) { n, ok := nodes[id]; return n, ok })
		for _, d := range p.Corpus.Documents {
			touched[d.Pos.File] = true
		}
		for _, e := range p.Corpus.Entities {
			touched[e.Pos.File] = true
		}
		for _, rel := range p.Corpus.Relations {
			r.owed[rel.Pos.File]++
			touched[rel.Pos.File] = true
		}
	}
	r.rec.statements(p.Relations, p.Statements)
	for _, rel := range p.Relations {
		r.owed[rel.Pos.File]--
		touched[rel.Pos.File] = true
	}
	for f := range touched {
		if r.owed[f] == 0 {
			r.encode(f)
		}
	}
}

// encode encodes file's record, which is complete, into the spill.
func (r *Recorder) encode(file string) {
	rec := r.rec.recs[file]
	if rec == nil || r.err != nil {
		return
	}
	if r.spill == nil {
		if r.spill, r.err = newSpill(r.cache.Dir); r.err != nil {
			return
		}
	}
	e := &encoder{}
	encodeRecord(e, rec)
	r.spill.put(file, stampsOf(file, rec, r.start), e.buf)
	delete(r.rec.recs, file)
	delete(r.owed, file)
}

// Pending is the cache's next content, once every part is recorded. Its
// parts are encoded as Commit writes them, from the spill, which it
// closes.
func (r *Recorder) Pending() (*Pending, error) {
	if r.err == nil && r.spill == nil {
		r.spill, r.err = newSpill(r.cache.Dir) // no file declared anything
	}
	for f := range r.rec.recs {
		r.encode(f)
	}
	if r.err == nil {
		r.err = r.spill.finish()
	}
	if r.err != nil {
		r.Close()
		return nil, r.err
	}
	c, s, start := r.cache, r.spill, r.start
	m := &manifest{head: head{Version: version, Key: c.Key}, spill: s}
	m.Paths, m.Folders = listingStamps(r.listed, start)
	listed := make([][]string, shards)
	for _, f := range r.listed.Files {
		listed[shard(f)] = append(listed[shard(f)], f)
	}
	p := &Pending{cache: c, m: m, part: func(i int) ([]byte, error) { return s.part(m, i, listed[i], start) }, changed: everyShard()}
	r.spill = nil
	return p, nil
}

// Close drops the record: for a load that failed, or that Pending has
// taken over.
func (r *Recorder) Close() {
	if r.spill != nil {
		r.spill.close()
		r.spill = nil
	}
}

func stampOf(path string, start time.Time) stamp {
	s := stamp{Path: path}
	info, err := os.Stat(path)
	if err != nil || !info.ModTime().Before(start.Add(-time.Second)) {
		return s
	}
	s.Size, s.ModTime = info.Size(), info.ModTime().UnixNano()
	return s
}

// Commit records that the store took the plan's delta and now holds
// generation. It is Prepare and Pending.Commit in one.
func (p *Plan) Commit(generation string) error {
	next, err := p.Prepare()
	if err != nil {
		return err
	}
	return next.Commit(generation)
}

// Prepare makes the cache's next content for when the store has taken the
// plan's delta, so that the parts it changes are encoded while the store
// works.
func (p *Plan) Prepare() (*Pending, error) {
	if p.Delta == nil {
		return nil, errors.New("prepare: a full-load plan has nothing to commit; record the full load (Record)")
	}
	m := p.m
	if p.listed != nil {
		m.Paths, m.Folders = listingStamps(*p.listed, p.start)
	}
	if len(p.updated) == 0 && len(p.removed) == 0 {
		if p.listed != nil { // the folders' new stamps: only the top is written
			return &Pending{cache: p.cache, m: m}, nil
		}
		// Nothing to remember that the cache does not hold, unless the
		// store names a new generation: then only the top is written.
		return &Pending{cache: p.cache, m: m, unchangedAt: m.Generation}, nil
	}
	recs, err := m.records()
	if err != nil {
		return nil, err
	}
	dirty := map[int]bool{}
	for _, f := range p.removed {
		delete(recs, f)
		delete(m.raw, f)
		delete(m.Stamps, f)
		dirty[shard(f)] = true
	}
	for f, r := range p.updated {
		recs[f], m.Stamps[f] = r, p.stamps[f]
		delete(m.raw, f)
		dirty[shard(f)] = true
	}
	return p.cache.pending(m, func(i int) bool { return dirty[i] }), nil
}

// Pending is the cache's next content, made while the store takes a load
// and saved once it has.
type Pending struct {
	cache *Cache
	m     *manifest
	// changed lists the shards to write, and part gives each one's bytes,
	// nil for a shard with no files left. A delta's parts are encoded
	// while the store works; a full load's, every shard, as Commit writes
	// them, so that only a few are in memory at once.
	changed []int
	part    func(i int) ([]byte, error)
	// unchangedAt, when set, is the generation under which the cache
	// already holds m.
	unchangedAt string
}

// pending encodes the shards of m that dirty reports.
func (c *Cache) pending(m *manifest, dirty func(int) bool) *Pending {
	p := &Pending{cache: c, m: m}
	for i := range shards {
		if dirty(i) {
			p.changed = append(p.changed, i)
		}
	}
	byShard := m.shardFiles(dirty)
	list := slices.Collect(maps.Keys(byShard))
	encoded := make([][]byte, len(list))
	parallel.Each(len(list), func(k int) {
		encoded[k] = encodePart(m, byShard[list[k]])
	})
	parts := map[int][]byte{}
	for k, i := range list {
		parts[i] = encoded[k]
	}
	p.part = func(i int) ([]byte, error) { return parts[i], nil }
	return p
}

// full is the cache's content after a full load of the files listed,
// begun at start, that made recs. Its parts are encoded as they are
// written.
func (c *Cache) full(listed graph.Listing, start time.Time, recs map[string]*record, stamps map[string][]stamp) *Pending {
	m := &manifest{head: head{Version: version, Key: c.Key, Stamps: stamps}, files: recs}
	m.Paths, m.Folders = listingStamps(listed, start)
	byShard := m.shardFiles(func(int) bool { return true })
	return &Pending{cache: c, m: m, part: func(i int) ([]byte, error) {
		if len(byShard[i]) == 0 {
			return nil, nil
		}
		return encodePart(m, byShard[i]), nil
	}, changed: everyShard()}
}

// everyShard lists every shard: a full load rewrites them all.
func everyShard() []int {
	all := make([]int, shards)
	for i := range all {
		all[i] = i
	}
	return all
}

// listingStamps are what the cache keeps of a listing made during a load
// begun at start: its paths, and the stamps of its folders.
func listingStamps(l graph.Listing, start time.Time) ([]string, []stamp) {
	folders := make([]stamp, len(l.Folders))
	for i, f := range l.Folders {
		folders[i] = stampOf(f, start)
	}
	return slices.Clone(l.Paths), folders
}

// Commit saves the cache's next content, the store now holding generation.
func (p *Pending) Commit(generation string) error {
	if p.m.spill != nil {
		defer p.m.spill.close()
	}
	if p.unchangedAt != "" && generation == p.unchangedAt {
		return nil
	}
	p.m.Generation = generation
	return p.cache.write(p.m, p.changed, p.part)
}

// SaveFull records a full load of the files listed that the store took as
// generation: corpus is what was read from them, g its graph, and start
// when the load began reading them. kg load records its full loads as they
// go (Record); this is for a corpus already whole.
func (c *Cache) SaveFull(listed graph.Listing, corpus *graph.Corpus, g *graph.Graph, generation string, start time.Time) error {
	recs, stamps := records(corpus, g, listed.Files, start)
	return c.full(listed, start, recs, stamps).Commit(generation)
}

// write saves m atomically, its shards changed rewritten (part gives each
// one's bytes, nil for a shard with no files left): a crash leaves the old
// cache or the new one. Each part is written to a file of a new name, then
// the top file naming them replaces the old top in one rename; only then
// are the part files it no longer names removed.
func (c *Cache) write(m *manifest, changed []int, part func(i int) ([]byte, error)) error {
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return fmt.Errorf("save load cache: %w", err)
	}
	names := slices.Clone(m.parts)
	if names == nil {
		names = make([]string, shards)
	}
	errs := make([]error, len(changed))
	parallel.Each(len(changed), func(k int) {
		i := changed[k]
		names[i] = ""
		data, err := part(i)
		if err == nil && data != nil {
			var name string
			if name, err = c.create(c.name()+"-*.part", data); err == nil {
				names[i] = filepath.Base(name)
			}
		}
		errs[k] = err
	})
	err := errors.Join(errs...)
	if err == nil {
		var tmp string
		if tmp, err = c.create(".load-*", encodeTop(m, names)); err == nil {
			if err = os.Rename(tmp, c.path()); err != nil {
				os.Remove(tmp)
			}
		}
	}
	if err != nil {
		for _, i := range changed {
			if names[i] != "" {
				os.Remove(filepath.Join(c.Dir, names[i]))
			}
		}
		return fmt.Errorf("save load cache: %w", err)
	}
	m.parts = names
	c.removeParts(names)
	return nil
}

// create writes data to a new file in the cache's folder, named after
// pattern as os.CreateTemp names it, and returns its path.
func (c *Cache) create(pattern string, data []byte) (string, error) {
	f, err := os.CreateTemp(c.Dir, pattern)
	if err != nil {
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// removeParts removes the cache's part files but those named in keep: the
// parts a write replaced, and any left by a write that failed.
func (c *Cache) removeParts(keep []string) {
	found, _ := filepath.Glob(filepath.Join(c.Dir, c.name()+"-*.part"))
	for _, path := range found {
		if !slices.Contains(keep, filepath.Base(path)) {
			os.Remove(path)
		}
	}
}

// Forget removes the cache, so the next load is full.
func (c *Cache) Forget() error {
	err := os.Remove(c.path())
	if errors.Is(err, fs.ErrNotExist) {
		err = nil
	}
	c.removeParts(nil)
	return err
}
