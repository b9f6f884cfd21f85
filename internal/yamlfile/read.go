// Package yamlfile reads kg's YAML files, annotations and the ontology, into
// the domain types of package graph. It is the only package that knows YAML:
// it walks yaml.Node so that every problem it finds carries file:line:col,
// and it collects all of them rather than stopping at the first.
package yamlfile

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/collect"
	"github.com/kgraph/kg/internal/idtable"
	"github.com/kgraph/kg/internal/parallel"
)

// Reader reads annotation files from the file system.
type Reader struct {
	Ontology *graph.Ontology
}

var _ graph.PartReader = (*Reader)(nil)

// MaxFileSize bounds an annotation file, so a stray large file is reported
// rather than read into memory.
const MaxFileSize = 64 << 20

// MaxTextSize bounds a document's text: quote offsets are kept in 32 bits.
const MaxTextSize = 1 << 30

// Extensions are the file endings read as annotation files.
var Extensions = []string{".yaml", ".yml"}

// ReadCorpus reads every annotation file named by paths (folders are walked
// for *.yaml and *.yml) and returns the corpus with every problem found in
// the files. The error is for failures that are not the data's fault.
func (r *Reader) ReadCorpus(paths ...string) (*graph.Corpus, graph.Diagnostics, error) {
	defer collect.Less()()
	files, ds, err := expand(paths)
	if err != nil {
		return nil, nil, err
	}
	// Each file goes into its own slot, and the slots are joined in file
	// order, so the corpus and the diagnostics are exactly those of reading
	// one file after another.
	type result struct {
		corpus *graph.Corpus
		ds     graph.Diagnostics
	}
	results := make([]result, len(files))
	r.each(context.Background(), files, false, func(i int, c *graph.Corpus, ds graph.Diagnostics) { results[i] = result{c, ds} })
	corpus := &graph.Corpus{}
	for _, res := range results {
		ds = append(ds, res.ds...)
		if res.corpus != nil {
			corpus.Append(res.corpus)
		}
	}
	ds.Sort()
	return corpus, ds, nil
}

// ReadParts reads files (as List lists them) as ReadCorpus would, and
// hands each file's items and problems to each as soon as the file is
// read, from several goroutines at once, keeping nothing: memory holds
// only the files being read. A large file that declares no document, such as
// entities.yaml, comes in several parts, in the file's order, once it is
// known to parse (see parseChunked). Once ctx is done it starts no other
// file.
func (r *Reader) ReadParts(ctx context.Context, each func(part *graph.Corpus, ds graph.Diagnostics), files []string) error {
	defer collect.Less()()
	r.each(ctx, files, true, func(_ int, c *graph.Corpus, ds graph.Diagnostics) {
		if c == nil {
			c = &graph.Corpus{}
		}
		each(c, ds)
	})
	return ctx.Err()
}

// Text reads d's text again, as ReadCorpus read it, leaving d as it is.
// A d without its Path (what a check keeps of it) is found by its File,
// from the folder of the annotation file that declared it (d.Pos.File).
func (r *Reader) Text(d *graph.Document) (string, error) {
	var ds graph.Diagnostics
	again := *d
	if again.Path == "" {
		again.Path = textPath(filepath.Dir(d.Pos.File), d.File)
	}
	if readText(&again, &ds); len(ds) > 0 {
		return "", ds
	}
	return again.Text, nil
}

// Scratch is a temporary file for the check and the feed, gone once
// closed (see idtable.TempFile).
func (r *Reader) Scratch() (graph.Scratch, error) {
	f, err := idtable.OpenTemp("kg-check-*")
	if err != nil {
		return nil, err
	}
	return f, nil
}

// each reads files on every core and calls f with each one's index,
// corpus (nil when the file cannot be read) and problems; in parts, if
// shares is set, for a large file without a document. Files are
// independent, and parsing them is most of the work of a read. Once ctx is
// done, the files not yet started are skipped.
func (r *Reader) each(ctx context.Context, files []string, shares bool, f func(i int, c *graph.Corpus, ds graph.Diagnostics)) {
	read := func(i int) {
		if ctx.Err() != nil {
			return
		}
		var hand func(*graph.Corpus, graph.Diagnostics)
		if shares {
			hand = func(c *graph.Corpus, ds graph.Diagnostics) { f(i, c, ds) }
		}
		c, ds := readFile(files[i], r.Ontology, hand)
		f(i, c, ds)
	}
	// Files large enough to be cut into chunks go first, one at a time,
	// each parsed on every core (see parseChunked); then the others, on
	// every core, largest first so that none is left alone at the end.
	// Read alongside the others, a large entities.yaml kept their
	// relations waiting, in memory, for its ids: at 186,000 entities,
	// some 50 MB of the live heap at its largest.
	order, sizes := largestFirst(files)
	large := 0
	for large < len(order) && sizes[order[large]] >= int64(chunkFrom) {
		read(order[large])
		large++
	}
	rest := order[large:]
	parallel.Each(len(rest), func(k int) { read(rest[k]) })
}

// largestFirst returns the indexes of files, largest file first, and each
// file's size; files it cannot stat come last, with size -1, and their
// error is readFile's to report.
func largestFirst(files []string) ([]int, []int64) {
	sizes := make([]int64, len(files))
	order := make([]int, len(files))
	for i, f := range files {
		order[i], sizes[i] = i, -1
		if info, err := os.Stat(f); err == nil {
			sizes[i] = info.Size()
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(sizes[b], sizes[a]) })
	return order, sizes
}

// readFile reads and parses one annotation file and the texts of the
// documents it declares. It returns a nil corpus when the file cannot be
// read. hand, if not nil, may take some of the file's items first (see
// parseChunked).
func readFile(name string, o *graph.Ontology, hand func(*graph.Corpus, graph.Diagnostics)) (*graph.Corpus, graph.Diagnostics) {
	data, err := os.ReadFile(name)
	if err != nil {
		var ds graph.Diagnostics
		ds.Add(graph.Pos{File: name}, "", "cannot read: %v", unwrapPathError(err))
		return nil, ds
	}
	c, ds := parseFile(name, data, o, hand)
	for _, d := range c.Documents {
		readText(d, &ds)
	}
	return c, ds
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// expand turns paths into a sorted list of annotation files.
func expand(paths []string) ([]string, graph.Diagnostics, error) {
	l, ds, err := list(paths)
	return l.files, ds, err
}

// listing is what list found: the annotation files, and the folders read
// to find them.
type listing struct{ files, folders []string }

// list turns paths into a sorted list of annotation files, and lists the
// folders it read, in the order it read them.
func list(paths []string) (listing, graph.Diagnostics, error) {
	var l listing
	var ds graph.Diagnostics
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			ds.Add(graph.Pos{File: p}, "name an annotation file or a folder of them", "%v", unwrapPathError(err))
			continue
		}
		if !info.IsDir() {
			l.files = append(l.files, p)
			continue
		}
		before := len(l.files)
		if err = l.walk(p); err != nil {
			return listing{}, nil, fmt.Errorf("read folder %s: %w", p, err)
		}
		if len(l.files) == before {
			ds.Add(graph.Pos{File: p}, "annotation files end in .yaml or .yml", "no annotation files in this folder")
		}
	}
	sort.Strings(l.files)
	l.files = slices.Compact(l.files)
	return l, ds, nil
}

// walk adds to l the annotation files in dir and its folders, leaving out
// hidden folders, in no particular order (list sorts), and the folders. It
// names files as filepath.WalkDir would; it is not WalkDir because every
// reload that lists the corpus would pay for WalkDir sorting each folder
// and calling back once per entry, work that grows faster than the folder
// and shows in a one-file reload of a large corpus (BenchmarkFiles
// measures the listing; TestExpandListsAsWalkDir keeps the names).
func (l *listing) walk(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	l.folders = append(l.folders, dir)
	for {
		// A batch at a time: read whole, a folder of 200,000 documents
		// (400,000 entries with their texts) held 37 MB of entries, as
		// much as a load holds at its largest.
		entries, err := f.ReadDir(readDirBatch)
		for _, e := range entries {
			name := e.Name()
			switch {
			case e.IsDir() && !strings.HasPrefix(name, "."):
				if err := l.walk(filepath.Join(dir, name)); err != nil {
					return err
				}
			case !e.IsDir() && slices.Contains(Extensions, filepath.Ext(name)):
				l.files = append(l.files, filepath.Join(dir, name))
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// readDirBatch is how many entries of a folder walk reads at once.
const readDirBatch = 1024

// textPath is where the text file is that an annotation file in dir names
// file: file is relative to the annotation file, with forward slashes.
func textPath(dir, file string) string { return filepath.Join(dir, filepath.FromSlash(file)) }

func readText(d *graph.Document, ds *graph.Diagnostics) {
	pos := d.Fields.At("file", d.Pos)
	if info, err := os.Stat(d.Path); err == nil && info.Size() > MaxTextSize {
		ds.Add(pos, "split the document into parts", "document text %s is larger than %d MiB", d.Path, MaxTextSize>>20)
		return
	}
	data, err := os.ReadFile(d.Path)
	if err != nil {
		ds.Add(pos, "the path is relative to the annotation file", "cannot read document text %s: %v", d.Path, unwrapPathError(err))
		return
	}
	if !utf8.Valid(data) {
		line, col := invalidUTF8At(data)
		ds.Add(pos, "save the document as UTF-8", "document text %s is not UTF-8 (line %d, column %d)", d.Path, line, col)
		return
	}
	d.Text = string(data)
}

// ParseFile reads one annotation file's bytes. It never panics, whatever the
// input: everything wrong with it comes back as diagnostics. It is safe to
// call concurrently: it shares nothing mutable (ReadCorpus relies on this).
func ParseFile(name string, data []byte, o *graph.Ontology) (*graph.Corpus, graph.Diagnostics) {
	return parseFile(name, data, o, nil)
}

// parseFile is ParseFile, but for the items and problems that hand, if
// not nil, takes first (see parseChunked).
func parseFile(name string, data []byte, o *graph.Ontology, hand func(*graph.Corpus, graph.Diagnostics)) (*graph.Corpus, graph.Diagnostics) {
	p := &parser{file: name, dir: filepath.Dir(name), ont: o, corpus: &graph.Corpus{}}
	p.parse(data, hand)
	p.ds.Sort()
	return p.corpus, p.ds
}

type parser struct {
	file   string
	dir    string
	ont    *graph.Ontology
	corpus *graph.Corpus
	ds     graph.Diagnostics
	doc    string // this file's document id, the default for relations and waivers
}

func (p *parser) pos(n *yaml.Node) graph.Pos {
	return graph.Pos{File: p.file, Line: n.Line, Col: n.Column}
}

func (p *parser) errorf(n *yaml.Node, hint, format string, args ...any) {
	p.ds.Add(p.pos(n), hint, format, args...)
}

var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

func (p *parser) parse(data []byte, hand func(*graph.Corpus, graph.Diagnostics)) {
	if !utf8.Valid(data) {
		line, col := invalidUTF8At(data)
		p.ds.Add(graph.Pos{File: p.file, Line: line, Col: col}, "save the file as UTF-8", "file is not UTF-8")
		return
	}
	if onlyComments(data) {
		p.ds.Add(graph.Pos{File: p.file, Line: 1, Col: 1}, "add a document, entities, events or relations section, or delete the file", "file is empty")
		return
	}
	if len(data) >= chunkFrom {
		if q, ok := p.parseChunked(data, hand); ok {
			*p = *q
			return
		}
	}
	p.parseWhole(data)
}

// parseWhole parses data as one yaml.Node tree. It returns false, having
// reported why, if data is not YAML that kg reads: a syntax error, an
// anchor or an alias.
func (p *parser) parseWhole(data []byte) bool {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		p.syntaxError(err)
		return false
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		p.errorf(&extra, "put everything in one YAML document (remove the ---)", "more than one YAML document in a file")
	} else if err.Error() != "EOF" {
		p.syntaxError(err)
		return false
	}
	if !p.noAliases(&root) {
		return false
	}
	body := &root
	if body.Kind == yaml.DocumentNode && len(body.Content) == 1 {
		body = body.Content[0]
	}
	top := p.mapping(body, topLevel, "annotation file")
	if n := top.get("document"); n != nil {
		p.document(n)
	}
	if n := top.get("entities"); n != nil {
		for _, item := range p.sequence(n, "entities") {
			p.entity(item, entityFields, "")
		}
	}
	if n := top.get("events"); n != nil {
		for _, item := range p.sequence(n, "events") {
			p.entity(item, eventFields, "Attack")
		}
	}
	if n := top.get("relations"); n != nil {
		for _, item := range p.sequence(n, "relations") {
			p.relation(item)
		}
	}
	if n := top.get("waivers"); n != nil {
		for _, item := range p.sequence(n, "waivers") {
			p.waiver(item)
		}
	}
	return true
}

func (p *parser) syntaxError(err error) {
	msg := err.Error()
	line := 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		if m[1] != "" {
			line, _ = strconv.Atoi(m[1])
		}
		msg = m[2]
	}
	p.ds.Add(graph.Pos{File: p.file, Line: line, Col: 1}, "fix the YAML syntax; indent with spaces, not tabs", "YAML syntax: %s", msg)
}

// noAliases rejects anchors and aliases: annotations gain nothing from them,
// and refusing them makes alias bombs harmless. It reports the first of
// each, with a count, rather than one line per use.
func (p *parser) noAliases(root *yaml.Node) bool {
	var firstAlias, firstAnchor *yaml.Node
	aliases, anchors := 0, 0
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.AliasNode {
			if aliases++; firstAlias == nil {
				firstAlias = n
			}
			return
		}
		if n.Anchor != "" {
			if anchors++; firstAnchor == nil {
				firstAnchor = n
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(root)
	if firstAnchor != nil {
		p.errorf(firstAnchor, "remove anchors and write values out in full", "YAML anchors (&%s) are not allowed in annotation files%s", firstAnchor.Anchor, more(anchors))
	}
	if firstAlias != nil {
		p.errorf(firstAlias, "write the value out in full", "YAML aliases (*%s) are not allowed in annotation files%s", firstAlias.Value, more(aliases))
	}
	return firstAlias == nil && firstAnchor == nil
}

func more(n int) string {
	if n <= 1 {
		return ""
	}
	return fmt.Sprintf(" (%d in this file)", n)
}

// values are a mapping's value nodes by key. An item has a handful of
// keys, so a list: a map per item costs more over a million relations.
type values []keyValue

type keyValue struct {
	key  *yaml.Node
	node *yaml.Node
}

// get returns the value of key, or nil.
func (vs values) get(key string) *yaml.Node {
	if kv := vs.find(key); kv != nil {
		return kv.node
	}
	return nil
}

func (vs values) find(key string) *keyValue {
	for i := range vs {
		if vs[i].key.Value == key {
			return &vs[i]
		}
	}
	return nil
}

// mapping checks that n is a mapping of known, distinct, present-when-required
// keys, and returns the value node of each known key.
func (p *parser) mapping(n *yaml.Node, fields []field, what string) values {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "write it as key: value lines", "%s must be a mapping, not %s", what, describe(n))
		return nil
	}
	out := make(values, 0, len(n.Content)/2)
	var seen values // every distinct key, known or not
	var misspelt []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, "keys are plain words", "%s has a key that is %s", what, describe(k))
			continue
		}
		if first := seen.find(k.Value); first != nil {
			p.errorf(k, "keep one of them", "duplicate key %q in %s (first at line %d)", k.Value, what, first.key.Line)
			continue
		}
		seen = append(seen, keyValue{k, v})
		if !slices.ContainsFunc(fields, func(f field) bool { return f.name == k.Value }) {
			p.errorf(k, hintOneOf(k.Value, names(fields)), "unknown field %q in %s", k.Value, what)
			if best := graph.Closest(k.Value, names(fields), 1); len(best) > 0 {
				misspelt = append(misspelt, best[0])
			}
			continue
		}
		out = append(out, keyValue{k, v})
	}
	for _, f := range fields {
		// A required field that is only misspelt was reported above.
		if f.required && seen.find(f.name) == nil && !slices.Contains(misspelt, f.name) {
			p.errorf(n, fmt.Sprintf("add %s: (%s)", f.name, strings.TrimSuffix(f.doc, ".")), "%s has no %s", what, f.name)
		}
	}
	return out
}

func (p *parser) sequence(n *yaml.Node, what string) []*yaml.Node {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "write each item on its own line, starting with \"- \"", "%s must be a list, not %s", what, describe(n))
		return nil
	}
	return n.Content
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "empty"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "something else"
}

// scalar returns the text of a scalar value node, reporting anything else.
func (p *parser) scalar(n *yaml.Node, field string) (string, bool) {
	if n == nil {
		return "", false
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.errorf(n, "give one value", "%s must be a single value, not %s", field, describe(n))
		return "", false
	}
	if strings.TrimSpace(n.Value) == "" {
		p.errorf(n, "give a value or remove the field", "%s is empty", field)
		return "", false
	}
	return n.Value, true
}

func (p *parser) text(m values, field string, fields *graph.Fields) string {
	n := m.get(field)
	if n == nil {
		return ""
	}
	fields.Set(field, p.pos(n))
	s, _ := p.scalar(n, field)
	return s
}

func (p *parser) textList(m values, field string, fields *graph.Fields) []string {
	n := m.get(field)
	if n == nil {
		return nil
	}
	fields.Set(field, p.pos(n))
	if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
		return []string{n.Value}
	}
	var out []string
	for _, item := range p.sequence(n, field) {
		if s, ok := p.scalar(item, field); ok {
			out = append(out, s)
		}
	}
	return out
}

func (p *parser) date(m values, field string, fields *graph.Fields) graph.Date {
	s := p.text(m, field, fields)
	if s == "" {
		return graph.Date{}
	}
	d, err := graph.ParseDate(s)
	if err != nil {
		p.errorf(m.get(field), "write dates as 2017-06-07, 2017-06 or 2017", "%v", err)
	}
	return d
}

func (p *parser) document(n *yaml.Node) {
	m := p.mapping(n, documentFields, "document")
	d := &graph.Document{Pos: p.pos(n), Fields: make(graph.Fields, 0, len(m))}
	d.ID = p.text(m, "id", &d.Fields)
	d.File = p.text(m, "file", &d.Fields)
	d.Title = p.text(m, "title", &d.Fields)
	d.Publisher = p.text(m, "publisher", &d.Fields)
	d.URL = p.text(m, "url", &d.Fields)
	d.Date = p.date(m, "date", &d.Fields)
	d.Reliability = p.text(m, "reliability", &d.Fields)
	d.Note = p.text(m, "note", &d.Fields)
	if d.File != "" {
		d.Path = textPath(p.dir, d.File)
	}
	p.doc = d.ID
	if d.ID != "" && d.File != "" {
		p.corpus.Documents = append(p.corpus.Documents, d)
	}
}

func (p *parser) entity(n *yaml.Node, fields []field, defaultKind string) {
	what := "entity"
	if defaultKind != "" {
		what = "event"
	}
	m := p.mapping(n, fields, what)
	e := &graph.Entity{Pos: p.pos(n), Fields: make(graph.Fields, 0, len(m))}
	e.ID = p.text(m, "id", &e.Fields)
	e.Kind = p.text(m, "kind", &e.Fields)
	e.Name = p.text(m, "name", &e.Fields)
	e.Aliases = p.textList(m, "aliases", &e.Fields)
	e.Date = p.date(m, "date", &e.Fields)
	e.Note = p.text(m, "note", &e.Fields)
	if defaultKind != "" {
		if e.Kind == "" {
			e.Kind = defaultKind
		} else if k, ok := p.ont.Kind(e.Kind); ok && k.Category != graph.CategoryEvent {
			p.errorf(m.get("kind"), "declare actors and places under entities", "%s is not an event kind", e.Kind)
		}
	}
	if e.ID != "" {
		p.corpus.Entities = append(p.corpus.Entities, e)
	}
}

func (p *parser) relation(n *yaml.Node) {
	m := p.mapping(n, relationFields, "relation")
	r := &graph.Relation{Pos: p.pos(n), Fields: make(graph.Fields, 0, len(m))}
	r.Subject = p.text(m, "subject", &r.Fields)
	r.Type = p.text(m, "rel", &r.Fields)
	r.Object = p.text(m, "object", &r.Fields)
	r.About = p.text(m, "about", &r.Fields)
	r.Date = p.date(m, "date", &r.Fields)
	r.DateText = p.text(m, "dateText", &r.Fields)
	r.Evidence.Quote = p.text(m, "quote", &r.Fields)
	r.Evidence.Document = p.text(m, "doc", &r.Fields)
	r.Credibility = p.text(m, "credibility", &r.Fields)
	r.Role = p.text(m, "role", &r.Fields)
	r.Note = p.text(m, "note", &r.Fields)
	if fn := m.get("figures"); fn != nil {
		r.Fields.Set("figures", p.pos(fn))
		r.Figures = p.figures(fn)
	}
	if r.Evidence.Document == "" {
		r.Evidence.Document = p.doc
		if p.doc == "" && r.Evidence.Quote != "" {
			p.errorf(n, "add a document section to this file, or doc: with the document's id", "relation has no document for its quote")
			return
		}
	}
	if r.Subject != "" && r.Type != "" && r.Object != "" && r.Evidence.Quote != "" {
		p.corpus.Relations = append(p.corpus.Relations, r)
	}
}

func (p *parser) figures(n *yaml.Node) []graph.Figure {
	known := graph.TermNames(p.ont.Figures)
	var fields []field
	for _, k := range known {
		fields = append(fields, field{name: k})
	}
	m := p.mapping(n, fields, "figures")
	var out []graph.Figure
	for _, k := range known {
		v := m.get(k)
		if v == nil {
			continue
		}
		s, ok := p.scalar(v, k)
		if !ok {
			continue
		}
		f, err := graph.ParseFigure(k, s)
		if err != nil {
			p.errorf(v, "write a whole number, optionally after "+strings.Join(graph.Qualifiers, ", "), "%v", err)
			continue
		}
		out = append(out, f)
	}
	return out
}

func (p *parser) waiver(n *yaml.Node) {
	m := p.mapping(n, waiverFields, "waiver")
	w := &graph.Waiver{Pos: p.pos(n), Fields: make(graph.Fields, 0, len(m))}
	w.Quote = p.text(m, "quote", &w.Fields)
	w.Reason = p.text(m, "reason", &w.Fields)
	w.Document = p.text(m, "doc", &w.Fields)
	if w.Document == "" {
		w.Document = p.doc
	}
	if w.Quote != "" && w.Reason != "" && w.Document != "" {
		p.corpus.Waivers = append(p.corpus.Waivers, w)
	}
}

func hintOneOf(got string, choices []string) string {
	if best := graph.Closest(got, choices, 1); len(best) > 0 {
		return fmt.Sprintf("did you mean %q?", best[0])
	}
	return "known fields: " + strings.Join(choices, ", ")
}

// onlyComments reports whether data holds nothing but white space and
// comment lines, so that a file of only comments (such as just the editor
// modeline) counts as empty. It stops at the first other line, which in a
// real file comes at once: it used to copy every file whole.
func onlyComments(data []byte) bool {
	for line := range bytes.Lines(data) {
		if t := bytes.TrimSpace(line); len(t) > 0 && t[0] != '#' {
			return false
		}
	}
	return true
}

func invalidUTF8At(data []byte) (line, col int) {
	line, col = 1, 1
	for len(data) > 0 {
		r, n := utf8.DecodeRune(data)
		if r == utf8.RuneError && n <= 1 {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		data = data[n:]
	}
	return line, col
}

// TextExtension is the ending of document text files.
const TextExtension = ".txt"

// Unannotated returns, as documents with their text, the text files in the
// folders named by paths that no document of c declares, so coverage can
// count a document nobody has annotated yet. Their ID is their file name.
func (r *Reader) Unannotated(paths []string, c *graph.Corpus) ([]*graph.Document, error) {
	declared := map[string]bool{}
	for _, d := range c.Documents {
		if abs, err := filepath.Abs(d.Path); err == nil {
			declared[abs] = true
		}
	}
	var out []*graph.Document
	for _, p := range paths {
		if info, err := os.Stat(p); err != nil || !info.IsDir() {
			continue
		}
		texts, err := filepath.Glob(filepath.Join(p, "*"+TextExtension))
		if err != nil {
			return nil, err
		}
		for _, t := range texts {
			abs, err := filepath.Abs(t)
			if err != nil || declared[abs] {
				continue
			}
			data, err := os.ReadFile(t)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", t, err)
			}
			declared[abs] = true
			name := filepath.Base(t)
			out = append(out, &graph.Document{ID: name, File: name, Path: t, Text: strings.ToValidUTF8(string(data), "\uFFFD"),
				Pos: graph.Pos{File: t}})
		}
	}
	return out, nil
}
