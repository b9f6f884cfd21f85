// Package synth generates synthetic corpora for tests and benchmarks: the
// shape of real annotation sets (a few very connected actors and many rare
// ones, several documents reporting each attack, sources disagreeing on the
// death toll, every relation type of the ontology) at any size, with names
// chosen to break careless quoting (apostrophes, quote marks, backticks,
// non-Latin scripts, Cypher keywords, YAML indicators).
//
// Every corpus it makes passes graph.Check with no diagnostics: each
// document's text is generated with the sentences its relations quote, so
// every quote is found verbatim. The same seed always gives the same corpus.
package synth

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kgraph/kg/graph"
)

// Options sizes a generated corpus. Zero fields are derived from Relations.
type Options struct {
	Seed      int64
	Relations int
	// Documents is the number of documents; 0 means Relations/20 (at least
	// one). It is never more than Relations.
	Documents int
	// Actors is the number of actors (people, organisations, groups,
	// states); 0 means Relations/10. Every actor kind gets at least two.
	Actors int
	// Events is the number of events (attacks and others); 0 means
	// Documents/4, so that several documents report each event.
	Events int
	// Places is the number of places; 0 means Relations/200 (at least two).
	Places int
	// Tricky is the share of names made awkward to quote (0 means 0.1).
	Tricky float64
}

// Zipf exponent of actor and place popularity: a few are in most
// statements, most are in one or none.
const zipfS, zipfV = 1.1, 2

// Generate makes a corpus of opts.Relations relations that passes
// graph.Check cleanly. Work and memory are linear in the size.
func Generate(o *graph.Ontology, opts Options) *graph.Corpus {
	g := newGen(o, opts)
	g.entities()
	g.documents()
	return g.c
}

// RandomSmall makes a small random corpus (5 to 40 relations, up to four
// documents) with the same guarantees as Generate, for property tests run
// over many seeds.
func RandomSmall(o *graph.Ontology, seed int64) *graph.Corpus {
	r := rand.New(rand.NewPCG(uint64(seed), 0x5eed5a11))
	n := 5 + r.IntN(36)
	return Generate(o, Options{
		Seed:      seed,
		Relations: n,
		Documents: 1 + r.IntN(4),
		Actors:    1 + r.IntN(16),
		Events:    1 + r.IntN(5),
		Places:    1 + r.IntN(5),
		Tricky:    0.3,
	})
}

type pool struct {
	kind graph.Kind
	ents []*graph.Entity
	zipf *rand.Zipf // nil: uniform
	perm []int      // popularity rank -> index in ents
}

func (p *pool) pick(r *rand.Rand) *graph.Entity {
	if p.zipf == nil {
		return p.ents[r.IntN(len(p.ents))]
	}
	return p.ents[p.perm[p.zipf.Uint64()]]
}

type relType struct {
	graph.RelationType
	weight   int
	from, to []string // the kinds of From and To that have nodes
}

type gen struct {
	o      *graph.Ontology
	opts   Options
	r      *rand.Rand
	c      *graph.Corpus
	taken  map[string]bool // lower-cased names and aliases
	pools  map[string]*pool
	kinds  map[string]graph.Kind
	places []*pool
	types  []relType
	total  int // sum of type weights

	eventPlace map[*graph.Entity]*graph.Entity
	truth      map[*graph.Entity][]int // event -> true value of each figure (ontology order)
	specials   int                     // next unused special name
	scratch    []byte
}

func newGen(o *graph.Ontology, opts Options) *gen {
	g := &gen{
		o:          o,
		opts:       opts,
		r:          rand.New(rand.NewPCG(uint64(opts.Seed), 0x6b67)),
		c:          &graph.Corpus{},
		taken:      map[string]bool{},
		pools:      map[string]*pool{},
		kinds:      map[string]graph.Kind{},
		eventPlace: map[*graph.Entity]*graph.Entity{},
		truth:      map[*graph.Entity][]int{},
	}
	if g.opts.Tricky == 0 {
		g.opts.Tricky = 0.1
	}
	n := max(0, opts.Relations)
	g.opts.Relations = n
	if g.opts.Documents <= 0 {
		g.opts.Documents = max(1, n/20)
	}
	g.opts.Documents = min(g.opts.Documents, n)
	if g.opts.Actors <= 0 {
		g.opts.Actors = n / 10
	}
	if g.opts.Events <= 0 {
		g.opts.Events = g.opts.Documents / 4
	}
	if g.opts.Places <= 0 {
		g.opts.Places = n / 200
	}
	for _, k := range o.Kinds {
		g.kinds[k.Name] = k
	}
	return g
}

// typeWeight makes some relation types commoner than others, as in news.
var typeWeight = map[string]int{
	"REPORTED": 6, "CONDEMNED": 5, "BLAMED": 5, "CLAIMED": 3, "CARRIED_OUT": 3,
	"CRITICISED": 3, "OCCURRED_IN": 3, "TARGETED": 2, "LOCATED_IN": 1, "DOWNPLAYED": 1,
}

// kindShare splits actors between actor kinds; kindCap bounds a kind (there
// are only so many states).
var (
	kindShare = map[string]int{"Person": 45, "Organisation": 25, "ArmedGroup": 22, "State": 8}
	kindCap   = map[string]int{"State": 250}
)

// entities declares the places, actors and events, in ontology order.
func (g *gen) entities() {
	var actors, places, events []graph.Kind
	for _, k := range g.o.Kinds {
		switch k.Category {
		case graph.CategoryActor:
			actors = append(actors, k)
		case graph.CategoryPlace:
			places = append(places, k)
		case graph.CategoryEvent:
			events = append(events, k)
		}
	}
	// Places first: events and some groups are named after them.
	for _, k := range places {
		p := g.newPool(k, max(2, g.opts.Places/len(places)), true)
		for i := range p.ents {
			g.name(p.ents[i], g.placeName)
		}
		g.places = append(g.places, p)
	}
	total := 0
	for _, k := range actors {
		total += share(k.Name)
	}
	for _, k := range actors {
		n := max(2, g.opts.Actors*share(k.Name)/max(1, total))
		if c := kindCap[k.Name]; c > 0 {
			n = min(n, max(2, c))
		}
		p := g.newPool(k, n, true)
		for _, e := range p.ents {
			g.name(e, g.actorNamer(k.Name))
		}
	}
	for i, k := range events {
		n := g.opts.Events * 3 / 10 / max(1, len(events)-1) // the first event kind (Attack) gets 70%
		if i == 0 {
			n = g.opts.Events * 7 / 10
			if len(events) == 1 {
				n = g.opts.Events
			}
		}
		p := g.newPool(k, max(1, n), false)
		for _, e := range p.ents {
			g.event(e, i == 0)
		}
	}
	for _, k := range g.o.Kinds {
		if p := g.pools[k.Name]; p != nil {
			g.c.Entities = append(g.c.Entities, p.ents...)
		}
	}
	for _, rt := range g.o.Relations {
		w := typeWeight[rt.Name]
		if w == 0 {
			w = 2
		}
		g.types = append(g.types, relType{RelationType: rt, weight: w, from: g.usable(rt.From), to: g.usable(rt.To)})
		g.total += w
	}
}

func share(kind string) int {
	if s := kindShare[kind]; s > 0 {
		return s
	}
	return 20
}

func (g *gen) newPool(k graph.Kind, n int, zipf bool) *pool {
	p := &pool{kind: k, ents: make([]*graph.Entity, n)}
	prefix := idPrefix(k.Name)
	width := len(strconv.Itoa(n))
	for i := range p.ents {
		p.ents[i] = &graph.Entity{ID: fmt.Sprintf("%s-%0*d", prefix, width, i+1), Kind: k.Name}
	}
	if zipf && n > 1 {
		p.zipf = rand.NewZipf(g.r, zipfS, zipfV, uint64(n-1))
		p.perm = g.r.Perm(n)
	}
	g.pools[k.Name] = p
	return p
}

// idPrefix makes a kind name into an id prefix: ArmedGroup -> armedgroup.
func idPrefix(kind string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(kind) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	if b.Len() == 0 {
		return "entity"
	}
	return b.String()
}

// claim reserves a name or alias, ignoring case as graph.Check does.
func (g *gen) claim(name string) bool {
	key := strings.ToLower(name)
	if name == "" || g.taken[key] {
		return false
	}
	g.taken[key] = true
	return true
}

// name gives e a unique name from namer (which gets the attempt number),
// sometimes a tricky one, and sometimes aliases.
func (g *gen) name(e *graph.Entity, namer func(attempt int) string) {
	if g.r.Float64() < g.opts.Tricky {
		if g.r.IntN(4) == 0 && g.specials < len(specialNames) {
			if n := specialNames[g.specials]; g.claim(n) {
				g.specials++
				e.Name = n
				return
			}
			g.specials++
		}
		f := tricky[g.r.IntN(len(tricky))]
		for attempt := range 20 {
			if n := f(namer(attempt)); g.claim(n) {
				e.Name = n
				break
			}
		}
	}
	for attempt := 0; e.Name == ""; attempt++ {
		n := namer(attempt)
		if attempt >= 20 {
			n += " " + strconv.Itoa(attempt)
		}
		if g.claim(n) {
			e.Name = n
		}
	}
	if g.r.IntN(10) < 3 {
		for _, a := range aliasesOf(e) {
			if g.r.IntN(3) > 0 && g.claim(a) {
				e.Aliases = append(e.Aliases, a)
			}
		}
	}
	if g.r.IntN(50) == 0 {
		e.Note = notes[g.r.IntN(len(notes))]
	}
}

func (g *gen) actorNamer(kind string) func(int) string {
	switch kind {
	case "Person":
		return func(attempt int) string {
			if attempt < 3 {
				return g.one(firstNames) + " " + g.one(lastNames)
			}
			return g.one(firstNames) + " " + g.one(firstNames) + " " + g.one(lastNames)
		}
	case "State":
		return func(attempt int) string {
			return g.one(statePrefixes) + g.syllables(2+attempt/5) + g.one(stateSuffixes)
		}
	case "ArmedGroup":
		return func(attempt int) string {
			n := g.one(groupWords) + " " + g.one(groupKinds)
			if attempt > 1 {
				n += " of " + g.syllables(2+attempt/8)
			}
			return n
		}
	}
	return func(attempt int) string {
		n := g.one(orgAdjectives) + " " + g.one(orgNouns) + " " + g.one(orgKinds)
		if attempt > 2 {
			n += " of " + g.syllables(2+attempt/8)
		}
		return n
	}
}

func (g *gen) placeName(attempt int) string {
	n := g.syllables(2 + g.r.IntN(2) + attempt/6)
	if g.r.IntN(5) == 0 {
		n = g.one(placePrefixes) + " " + n
	}
	return n
}

func (g *gen) syllables(n int) string {
	var b []byte
	for i := range n {
		s := syllableList[g.r.IntN(len(syllableList))]
		if i == 0 {
			b = append(b, s[0]-'a'+'A')
			s = s[1:]
		}
		b = append(b, s...)
	}
	return string(b)
}

func (g *gen) one(list []string) string { return list[g.r.IntN(len(list))] }

// aliasesOf proposes other names: an acronym, a surname, a shorter form.
func aliasesOf(e *graph.Entity) []string {
	words := strings.Fields(e.Name)
	var out []string
	if len(words) >= 3 && e.Kind != "Person" {
		var acr []byte
		for _, w := range words {
			if c := w[0]; c >= 'A' && c <= 'Z' {
				acr = append(acr, c)
			}
		}
		if len(acr) >= 2 {
			out = append(out, string(acr))
		}
	}
	switch {
	case e.Kind == "Person" && len(words) >= 2:
		out = append(out, words[len(words)-1])
	case !e.Date.IsZero() && len(words) >= 3:
		out = append(out, strings.Join(words[1:], " ")) // "2017 Tehran attack" -> "Tehran attack"
	case e.Kind == "State":
		out = append(out, "the government of "+e.Name)
	default:
		out = append(out, "the "+e.Name)
	}
	return out
}

// event dates and names an event, and gives it a place and true figures.
func (g *gen) event(e *graph.Entity, attack bool) {
	d := graph.Date{Year: 2001 + g.r.IntN(24), Month: 1 + g.r.IntN(12)}
	switch x := g.r.IntN(100); {
	case x < 3:
		d.Month = 0
	case x < 13:
	default:
		d.Day = 1 + g.r.IntN(daysIn(d.Year, d.Month))
	}
	e.Date = d
	var place *graph.Entity
	if len(g.places) > 0 {
		place = g.places[g.r.IntN(len(g.places))].pick(g.r)
		g.eventPlace[e] = place
	}
	words := otherEvents
	if attack {
		words = attackWords
	}
	g.name(e, func(attempt int) string {
		where := "unknown place"
		if place != nil {
			where = place.Name
		}
		n := strconv.Itoa(d.Year) + " " + where + " " + g.one(words)
		if attempt > 2 {
			n += " of " + time.Month(1+g.r.IntN(12)).String()
		}
		if attempt > 5 {
			n += " " + strconv.Itoa(attempt)
		}
		return n
	})
	t := make([]int, len(g.o.Figures))
	for i, f := range g.o.Figures {
		switch f.Name {
		case "killed":
			t[i] = g.r.IntN(8) * g.r.IntN(12)
		case "wounded":
			t[i] = g.r.IntN(10) * g.r.IntN(20)
		case "attackers":
			t[i] = 1 + g.r.IntN(8)
		case "attackersKilled":
			t[i] = g.r.IntN(4)
		default:
			t[i] = g.r.IntN(30)
		}
	}
	g.truth[e] = t
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// doc is the state of the document being written.
type doc struct {
	d      *graph.Document
	main   *graph.Entity            // the event the document is about
	events map[string]*graph.Entity // kind -> the event of that kind it speaks of
	text   strings.Builder
	quotes []span // per relation of this document
	rels   []*graph.Relation
	seen   map[[4]string]int // statements made so far
	inPara int               // sentences in the current paragraph
}

type span struct{ start, end int }

func (g *gen) documents() {
	n, nd := g.opts.Relations, g.opts.Documents
	if nd == 0 {
		return
	}
	sizes := make([]int, nd)
	for j := range sizes {
		sizes[j] = n / nd
		if j < n%nd {
			sizes[j]++
		}
	}
	for j := 0; j+1 < nd; j += 2 {
		t := g.r.IntN(max(1, sizes[j]/2))
		sizes[j] -= t
		sizes[j+1] += t
	}
	order := g.r.Perm(len(g.types)) // the first relations use every type once
	var allEvents []*graph.Entity
	for _, k := range g.o.Kinds {
		if p := g.pools[k.Name]; p != nil && k.Category == graph.CategoryEvent {
			allEvents = append(allEvents, p.ents...)
		}
	}
	width := len(strconv.Itoa(nd))
	g.c.Documents = make([]*graph.Document, 0, nd)
	g.c.Relations = make([]*graph.Relation, 0, n)
	made := 0
	for j := range nd {
		id := fmt.Sprintf("doc-%0*d", width, j+1)
		dc := &doc{d: &graph.Document{ID: id, File: id + ".txt", Path: id + ".txt"}, events: map[string]*graph.Entity{}, seen: map[[4]string]int{}}
		dc.main = allEvents[g.r.IntN(len(allEvents))]
		dc.events[dc.main.Kind] = dc.main
		g.header(dc)
		for range sizes[j] {
			if made < len(order) {
				g.relation(dc, &g.types[order[made]], true)
			} else {
				g.relation(dc, g.pickType(), false)
			}
			made++
		}
		dc.text.WriteByte('\n')
		text := dc.text.String()
		dc.d.Text = text
		for i, r := range dc.rels {
			r.Evidence = graph.Evidence{Document: id, Quote: text[dc.quotes[i].start:dc.quotes[i].end],
				Start: dc.quotes[i].start, End: dc.quotes[i].end}
		}
		g.c.Documents = append(g.c.Documents, dc.d)
		g.c.Relations = append(g.c.Relations, dc.rels...)
	}
}

func (g *gen) pickType() *relType {
	x := g.r.IntN(g.total)
	for i := range g.types {
		if x < g.types[i].weight {
			return &g.types[i]
		}
		x -= g.types[i].weight
	}
	return &g.types[len(g.types)-1]
}

func (g *gen) header(dc *doc) {
	d, ev := dc.d, dc.main
	if ed := ev.Date; g.r.IntN(10) > 0 {
		d.Date = ed
		if ed.Day > 0 {
			t := time.Date(ed.Year, time.Month(ed.Month), ed.Day, 0, 0, 0, 0, time.UTC).AddDate(0, 0, g.r.IntN(4))
			d.Date = graph.Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
		}
	}
	d.Title = ev.Name + ": " + g.one(titles)
	if g.r.IntN(100) < 85 {
		d.Publisher = g.one(publishers)
	}
	d.URL = "https://news.example/" + d.ID
	if rel := g.o.Reliability; len(rel) > 0 && g.r.IntN(2) == 0 {
		d.Reliability = rel[g.r.IntN(len(rel))].Name
	}
	if g.r.IntN(30) == 0 {
		d.Note = g.one(notes)
	}
	dc.text.WriteString(d.Title)
	dc.text.WriteString("\n\n")
	if byline := strings.Trim(d.Publisher+", "+d.Date.String(), ", "); byline != "" {
		dc.text.WriteString(byline)
		dc.text.WriteString("\n\n")
	}
}

// eventOf returns the event of kind the document speaks of: mostly its own.
func (g *gen) eventOf(dc *doc, kind string) *graph.Entity {
	if e := dc.events[kind]; e != nil && g.r.IntN(10) > 0 {
		return e
	}
	p := g.pools[kind]
	e := p.ents[g.r.IntN(len(p.ents))]
	if dc.events[kind] == nil {
		dc.events[kind] = e
	}
	return e
}

// end picks a node of one of kinds, other than avoid: the document itself
// for a source kind, the document's event for an event kind, and a popular
// actor or place more often than a rare one.
func (g *gen) end(dc *doc, kinds []string, avoid string) (id string, e *graph.Entity) {
	for try := 0; ; try++ {
		k := kinds[g.r.IntN(len(kinds))]
		kind := g.kinds[k]
		switch {
		case kind.Category == graph.CategorySource:
			id, e = dc.d.ID, nil
		case g.pools[k] == nil:
			continue
		case kind.Category == graph.CategoryEvent:
			e = g.eventOf(dc, k)
			id = e.ID
		default:
			e = g.pools[k].pick(g.r)
			id = e.ID
		}
		if id != avoid || try > 20 {
			return id, e
		}
	}
}

// relation adds a relation of type rt (or, when forced is false and the
// document already says the same, of another type) to the document.
func (g *gen) relation(dc *doc, rt *relType, forced bool) {
	r := &graph.Relation{}
	var subj, obj, about *graph.Entity
	var key [4]string
	repeat := 0
	for try := 0; ; try++ {
		r.Type = rt.Name
		r.Subject, subj = g.end(dc, rt.from, "")
		if place := g.eventPlace[subj]; place != nil && slices.Contains(rt.To, place.Kind) && g.r.IntN(10) < 7 {
			r.Object, obj = place.ID, place
		} else {
			r.Object, obj = g.end(dc, rt.to, r.Subject)
		}
		about = nil
		if rt.Allows("about") {
			about = dc.main
		}
		r.About = ""
		if about != nil {
			r.About = about.ID
		}
		// graph.Check refuses the same statement twice with the same quote.
		key = [4]string{r.Subject, r.Type, r.Object, r.About}
		if dc.seen[key] == 0 {
			break
		}
		if try >= 30 {
			repeat = dc.seen[key]
			break
		}
		if !forced {
			rt = g.pickType()
		}
	}
	dc.seen[key]++
	if rt.Allows("role") {
		r.Role = g.one(roles)
	}
	if rt.Allows("figures") {
		r.Figures = g.figures(obj)
	}
	if full := dc.d.Date; full.Day > 0 && g.r.IntN(10) < 6 {
		r.Date = full
		if g.r.IntN(6) == 0 {
			r.DateText = weekday(full)
		}
	}
	if cr := g.o.Credibility; len(cr) > 0 && g.r.IntN(10) < 3 {
		r.Credibility = cr[g.r.IntN(len(cr))].Name
	}
	if g.r.IntN(40) == 0 {
		r.Note = g.one(notes)
	}
	g.filler(dc)
	g.sentence(dc, rt, r, subj, obj, about, repeat)
	dc.rels = append(dc.rels, r)
}

// usable keeps the kinds an end can be: declared kinds and the document.
func (g *gen) usable(kinds []string) []string {
	out := kinds[:0:0]
	for _, k := range kinds {
		if kind, ok := g.kinds[k]; ok && (kind.Category == graph.CategorySource || g.pools[k] != nil) {
			out = append(out, k)
		}
	}
	return out
}

// figures reports an event's figures, as sources do: mostly right, sometimes
// qualified, and now and then different from what other sources say.
func (g *gen) figures(event *graph.Entity) []graph.Figure {
	truth := g.truth[event]
	var out []graph.Figure
	for i, f := range g.o.Figures {
		if i > 0 && g.r.IntN(10) >= 4 {
			continue
		}
		v := 0
		if truth != nil {
			v = truth[i]
		}
		if g.r.IntN(10) < 3 {
			v = max(0, v+g.r.IntN(v/3+4)-1)
		}
		fig := graph.Figure{Measure: f.Name, Value: v}
		if g.r.IntN(4) == 0 {
			fig.Qualifier = graph.Qualifiers[g.r.IntN(len(graph.Qualifiers))]
		}
		out = append(out, fig)
	}
	return out
}

func weekday(d graph.Date) string {
	return time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC).Weekday().String()
}

// filler writes a sentence that carries no relation, now and then.
func (g *gen) filler(dc *doc) {
	if g.r.IntN(3) > 0 {
		return
	}
	s := g.one(fillers)
	if place := g.eventPlace[dc.main]; place != nil && strings.Contains(s, "{P}") {
		s = strings.ReplaceAll(s, "{P}", place.Name)
	} else if strings.Contains(s, "{P}") {
		s = "Officials gave no further details."
	}
	g.startSentence(dc)
	dc.text.WriteString(s)
}

func (g *gen) startSentence(dc *doc) {
	if dc.inPara > 0 {
		if dc.inPara >= 3+g.r.IntN(3) {
			dc.text.WriteString("\n\n")
			dc.inPara = 0
		} else {
			dc.text.WriteByte(' ')
		}
	}
	dc.inPara++
}

// sentence writes the sentence that states r and records the part quoted.
// A repeat (the document said it before) gets words of its own.
func (g *gen) sentence(dc *doc, rt *relType, r *graph.Relation, subj, obj, about *graph.Entity, repeat int) {
	t := templates[rt.Name]
	var list []string
	switch {
	case rt.Allows("figures") && subj == nil:
		list = []string{"{O} {F}"}
	case rt.Allows("figures"):
		list = []string{"{S} said {O} {F}", "According to {S}, {O} {F}"}
	case r.About != "" && len(t.about) > 0:
		list = t.about
	case r.About != "":
		for _, s := range t.plain {
			list = append(list, s+" over {A}")
		}
		if list == nil {
			list = []string{"{S} " + verb(rt.Name) + " {O} over {A}"}
		}
	default:
		list = t.plain
		if list == nil {
			list = []string{"{S} " + verb(rt.Name) + " {O}"}
		}
	}
	v := vars{s: g.mention(dc, subj), o: g.mention(dc, obj), a: g.mention(dc, about), role: r.Role}
	if len(r.Figures) > 0 {
		v.f = figurePhrase(r.Figures)
	}
	prefix := ""
	switch x := g.r.IntN(20); {
	case x < 3 && r.DateText != "":
		prefix = "On " + r.DateText + ", "
	case x == 3:
		prefix = "Meanwhile, "
	case x == 4:
		prefix = "Separately, "
	}
	g.scratch = expand(g.scratch[:0], g.one(list), &v)
	if repeat > 0 {
		g.scratch = append(g.scratch, ", the report repeated ("...)
		g.scratch = strconv.AppendInt(g.scratch, int64(repeat+1), 10)
		g.scratch = append(g.scratch, ')')
	}
	core := g.scratch
	g.startSentence(dc)
	whole := prefix == "" || g.r.IntN(2) == 0
	start := dc.text.Len()
	if prefix != "" {
		dc.text.WriteString(prefix)
	} else if c := core[0]; c >= 'a' && c <= 'z' {
		core[0] = c - 'a' + 'A'
	}
	if !whole {
		start = dc.text.Len()
	}
	dc.text.Write(core)
	end := dc.text.Len()
	dc.text.WriteByte('.')
	if whole || g.r.IntN(2) == 0 {
		end++
	}
	dc.quotes = append(dc.quotes, span{start, end})
}

func verb(rel string) string { return strings.ToLower(strings.ReplaceAll(rel, "_", " ")) }

// mention is how the text names e: an event with its article, an actor by
// its name or now and then an alias, the document as "this report".
func (g *gen) mention(dc *doc, e *graph.Entity) string {
	switch {
	case e == nil:
		return "this report"
	case !e.Date.IsZero():
		return "the " + e.Name
	case len(e.Aliases) > 0 && g.r.IntN(6) == 0:
		return e.Aliases[g.r.IntN(len(e.Aliases))]
	}
	return e.Name
}

type vars struct{ s, o, a, role, f string }

// expand writes tmpl with {S} {O} {A} {R} {F} replaced.
func expand(dst []byte, tmpl string, v *vars) []byte {
	for i := 0; i < len(tmpl); i++ {
		if tmpl[i] == '{' && i+2 < len(tmpl) && tmpl[i+2] == '}' {
			switch tmpl[i+1] {
			case 'S':
				dst = append(dst, v.s...)
			case 'O':
				dst = append(dst, v.o...)
			case 'A':
				dst = append(dst, v.a...)
			case 'R':
				dst = append(dst, v.role...)
			case 'F':
				dst = append(dst, v.f...)
			}
			i += 2
			continue
		}
		dst = append(dst, tmpl[i])
	}
	return dst
}

// figurePhrase says the figures: "killed at least 12 people and wounded 43".
func figurePhrase(fs []graph.Figure) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		switch f.Measure {
		case "killed":
			parts[i] = "killed " + f.String() + " people"
		case "wounded":
			parts[i] = "wounded " + f.String()
		case "attackers":
			parts[i] = "involved " + f.String() + " attackers"
		case "attackersKilled":
			parts[i] = "left " + f.String() + " attackers dead"
		case "arrested":
			parts[i] = "led to " + f.String() + " arrests"
		default:
			parts[i] = "counted " + f.String() + " " + f.Measure
		}
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

type template struct{ plain, about []string }

// templates phrase each relation type; {A} is the event it is about.
var templates = map[string]template{
	"CLAIMED":     {plain: []string{"{S} claimed responsibility for {O}", "{S} said it carried out {O}"}},
	"BLAMED":      {plain: []string{"{S} blamed {O}"}, about: []string{"{S} blamed {O} for {A}", "{S} accused {O} of being behind {A}"}},
	"CONDEMNED":   {plain: []string{"{S} condemned {O}", "{S} strongly condemned {O}"}},
	"CRITICISED":  {plain: []string{"{S} criticised {O}"}, about: []string{"{S} criticised {O} over {A}", "{S} rebuked {O} for its response to {A}"}},
	"DOWNPLAYED":  {plain: []string{`{S} downplayed {O}, describing it as a "minor issue"`, "{S} played down {O}"}},
	"WARNED":      {plain: []string{"{S} warned {O}"}, about: []string{"{S} had warned {O} of a plot before {A}"}},
	"THREATENED":  {plain: []string{"{S} threatened {O}"}, about: []string{"{S} threatened {O} after {A}", "{S} vowed revenge on {O} for {A}"}},
	"CARRIED_OUT": {plain: []string{"{S} carried out {O}", "{O} was carried out by {S}"}},
	"TARGETED":    {plain: []string{"{S} targeted {O}", "{S} was aimed at {O}"}},
	"OCCURRED_IN": {plain: []string{"{S} took place in {O}", "{S} happened in {O}"}},
	"LOCATED_IN":  {plain: []string{"{S} lies in {O}", "{S} is part of {O}"}},
	"MEMBER_OF":   {plain: []string{"{S} serves as {R} in {O}", "{S} was named {R} of {O}"}},
	"LEADS":       {plain: []string{"{S} is the {R} of {O}", "{S}, the {R} of {O}, spoke to reporters"}},
	"FIGHTS":      {plain: []string{"{S} has been fighting {O}", "{S} clashed with {O}"}},
	"SUPPORTS":    {plain: []string{"{S} backs {O}", "{S} pledged support for {O}"}},
	"OPPOSES":     {plain: []string{"{S} opposes {O}", "{S} is at odds with {O}"}},
	"KILLED":      {plain: []string{"{S} killed {O}", "{O} was killed by {S}"}},
}

var (
	firstNames = []string{"Omar", "Leila", "Yusuf", "Amina", "Karim", "Sara", "Hassan", "Nadia", "Ivan", "Elena",
		"Pierre", "Claire", "John", "Mary", "Ahmed", "Fatima", "Daniel", "Olga", "Mehmet", "Ayse", "Tariq", "Zainab",
		"Samuel", "Grace", "Rahul", "Priya", "Chen", "Mei", "Kofi", "Abena", "Diego", "Lucia", "Farid", "Hana",
		"Musa", "Ruth", "Viktor", "Anna", "Idris", "Maryam"}
	lastNames = []string{"Haddad", "Rahimi", "Karimi", "Petrov", "Dubois", "Smith", "Okafor", "Mensah", "Garcia",
		"Novak", "Yilmaz", "Khan", "Hussain", "Ivanova", "Moreau", "Tanaka", "Nasser", "Saleh", "Farouk", "Bakr",
		"Osei", "Mwangi", "Kowalski", "Rossi", "Jensen", "Larsen", "Silva", "Costa", "Aziz", "Qureshi", "Barzani",
		"Talabani", "Sadr", "Hakim", "Jaber", "Mansour", "Darwish", "Said", "Amini", "Tehrani"}
	syllableList = []string{"va", "ra", "ni", "ko", "sta", "mar", "tel", "qa", "dar", "bel", "zan", "or", "is",
		"lan", "kir", "mo", "sul", "ha", "dun", "ez", "al", "bor", "fa", "gor", "lu", "mir", "nab", "pa", "ros", "ti"}
	placePrefixes = []string{"Tel", "Port", "New", "Upper", "Lower", "Nova", "San", "Kafr"}
	statePrefixes = []string{"", "", "", "Republic of ", "Kingdom of ", "Federation of "}
	stateSuffixes = []string{"ia", "stan", "a", "land", "", "istan"}
	groupWords    = []string{"Martyrs", "Lions", "Sword", "Banner", "Shield", "Dawn", "Falcons", "Guardians",
		"Soldiers", "Sons", "Partisans", "Vanguard", "Eagles", "Wolves", "Knights", "Defenders"}
	groupKinds    = []string{"Brigade", "Front", "Battalion", "Army", "Movement", "Legion", "Corps", "Militia", "Division"}
	orgAdjectives = []string{"National", "Free", "United", "Popular", "Democratic", "Islamic", "Revolutionary",
		"Independent", "Central", "Regional", "International", "Civil", "Patriotic", "Unity", "Justice", "Progressive"}
	orgNouns = []string{"Relief", "Press", "Workers", "Students", "Human Rights", "Reform", "Security",
		"Development", "Peace", "Labour", "Media", "Health", "Research", "Farmers", "Women's", "Youth"}
	orgKinds = []string{"Council", "Union", "Party", "Agency", "Foundation", "Committee", "Institute", "Network",
		"Ministry", "Association", "Centre"}
	attackWords = []string{"bombing", "attack", "shooting", "raid", "siege", "car bombing", "massacre", "ambush"}
	otherEvents = []string{"summit", "visit", "offensive", "peace talks", "video release", "election", "protest"}
	roles       = []string{"spokesman", "commander", "deputy leader", "founder", "member", "chief of staff",
		"envoy", "head of security", `"acting" leader`}
	titles = []string{"reactions pour in", "what we know", "officials trade blame", "death toll rises",
		"a timeline", "the world responds", "questions remain"}
	publishers = []string{"Reuters", "Al Jazeera", "BBC", "Le Monde", "Der Spiegel", "Agence France-Presse",
		`The "Daily" Courier`, "O'Neill's Gazette", "Новая газета", "MATCH Media", "Ta'ziz News", "東方日報"}
	notes = []string{"Second-hand account; see: the original # statement.", `Source says "unconfirmed".`,
		"Spelling varies: 'al-Qaida', `al-Qa'ida`.", "- not to be confused with a namesake", "TODO: MATCH (n) DETACH DELETE n"}
	fillers = []string{"Officials gave no further details.", "Security was tightened across {P}.",
		`Witnesses said the blast "shook the whole street".`, "Shops in {P} stayed closed.",
		"The death toll could rise, a hospital official said.", "It was not clear who was responsible at first.",
		"Residents described scenes of chaos.", "Roads into {P} were sealed off.",
		"Analysts say the region has seen a rise in violence.", "The investigation is continuing."}
)

// tricky makes a name awkward for every layer it passes through: YAML,
// JSON, Cypher, shells and terminals.
var tricky = []func(string) string{
	func(s string) string { return s + " al-Ba'athi" },
	func(s string) string { return "O'" + s },
	func(s string) string { return s + ` "the Lion"` },
	func(s string) string { return `"` + s + `"` },
	func(s string) string { return "`" + s + "`" },
	func(s string) string { return s + " `Umar" },
	func(s string) string { return "Ḥizb " + s },
	func(s string) string { return s + " (Ахмед Шах)" },
	func(s string) string { return s + " 東方" },
	func(s string) string { return s + " 🔥" },
	func(s string) string { return s + " Zoë Ångström" },
	func(s string) string { return "MATCH (n) " + s },
	func(s string) string { return s + " DETACH DELETE" },
	func(s string) string { return "RETURN " + s + " //" },
	func(s string) string { return s + "'}) MERGE (x {name: 'y" },
	func(s string) string { return "- " + s },
	func(s string) string { return s + ": a group" },
	func(s string) string { return "#" + s },
	func(s string) string { return "&" + s + " *ref" },
	func(s string) string { return "!" + s + " @home %20" },
	func(s string) string { return "[" + s + "] {x}" },
	func(s string) string { return s + ` \ \n` },
	func(s string) string { return "? " + s + " | >" },
	func(s string) string { return s + " “the Fox”" },
	func(s string) string { return s + " $(rm -rf) ${HOME}" },
}

// specialNames are whole names YAML or Cypher would read as something else.
var specialNames = []string{"Null", "yes", "~", "0x1F", "1e3", "2017-06-07", "<<", "MATCH", "DELETE", "true",
	`O'Brien & Sons "Ltd"`, "NaN", ".inf", "-"}
