package graph

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/kgraph/kg/internal/idtable"
	"github.com/kgraph/kg/internal/parallel"
)

// idPattern keeps IDs safe to type on a command line and to read aloud:
// lower-case words joined by hyphens.
var idPattern = regexp.MustCompile(`^[a-z0-9]+(?:[-_.][a-z0-9]+)*$`)

// Qualifiers are the words a figure may carry before its number.
var Qualifiers = []string{"at least", "about", "up to", "more than", "nearly"}

// ParseFigure reads a figure such as "12", "at least 12" or "about 40".
func ParseFigure(measure, s string) (Figure, error) {
	s = strings.TrimSpace(s)
	f := Figure{Measure: measure}
	for _, q := range Qualifiers {
		if rest, ok := strings.CutPrefix(s, q+" "); ok {
			f.Qualifier, s = q, strings.TrimSpace(rest)
			break
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || !isDigits(s) {
		return Figure{}, fmt.Errorf("figure %s: %q is not a whole number", measure, s)
	}
	f.Value = n
	return f, nil
}

// Check validates a whole corpus against the ontology: IDs are unique and
// well formed, references resolve to declared items of an allowed kind,
// grades are in range, and every quote is found in its document (recording
// its offsets). It returns every problem found, sorted.
func Check(c *Corpus, o *Ontology) Diagnostics {
	ch := NewChecker(o, nil)
	ch.Add(c)
	return ch.Finish()
}

// Checker is Check a part at a time, so that a corpus need not be held
// whole to be checked: Add each part (one file's items, say), in any order
// and from any goroutine, then Finish. Between parts it keeps only what
// joins them: each ID's kind, each document's file, the names and a hash
// of each relation (all three with where they are, and on scratch once
// there are many), and the references and quotes a part left for parts
// not yet added. Adding a whole corpus as one part is Check.
//
// Where two items clash (a duplicate ID, name or relation), the one written
// earlier (by file, line, column) counts as the first, whatever order the
// parts came in.
type Checker struct {
	o *Ontology
	// text reads the text of a document an earlier part declared, when a
	// later part quotes it; nil when every part holds its own documents'
	// texts, as a whole corpus does.
	text func(*Document) (string, error)
	// terms, from the ontology, that every relation is checked against
	figureNames, credibility, events, reliability []string

	mu        sync.Mutex
	ds        Diagnostics
	ids       *idtable.Table[declared]  // every declared ID
	kinds     kindList                  // of declared IDs, by the number ids keeps
	hints     []string                  // every declared ID, sorted, once an error needs them
	docHints  []string                  // likewise, of documents
	names     sortedRuns[naming]        // every name and alias, for Finish to find those of two entities
	keys      statementKeys             // every relation's, for Finish to find the duplicates
	err       error                     // why Finish could not look for those (the scratch failed)
	listed    []string                  // the files of places, by index (Files)
	others    []string                  // and then those of files not listed
	fileIndex map[string]uint32         // the indexes of others
	lastFile  uint32                    // the index place found last
	docs      sortedRuns[docAt]         // what Finish needs of each document (see Add)
	added     uint32                    // documents added, which numbers them
	refs      []pendingRef              // to IDs not declared when their part was added
	quotes    map[string][]pendingQuote // by document, for those other parts declare
}

// declared, naming and pendingRef keep places, not Pos: the check holds
// one of each for every entity, name or early reference of a corpus.
type declared struct {
	at   place
	kind uint16 // in Checker.kinds
}

// keepIDs is how many declared IDs the check holds in memory once it has
// scratch; the rest are in a table on it. Most references are to the few
// actors that stay in memory: BenchmarkTable in internal/idtable prices
// the others.
const keepIDs = 1 << 14

func newIDs(open func() (Scratch, error)) *idtable.Table[declared] {
	return newTable(idtable.Codec[declared]{Size: 14,
		Put: func(b []byte, d declared) {
			appendPlace(b[:0], d.at)
			binary.LittleEndian.PutUint16(b[12:], d.kind)
		},
		Get: func(b []byte) declared {
			return declared{placeOf(b), binary.LittleEndian.Uint16(b[12:])}
		}}, open)
}

// newTable is a table of IDs that keeps keepIDs of them in memory and the
// rest on scratch that open opens; all in memory if open is nil.
func newTable[V any](c idtable.Codec[V], open func() (Scratch, error)) *idtable.Table[V] {
	if open == nil {
		return idtable.New(c, keepIDs, nil)
	}
	return idtable.New(c, keepIDs, func() (idtable.File, error) {
		s, err := open()
		if s == nil {
			return nil, err // not a nil Scratch in a File
		}
		return s, err
	})
}

// kindList numbers kinds, so that tables of IDs keep a kind in two bytes:
// the ontology's kinds, and any unknown kinds a corpus declares.
type kindList []string

// number is the number of kind, which it adds if new.
func (l *kindList) number(kind string) uint16 {
	i := slices.Index(*l, kind)
	if i < 0 {
		if len(*l) == 1<<16-1 {
			return 1<<16 - 1 // one of very many unknown kinds, each reported
		}
		i = len(*l)
		*l = append(*l, kind)
	}
	return uint16(i)
}

// name is the kind numbered n.
func (l kindList) name(n uint16) string {
	if int(n) < len(l) {
		return l[n]
	}
	return "an unknown kind"
}

// docAt is what Finish needs of a document to find the quotes other parts
// make of it: not a copy of the Document (224 bytes and a pointer), nor
// its Path, which the reader resolves from these again (see NewChecker).
// Finish needs only those of documents quoted by another part, which it
// finds by merging them, sorted by ID, with the quotes waiting; n numbers
// them in the order they were added, so that of two with one ID the last
// added counts, as it does for quotes (Check reports the duplicate).
type docAt struct {
	id, file string
	at       place
	n        uint32
}

func putDocAt(b []byte, d docAt) []byte {
	b = appendPlace(b, d.at)
	b = binary.LittleEndian.AppendUint32(b, d.n)
	return appendStrings(b, d.id, d.file)
}

func getDocAt(r *bufio.Reader, b []byte) (docAt, error) {
	var d docAt
	b = b[:16]
	if _, err := io.ReadFull(r, b); err != nil {
		return d, err
	}
	d.at, d.n = placeOf(b), binary.LittleEndian.Uint32(b[12:])
	return d, readStrings(r, &d.id, &d.file)
}

// naming is a name or alias of an entity; key is the name lower-cased,
// which two entities may not share.
type naming struct {
	key, name, id string
	at            place
}

func putNaming(b []byte, n naming) []byte {
	return appendStrings(appendPlace(b, n.at), n.key, n.name, n.id)
}

func getNaming(r *bufio.Reader, b []byte) (naming, error) {
	var n naming
	b = b[:12]
	if _, err := io.ReadFull(r, b); err != nil {
		return n, err
	}
	n.at = placeOf(b)
	return n, readStrings(r, &n.key, &n.name, &n.id)
}

// appendStrings appends each of ss to b, its length first; readStrings
// reads them back, in the same order. A run that ends within them is cut
// short (io.ErrUnexpectedEOF).
func appendStrings(b []byte, ss ...string) []byte {
	for _, s := range ss {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b
}

func readStrings(r *bufio.Reader, ss ...*string) error {
	for _, s := range ss {
		l, err := binary.ReadUvarint(r)
		if err == nil {
			b := make([]byte, l)
			_, err = io.ReadFull(r, b)
			*s = string(b)
		}
		if err != nil {
			return noEOF(err)
		}
	}
	return nil
}

// noEOF is err, but io.ErrUnexpectedEOF for io.EOF: a run that ends
// within a record is cut short.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// statementKey identifies a relation by what makes it the same statement:
// it is the statement's ID (statementID), 8 bytes rather than six strings,
// so that a million relations cost little between parts. Two statements
// with one ID could not both be stored anyway.
type statementKey uint64

// keyAt is a relation's statement key and where the relation is.
type keyAt struct {
	key statementKey
	at  place
}

// place is a Pos in 12 bytes, its file an index in Checker.listed, or
// past them in Checker.others.
type place struct {
	file      uint32
	line, col int32
}

type pendingRef struct {
	at        place
	field, id string
	allowed   []string
}

// pendingQuote is a quote waiting for its document; start and end point
// at the offsets to record once it is found.
type pendingQuote struct {
	fields     Fields
	pos        Pos
	doc        string
	quote      string
	start, end *int
}

// NewChecker returns a Checker for corpora of o. text reads the text of a
// document that one part declares and another quotes, given its ID, File
// and Pos (where it was declared) but not its Path; it may be nil when the
// corpus comes as one part.
func NewChecker(o *Ontology, text func(*Document) (string, error)) *Checker {
	ch := &Checker{o: o, text: text,
		figureNames: TermNames(o.Figures), credibility: TermNames(o.Credibility), events: eventKinds(o), reliability: TermNames(o.Reliability),
		ids: newIDs(nil), fileIndex: map[string]uint32{}, quotes: map[string][]pendingQuote{}}
	ch.keys = newStatementKeys(nil, func(a, b keyAt) int {
		if a.key != b.key {
			return cmp.Compare(a.key, b.key)
		}
		return comparePos(ch.pos(a.at), ch.pos(b.at))
	})
	ch.names = sortedRuns[naming]{put: putNaming, get: getNaming, what: "names", compare: func(a, b naming) int {
		return cmp.Or(strings.Compare(a.key, b.key), comparePos(ch.pos(a.at), ch.pos(b.at)))
	}}
	ch.docs = sortedRuns[docAt]{put: putDocAt, get: getDocAt, what: "documents", compare: func(a, b docAt) int {
		return cmp.Or(strings.Compare(a.id, b.id), cmp.Compare(a.n, b.n))
	}}
	return ch
}

// SpillTo has the check keep what it holds of every relation and every
// name, for Finish to find those that repeat, in sorted runs on scratch
// that open opens (once they are more than a run's worth), and the IDs
// past the keepIDs used last in a table on scratch, rather than in memory.
// It must be called before the first Add.
func (ch *Checker) SpillTo(open func() (Scratch, error)) {
	ch.keys.open, ch.names.open, ch.docs.open = open, open, open
	ch.ids = newIDs(open)
}

// Files tells the check the files its parts come from, sorted (a
// Listing's), so that its places index them instead of a table of its own,
// which a corpus of many small files would feel. A part from another file
// is still checked. It must be called before the first Add, and files left
// as they are until Finish.
func (ch *Checker) Files(files []string) { ch.listed = files }

// Add checks part against itself and against the parts added before it,
// and records the offsets of the quotes it finds in part's own documents.
// Quotes in documents of other parts are found, and their offsets set, by
// a later Add or by Finish; so are references to IDs not yet declared.
func (ch *Checker) Add(part *Corpus) {
	// Finding quotes is most of the work; it needs no shared state, so it
	// runs outside the lock, on every core, while the checks below run.
	own := documentsByID(part.Documents)
	found := make(chan [2][]quoteAt, 1)
	go func() {
		rels, waivers := findQuotes(part, own)
		found <- [2][]quoteAt{rels, waivers}
	}()
	keys := make([]statementKey, len(part.Relations))
	parallel.EachSmall(len(part.Relations), func(i int) {
		r := part.Relations[i]
		keys[i] = keyOf(r.Subject, r.Type, r.Object, r.About, r.Evidence.Document, r.Evidence.Quote)
	})

	ch.mu.Lock()
	defer ch.mu.Unlock()
	for _, d := range part.Documents {
		ch.declare(d.ID, "Document", d.Fields.At("id", d.Pos))
		if d.Reliability != "" && !slices.Contains(ch.reliability, d.Reliability) {
			ch.ds.Add(d.Fields.At("reliability", d.Pos), "use an Admiralty source grade A to F", "reliability %q is not a grade", d.Reliability)
		}
		// Finish reads a document's text again only for quotes another
		// part makes of it, and needs only its file and position (see
		// docAt).
		ch.docs.add(docAt{id: d.ID, file: d.File, at: ch.place(d.Pos), n: ch.added})
		ch.added++
	}
	for _, e := range part.Entities {
		ch.entity(e)
	}
	for i, r := range part.Relations {
		ch.relation(r, keys[i])
	}
	q := <-found
	for i, r := range part.Relations {
		ch.quote(own, pendingQuote{r.Fields, r.Pos, r.Evidence.Document, r.Evidence.Quote, &r.Evidence.Start, &r.Evidence.End}, q[0][i])
	}
	for i, w := range part.Waivers {
		w.Start, w.End = 0, 0 // a waiver's offsets are the check's, found or not
		ch.quote(own, pendingQuote{w.Fields, w.Pos, w.Document, w.Quote, &w.Start, &w.End}, q[1][i])
	}
	ch.resolveQuotes(own)
}

// declare records id, reporting it when it is malformed or taken.
func (ch *Checker) declare(id, kind string, pos Pos) {
	if id == "" {
		return
	}
	if !idPattern.MatchString(id) {
		ch.ds.Add(pos, "use lower-case letters, digits and hyphens, like \"islamic-state\"", "id %q is not a valid id", id)
	}
	first, dup := ch.ids.Get(id)
	if !dup {
		ch.ids.Put(id, declared{ch.place(pos), ch.kinds.number(kind)})
		return
	}
	firstPos, later := ch.pos(first.at), pos
	if before(pos, firstPos) {
		ch.ids.Put(id, declared{ch.place(pos), ch.kinds.number(kind)})
		firstPos, later = pos, firstPos
	}
	ch.ds.Add(later, "give each entity, event and document its own id", "duplicate id %q (first declared at %s)", id, firstPos)
}

func (ch *Checker) entity(e *Entity) {
	k, ok := ch.o.Kind(e.Kind)
	kind := e.Kind
	if ok {
		kind = k.Name // the ontology's string, not one kept for each entity
	}
	ch.declare(e.ID, kind, e.Fields.At("id", e.Pos))
	switch {
	case !ok:
		ch.ds.Add(e.Fields.At("kind", e.Pos), hintOneOf(e.Kind, kindsExcept(ch.o, CategorySource)), "unknown kind %q", e.Kind)
	case k.Category == CategorySource:
		ch.ds.Add(e.Fields.At("kind", e.Pos), "declare documents in an annotation file's document section", "kind %s cannot be declared as an entity", e.Kind)
	case !e.Date.IsZero() && k.Category != CategoryEvent:
		ch.ds.Add(e.Fields.At("date", e.Pos), "only events (Attack, Event) have a date", "%s %q has a date", e.Kind, e.ID)
	}
	for i, n := range append([]string{e.Name}, e.Aliases...) {
		field := "name"
		if i > 0 {
			field = "aliases"
		}
		ch.names.add(naming{key: strings.ToLower(n), name: n, id: e.ID, at: ch.place(e.Fields.At(field, e.Pos))})
	}
}

func (ch *Checker) relation(r *Relation, key statementKey) {
	ch.keys.add(keyAt{key, ch.place(r.Pos)})
	rt, ok := ch.o.Relation(r.Type)
	if !ok {
		ch.ds.Add(r.Fields.At("rel", r.Pos), hintOneOf(r.Type, ch.o.RelationNames()), "unknown relation type %q", r.Type)
	} else {
		ch.ref(r.Fields, r.Pos, "subject", r.Subject, rt.From)
		ch.ref(r.Fields, r.Pos, "object", r.Object, rt.To)
		for _, opt := range [...]struct {
			field string
			set   bool
		}{{"about", r.About != ""}, {"role", r.Role != ""}, {"figures", len(r.Figures) > 0}} {
			if opt.set && !rt.Allows(opt.field) {
				ch.ds.Add(r.Fields.At(opt.field, r.Pos), "remove it, or use a relation type that has it", "%s does not take %s", r.Type, opt.field)
			}
		}
		if r.Type == "REPORTED" && !r.Fields.Has("figures") && len(r.Figures) == 0 {
			ch.ds.Add(r.Pos, "add figures: {killed: 12, wounded: 43}", "REPORTED needs figures")
		}
	}
	ch.ref(r.Fields, r.Pos, "about", r.About, ch.events)
	for _, f := range r.Figures {
		if !slices.Contains(ch.figureNames, f.Measure) {
			ch.ds.Add(r.Fields.At("figures", r.Pos), hintOneOf(f.Measure, ch.figureNames), "unknown figure %q", f.Measure)
		}
	}
	if r.Credibility != "" && !slices.Contains(ch.credibility, r.Credibility) {
		ch.ds.Add(r.Fields.At("credibility", r.Pos), "use an Admiralty credibility grade 1 to 6", "credibility %q is not a grade", r.Credibility)
	}
}

// ref checks a reference to id, or leaves it for Finish when id is not
// declared yet.
func (ch *Checker) ref(fields Fields, at Pos, field, id string, allowed []string) {
	if id == "" {
		return
	}
	if !ch.ids.Has(id) {
		ch.refs = append(ch.refs, pendingRef{ch.place(fields.At(field, at)), field, id, allowed})
		return
	}
	ch.resolveRef(fields.At(field, at), field, id, allowed)
}

func (ch *Checker) resolveRef(pos Pos, field, id string, allowed []string) {
	d, ok := ch.ids.Get(id)
	if !ok {
		ch.ds.Add(pos, hintOneOf(id, ch.declaredIDs()), "%s %q is not declared", field, id)
		return
	}
	kind := ch.kinds.name(d.kind)
	if allowed != nil && !slices.Contains(allowed, kind) {
		ch.ds.Add(pos, "allowed kinds here: "+strings.Join(allowed, ", "), "%s %q is a %s", field, id, kind)
	}
}

// declaredIDs are the declared IDs, sorted, for hints: read once, since
// on scratch that reads the whole table, and only by Finish, once every
// ID is declared.
func (ch *Checker) declaredIDs() []string {
	if ch.hints == nil {
		ch.ids.Each(func(id string, _ declared) bool {
			ch.hints = append(ch.hints, id)
			return true
		})
		slices.Sort(ch.hints)
	}
	return ch.hints
}

// quote records where findQuotes found q's quote in one of the part's own
// documents, reports it missing there, or keeps it for the document's own
// part.
func (ch *Checker) quote(own map[string]*Document, q pendingQuote, at quoteAt) {
	d, ok := own[q.doc]
	if !ok {
		ch.quotes[q.doc] = append(ch.quotes[q.doc], q)
		return
	}
	ch.found(d, q, at)
}

func (ch *Checker) found(d *Document, q pendingQuote, at quoteAt) {
	if !at.found {
		ch.ds.Add(q.fields.At("quote", q.pos), "copy the words exactly from "+d.File+" (only white space, quote marks and dashes may differ)", "quote not found in document %q", d.ID)
		return
	}
	*q.start, *q.end = at.start, at.end
}

// resolveQuotes finds the quotes that earlier parts left waiting for
// docs, which hold their texts.
func (ch *Checker) resolveQuotes(docs map[string]*Document) {
	for id, d := range docs {
		if qs, ok := ch.quotes[id]; ok {
			ch.findAll(d, d.Text, qs)
			delete(ch.quotes, id)
		}
	}
}

// findAll looks for each of qs in d, whose text is text.
func (ch *Checker) findAll(d *Document, text string, qs []pendingQuote) {
	x := NewQuoteIndex(text)
	for _, q := range qs {
		start, end, found := x.Find(q.quote)
		ch.found(d, q, quoteAt{start, end, found})
	}
}

// Finish checks what the parts left for each other, and returns every
// problem found in all of them, sorted. The Checker must not be used after.
func (ch *Checker) Finish() Diagnostics {
	ch.mu.Lock()
	defer ch.mu.Unlock()
	for _, pr := range ch.refs {
		ch.resolveRef(ch.pos(pr.at), pr.field, pr.id, pr.allowed)
	}
	ch.duplicateStatements()
	ch.sharedNames()
	ch.waitingQuotes()
	if err := ch.ids.Err(); err != nil && ch.err == nil {
		ch.err = err // references may have missed IDs it lost
	}
	ch.ids.Close()
	ch.refs, ch.quotes = nil, nil
	ch.ds.Sort()
	return ch.ds
}

// waitingQuotes finds the quotes still waiting, which are in documents an
// earlier part declared, or in none: it reads each such document once,
// for all its quotes.
func (ch *Checker) waitingQuotes() {
	waiting := keys(ch.quotes) // sorted, as the documents come
	var last docAt             // of the documents with the ID last read, the last added
	read := false
	// settle finds or reports the quotes waiting for IDs up to last's.
	settle := func() {
		for len(waiting) > 0 && waiting[0] <= last.id {
			id := waiting[0]
			waiting = waiting[1:]
			if id == last.id {
				ch.quotedElsewhere(last, ch.quotes[id])
			} else {
				ch.undeclaredDocument(ch.quotes[id])
			}
		}
	}
	err := ch.docs.sorted(func(d docAt) {
		if read && d.id != last.id {
			settle()
		}
		last, read = d, true
	})
	if read {
		settle()
	}
	for _, id := range waiting {
		ch.undeclaredDocument(ch.quotes[id])
	}
	if err != nil && ch.err == nil {
		ch.err = err
	}
}

// quotedElsewhere finds qs in document at, which another part declared.
func (ch *Checker) quotedElsewhere(at docAt, qs []pendingQuote) {
	d := &Document{ID: at.id, File: at.file, Pos: ch.pos(at.at)}
	var text string
	var err error = errNoText
	if ch.text != nil {
		text, err = ch.text(d)
	}
	if err != nil {
		// The document's own part reported why it has no text, if it
		// could not be read: these quotes cannot be found in it.
		for _, q := range qs {
			ch.found(d, q, quoteAt{})
		}
		return
	}
	ch.findAll(d, text, qs)
}

// undeclaredDocument reports qs, quotes of a document no part declared.
func (ch *Checker) undeclaredDocument(qs []pendingQuote) {
	if ch.docHints == nil {
		document := ch.kinds.number("Document")
		ch.ids.Each(func(id string, d declared) bool {
			if d.kind == document {
				ch.docHints = append(ch.docHints, id)
			}
			return true
		})
		slices.Sort(ch.docHints)
	}
	for _, q := range qs {
		ch.ds.Add(q.fields.At("doc", q.pos), hintOneOf(q.doc, ch.docHints), "document %q is not declared", q.doc)
	}
}

var errNoText = errors.New("no text")

// duplicateStatements reports every relation that repeats an earlier one
// (by file, line and column), whatever order their parts came in.
func (ch *Checker) duplicateStatements() {
	var first keyAt // of the run of equal keys, in order, that k is in
	seen := false
	ch.err = ch.keys.sorted(func(k keyAt) {
		if !seen || k.key != first.key {
			first, seen = k, true
			return
		}
		ch.ds.Add(ch.pos(k.at), "remove one of them, or quote different words", "the same relation, with the same quote, is already at %s", ch.pos(first.at))
	})
}

// sharedNames reports every name or alias that an entity written earlier
// (by file, line and column) already has, whatever order their parts came
// in. An entity may repeat its own name as an alias.
func (ch *Checker) sharedNames() {
	var first naming // of the run of equal keys, in order, that n is in
	seen := false
	err := ch.names.sorted(func(n naming) {
		if !seen || n.key != first.key {
			first, seen = n, true
			return
		}
		if n.id != first.id {
			ch.ds.Add(ch.pos(n.at), "a name or alias must point to one entity; drop it from one of them", "%q already names %q", n.name, first.id)
		}
	})
	if ch.err == nil {
		ch.err = err
	}
}

func (ch *Checker) place(p Pos) place {
	// The items of a part share their file's name, so most look-ups end
	// here, at the cost of comparing two pointers.
	if i := ch.lastFile; int(i) >= len(ch.listed)+len(ch.others) || ch.fileName(i) != p.File {
		ch.lastFile = ch.fileNumber(p.File)
	}
	return place{ch.lastFile, int32(p.Line), int32(p.Col)}
}

// fileNumber is file's index in the files of places, added if new.
func (ch *Checker) fileNumber(file string) uint32 {
	if i, ok := slices.BinarySearch(ch.listed, file); ok {
		return uint32(i)
	}
	i, ok := ch.fileIndex[file]
	if !ok {
		i = uint32(len(ch.listed) + len(ch.others))
		ch.others = append(ch.others, file)
		ch.fileIndex[file] = i
	}
	return i
}

func (ch *Checker) fileName(i uint32) string {
	if int(i) < len(ch.listed) {
		return ch.listed[i]
	}
	return ch.others[int(i)-len(ch.listed)]
}

func (ch *Checker) pos(pl place) Pos {
	return Pos{File: ch.fileName(pl.file), Line: int(pl.line), Col: int(pl.col)}
}

// before reports whether a is written before b: by file, line and column.
func before(a, b Pos) bool { return comparePos(a, b) < 0 }

func comparePos(a, b Pos) int {
	return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
}

// documentsByID indexes docs by ID; for a duplicate ID, the last declared
// wins, as it always has for quotes (Check reports the duplicate).
func documentsByID(docs []*Document) map[string]*Document {
	byID := make(map[string]*Document, len(docs))
	for _, d := range docs {
		byID[d.ID] = d
	}
	return byID
}

// quoteAt is where findQuotes found a quote, if it did.
type quoteAt struct {
	start, end int
	found      bool
}

// findQuotes looks for each relation's and each waiver's quote in its
// document, if docs has it, leaving the corpus as it is: Add reports and
// records the results in corpus order. Documents are independent, so it
// groups the quotes by document and searches the documents on every core.
// Each worker folds one document at a time, once for all its quotes, so
// memory holds only as many folded texts as there are workers, however
// large the corpus.
func findQuotes(c *Corpus, docs map[string]*Document) (rels, waivers []quoteAt) {
	type group struct {
		doc           *Document
		rels, waivers []int // indexes in c.Relations and c.Waivers
	}
	var groups []*group
	byDoc := map[string]*group{}
	groupOf := func(id string) *group {
		d, ok := docs[id]
		if !ok {
			return nil // another part's document, or none: Add keeps it
		}
		g := byDoc[id]
		if g == nil {
			g = &group{doc: d}
			byDoc[id] = g
			groups = append(groups, g)
		}
		return g
	}
	for i, r := range c.Relations {
		if g := groupOf(r.Evidence.Document); g != nil {
			g.rels = append(g.rels, i)
		}
	}
	for i, w := range c.Waivers {
		if g := groupOf(w.Document); g != nil {
			g.waivers = append(g.waivers, i)
		}
	}
	rels, waivers = make([]quoteAt, len(c.Relations)), make([]quoteAt, len(c.Waivers))
	parallel.Each(len(groups), func(i int) {
		g := groups[i]
		x := NewQuoteIndex(g.doc.Text)
		for _, j := range g.rels {
			q := &rels[j]
			q.start, q.end, q.found = x.Find(c.Relations[j].Evidence.Quote)
		}
		for _, j := range g.waivers {
			q := &waivers[j]
			q.start, q.end, q.found = x.Find(c.Waivers[j].Quote)
		}
	})
	return rels, waivers
}

// EventKinds lists the kinds whose category is event.
func (o *Ontology) EventKinds() []string { return eventKinds(o) }

func eventKinds(o *Ontology) []string {
	var out []string
	for _, k := range o.Kinds {
		if k.Category == CategoryEvent {
			out = append(out, k.Name)
		}
	}
	return out
}

func kindsExcept(o *Ontology, c Category) []string {
	var out []string
	for _, k := range o.Kinds {
		if k.Category != c {
			out = append(out, k.Name)
		}
	}
	return out
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// hintOneOf suggests the closest of choices to got, or lists them when few.
func hintOneOf(got string, choices []string) string {
	if best := Closest(got, choices, 3); len(best) > 0 {
		return "did you mean " + quoteAll(best) + "?"
	}
	if len(choices) <= 12 {
		return "one of " + strings.Join(choices, ", ")
	}
	return ""
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, " or ")
}

// Closest returns up to n of choices nearest to s by edit distance (ignoring
// case), nearest first, leaving out those too far to be a typo.
func Closest(s string, choices []string, n int) []string {
	type scored struct {
		s string
		d int
	}
	var list []scored
	ls := strings.ToLower(s)
	for _, c := range choices {
		lc := strings.ToLower(c)
		d := editDistance(ls, lc)
		if d <= max(1, len([]rune(ls))/3) || (len(ls) >= 3 && strings.Contains(lc, ls)) {
			list = append(list, scored{c, d})
		}
	}
	slices.SortStableFunc(list, func(a, b scored) int {
		if a.d != b.d {
			return a.d - b.d
		}
		return strings.Compare(a.s, b.s)
	})
	var out []string
	for i := 0; i < len(list) && i < n; i++ {
		out = append(out, list[i].s)
	}
	return out
}

// editDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and swaps of neighbours each cost one, so the
// commonest typos ("qoute") are one edit away.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
