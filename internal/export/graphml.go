package export

import (
	"bufio"
	"encoding/xml"
	"io"
	"strconv"
	"strings"

	"github.com/kgraph/kg/graph"
)

type graphmlKey struct {
	id, on, name, typ string
}

// The GraphML attributes, with the names Gephi, yEd and networkx show.
// Node "label" is the name (Gephi takes it as the node label); edge "label"
// repeats the relation type for the same reason.
var graphmlKeys = []graphmlKey{
	{"n_id", "node", "id", "string"},
	{"n_label", "node", "label", "string"},
	{"n_kind", "node", "kind", "string"},
	{"n_aliases", "node", "aliases", "string"},
	{"n_date", "node", "date", "string"},
	{"n_title", "node", "title", "string"},
	{"n_publisher", "node", "publisher", "string"},
	{"n_url", "node", "url", "string"},
	{"n_reliability", "node", "reliability", "string"},
	{"e_label", "edge", "label", "string"},
	{"e_type", "edge", "type", "string"},
	{"e_about", "edge", "about", "string"},
	{"e_document", "edge", "document", "string"},
	{"e_quote", "edge", "quote", "string"},
	{"e_quoteStart", "edge", "quoteStart", "int"},
	{"e_quoteEnd", "edge", "quoteEnd", "int"},
	{"e_date", "edge", "date", "string"},
	{"e_dateText", "edge", "dateText", "string"},
	{"e_credibility", "edge", "credibility", "string"},
	{"e_role", "edge", "role", "string"},
	{"e_figures", "edge", "figures", "string"},
	{"e_note", "edge", "note", "string"},
}

// WriteGraphML writes g as GraphML: one node per node, one directed edge
// per statement, the edge's id being the statement's. Lists are joined
// with "; " (aliases; figures as "killed=at least 12; wounded=30"), and
// empty values are left out.
func WriteGraphML(w io.Writer, g *graph.Graph) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(xml.Header)
	bw.WriteString(`<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"` +
		` xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">` + "\n")
	for _, k := range graphmlKeys {
		bw.WriteString(`  <key id="` + k.id + `" for="` + k.on + `" attr.name="` + k.name + `" attr.type="` + k.typ + `"/>` + "\n")
	}
	bw.WriteString(`  <graph id="kg" edgedefault="directed">` + "\n")
	data := func(key, value string) {
		if value == "" {
			return
		}
		bw.WriteString(`      <data key="` + key + `">`)
		xmlText(bw, value)
		bw.WriteString("</data>\n")
	}
	for _, n := range g.Nodes {
		bw.WriteString(`    <node id="`)
		xmlText(bw, n.ID)
		bw.WriteString("\">\n")
		data("n_id", n.ID)
		data("n_label", n.Name)
		data("n_kind", n.Kind)
		data("n_aliases", strings.Join(n.Aliases, "; "))
		data("n_date", n.Date.String())
		if isDocument(g, n) {
			data("n_title", n.Title)
			data("n_publisher", n.Publisher)
			data("n_url", n.URL)
			data("n_reliability", n.Reliability)
		}
		bw.WriteString("    </node>\n")
	}
	for _, s := range g.Statements {
		bw.WriteString(`    <edge id="`)
		xmlText(bw, s.ID)
		bw.WriteString(`" source="`)
		xmlText(bw, s.Subject.ID)
		bw.WriteString(`" target="`)
		xmlText(bw, s.Object.ID)
		bw.WriteString("\">\n")
		data("e_label", s.Type)
		data("e_type", s.Type)
		data("e_about", aboutID(s))
		data("e_document", s.Evidence.Document)
		data("e_quote", s.Evidence.Quote)
		data("e_quoteStart", strconv.Itoa(s.Evidence.Start))
		data("e_quoteEnd", strconv.Itoa(s.Evidence.End))
		data("e_date", s.Date.String())
		data("e_dateText", s.DateText)
		data("e_credibility", s.Credibility)
		data("e_role", s.Role)
		data("e_figures", figuresText(s.Figures))
		data("e_note", s.Note)
		bw.WriteString("    </edge>\n")
	}
	bw.WriteString("  </graph>\n</graphml>\n")
	return bw.Flush()
}

// xmlText writes s escaped for XML text and attribute values; characters
// XML cannot hold become U+FFFD.
func xmlText(w io.Writer, s string) {
	_ = xml.EscapeText(w, []byte(s)) // bufio.Writer errors surface at Flush
}
