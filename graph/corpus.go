package graph

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
)

// Corpus is everything a set of annotation files declares, before it is
// checked: entities (actors, places, events), documents and the relations
// the documents report. Every item keeps where it was written, so checks can
// point at the line to fix.
type Corpus struct {
	Entities  []*Entity
	Documents []*Document
	Relations []*Relation
	Waivers   []*Waiver
}

// Append adds everything in other to c.
func (c *Corpus) Append(other *Corpus) {
	c.Entities = append(c.Entities, other.Entities...)
	c.Documents = append(c.Documents, other.Documents...)
	c.Relations = append(c.Relations, other.Relations...)
	c.Waivers = append(c.Waivers, other.Waivers...)
}

// Fields records where each field of an item was written, in the item's
// file. An item has a handful of fields, so a list: over a million
// relations, a map each cost a good share of kg check's time and memory.
type Fields []FieldPos

// FieldPos is where one field was written.
type FieldPos struct {
	Name      string
	Line, Col int
}

// At returns where field was written, or fallback when it was not.
func (f Fields) At(field string, fallback Pos) Pos {
	for _, fp := range f {
		if fp.Name == field {
			return Pos{File: fallback.File, Line: fp.Line, Col: fp.Col}
		}
	}
	return fallback
}

// Has reports whether field was written.
func (f Fields) Has(field string) bool {
	return slices.ContainsFunc(f, func(fp FieldPos) bool { return fp.Name == field })
}

// Set records where field was written.
func (f *Fields) Set(field string, at Pos) {
	*f = append(*f, FieldPos{Name: field, Line: at.Line, Col: at.Col})
}

// Entity is a node declared once and referred to by its ID: an actor, a
// place or an event.
type Entity struct {
	ID      string
	Kind    string
	Name    string
	Aliases []string
	// Date is when an event happened; zero for other kinds or when unknown.
	Date Date
	Note string

	Pos    Pos
	Fields Fields
}

// Document is a source document: the text the evidence quotes come from.
type Document struct {
	ID string
	// File is the text file's path as written in the annotation, relative to
	// the annotation file.
	File      string
	Path      string // File resolved against the annotation file's folder
	Text      string // the document's text, read from Path
	Title     string
	Publisher string // empty when unknown
	URL       string
	Date      Date // zero when unknown
	// Reliability is the Admiralty source grade A-F, empty when not graded.
	Reliability string
	Note        string

	Pos    Pos
	Fields Fields
}

// Figure is one number a source reports, kept as the source gives it.
type Figure struct {
	Measure   string // killed, wounded, ...
	Value     int
	Qualifier string // "", "at least", "about", "up to"
}

// String gives the figure as the source phrases it: "at least 12".
func (f Figure) String() string {
	if f.Qualifier == "" {
		return strconv.Itoa(f.Value)
	}
	return f.Qualifier + " " + strconv.Itoa(f.Value)
}

// Evidence ties a relation to the words of a source document.
type Evidence struct {
	Document string // document ID
	Quote    string
	// Start and End are the quote's byte offsets [Start, End) in the
	// document's UTF-8 text, set when the quote is found.
	Start, End int
}

// Relation is one statement a document reports: a subject, a relation type
// and an object, with its evidence.
type Relation struct {
	Subject string
	Type    string
	Object  string
	// About names the event the statement is about, if the annotation says.
	About string
	// Date is when the statement was made or the fact held; DateText keeps
	// the source's own wording ("Wednesday").
	Date     Date
	DateText string
	Evidence Evidence
	// Credibility is the Admiralty statement grade 1-6, empty when not graded.
	Credibility string
	Role        string
	Figures     []Figure
	Note        string

	Pos    Pos
	Fields Fields
}

// Waiver marks a sentence of a document that deliberately carries nothing,
// so coverage counts it as covered.
type Waiver struct {
	Document string
	Quote    string
	Reason   string
	Start    int
	End      int

	Pos    Pos
	Fields Fields
}

// CorpusReader reads annotation files into a corpus. Problems with the data
// come back as diagnostics; the error is for everything else.
type CorpusReader interface {
	ReadCorpus(paths ...string) (*Corpus, Diagnostics, error)
}

// PartReader is a CorpusReader that can also hand a corpus over a file at
// a time, so that it need not be held whole.
type PartReader interface {
	CorpusReader
	// List finds the annotation files that paths name, without reading
	// them.
	List(paths ...string) (Listing, error)
	// ReadParts reads files, as List lists them, and calls each with
	// every file's items and problems as the file is read, from several
	// goroutines at once. A large file that declares no document may come
	// in several parts, one after another, in the file's order; a file
	// that declares one comes in one part, since a quote is found in the
	// document of its own part. Once ctx is done it starts no other file,
	// and returns ctx's error when the files it read are done.
	ReadParts(ctx context.Context, each func(part *Corpus, ds Diagnostics), files []string) error
	// Text reads a document's text again, for a quote in another file.
	Text(d *Document) (string, error)
	// Scratch opens temporary storage for what the check of a large
	// corpus keeps of every relation until the end, so that memory need
	// not; the check closes it, and it is then gone. A nil Scratch, with
	// no error, leaves all of it in memory.
	Scratch() (Scratch, error)
}

// Listing is what a reader found for some paths: the annotation files,
// sorted, the folders it read to find them, and the problems with the
// paths themselves (one that names nothing, a folder without annotation
// files). A load lists its files once, and its check, its reading and its
// cache share the one list: a corpus of many small files would otherwise
// hold each name several times.
type Listing struct {
	Paths, Files, Folders []string
	Problems              Diagnostics
}

// Totals counts what a corpus declares.
type Totals struct {
	Documents, Entities, Relations int
}

// Scan reads and checks the annotation files l lists a file at a time,
// without keeping them: each is called with every file's items, from
// several goroutines at once, once they are checked against what came
// before (a quote in a document of a file not yet read has its offsets
// only once Scan returns). It returns what the files hold and every
// problem, l's own among them, exactly as Read would; the error is for
// failures that are not the data's, or ctx's when it ends the reading.
func Scan(ctx context.Context, r PartReader, o *Ontology, each func(part *Corpus), l Listing) (Totals, Diagnostics, error) {
	ch := NewChecker(o, r.Text)
	ch.SpillTo(r.Scratch)
	ch.Files(l.Files)
	var mu sync.Mutex
	all := slices.Clone(l.Problems)
	var n Totals
	err := r.ReadParts(ctx, func(part *Corpus, ds Diagnostics) {
		ch.Add(part)
		mu.Lock()
		all = append(all, ds...)
		n.Documents += len(part.Documents)
		n.Entities += len(part.Entities)
		n.Relations += len(part.Relations)
		mu.Unlock()
		if each != nil {
			each(part)
		}
	}, l.Files)
	if err == nil {
		err = ctx.Err() // the files may be whole, but not what came of them
	}
	if err != nil {
		return Totals{}, nil, err
	}
	all = append(all, ch.Finish()...)
	if ch.err != nil {
		return Totals{}, nil, fmt.Errorf("check: %w", ch.err)
	}
	all.Sort()
	return n, all, nil
}

// Read reads and checks the annotation files at paths. It returns the
// corpus even when it is invalid (for counts and coverage) with every
// problem, sorted; the error is for failures that are not the data's.
func Read(r CorpusReader, o *Ontology, paths ...string) (*Corpus, Diagnostics, error) {
	c, ds, err := r.ReadCorpus(paths...)
	if err != nil {
		return nil, nil, err
	}
	return c, withCheck(ds, c, o), nil
}

// withCheck is ds, the problems found reading c, with those Check finds in
// it, sorted.
func withCheck(ds Diagnostics, c *Corpus, o *Ontology) Diagnostics {
	ds = append(ds, Check(c, o)...)
	ds.Sort()
	return ds
}

// Open reads, checks and builds the graph of the annotation files at paths.
// When the data has problems it returns them and no graph.
func Open(r CorpusReader, o *Ontology, paths ...string) (*Graph, Diagnostics, error) {
	c, ds, err := Read(r, o, paths...)
	if err != nil || len(ds) > 0 {
		return nil, ds, err
	}
	g, err := Build(c, o)
	return g, nil, err
}
