package report

import (
	"flag"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/kgtest"
	"github.com/kgraph/kg/internal/synth"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

func writeReport(t *testing.T, g *graph.Graph, r Renderer) (dir string, rep *Report) {
	t.Helper()
	rep, err := New(g, Options{Renderer: r})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Warnings) > 0 {
		t.Errorf("warnings: %v", rep.Warnings)
	}
	dir = t.TempDir()
	if _, err := rep.Write(dir, HTML, Markdown); err != nil {
		t.Fatal(err)
	}
	return dir, rep
}

func read(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// section returns the HTML of the element whose id is id, up to the next
// </article> (dossiers and actor sections are articles).
func section(t *testing.T, page, id string) string {
	t.Helper()
	i := strings.Index(page, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no element with id %q", id)
	}
	j := strings.Index(page[i:], "</article>")
	if j < 0 {
		t.Fatalf("element %q has no </article>", id)
	}
	return page[i : i+j]
}

func TestSeedReportHTML(t *testing.T) {
	g := kgtest.Seeds(t)
	dir, _ := writeReport(t, g, Builtin{})
	page := read(t, filepath.Join(dir, HTMLFile))

	for _, want := range []string{"<svg", `id="blamed"`, `id="claimed"`, `id="condemned"`, `id="timeline"`,
		`id="event-tehran-2017"`, `id="actor-irgc"`, `id="doc-seed-003"`} {
		if !strings.Contains(page, want) {
			t.Errorf("report.html lacks %s", want)
		}
	}
	for _, bad := range []string{"<script", "<link", "<img", "<iframe", `src="`, "@import", "url(http"} {
		if strings.Contains(page, bad) {
			t.Errorf("report.html has %s; it must be self-contained and run nothing", bad)
		}
	}

	// Every BLAMED, CLAIMED and CONDEMNED statement is a row of its table,
	// with its quote; among them, the IRGC blaming Saudi Arabia.
	tables := map[string]string{}
	for _, typ := range []string{"BLAMED", "CLAIMED", "CONDEMNED"} {
		id := strings.ToLower(typ)
		i := strings.Index(page, `<section id="`+id+`">`)
		j := strings.Index(page[i:], "</section>")
		tables[typ] = page[i : i+j]
	}
	found := false
	for _, s := range g.Statements {
		sec, ok := tables[s.Type]
		if !ok {
			continue
		}
		row := "<q>" + html.EscapeString(s.Evidence.Quote) + "</q>"
		if !strings.Contains(sec, row) || !strings.Contains(sec, html.EscapeString(s.Subject.Name)) {
			t.Errorf("%s table lacks %s %s %s with its quote", s.Type, s.Subject.ID, s.Type, s.Object.ID)
		}
		if s.Type == "BLAMED" && s.Subject.ID == "irgc" && s.Object.ID == "saudi-arabia" && s.About != nil && s.About.ID == "tehran-2017" {
			found = true
		}
	}
	if !found {
		t.Error("seed graph lacks the IRGC blaming Saudi Arabia for the 2017 Tehran attacks")
	}
	if !strings.Contains(tables["CLAIMED"], `href="#actor-islamic-state"`) || !strings.Contains(tables["CLAIMED"], `href="#event-tehran-2017"`) {
		t.Error("claimed table lacks Islamic State claiming the Tehran attacks")
	}

	// The Tehran dossier shows its parts, and every figure each source
	// reports, with that source's document.
	tehran := section(t, page, "event-tehran-2017")
	for _, want := range []string{"2017-06-07", "Claimed by", "Blamed for it", "Condemned by", "Downplayed by", "Place", "Perpetrators",
		"Figures, as each source reports them", "<svg", "Islamic Revolutionary Guard Corps", "Saudi Arabia"} {
		if !strings.Contains(tehran, want) {
			t.Errorf("Tehran dossier lacks %q", want)
		}
	}
	figures := tehran[strings.Index(tehran, "Figures, as each source reports them"):]
	reports := 0
	for _, s := range g.Statements {
		if s.Type != "REPORTED" || s.Object.ID != "tehran-2017" {
			continue
		}
		reports++
		for _, f := range s.Figures {
			row := figureRow(figures, s.Evidence.Quote)
			if row == "" || !strings.Contains(row, ">"+f.String()+"<") || !strings.Contains(row, `href="#doc-`+s.Evidence.Document+`"`) {
				t.Errorf("Tehran figures lack %s %s from %s", f.Measure, f, s.Evidence.Document)
			}
		}
	}
	if reports == 0 {
		t.Error("no source reports figures on the Tehran attacks")
	}

	// One section per actor.
	for _, n := range g.Nodes {
		if k, _ := g.Ontology.Kind(n.Kind); k.Category == graph.CategoryActor && !strings.Contains(page, `id="actor-`+n.ID+`"`) {
			t.Errorf("no section for actor %s", n.ID)
		}
	}
}

// figureRow returns the table row of the figures table holding quote.
func figureRow(figures, quote string) string {
	i := strings.Index(figures, "<q>"+html.EscapeString(quote)+"</q>")
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(figures[:i], "<tr>")
	return figures[start:i]
}

func TestSeedReportMarkdown(t *testing.T) {
	g := kgtest.Seeds(t)
	dir, rep := writeReport(t, g, Builtin{})
	md := read(t, filepath.Join(dir, MarkdownFile))
	for _, want := range []string{
		"| Who blamed | Whom | For | Date | Document | Quote |",
		"| Who claimed | What | Date | Document | Quote |",
		"| Who condemned | What | Date | Document | Quote |",
		"| [Islamic Revolutionary Guard Corps](#actor-irgc) | [Saudi Arabia](#actor-saudi-arabia) | [2017 Tehran attacks](#event-tehran-2017) |",
		"| [Islamic State](#actor-islamic-state) | [2017 Tehran attacks](#event-tehran-2017) |",
		"### 2017 Tehran attacks (Attack)",
		"![Who claimed, blamed, condemned and downplayed what](img/network.svg)",
		"](img/event-tehran-2017.svg)",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %s", want)
		}
	}
	for _, p := range rep.Pictures() {
		svg := read(t, filepath.Join(dir, PictureDir, p.Name+".svg"))
		if !strings.HasPrefix(svg, "<?xml") || !strings.Contains(svg, "<svg") {
			t.Errorf("%s.svg is not an SVG file", p.Name)
		}
	}
}

// TestGolden pins the whole report of a small made-up graph, drawn with the
// built-in layout (Graphviz output varies by version). Run with -update to
// rewrite testdata/golden after a deliberate change, and review the diff.
func TestGolden(t *testing.T) {
	dir, _ := writeReport(t, smallGraph(t), Builtin{})
	golden := filepath.Join("testdata", "golden")
	var got []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		got = append(got, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.RemoveAll(golden); err != nil {
			t.Fatal(err)
		}
	}
	for _, rel := range got {
		data := read(t, filepath.Join(dir, rel))
		want := filepath.Join(golden, rel)
		if *update {
			if err := os.MkdirAll(filepath.Dir(want), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(want, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		wantData, err := os.ReadFile(want)
		if err != nil {
			t.Errorf("%s: %v (run go test -update to write it)", rel, err)
			continue
		}
		if data != string(wantData) {
			t.Errorf("%s differs from %s; if the change is meant, run go test ./internal/report -run TestGolden -update and review the diff\n%s",
				rel, want, firstDiff(string(wantData), data))
		}
	}
	if !*update {
		// No golden file may be left over from an older report.
		_ = filepath.WalkDir(golden, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(golden, path)
				if !slices.Contains(got, rel) {
					t.Errorf("golden %s is no longer written; run -update", rel)
				}
			}
			return nil
		})
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + w + "\n  got:  " + g
		}
	}
	return ""
}

func TestSmallReportContent(t *testing.T) {
	dir, rep := writeReport(t, smallGraph(t), Builtin{})
	page := read(t, filepath.Join(dir, HTMLFile))
	md := read(t, filepath.Join(dir, MarkdownFile))

	// Names are escaped, never markup.
	if strings.Contains(page, "<b>&amp;") || !strings.Contains(page, "Group &#34;X&#34; &lt;b&gt;&amp;amp;") {
		t.Error("HTML does not escape entity names")
	}
	if !strings.Contains(md, `Group "X" \<b\>\&amp;`) || !strings.Contains(md, `The Daily \| Pipe`) {
		t.Error("Markdown does not escape names and table cells")
	}
	// Unknown source fields say so.
	var b Source
	for _, s := range rep.Sources {
		if s.ID == "doc-b" {
			b = s
		}
	}
	if b.Publisher != Unknown || b.Date != Unknown || b.Reliability != Unknown || b.Title != Unknown {
		t.Errorf("doc-b source = %+v, want unknown publisher, date, title and reliability", b)
	}
	// Figures side by side per source, never combined, and the
	// disagreement named.
	d := rep.Events[0]
	if d.ID != "bombing" {
		t.Fatalf("first dossier is %s, want the dated bombing", d.ID)
	}
	if len(d.Figures.Rows) != 2 || strings.Join(d.Disagreements, ";") != "killed: 12, 17" {
		t.Errorf("figures = %v, disagreements = %v", d.Figures.Rows, d.Disagreements)
	}
	if got := strings.Join(d.Figures.Columns, ","); got != "Reported by,killed,wounded,Date,Document,Quote" {
		t.Errorf("figure columns = %s", got)
	}
	// The two BLAMED statements are one edge of the network, counted.
	if !strings.Contains(rep.Network.SVG, "BLAMED ×2") {
		t.Error("network does not merge the two BLAMED statements into one edge ×2")
	}
	// Undated event last.
	if last := rep.Events[len(rep.Events)-1]; last.ID != "summit" || last.Date != Unknown {
		t.Errorf("last dossier = %s dated %s, want the undated summit", last.ID, last.Date)
	}
}

func TestDeterministic(t *testing.T) {
	g := smallGraph(t)
	var outs []string
	for range 3 {
		r, err := New(g, Options{Renderer: Builtin{}})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		if err := r.WriteHTML(&b); err != nil {
			t.Fatal(err)
		}
		if err := r.WriteMarkdown(&b); err != nil {
			t.Fatal(err)
		}
		outs = append(outs, b.String())
	}
	if outs[0] != outs[1] || outs[1] != outs[2] {
		t.Error("the same graph gave different reports")
	}
}

func TestDOTEscaping(t *testing.T) {
	d := &Diagram{Name: "x", Title: `a "b"`, Nodes: []DiagramNode{{ID: `n"1`, Label: `say \N "hi"` + "\nbye & co", Category: "actor"}}}
	dot := DOT(d)
	if !strings.Contains(dot, `"n\"1" [label="say \\N \"hi\"\nbye &amp; co"`) {
		t.Errorf("DOT escaping:\n%s", dot)
	}
}

func TestGraphviz(t *testing.T) {
	path, err := exec.LookPath("dot")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("Graphviz's dot is not installed (Debian: apt-get install graphviz)")
		}
		t.Skip("Graphviz's dot is not installed; the built-in layout is tested instead")
	}
	dir, rep := writeReport(t, smallGraph(t), Graphviz{Command: path})
	if rep.Renderer != "graphviz" {
		t.Errorf("renderer = %s", rep.Renderer)
	}
	page := read(t, filepath.Join(dir, HTMLFile))
	if strings.Count(page, "<svg") != len(rep.Pictures()) || strings.Contains(page, "<?xml") || strings.Contains(page, "<!DOCTYPE svg") {
		t.Error("Graphviz pictures are not inlined cleanly")
	}
	if strings.Contains(page, `id="graph0"`) || !strings.Contains(page, `id="network-graph0"`) {
		t.Error("Graphviz ids are not made unique per picture")
	}
	if !strings.Contains(rep.Network.SVG, "Group &quot;X&quot; &lt;b&gt;&amp;amp;") && !strings.Contains(rep.Network.SVG, "Group &#34;X&#34; &lt;b&gt;&amp;amp;") {
		t.Error("Graphviz picture does not show the escaped name")
	}
}

func TestGraphvizFailureFallsBack(t *testing.T) {
	r, err := New(smallGraph(t), Options{Renderer: Graphviz{Command: filepath.Join(t.TempDir(), "no-dot")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Warnings) == 0 || r.Network == nil || !strings.Contains(r.Network.SVG, "<svg") {
		t.Errorf("a failing Graphviz should warn and fall back; warnings = %v", r.Warnings)
	}
}

// BenchmarkNew measures computing the report of a generated 20k-relation
// corpus (pictures drawn by the built-in layout), without writing it.
func BenchmarkNew(b *testing.B) {
	o := kgtest.Ontology(b)
	const n = 20000
	c := synth.Generate(o, synth.Options{Seed: 1, Relations: n})
	if ds := graph.Check(c, o); len(ds) > 0 {
		b.Fatal(ds[0])
	}
	g, err := graph.Build(c, o)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(g, Options{Renderer: Builtin{}}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "relations/s")
}
