package graph

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

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
	var ds Diagnostics
	// Finding quotes is most of Check's work and runs on every core; the
	// checks below need its results only at the end, so they run meanwhile.
	docs := documentsByID(c)
	found := make(chan [2][]quoteAt, 1)
	go func() {
		rels, waivers := findQuotes(c, docs)
		found <- [2][]quoteAt{rels, waivers}
	}()
	declared := len(c.Documents) + len(c.Entities)
	ids := make(map[string]Pos, declared)      // every declared ID
	kinds := make(map[string]string, declared) // ID -> kind
	declare := func(id, kind string, pos Pos) {
		if id == "" {
			return
		}
		if !idPattern.MatchString(id) {
			ds.Add(pos, "use lower-case letters, digits and hyphens, like \"islamic-state\"", "id %q is not a valid id", id)
		}
		if first, dup := ids[id]; dup {
			ds.Add(pos, "give each entity, event and document its own id", "duplicate id %q (first declared at %s)", id, first)
			return
		}
		ids[id] = pos
		kinds[id] = kind
	}
	for _, d := range c.Documents {
		declare(d.ID, "Document", d.Fields.At("id", d.Pos))
		if d.Reliability != "" && !slices.Contains(TermNames(o.Reliability), d.Reliability) {
			ds.Add(d.Fields.At("reliability", d.Pos), "use an Admiralty source grade A to F", "reliability %q is not a grade", d.Reliability)
		}
	}
	names := make(map[string]string, len(c.Entities)) // lower-cased name or alias -> id
	for _, e := range c.Entities {
		declare(e.ID, e.Kind, e.Fields.At("id", e.Pos))
		k, ok := o.Kind(e.Kind)
		switch {
		case !ok:
			ds.Add(e.Fields.At("kind", e.Pos), hintOneOf(e.Kind, kindsExcept(o, CategorySource)), "unknown kind %q", e.Kind)
		case k.Category == CategorySource:
			ds.Add(e.Fields.At("kind", e.Pos), "declare documents in an annotation file's document section", "kind %s cannot be declared as an entity", e.Kind)
		case !e.Date.IsZero() && k.Category != CategoryEvent:
			ds.Add(e.Fields.At("date", e.Pos), "only events (Attack, Event) have a date", "%s %q has a date", e.Kind, e.ID)
		}
		for i, n := range append([]string{e.Name}, e.Aliases...) {
			key := strings.ToLower(n)
			if other, dup := names[key]; dup && other != e.ID {
				field := "name"
				if i > 0 {
					field = "aliases"
				}
				ds.Add(e.Fields.At(field, e.Pos), "a name or alias must point to one entity; drop it from one of them", "%q already names %q", n, other)
				continue
			}
			names[key] = e.ID
		}
	}
	ref := func(fields Fields, at Pos, field, id string, allowed []string) {
		if id == "" {
			return
		}
		pos := fields.At(field, at)
		kind, ok := kinds[id]
		if !ok {
			ds.Add(pos, hintOneOf(id, keys(kinds)), "%s %q is not declared", field, id)
			return
		}
		if allowed != nil && !slices.Contains(allowed, kind) {
			ds.Add(pos, "allowed kinds here: "+strings.Join(allowed, ", "), "%s %q is a %s", field, id, kind)
		}
	}
	statements := make(map[[6]string]Pos, len(c.Relations))
	figureNames, credibility, events := TermNames(o.Figures), TermNames(o.Credibility), eventKinds(o)
	for _, r := range c.Relations {
		key := [6]string{r.Subject, r.Type, r.Object, r.About, r.Evidence.Document, r.Evidence.Quote}
		if first, dup := statements[key]; dup {
			ds.Add(r.Pos, "remove one of them, or quote different words", "the same relation, with the same quote, is already at %s", first)
		} else {
			statements[key] = r.Pos
		}
		rt, ok := o.Relation(r.Type)
		if !ok {
			ds.Add(r.Fields.At("rel", r.Pos), hintOneOf(r.Type, o.RelationNames()), "unknown relation type %q", r.Type)
		} else {
			ref(r.Fields, r.Pos, "subject", r.Subject, rt.From)
			ref(r.Fields, r.Pos, "object", r.Object, rt.To)
			for _, opt := range [...]struct {
				field string
				set   bool
			}{{"about", r.About != ""}, {"role", r.Role != ""}, {"figures", len(r.Figures) > 0}} {
				if opt.set && !rt.Allows(opt.field) {
					ds.Add(r.Fields.At(opt.field, r.Pos), "remove it, or use a relation type that has it", "%s does not take %s", r.Type, opt.field)
				}
			}
			if r.Type == "REPORTED" && !r.Fields.Has("figures") && len(r.Figures) == 0 {
				ds.Add(r.Pos, "add figures: {killed: 12, wounded: 43}", "REPORTED needs figures")
			}
		}
		ref(r.Fields, r.Pos, "about", r.About, events)
		for _, f := range r.Figures {
			if !slices.Contains(figureNames, f.Measure) {
				ds.Add(r.Fields.At("figures", r.Pos), hintOneOf(f.Measure, figureNames), "unknown figure %q", f.Measure)
			}
		}
		if r.Credibility != "" && !slices.Contains(credibility, r.Credibility) {
			ds.Add(r.Fields.At("credibility", r.Pos), "use an Admiralty credibility grade 1 to 6", "credibility %q is not a grade", r.Credibility)
		}
	}
	q := <-found
	relQuotes, waiverQuotes := q[0], q[1]
	quotes := &quoteChecker{docs: docs}
	for i, r := range c.Relations {
		quotes.check(&ds, r.Fields, r.Pos, &r.Evidence, relQuotes[i])
	}
	for i, w := range c.Waivers {
		ev := Evidence{Document: w.Document, Quote: w.Quote}
		quotes.check(&ds, w.Fields, w.Pos, &ev, waiverQuotes[i])
		w.Start, w.End = ev.Start, ev.End
	}
	ds.Sort()
	return ds
}

// documentsByID indexes the documents by ID; for a duplicate ID, the last
// declared wins, as it always has for quotes (Check reports the duplicate).
func documentsByID(c *Corpus) map[string]*Document {
	docs := make(map[string]*Document, len(c.Documents))
	for _, d := range c.Documents {
		docs[d.ID] = d
	}
	return docs
}

// quoteAt is where findQuotes found a quote, if it did.
type quoteAt struct {
	start, end int
	found      bool
}

// findQuotes looks for each relation's and each waiver's quote in its
// document, leaving the corpus as it is: Check reports and records the
// results in corpus order. Finding quotes is most of Check's work, and
// documents are independent, so it groups the quotes by document and
// searches the documents on every core. Each worker folds one document at
// a time, once for all its quotes, so memory holds only as many folded
// texts as there are workers, however large the corpus.
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
			return nil // not declared: quoteChecker.check reports it
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

// quoteChecker reports a quote findQuotes did not find, or whose document
// is not declared, and records the offsets of one it found.
type quoteChecker struct {
	docs map[string]*Document
}

func (qc *quoteChecker) check(ds *Diagnostics, fields Fields, at Pos, ev *Evidence, q quoteAt) {
	d, ok := qc.docs[ev.Document]
	if !ok {
		ds.Add(fields.At("doc", at), hintOneOf(ev.Document, keys(qc.docs)), "document %q is not declared", ev.Document)
		return
	}
	if !q.found {
		ds.Add(fields.At("quote", at), "copy the words exactly from "+d.File+" (only white space, quote marks and dashes may differ)", "quote not found in document %q", d.ID)
		return
	}
	ev.Start, ev.End = q.start, q.end
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
