package export

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/kgraph/kg/graph"
)

// ArrayDelimiter separates the items of an array field (aliases), as
// neo4j-admin expects by default.
const ArrayDelimiter = ";"

// CSVFile is one file of a CSV export: a node file for one label or a
// relationship file for one type.
type CSVFile struct {
	Name          string // file name, such as nodes-Person.csv
	Relationships bool
	Header        []string
	Rows          [][]string
}

// The headers of the node and relationship files. Properties are those
// `kg load` writes, so kg's named Cypher questions run on an imported
// database unchanged; an empty field stores no property.
var (
	NodeHeader = []string{"id:ID", ":LABEL", "name", "kind", "aliases:string[]", "date",
		"title", "publisher", "url", "reliability", "file"}
	RelationshipHeader = []string{":START_ID", ":END_ID", ":TYPE", "kgId", "document", "quote", "quoteStart:long", "quoteEnd:long",
		"aboutId", "date", "dateText", "credibility", "role", "note",
		"figureMeasures:string[]", "figureValues:long[]", "figureQualifiers:string[]"}
)

// ToCSV lays g out as the files of `neo4j-admin database import full`: one
// node file per kind (labels KgNode and the kind), one relationship file
// per type, each with its header row, in ontology order, leaving out empty
// ones. Node ids share one id space.
func ToCSV(g *graph.Graph) ([]CSVFile, error) {
	if err := checkNames(g); err != nil {
		return nil, err
	}
	array := func(what string, items []string) (string, error) {
		for _, it := range items {
			if strings.Contains(it, ArrayDelimiter) {
				return "", fmt.Errorf("%s %q contains %q, the array delimiter of the CSV export; use another format", what, it, ArrayDelimiter)
			}
		}
		return strings.Join(items, ArrayDelimiter), nil
	}
	var files []CSVFile
	for _, k := range g.Ontology.Kinds {
		f := CSVFile{Name: "nodes-" + k.Name + ".csv", Header: NodeHeader}
		for _, n := range g.Nodes {
			if n.Kind != k.Name {
				continue
			}
			aliases, err := array("node "+n.ID+": alias", n.Aliases)
			if err != nil {
				return nil, err
			}
			f.Rows = append(f.Rows, []string{n.ID, NodeLabel + ArrayDelimiter + n.Kind, n.Name, n.Kind, aliases, n.Date.String(),
				n.Title, n.Publisher, n.URL, n.Reliability, n.File})
		}
		if len(f.Rows) > 0 {
			files = append(files, f)
		}
	}
	for _, rt := range g.Ontology.Relations {
		f := CSVFile{Name: "relationships-" + rt.Name + ".csv", Relationships: true, Header: RelationshipHeader}
		for _, s := range g.Statements {
			if s.Type != rt.Name {
				continue
			}
			var measures, values, qualifiers []string
			for _, fig := range s.Figures {
				measures = append(measures, fig.Measure)
				values = append(values, strconv.Itoa(fig.Value))
				qualifiers = append(qualifiers, fig.Qualifier)
			}
			ms, err := array("statement "+s.ID+": figure", measures)
			if err != nil {
				return nil, err
			}
			qs, err := array("statement "+s.ID+": qualifier", qualifiers)
			if err != nil {
				return nil, err
			}
			f.Rows = append(f.Rows, []string{s.Subject.ID, s.Object.ID, s.Type, s.ID, s.Evidence.Document, s.Evidence.Quote,
				strconv.Itoa(s.Evidence.Start), strconv.Itoa(s.Evidence.End), aboutID(s), s.Date.String(), s.DateText,
				s.Credibility, s.Role, s.Note, ms, strings.Join(values, ArrayDelimiter), qs})
		}
		if len(f.Rows) > 0 {
			files = append(files, f)
		}
	}
	return files, nil
}

// WriteCSV writes the CSV export of g into dir, creating it, and returns
// the paths written.
func WriteCSV(dir string, g *graph.Graph) ([]string, error) {
	files, err := ToCSV(g)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var paths []string
	for _, f := range files {
		path := filepath.Join(dir, f.Name)
		if err := writeCSVFile(path, f); err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

func writeCSVFile(path string, f CSVFile) (err error) {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	w := csv.NewWriter(out)
	if err := w.Write(f.Header); err != nil {
		return err
	}
	if err := w.WriteAll(f.Rows); err != nil {
		return err
	}
	w.Flush()
	return w.Error()
}

// ImportArgs are the arguments of `neo4j-admin database import full` that
// import the files at paths (as WriteCSV returns them) into database. The
// database comes first: --nodes and --relationships take several files each,
// so a name after them would be read as one more file.
func ImportArgs(paths []string, database string) []string {
	args := []string{database, "--multiline-fields=true"}
	for _, p := range paths {
		flag := "--nodes="
		if strings.HasPrefix(filepath.Base(p), "relationships-") {
			flag = "--relationships="
		}
		args = append(args, flag+p)
	}
	return args
}

// AfterImport are the Cypher statements to run once on the database that
// neo4j-admin imported from the CSV files, with the server started, so that
// it holds what kg load writes: kg's uniqueness constraint (kg load creates it
// too), and the one value the CSV format cannot carry. A statement with a
// single figure without qualifier has figureQualifiers [""] when loaded;
// neo4j-admin reads an empty array field, quoted or not, as no property, and
// no other field splits into exactly one empty item.
var AfterImport = []string{
	"CREATE CONSTRAINT kg_node_id IF NOT EXISTS FOR (n:" + NodeLabel + ") REQUIRE n.id IS UNIQUE",
	"MATCH (:" + NodeLabel + ")-[r]->(:" + NodeLabel + ") WHERE r.figureMeasures IS NOT NULL AND r.figureQualifiers IS NULL " +
		"SET r.figureQualifiers = [m IN r.figureMeasures | '']",
}

// ImportCommand is the neo4j-admin command line, for a shell, that runs
// ImportArgs(paths, database).
func ImportCommand(paths []string, database string) string {
	args := []string{"neo4j-admin", "database", "import", "full"}
	for _, a := range ImportArgs(paths, database) {
		if flag, value, ok := strings.Cut(a, "="); ok && strings.HasPrefix(flag, "--") {
			args = append(args, flag+"="+shellQuote(value))
		} else {
			args = append(args, shellQuote(a))
		}
	}
	return strings.Join(args, " ")
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
