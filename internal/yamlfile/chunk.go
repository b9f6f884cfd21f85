package yamlfile

import (
	"bytes"
	"regexp"
	"sync/atomic"

	"gopkg.in/yaml.v3"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/parallel"
)

// A large annotation file, such as a corpus's one entities.yaml, is parsed
// a few hundred items at a time: its whole yaml.Node tree costs some ten
// times the file (90 MB for the 9 MB entities.yaml of a 1M-relation
// corpus), and that tree was kg check's peak. A file is cut only before a
// line that starts an item of a top-level list at the list's indent. No
// block scalar, plain scalar or mapping of the item before can go on past
// such a line; a quoted scalar or flow collection that does is left
// unterminated in its chunk, which then fails to parse. Whenever a chunk
// fails, or the file has anything unusual, it is parsed whole, so its
// problems are reported exactly as before. The chunks are parsed on every
// core and joined in order. Files this large are read first, one at a
// time (Reader.each), and ReadParts hands one without a document over a
// share of chunks at a time (see parseChunked), so that no other file's
// relations wait in memory for its ids.

// chunkFrom is the size from which a file is parsed in chunks; chunkBytes
// is about how much of a section each chunk holds. Tests lower both.
var (
	chunkFrom  = 1 << 20
	chunkBytes = 64 << 10
)

// sectionKeys are the top-level lists that may be cut, in the order parse
// walks them.
var sectionKeys = []string{"entities", "events", "relations", "waivers"}

// topKey is a top-level key line with nothing after the colon but a comment.
var topKey = regexp.MustCompile(`^([a-z]+):(?:[ ]+(?:#.*)?)?\r?$`)

// section is a top-level list, as lines of the file (0-based).
type section struct {
	key     string
	keyLine int
	items   []int // the line each item starts on
	end     int   // the line after its last
}

// lineStarts returns the offset of each line of data.
func lineStarts(data []byte) []int {
	starts := make([]int, 0, bytes.Count(data, []byte{'\n'})+1)
	for i := 0; i < len(data); {
		starts = append(starts, i)
		j := bytes.IndexByte(data[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
	}
	return starts
}

// sections finds the top-level lists of data that can be cut between
// items. It refuses (false) a file with anything at the top level but
// key lines, comments and those lists, a key twice, a tab in an indent, a
// line less indented than its list's items, or a line break but \n.
func sections(data []byte, starts []int) ([]section, bool) {
	if !onlyNewlines(data) {
		return nil, false // YAML counts more line breaks than \n
	}
	var out []section
	seen := map[string]bool{}
	cur := -1    // the index in out of the list being read, if any
	indent := -1 // its items' indent, once its first item is seen
	for i, s := range starts {
		end := len(data)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		line := bytes.TrimRight(data[s:end], "\r\n")
		n := 0
		for n < len(line) && line[n] == ' ' {
			n++
		}
		rest := line[n:]
		if len(rest) == 0 || rest[0] == '#' {
			continue // blank or a comment: it belongs to whatever it is in
		}
		if rest[0] == '\t' {
			return nil, false
		}
		item := rest[0] == '-' && (len(rest) == 1 || rest[1] == ' ')
		if cur >= 0 {
			if indent < 0 {
				if !item {
					return nil, false // a list's first line is an item
				}
				indent = n
			}
			switch {
			case n > indent:
				continue // inside the current item
			case n == indent && item:
				out[cur].items = append(out[cur].items, i)
				continue
			case n > 0:
				return nil, false
			}
			out[cur].end, cur = i, -1 // a top-level line ends the list
		}
		if n > 0 {
			continue // inside a top-level value that is not a list
		}
		m := topKey.FindSubmatch(line)
		if m == nil {
			if bytes.IndexByte([]byte("-.%\"'?{[&*!|>"), line[0]) >= 0 {
				return nil, false // a document marker, a directive or no plain key
			}
			colon := bytes.Index(line, []byte(": "))
			if colon < 0 {
				return nil, false
			}
			// A key with its value on the line, such as document: {…}; it
			// may not come again as a list (the first of two is the one
			// read).
			key := string(bytes.TrimRight(line[:colon], " "))
			if seen[key] {
				return nil, false
			}
			seen[key] = true
			continue
		}
		key := string(m[1])
		if seen[key] {
			return nil, false
		}
		seen[key] = true
		for _, k := range sectionKeys {
			if k == key {
				out = append(out, section{key: key, keyLine: i})
				cur, indent = len(out)-1, -1
			}
		}
	}
	if cur >= 0 {
		out[cur].end = len(starts)
	}
	// A listed key with no items is left to the whole parse.
	kept := out[:0]
	for _, sec := range out {
		if len(sec.items) > 0 {
			kept = append(kept, sec)
		}
	}
	return kept, true
}

// onlyNewlines reports whether data breaks lines only with \n or \r\n,
// so that its lines are those YAML counts: YAML also breaks at a lone \r,
// and the YAML reader at U+0085, U+2028 and U+2029.
func onlyNewlines(data []byte) bool {
	for i, b := range data {
		if b == '\r' && (i+1 == len(data) || data[i+1] != '\n') {
			return false
		}
	}
	return !bytes.Contains(data, []byte("\u0085")) && !bytes.Contains(data, []byte("\u2028")) && !bytes.Contains(data, []byte("\u2029"))
}

// parseChunked parses data a chunk at a time into a fresh parser, which
// it returns; false if data cannot be cut or a chunk does not parse
// cleanly, in which case nothing of it is kept.
//
// With hand set, a file that declares no document, such as a corpus's
// entities.yaml, is handed over a chunk at a time, its items and problems
// so far to hand and the rest in the parser returned, so that memory need
// not hold all its items (at 186,000 entities they were 31 MB). Every
// chunk is parsed once first, only to know it parses: a file that does
// not is then parsed whole, as before, with nothing of it handed over. A
// file with a document keeps its items together: a relation's quote is
// found in the document of its own part.
func (p *parser) parseChunked(data []byte, hand func(*graph.Corpus, graph.Diagnostics)) (*parser, bool) {
	starts := lineStarts(data)
	secs, ok := sections(data, starts)
	if !ok || len(secs) == 0 {
		return nil, false
	}
	offset := func(line int) int {
		if line >= len(starts) {
			return len(data)
		}
		return starts[line]
	}
	q := &parser{file: p.file, dir: p.dir, ont: p.ont, corpus: &graph.Corpus{}}
	if !q.parseWhole(skeleton(data, secs, offset)) {
		return nil, false
	}
	cuts := cutsOf(secs, offset)
	early := hand != nil && len(q.corpus.Documents) == 0 && q.doc == ""
	if early {
		var failed atomic.Bool
		parallel.Each(len(cuts), func(i int) {
			if _, ok := q.chunk(data, cuts[i]); !ok {
				failed.Store(true)
			}
		})
		if failed.Load() {
			return nil, false
		}
	}
	// The chunks of a share are parsed on every core, each into a parser
	// of its own, and joined in order: the file's items and problems come
	// out as one parser would make them.
	for first := 0; first < len(cuts); {
		last, size := first, 0
		for last < len(cuts) && (last == first || size < shareBytes) {
			size += cuts[last].to - cuts[last].from
			last++
		}
		share := make([]*parser, last-first)
		var failed atomic.Bool
		parallel.Each(len(share), func(k int) {
			var ok bool
			if share[k], ok = q.items(data, cuts[first+k]); !ok {
				failed.Store(true) // never once early: every chunk parsed
			}
		})
		if failed.Load() {
			return nil, false
		}
		for _, e := range share {
			q.corpus.Append(e.corpus)
			q.ds = append(q.ds, e.ds...)
			if early {
				// A chunk a part: the feed bounds the parts waiting for
				// the store by their number (64), not their size.
				hand(q.corpus, q.ds)
				q.corpus, q.ds = &graph.Corpus{}, nil
			}
		}
		first = last
	}
	return q, true
}

// cutsOf cuts secs into chunks of about chunkBytes, in the order parse
// walks the lists.
func cutsOf(secs []section, offset func(line int) int) []cut {
	var cuts []cut
	for _, key := range sectionKeys {
		for _, sec := range secs {
			if sec.key != key {
				continue
			}
			for first := 0; first < len(sec.items); {
				last := first + 1
				for last < len(sec.items) && offset(sec.items[last])-offset(sec.items[first]) < chunkBytes {
					last++
				}
				end := sec.end
				if last < len(sec.items) {
					end = sec.items[last]
				}
				cuts = append(cuts, cut{key: key, keyAt: offset(sec.keyLine), keyEnd: offset(sec.keyLine + 1),
					from: offset(sec.items[first]), to: offset(end), line: sec.items[first]})
				first = last
			}
		}
	}
	return cuts
}

// items parses chunk c of data into a parser of its own, made like p.
func (p *parser) items(data []byte, c cut) (*parser, bool) {
	nodes, ok := p.chunk(data, c)
	if !ok {
		return nil, false
	}
	e := &parser{file: p.file, dir: p.dir, ont: p.ont, corpus: &graph.Corpus{}, doc: p.doc}
	for _, n := range nodes {
		switch c.key {
		case "entities":
			e.entity(n, entityFields, "")
		case "events":
			e.entity(n, eventFields, "Attack")
		case "relations":
			e.relation(n)
		case "waivers":
			e.waiver(n)
		}
	}
	return e, true
}

// shareBytes is about how much of a file parseChunked parses at once, its
// chunks on every core. Tests lower it.
var shareBytes = 1 << 20

// cut is a chunk of a file: its list's key line data[keyAt:keyEnd] and
// the items in data[from:to], the first on line (0-based).
type cut struct {
	key                     string
	keyAt, keyEnd, from, to int
	line                    int
}

// skeleton is data with the lists' items blanked, lines kept: parsed
// whole, it gives the document and the checks of the top level. Blanked
// lines keep only their line breaks, so it is about the size of the rest
// of the file, not a copy of it.
func skeleton(data []byte, secs []section, offset func(line int) int) []byte {
	out := make([]byte, 0, len(data)/16)
	at := 0
	for _, sec := range secs {
		from, to := offset(sec.items[0]), offset(sec.end)
		out = append(out, data[at:from]...)
		for _, b := range data[from:to] {
			if b == '\n' || b == '\r' {
				out = append(out, b)
			}
		}
		at = to
	}
	return append(out, data[at:]...)
}

// chunk parses c's key line followed by its items, and returns the items
// with their lines as in the file.
func (p *parser) chunk(data []byte, c cut) ([]*yaml.Node, bool) {
	text := make([]byte, 0, c.keyEnd-c.keyAt+c.to-c.from+1)
	text = append(text, data[c.keyAt:c.keyEnd]...)
	if len(text) == 0 || text[len(text)-1] != '\n' {
		text = append(text, '\n')
	}
	text = append(text, data[c.from:c.to]...)
	dec := yaml.NewDecoder(bytes.NewReader(text))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		return nil, false
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil || err.Error() != "EOF" {
		return nil, false
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 {
		return nil, false
	}
	top := root.Content[0]
	if top.Kind != yaml.MappingNode || len(top.Content) != 2 || top.Content[1].Kind != yaml.SequenceNode {
		return nil, false
	}
	clean := true
	var shift func(n *yaml.Node)
	shift = func(n *yaml.Node) {
		if n.Kind == yaml.AliasNode || n.Anchor != "" {
			clean = false // the whole parse reports them, with their count
		}
		// Line 1 is the key line; line 2 is the file's firstLine (0-based).
		n.Line = n.Line - 2 + c.line + 1
		for _, c := range n.Content {
			shift(c)
		}
	}
	seq := top.Content[1]
	for _, item := range seq.Content {
		shift(item)
	}
	return seq.Content, clean
}
