package yamlfile

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/schema"
)

var update = flag.Bool("update", false, "rewrite generated files (schema/annotation.schema.json)")

func ontology(t testing.TB) *graph.Ontology {
	t.Helper()
	o, err := ReadOntology(schema.OntologyFile, schema.Ontology)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestReadOntology(t *testing.T) {
	o := ontology(t)
	for _, rel := range []string{"CLAIMED", "BLAMED", "CONDEMNED", "DOWNPLAYED", "WARNED", "CARRIED_OUT", "TARGETED", "LEADS", "MEMBER_OF", "REPORTED"} {
		if _, ok := o.Relation(rel); !ok {
			t.Errorf("ontology has no %s", rel)
		}
	}
	if got := o.KindNames()[0]; got != "Person" {
		t.Errorf("kinds out of file order: first is %s", got)
	}
	if _, err := ReadOntology("bad.yaml", []byte("kinds:\n  A: {category: actor}\nrelations:\n  R: {from: [A], to: [B]}\n")); err == nil || !strings.Contains(err.Error(), "unknown kind B") {
		t.Errorf("relation to an undeclared kind: err = %v", err)
	}
}

func TestParseFile(t *testing.T) {
	o := ontology(t)
	tests := []struct {
		name, src string
		want      []string // diagnostics, in order
		relations int
	}{
		{"clean", "document: {id: d, file: d.txt}\nrelations:\n  - {subject: a, rel: BLAMED, object: b, quote: q, figures: {killed: at least 12}}\n", nil, 1},
		{"not a mapping", "- a\n- b\n", []string{"f.yaml:1:1: annotation file must be a mapping, not a list; write it as key: value lines"}, 0},
		{"list expected", "entities: {id: a}\n", []string{`f.yaml:1:11: entities must be a list, not a mapping; write each item on its own line, starting with "- "`}, 0},
		{"missing required", "entities:\n  - {id: a, kind: Person}\n", []string{"f.yaml:2:5: entity has no name; add name: (The name to show)"}, 0},
		{"empty value", "entities:\n  - {id: a, kind: Person, name: ''}\n", []string{"f.yaml:2:33: name is empty; give a value or remove the field"}, 0},
		{"event kind", "events:\n  - {id: e, kind: Person, name: E}\n", []string{"f.yaml:2:19: Person is not an event kind; declare actors and places under entities"}, 0},
		{"quote with no document", "relations:\n  - {subject: a, rel: BLAMED, object: b, quote: q}\n", []string{"f.yaml:2:5: relation has no document for its quote; add a document section to this file, or doc: with the document's id"}, 0},
		{"unknown figure", "document: {id: d, file: d.txt}\nrelations:\n  - {subject: a, rel: REPORTED, object: b, quote: q, figures: {kiled: 3}}\n", []string{`f.yaml:3:64: unknown field "kiled" in figures; did you mean "killed"?`}, 1},
		{"two documents", "a: 1\n---\nb: 2\n", []string{`f.yaml:1:1: unknown field "a" in annotation file; known fields: entities, events, document, relations, waivers`, "f.yaml:2:1: more than one YAML document in a file; put everything in one YAML document (remove the ---)"}, 0},
		{"tab indentation", "entities:\n\t- id: a\n", []string{"f.yaml:2:1: YAML syntax: found character that cannot start any token; fix the YAML syntax; indent with spaces, not tabs"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ds := ParseFile("f.yaml", []byte(tt.src), o)
			var got []string
			for _, d := range ds {
				got = append(got, d.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if len(c.Relations) != tt.relations {
				t.Errorf("%d relations, want %d", len(c.Relations), tt.relations)
			}
		})
	}
}

func TestReadCorpusSeeds(t *testing.T) {
	c, ds, err := (&Reader{Ontology: ontology(t)}).ReadCorpus("../../seeds")
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) > 0 {
		t.Fatalf("seeds have problems:\n%v", ds)
	}
	for _, d := range c.Documents {
		if d.Text == "" {
			t.Errorf("document %s: text not read from %s", d.ID, d.Path)
		}
	}
}

// TestJSONSchemaUpToDate fails when schema/annotation.schema.json no longer
// matches the ontology; run go test ./internal/yamlfile -update (or
// go generate ./schema) to refresh it.
func TestJSONSchemaUpToDate(t *testing.T) {
	want, err := JSONSchema(ontology(t))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", SchemaPath)
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale: run go generate ./schema", SchemaPath)
	}
}

// TestJSONSchemaAgreesWithReader validates annotation files with a real
// JSON Schema validator: the seeds must pass, and files the reader rejects
// for their shape must fail, so editors and kg check agree.
func TestJSONSchemaAgreesWithReader(t *testing.T) {
	data, err := JSONSchema(ontology(t))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	comp := jsonschema.NewCompiler()
	if err := comp.AddResource("annotation.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := comp.Compile("annotation.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	validate := func(src []byte) error {
		var n yaml.Node
		if err := yaml.Unmarshal(src, &n); err != nil {
			return err
		}
		js, err := json.Marshal(asEditorSees(&n))
		if err != nil {
			return err
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
		if err != nil {
			return err
		}
		return sch.Validate(inst)
	}
	files, _ := filepath.Glob("../../seeds/*.yaml")
	if len(files) == 0 {
		t.Fatal("no seed annotation files")
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := validate(src); err != nil {
			t.Errorf("%s fails the JSON Schema: %v", f, err)
		}
	}
	for _, bad := range []string{
		"relations:\n  - {subject: a, rel: BLAMES, object: b, quote: q}\n",
		"relations:\n  - {subject: a, rel: BLAMED, object: b, qoute: q}\n",
		"entities:\n  - {id: a, kind: Persn, name: A}\n",
		"document: {id: d, file: d.txt, date: June 2017}\n",
		"document: {id: d, file: d.txt, reliability: G}\n",
		"relations:\n  - {subject: a, rel: REPORTED, object: b, quote: q, figures: {killed: twelve}}\n",
	} {
		if err := validate([]byte(bad)); err == nil {
			t.Errorf("JSON Schema accepts %q", bad)
		}
	}
}

// asEditorSees converts YAML to the JSON value an editor's YAML language
// server validates: dates stay strings, as YAML 1.2 has no timestamps.
func asEditorSees(n *yaml.Node) any {
	switch n.Kind {
	case yaml.DocumentNode:
		return asEditorSees(n.Content[0])
	case yaml.SequenceNode:
		out := []any{}
		for _, c := range n.Content {
			out = append(out, asEditorSees(c))
		}
		return out
	case yaml.MappingNode:
		out := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			out[n.Content[i].Value] = asEditorSees(n.Content[i+1])
		}
		return out
	}
	switch n.Tag {
	case "!!int", "!!float":
		return json.Number(n.Value)
	case "!!bool":
		return n.Value == "true"
	case "!!null":
		return nil
	}
	return n.Value
}

// FuzzParseFile feeds the annotation reader arbitrary bytes: it must never
// panic, and every diagnostic must carry a position in the file.
func FuzzParseFile(f *testing.F) {
	o := ontology(f)
	seeds, _ := filepath.Glob("../../seeds/*.yaml")
	for _, s := range seeds {
		data, _ := os.ReadFile(s)
		f.Add(data)
	}
	scripts, _ := filepath.Glob("../../cmd/kg/testdata/script/bad_*.txtar")
	for _, s := range scripts {
		data, _ := os.ReadFile(s)
		f.Add(data)
	}
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("relations:\n  - {subject: a, rel: REPORTED, object: b, quote: q, figures: {killed: 'at least 1'}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, ds := ParseFile("f.yaml", data, o)
		for _, d := range ds {
			if d.Pos.File != "f.yaml" || d.Pos.Line < 1 || d.Pos.Col < 1 {
				t.Fatalf("diagnostic without a position: %+v", d)
			}
		}
	})
}

// listed is what r lists for paths, which must have no problems.
func listed(t testing.TB, r *Reader, paths ...string) graph.Listing {
	t.Helper()
	l, err := r.List(paths...)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Problems) > 0 {
		t.Fatal(l.Problems)
	}
	return l
}
