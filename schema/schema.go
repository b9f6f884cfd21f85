// Package schema holds the files users read and paste: the ontology, the
// JSON Schema of annotation files generated from it, and the named Cypher
// questions. They are embedded so the kg binary carries them.
package schema

import "embed"

//go:generate go run ../cmd/kg schema --out annotation.schema.json

// OntologyFile is the ontology's path in the repository.
const OntologyFile = "schema/ontology.yaml"

// Ontology is the text of ontology.yaml.
//
//go:embed ontology.yaml
var Ontology []byte

// AnnotationSchema is the committed JSON Schema for annotation files.
//
//go:embed annotation.schema.json
var AnnotationSchema []byte

// Files holds everything above plus the Cypher questions under queries/.
//
//go:embed ontology.yaml annotation.schema.json queries/*.cypher
var Files embed.FS

// Query returns the Cypher text of the named question in queries/.
func Query(name string) (string, error) {
	data, err := Files.ReadFile("queries/" + name + ".cypher")
	if err != nil {
		return "", err
	}
	return string(data), nil
}
