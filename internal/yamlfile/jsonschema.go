package yamlfile

import (
	"encoding/json"
	"strconv"

	"github.com/kgraph/kg/graph"
)

// SchemaPath is where the generated JSON Schema lives, relative to the
// repository root; annotation files point their editor modeline at it.
const SchemaPath = "schema/annotation.schema.json"

// JSONSchema builds the JSON Schema (draft 2020-12) of annotation files from
// the field tables and the ontology, so editors validate and complete as
// people type. kg check remains the full check (references, quotes).
func JSONSchema(o *graph.Ontology) ([]byte, error) {
	var kinds, eventKinds []string
	for _, k := range o.Kinds {
		switch k.Category {
		case graph.CategoryEvent:
			eventKinds = append(eventKinds, k.Name)
		case graph.CategorySource:
		default:
			kinds = append(kinds, k.Name)
		}
	}
	figureProps := map[string]any{}
	for _, f := range o.Figures {
		figureProps[f.Name] = map[string]any{
			"description": f.Meaning,
			"oneOf": []any{
				map[string]any{"type": "integer", "minimum": 0},
				map[string]any{"type": "string", "pattern": `^((at least|about|up to|more than|nearly) )?[0-9]+$`},
			},
		}
	}
	relDescs := []any{}
	for _, r := range o.Relations {
		relDescs = append(relDescs, map[string]any{"const": r.Name, "description": r.Meaning})
	}
	value := func(f field, enum []string) map[string]any {
		v := map[string]any{"description": f.doc}
		switch f.kind {
		case text:
			v["type"] = []string{"string", "number", "boolean"}
		case textList:
			v["type"] = "array"
			v["items"] = map[string]any{"type": "string"}
		case date:
			// YAML reads a bare year (2017) as a number.
			v["oneOf"] = []any{
				map[string]any{"type": "string", "pattern": `^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$`},
				map[string]any{"type": "integer", "minimum": 1000, "maximum": 9999},
			}
		case figures:
			v["type"] = "object"
			v["properties"] = figureProps
			v["additionalProperties"] = false
		case kindName, grade:
			v["enum"] = enum
		case relName:
			v["oneOf"] = relDescs
		}
		return v
	}
	object := func(fields []field, enums map[string][]string) map[string]any {
		props := map[string]any{}
		var required []string
		for _, f := range fields {
			props[f.name] = value(f, enums[f.name])
			if f.required {
				required = append(required, f.name)
			}
		}
		o := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
		if len(required) > 0 {
			o["required"] = required
		}
		return o
	}
	relation := object(relationFields, nil)
	// YAML reads an unquoted 2 as a number, so the grade may be either.
	var credibility []any
	for _, g := range graph.TermNames(o.Credibility) {
		credibility = append(credibility, g)
		if n, err := strconv.Atoi(g); err == nil {
			credibility = append(credibility, n)
		}
	}
	relation["properties"].(map[string]any)["credibility"].(map[string]any)["enum"] = credibility
	top := map[string]any{
		"$schema":              "https://json-schema.org/draft/2020-12/schema",
		"$id":                  "https://kg.invalid/" + SchemaPath,
		"title":                "kg annotation file",
		"description":          "Generated from schema/ontology.yaml by `go generate ./schema`; do not edit.",
		"type":                 "object",
		"additionalProperties": false,
		"properties": map[string]any{
			"entities":  map[string]any{"description": topLevel[0].doc, "type": "array", "items": object(entityFields, map[string][]string{"kind": kinds})},
			"events":    map[string]any{"description": topLevel[1].doc, "type": "array", "items": object(eventFields, map[string][]string{"kind": eventKinds})},
			"document":  withDoc(object(documentFields, map[string][]string{"reliability": graph.TermNames(o.Reliability)}), topLevel[2].doc),
			"relations": map[string]any{"description": topLevel[3].doc, "type": "array", "items": relation},
			"waivers":   map[string]any{"description": topLevel[4].doc, "type": "array", "items": object(waiverFields, nil)},
		},
	}
	out, err := json.MarshalIndent(top, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

func withDoc(m map[string]any, doc string) map[string]any {
	m["description"] = doc
	return m
}
