package graph

import (
	"fmt"
	"slices"
)

// Category groups node kinds by the part they play in a story.
type Category string

// The categories a kind may have.
const (
	CategoryActor  Category = "actor"
	CategoryPlace  Category = "place"
	CategoryEvent  Category = "event"
	CategorySource Category = "source"
)

// Kind is a kind of node, such as Person or Attack. Its name is the Neo4j label.
type Kind struct {
	Name     string
	Category Category
	Meaning  string
}

// RelationType is a kind of relation, such as BLAMED. Its name is the Neo4j
// relationship type.
type RelationType struct {
	Name    string
	Meaning string
	// From and To list the node kinds allowed at each end.
	From, To []string
	// Properties lists the optional properties this type allows beyond the
	// ones every relation has.
	Properties []string
}

// Allows reports whether the relation type takes the optional property.
func (rt RelationType) Allows(property string) bool {
	return slices.Contains(rt.Properties, property)
}

// Term is a named value with its meaning: a figure or a grade.
type Term struct {
	Name    string
	Meaning string
}

// Ontology says which node kinds, relation types, figures and grades a graph
// may hold. It is read from schema/ontology.yaml; everything that validates
// or stores a graph derives from it.
type Ontology struct {
	Kinds       []Kind
	Relations   []RelationType
	Figures     []Term
	Reliability []Term
	Credibility []Term
}

// Kind returns the kind called name.
func (o *Ontology) Kind(name string) (Kind, bool) {
	for _, k := range o.Kinds {
		if k.Name == name {
			return k, true
		}
	}
	return Kind{}, false
}

// Relation returns the relation type called name.
func (o *Ontology) Relation(name string) (RelationType, bool) {
	for _, r := range o.Relations {
		if r.Name == name {
			return r, true
		}
	}
	return RelationType{}, false
}

// KindNames lists the kinds' names in ontology order.
func (o *Ontology) KindNames() []string {
	names := make([]string, len(o.Kinds))
	for i, k := range o.Kinds {
		names[i] = k.Name
	}
	return names
}

// RelationNames lists the relation types' names in ontology order.
func (o *Ontology) RelationNames() []string {
	names := make([]string, len(o.Relations))
	for i, r := range o.Relations {
		names[i] = r.Name
	}
	return names
}

// TermNames lists the names of terms.
func TermNames(terms []Term) []string {
	names := make([]string, len(terms))
	for i, t := range terms {
		names[i] = t.Name
	}
	return names
}

// Validate checks the ontology itself: every relation end names a declared
// kind, and no name is declared twice.
func (o *Ontology) Validate() error {
	seen := map[string]bool{}
	for _, k := range o.Kinds {
		if seen[k.Name] {
			return fmt.Errorf("ontology: kind %s declared twice", k.Name)
		}
		seen[k.Name] = true
		switch k.Category {
		case CategoryActor, CategoryPlace, CategoryEvent, CategorySource:
		default:
			return fmt.Errorf("ontology: kind %s: unknown category %q", k.Name, k.Category)
		}
	}
	rels := map[string]bool{}
	for _, r := range o.Relations {
		if rels[r.Name] {
			return fmt.Errorf("ontology: relation %s declared twice", r.Name)
		}
		rels[r.Name] = true
		if len(r.From) == 0 || len(r.To) == 0 {
			return fmt.Errorf("ontology: relation %s: from and to must each name at least one kind", r.Name)
		}
		for _, k := range slices.Concat(r.From, r.To) {
			if !seen[k] {
				return fmt.Errorf("ontology: relation %s: unknown kind %s", r.Name, k)
			}
		}
		for _, p := range r.Properties {
			if !slices.Contains(OptionalProperties, p) {
				return fmt.Errorf("ontology: relation %s: unknown property %s (known: %v)", r.Name, p, OptionalProperties)
			}
		}
	}
	return nil
}

// OptionalProperties are the properties a relation type may opt into.
var OptionalProperties = []string{"about", "role", "figures"}
