package yamlfile

import (
	"fmt"

	"gopkg.in/yaml.v3"

	"github.com/kgraph/kg/graph"
)

type ontologyFile struct {
	Kinds     yaml.Node `yaml:"kinds"`
	Relations yaml.Node `yaml:"relations"`
	Figures   yaml.Node `yaml:"figures"`
	Grades    struct {
		Reliability gradeFile `yaml:"reliability"`
		Credibility gradeFile `yaml:"credibility"`
	} `yaml:"grades"`
}

type gradeFile struct {
	Meaning string    `yaml:"meaning"`
	Values  yaml.Node `yaml:"values"`
}

type kindFile struct {
	Category string `yaml:"category"`
	Meaning  string `yaml:"meaning"`
}

type relationFile struct {
	Meaning    string   `yaml:"meaning"`
	From       []string `yaml:"from"`
	To         []string `yaml:"to"`
	Properties []string `yaml:"properties"`
}

// ReadOntology parses schema/ontology.yaml, keeping the order of kinds and
// relations as written (it is the order docs and listings show).
func ReadOntology(name string, data []byte) (*graph.Ontology, error) {
	var f ontologyFile
	if err := strict(data, &f); err != nil {
		return nil, fmt.Errorf("read ontology %s: %w", name, err)
	}
	o := &graph.Ontology{}
	err := eachPair(&f.Kinds, func(key string, v *yaml.Node) error {
		var k kindFile
		if err := v.Decode(&k); err != nil {
			return err
		}
		o.Kinds = append(o.Kinds, graph.Kind{Name: key, Category: graph.Category(k.Category), Meaning: k.Meaning})
		return nil
	})
	if err == nil {
		err = eachPair(&f.Relations, func(key string, v *yaml.Node) error {
			var r relationFile
			if err := v.Decode(&r); err != nil {
				return err
			}
			o.Relations = append(o.Relations, graph.RelationType{Name: key, Meaning: r.Meaning, From: r.From, To: r.To, Properties: r.Properties})
			return nil
		})
	}
	for _, t := range []struct {
		n   *yaml.Node
		dst *[]graph.Term
	}{{&f.Figures, &o.Figures}, {&f.Grades.Reliability.Values, &o.Reliability}, {&f.Grades.Credibility.Values, &o.Credibility}} {
		if err == nil {
			err = eachPair(t.n, func(key string, v *yaml.Node) error {
				*t.dst = append(*t.dst, graph.Term{Name: key, Meaning: v.Value})
				return nil
			})
		}
	}
	if err != nil {
		return nil, fmt.Errorf("read ontology %s: %w", name, err)
	}
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("read ontology %s: %w", name, err)
	}
	return o, nil
}

func strict(data []byte, v any) error {
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		return err
	}
	dec := func(n *yaml.Node) error { return n.Decode(v) }
	if err := dec(&n); err != nil {
		return err
	}
	return nil
}

func eachPair(n *yaml.Node, f func(key string, v *yaml.Node) error) error {
	if n.Kind == 0 {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: want a mapping", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if err := f(n.Content[i].Value, n.Content[i+1]); err != nil {
			return fmt.Errorf("line %d: %s: %w", n.Content[i].Line, n.Content[i].Value, err)
		}
	}
	return nil
}
