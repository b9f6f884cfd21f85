package report

import (
	"bytes"
	"cmp"
	"context"
	"encoding/xml"
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Diagram is a picture to draw: nodes and the merged edges between them.
type Diagram struct {
	// Name names the SVG file (Name.svg) and prefixes every id inside it,
	// so several pictures can sit in one HTML page.
	Name  string
	Title string
	// Center is the node the picture is about, drawn with a heavier border.
	Center string
	Nodes  []DiagramNode
	Edges  []DiagramEdge
}

// DiagramNode is a node of a diagram.
type DiagramNode struct {
	ID, Label string
	Category  string // actor, place, event or source: picks the colour
	Link      string // where clicking it leads in the HTML report
}

// DiagramEdge is one or more statements of the same type between two nodes.
type DiagramEdge struct {
	From, To    string
	Type, Label string
	Count       int // statements behind the edge
}

func (e DiagramEdge) text() string {
	if e.Count > 1 {
		return fmt.Sprintf("%s ×%d", e.Label, e.Count)
	}
	return e.Label
}

// Picture is a drawn diagram.
type Picture struct {
	Name, Title string
	SVG         string // a complete SVG document
}

// Renderer draws a diagram as an SVG document.
type Renderer interface {
	Name() string
	Render(d *Diagram) (string, error)
}

// Auto returns Graphviz when `dot` is on the PATH, else the built-in layout.
func Auto() Renderer {
	if path, err := exec.LookPath("dot"); err == nil {
		return Graphviz{Command: path}
	}
	return Builtin{}
}

// render draws d with r, falling back on the built-in layout when r fails.
func render(r Renderer, d *Diagram) (*Picture, error) {
	svg, err := r.Render(d)
	if err == nil {
		return &Picture{Name: d.Name, Title: d.Title, SVG: svg}, nil
	}
	svg, err2 := Builtin{}.Render(d)
	if err2 != nil {
		return nil, fmt.Errorf("picture %s: %v; %v", d.Name, err, err2)
	}
	return &Picture{Name: d.Name, Title: d.Title, SVG: svg},
		fmt.Errorf("picture %s: %s failed (%v); drew it with the built-in layout", d.Name, r.Name(), err)
}

// Colours, shared by both renderers.
var (
	relationColours = map[string]string{
		"CLAIMED": "#b2182b", "BLAMED": "#d95f02", "CONDEMNED": "#2166ac", "DOWNPLAYED": "#7570b3",
		"REPORTED": "#4d4d4d", "CARRIED_OUT": "#8c2d04", "TARGETED": "#a6761d", "OCCURRED_IN": "#1b7837",
	}
	categoryFills = map[string]string{"event": "#f8d7da", "actor": "#fff3cd", "place": "#d4edda", "source": "#e2e3e5"}
)

func relationColour(typ string) string {
	if c, ok := relationColours[typ]; ok {
		return c
	}
	return "#666666"
}

func categoryFill(cat string) string {
	if c, ok := categoryFills[cat]; ok {
		return c
	}
	return "#ffffff"
}

const fontFamily = "Helvetica,Arial,sans-serif"

// Graphviz draws diagrams with Graphviz's dot, which lays out labelled
// directed graphs far better than anything small can.
type Graphviz struct {
	Command string // path to dot
	// Timeout bounds one drawing; 60 seconds when zero.
	Timeout time.Duration
}

// Name implements Renderer.
func (Graphviz) Name() string { return "graphviz" }

// Render implements Renderer.
func (gv Graphviz) Render(d *Diagram) (string, error) {
	timeout := cmp.Or(gv.Timeout, 60*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, cmp.Or(gv.Command, "dot"), "-Tsvg")
	cmd.Stdin = strings.NewReader(DOT(d))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("dot: %v: %s", err, strings.TrimSpace(errb.String()))
	}
	svg := out.String()
	i := strings.Index(svg, "<svg")
	if i < 0 {
		return "", fmt.Errorf("dot wrote no SVG")
	}
	// Drop the XML prolog, DOCTYPE and version comment (they vary and are
	// not allowed inline in HTML), and make ids unique within a page.
	svg = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + svg[i:]
	svg = idAttr.ReplaceAllString(svg, ` id="`+d.Name+`-`)
	return svg, nil
}

var idAttr = regexp.MustCompile(` id="`)

// DOT writes d in Graphviz's language. Every string is quoted and escaped;
// node names are the diagram's node IDs.
func DOT(d *Diagram) string {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n", dotQuote(d.Name))
	fmt.Fprintf(&b, "  graph [rankdir=LR, bgcolor=\"white\", pad=0.2, nodesep=0.25, ranksep=0.9, fontname=%s, tooltip=%s];\n",
		dotQuote(fontFamily), dotLabel(d.Title))
	fmt.Fprintf(&b, "  node [shape=box, style=\"rounded,filled\", color=\"#555555\", fontname=%s, fontsize=11, margin=\"0.12,0.05\"];\n", dotQuote(fontFamily))
	fmt.Fprintf(&b, "  edge [fontname=%s, fontsize=9, arrowsize=0.7];\n", dotQuote(fontFamily))
	for _, n := range d.Nodes {
		attrs := []string{"label=" + dotLabel(n.Label), "fillcolor=" + dotQuote(categoryFill(n.Category)), "tooltip=" + dotLabel(n.Label)}
		switch n.Category {
		case "event":
			attrs = append(attrs, "shape=ellipse", `style="filled"`)
		case "source":
			attrs = append(attrs, "shape=note", `style="filled"`)
		}
		if n.ID == d.Center {
			attrs = append(attrs, "penwidth=2.5")
		}
		if n.Link != "" {
			attrs = append(attrs, "href="+dotQuote(n.Link))
		}
		fmt.Fprintf(&b, "  %s [%s];\n", dotQuote(n.ID), strings.Join(attrs, ", "))
	}
	for _, e := range d.Edges {
		c := relationColour(e.Type)
		fmt.Fprintf(&b, "  %s -> %s [label=%s, color=%s, fontcolor=%s, tooltip=%s];\n", dotQuote(e.From), dotQuote(e.To),
			dotLabel(e.text()), dotQuote(c), dotQuote(c), dotLabel(e.text()))
	}
	b.WriteString("}\n")
	return b.String()
}

// dotLabel quotes a text Graphviz shows. Graphviz decodes HTML entities
// in labels, so & is written as &amp; to show names as they are.
func dotLabel(s string) string { return dotQuote(strings.ReplaceAll(s, "&", "&amp;")) }

// dotQuote makes s a DOT quoted string. Backslashes are doubled so that
// escapes such as \N and \l in a name print as written.
func dotQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", "")
	return `"` + r.Replace(s) + `"`
}

// Builtin draws diagrams in pure Go with a simple layered layout: nodes in
// columns by their longest path from a node with no incoming edges, edges
// as curves from left to right. It needs nothing installed and its output
// depends only on the diagram, so golden files can pin it.
type Builtin struct{}

// Name implements Renderer.
func (Builtin) Name() string { return "builtin" }

const (
	fontSize       = 12.0
	charWidth      = 6.8 // an estimate of an average glyph at fontSize
	labelCharWidth = 6.0 // and at the edge labels' 10px, capitals being wider
	labelAt        = 0.3 // where on an edge its label sits, from its start
	nodeH          = 26.0
	padX           = 10.0
	gapY           = 16.0
	minGapX        = 120.0
	margin         = 20.0
	maxLabel       = 36
)

type placed struct {
	DiagramNode
	layer, index int
	x, y, w      float64
}

// Render implements Renderer.
func (Builtin) Render(d *Diagram) (string, error) {
	nodes := map[string]*placed{}
	var order []*placed
	for _, n := range d.Nodes {
		if _, dup := nodes[n.ID]; dup {
			return "", fmt.Errorf("diagram %s: node %q twice", d.Name, n.ID)
		}
		label := truncate(n.Label, maxLabel)
		p := &placed{DiagramNode: n, w: float64(utf8.RuneCountInString(label))*charWidth + 2*padX}
		p.Label = label
		nodes[n.ID] = p
		order = append(order, p)
	}
	for _, e := range d.Edges {
		if nodes[e.From] == nil || nodes[e.To] == nil {
			return "", fmt.Errorf("diagram %s: edge %s -> %s to an unknown node", d.Name, e.From, e.To)
		}
	}
	layers := assignLayers(order, d.Edges, nodes)

	// Order each layer by the mean position of the nodes that point into
	// it, so edges cross less; ties keep the diagram's order.
	for li := range layers {
		if li > 0 {
			bary := map[*placed]float64{}
			for _, p := range layers[li] {
				sum, n := 0.0, 0
				for _, e := range d.Edges {
					if e.To == p.ID && nodes[e.From].layer < li {
						sum += float64(nodes[e.From].index)
						n++
					}
				}
				bary[p] = float64(p.index) + 1000 // no predecessor: after the rest
				if n > 0 {
					bary[p] = sum / float64(n)
				}
			}
			slices.SortStableFunc(layers[li], func(a, b *placed) int { return cmp.Compare(bary[a], bary[b]) })
		}
		for i, p := range layers[li] {
			p.index = i
		}
	}

	// Place columns left to right, each centred vertically.
	tallest := 0
	for _, l := range layers {
		tallest = max(tallest, len(l))
	}
	height := float64(tallest)*(nodeH+gapY) - gapY
	gapX := minGapX
	for _, e := range d.Edges {
		gapX = max(gapX, min(320, float64(utf8.RuneCountInString(e.text()))*labelCharWidth/0.6+20))
	}
	x := margin
	for _, l := range layers {
		w := 0.0
		for _, p := range l {
			w = max(w, p.w)
		}
		top := margin + (height-(float64(len(l))*(nodeH+gapY)-gapY))/2
		for i, p := range l {
			p.x = x + (w-p.w)/2
			p.y = top + float64(i)*(nodeH+gapY)
		}
		x += w + gapX
	}
	width := x - gapX + margin

	var types []string
	for _, e := range d.Edges {
		if !slices.Contains(types, e.Type) {
			types = append(types, e.Type)
		}
	}
	slices.Sort(types)
	legendY := margin + height + 28
	totalH := legendY + 10

	var b strings.Builder
	id := func(s string) string { return d.Name + "-" + s }
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n")
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" role="img" aria-labelledby="%s" font-family="%s" font-size="%.0f">`+"\n",
		width, totalH, width, totalH, id("title"), fontFamily, fontSize)
	fmt.Fprintf(&b, `<title id="%s">%s</title>`+"\n", id("title"), esc(d.Title))
	b.WriteString("<defs>\n")
	for i, t := range types {
		fmt.Fprintf(&b, `<marker id="%s" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="%s"/></marker>`+"\n",
			id(fmt.Sprintf("arrow%d", i)), relationColour(t))
	}
	b.WriteString("</defs>\n")
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")

	// Edges first, so nodes sit on top of them.
	pairs := map[[2]string]int{}
	outs := map[string]int{} // edges drawn so far from each node
	var labels strings.Builder
	for _, e := range d.Edges {
		from, to := nodes[e.From], nodes[e.To]
		k := [2]string{min(e.From, e.To), max(e.From, e.To)}
		nth := pairs[k]
		pairs[k]++
		bend := float64(nth) * 22
		colour := relationColour(e.Type)
		marker := id(fmt.Sprintf("arrow%d", slices.Index(types, e.Type)))
		var path string
		var lx, ly float64
		if from.layer < to.layer {
			x1, y1 := from.x+from.w, from.y+nodeH/2
			x2, y2 := to.x, to.y+nodeH/2
			dx := (x2 - x1) / 2
			path = fmt.Sprintf("M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f", x1, y1, x1+dx, y1+bend, x2-dx, y2+bend, x2, y2)
			// Labels of edges leaving one node sit at different distances.
			t := labelAt + 0.2*float64(outs[e.From]%3)
			outs[e.From]++
			lx, ly = bezier(t, x1, x1+dx, x2-dx, x2), bezier(t, y1, y1+bend, y2+bend, y2)
			lx = max(lx, x1+float64(utf8.RuneCountInString(e.text()))*labelCharWidth/2+4)
		} else {
			// Same or earlier column: loop out to the right of both.
			x1, y1 := from.x+from.w, from.y+nodeH/2
			x2, y2 := to.x+to.w, to.y+nodeH/2
			out := max(x1, x2) + 40 + bend
			path = fmt.Sprintf("M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f", x1, y1, out, y1, out, y2, x2, y2)
			lx, ly = out-10, (y1+y2)/2
		}
		fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="%s" stroke-width="1.4" marker-end="url(#%s)"><title>%s</title></path>`+"\n",
			path, colour, marker, esc(from.Label+" "+e.text()+" "+to.Label))
		fmt.Fprintf(&labels, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="10" fill="%s" stroke="white" stroke-width="3" paint-order="stroke">%s</text>`+"\n",
			lx, ly-3, colour, esc(e.text()))
	}
	for _, p := range order {
		stroke := 1.0
		if p.ID == d.Center {
			stroke = 2.5
		}
		rx := 6.0
		if p.Category == "event" {
			rx = nodeH / 2
		}
		open, close := "", ""
		if p.Link != "" {
			open, close = fmt.Sprintf(`<a href="%s" xlink:href="%s">`, esc(p.Link), esc(p.Link)), "</a>"
		}
		fmt.Fprintf(&b, `%s<g><title>%s</title><rect x="%.1f" y="%.1f" width="%.1f" height="%.0f" rx="%.0f" fill="%s" stroke="#555555" stroke-width="%.1f"/><text x="%.1f" y="%.1f" text-anchor="middle" fill="#111111">%s</text></g>%s`+"\n",
			open, esc(p.ID), p.x, p.y, p.w, nodeH, rx, categoryFill(p.Category), stroke, p.x+p.w/2, p.y+nodeH/2+4, esc(p.Label), close)
	}
	b.WriteString(labels.String())
	lx := margin
	for _, t := range types {
		c := relationColour(t)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2"/><text x="%.1f" y="%.1f" font-size="10" fill="%s">%s</text>`+"\n",
			lx, legendY-4, lx+18, legendY-4, c, lx+22, legendY, c, esc(t))
		lx += 34 + float64(len(t))*7.2
	}
	b.WriteString("</svg>\n")
	return b.String(), nil
}

// assignLayers puts each node in the column of its longest path from a node
// with no incoming edge, ignoring edges that close a cycle (found by a
// depth-first search in diagram order, so the result is deterministic).
func assignLayers(order []*placed, edges []DiagramEdge, nodes map[string]*placed) [][]*placed {
	out := map[string][]string{}
	for _, e := range edges {
		if e.From != e.To {
			out[e.From] = append(out[e.From], e.To)
		}
	}
	const (
		unseen = iota
		active
		done
	)
	state := map[string]int{}
	back := map[[2]string]bool{}
	var visit func(id string)
	visit = func(id string) {
		state[id] = active
		for _, to := range out[id] {
			switch state[to] {
			case unseen:
				visit(to)
			case active:
				back[[2]string{id, to}] = true
			}
		}
		state[id] = done
	}
	for _, p := range order {
		if state[p.ID] == unseen {
			visit(p.ID)
		}
	}
	// Longest path by relaxation over the acyclic edges.
	for changed := true; changed; {
		changed = false
		for _, e := range edges {
			if e.From == e.To || back[[2]string{e.From, e.To}] {
				continue
			}
			if l := nodes[e.From].layer + 1; l > nodes[e.To].layer {
				nodes[e.To].layer = l
				changed = true
			}
		}
	}
	var layers [][]*placed
	for i, p := range order {
		for len(layers) <= p.layer {
			layers = append(layers, nil)
		}
		p.index = i
		layers[p.layer] = append(layers[p.layer], p)
	}
	return slices.DeleteFunc(layers, func(l []*placed) bool { return len(l) == 0 })
}

// bezier is one coordinate of the cubic Bézier curve p0..p3 at t.
func bezier(t, p0, p1, p2, p3 float64) float64 {
	u := 1 - t
	return u*u*u*p0 + 3*u*u*t*p1 + 3*u*t*t*p2 + t*t*t*p3
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
