package yamlfile

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/kgraph/kg/graph"
)

// EntitiesFile is the file WriteCorpus declares entities and events in.
const EntitiesFile = "entities.yaml"

// WriteCorpus writes c to dir (created if missing) as annotation files that
// ReadCorpus reads back to the same corpus: EntitiesFile with every entity
// and event, and for each document <id>.txt, its text byte for byte, and
// <id>.yaml, its document section with the relations and waivers it is the
// evidence of. Files are written one document at a time (several at once),
// so memory stays flat whatever the size of the corpus.
//
// The files carry no yaml-language-server modeline: dir can be anywhere, so
// no relative path to the schema would hold. Entities with a date, or of
// kind Attack or Event, are written under events; the rest under entities.
func WriteCorpus(dir string, c *graph.Corpus) error {
	docs := map[string]int{} // id -> index in c.Documents
	for i, d := range c.Documents {
		if err := fileSafe(d.ID); err != nil {
			return err
		}
		if _, dup := docs[d.ID]; dup {
			return fmt.Errorf("write corpus: document %q appears twice", d.ID)
		}
		docs[d.ID] = i
	}
	rels := make([][]*graph.Relation, len(c.Documents))
	for _, r := range c.Relations {
		i, ok := docs[r.Evidence.Document]
		if !ok {
			return fmt.Errorf("write corpus: relation %s %s %s: document %q is not in the corpus", r.Subject, r.Type, r.Object, r.Evidence.Document)
		}
		rels[i] = append(rels[i], r)
	}
	waivers := make([][]*graph.Waiver, len(c.Documents))
	for _, w := range c.Waivers {
		i, ok := docs[w.Document]
		if !ok {
			return fmt.Errorf("write corpus: waiver: document %q is not in the corpus", w.Document)
		}
		waivers[i] = append(waivers[i], w)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write corpus: %w", err)
	}
	if len(c.Entities) > 0 {
		var b enc
		if err := b.write(filepath.Join(dir, EntitiesFile), "Entities and events, each declared once.", b.entities(c.Entities)); err != nil {
			return err
		}
	}

	// Documents are independent: write them on every core.
	next := make(chan int)
	errs := make([]error, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for w := range errs {
		wg.Go(func() {
			var b enc
			for i := range next {
				if errs[w] == nil {
					errs[w] = b.document(dir, c.Documents[i], rels[i], waivers[i])
				}
			}
		})
	}
	for i := range c.Documents {
		next <- i
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}

// fileSafe checks that a document id makes good file names in the folder.
func fileSafe(id string) error {
	switch {
	case id == "" || id == "." || id == ".." || filepath.Base(id) != id || filepath.Clean(id) != id:
		return fmt.Errorf("write corpus: document id %q cannot name a file", id)
	case id+".yaml" == EntitiesFile:
		return fmt.Errorf("write corpus: document id %q would overwrite %s", id, EntitiesFile)
	}
	return nil
}

// enc builds yaml.Node trees of one file at a time and writes them.
type enc struct {
	buf bytes.Buffer
	err error // the first string that cannot be written
}

func (b *enc) write(name, comment string, root *yaml.Node) error {
	if b.err != nil {
		return fmt.Errorf("write %s: %w", name, b.err)
	}
	b.buf.Reset()
	b.buf.WriteString("# " + comment + "\n")
	e := yaml.NewEncoder(&b.buf)
	e.SetIndent(2)
	if err := e.Encode(root); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := e.Close(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return writeFile(name, b.buf.Bytes())
}

func writeFile(name string, data []byte) error {
	if err := os.WriteFile(name, data, 0o644); err != nil {
		return fmt.Errorf("write corpus: %w", err)
	}
	return nil
}

func (b *enc) document(dir string, d *graph.Document, rels []*graph.Relation, waivers []*graph.Waiver) error {
	f, err := os.Create(filepath.Join(dir, d.ID+".txt"))
	if err == nil {
		_, err = f.WriteString(d.Text)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("write corpus: %w", err)
	}
	sec := &yaml.Node{Kind: yaml.MappingNode}
	b.field(sec, "id", d.ID)
	b.field(sec, "file", d.ID+".txt")
	b.field(sec, "title", d.Title)
	b.field(sec, "publisher", d.Publisher)
	b.field(sec, "url", d.URL)
	dateField(sec, "date", d.Date)
	b.field(sec, "reliability", d.Reliability)
	b.field(sec, "note", d.Note)
	top := &yaml.Node{Kind: yaml.MappingNode}
	top.Content = append(top.Content, key("document"), sec)
	if len(rels) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, r := range rels {
			seq.Content = append(seq.Content, b.relation(r, d.ID))
		}
		top.Content = append(top.Content, key("relations"), seq)
	}
	if len(waivers) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, w := range waivers {
			m := &yaml.Node{Kind: yaml.MappingNode}
			b.field(m, "quote", w.Quote)
			b.field(m, "reason", w.Reason)
			seq.Content = append(seq.Content, m)
		}
		top.Content = append(top.Content, key("waivers"), seq)
	}
	return b.write(filepath.Join(dir, d.ID+".yaml"), "Annotation of "+d.ID+".txt.", top)
}

func (b *enc) relation(r *graph.Relation, doc string) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	b.field(m, "subject", r.Subject)
	b.field(m, "rel", r.Type)
	b.field(m, "object", r.Object)
	b.field(m, "about", r.About)
	if len(r.Figures) > 0 {
		fs := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
		for _, f := range r.Figures {
			v := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(f.Value)}
			if f.Qualifier != "" {
				v = b.str(f.String())
			}
			fs.Content = append(fs.Content, b.str(f.Measure), v)
		}
		m.Content = append(m.Content, key("figures"), fs)
	}
	b.field(m, "quote", r.Evidence.Quote)
	dateField(m, "date", r.Date)
	b.field(m, "dateText", r.DateText)
	if r.Evidence.Document != doc {
		b.field(m, "doc", r.Evidence.Document)
	}
	b.field(m, "credibility", r.Credibility)
	b.field(m, "role", r.Role)
	b.field(m, "note", r.Note)
	return m
}

func (b *enc) entities(list []*graph.Entity) *yaml.Node {
	ents := &yaml.Node{Kind: yaml.SequenceNode}
	events := &yaml.Node{Kind: yaml.SequenceNode}
	for _, e := range list {
		m := &yaml.Node{Kind: yaml.MappingNode}
		b.field(m, "id", e.ID)
		b.field(m, "kind", e.Kind)
		b.field(m, "name", e.Name)
		var aliases []*yaml.Node
		for _, a := range e.Aliases {
			if a != "" {
				aliases = append(aliases, b.str(a))
			}
		}
		if len(aliases) > 0 {
			m.Content = append(m.Content, key("aliases"), &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle, Content: aliases})
		}
		if isEvent(e) {
			dateField(m, "date", e.Date)
			events.Content = append(events.Content, m)
		} else {
			ents.Content = append(ents.Content, m)
		}
		b.field(m, "note", e.Note)
	}
	top := &yaml.Node{Kind: yaml.MappingNode}
	if len(ents.Content) > 0 {
		top.Content = append(top.Content, key("entities"), ents)
	}
	if len(events.Content) > 0 {
		top.Content = append(top.Content, key("events"), events)
	}
	return top
}

// isEvent says whether e goes under events: dated, or of the kinds the
// events section knows (Attack, its default, and Event).
func isEvent(e *graph.Entity) bool {
	return !e.Date.IsZero() || e.Kind == "Attack" || e.Kind == "Event"
}

func key(name string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: name}
}

// str is a string scalar: the encoder quotes it when plain text would read
// as something else (null, true, 12, *alias, - item, a: b), and it is
// double-quoted when it spans lines.
func (b *enc) str(s string) *yaml.Node {
	if !utf8.ValidString(s) && b.err == nil {
		b.err = fmt.Errorf("%q is not UTF-8", s)
	}
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if strings.ContainsAny(s, "\r\n") {
		// yaml.v3 writes these as literal blocks and drops a leading line
		// break ("\nx" reads back as "x"); double quotes keep every byte.
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// field adds name: value to m, unless value is empty (the reader refuses
// empty values: an absent field means the same).
func (b *enc) field(m *yaml.Node, name, value string) {
	if value != "" {
		m.Content = append(m.Content, key(name), b.str(value))
	}
}

// dateField writes a date plain (2017-06-07, as people write it); the
// reader takes the text whatever YAML would resolve it to.
func dateField(m *yaml.Node, name string, d graph.Date) {
	if !d.IsZero() {
		m.Content = append(m.Content, key(name), &yaml.Node{Kind: yaml.ScalarNode, Value: d.String()})
	}
}
