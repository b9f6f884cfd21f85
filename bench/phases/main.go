// Command phases times the three steps kg check and kg load take before a
// load sends anything: reading (parsing) a corpus, checking it and building
// its graph, with the garbage collector's work and the heap after each.
//
//	go run ./bench/phases CORPUS    # CORPUS made by kg gen, for example
package main

import (
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/yamlfile"
	"github.com/kgraph/kg/schema"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: phases CORPUS")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "phases:", err)
		os.Exit(1)
	}
}

func run(path string) error {
	o, err := yamlfile.ReadOntology(schema.OntologyFile, schema.Ontology)
	if err != nil {
		return err
	}
	start := time.Now()
	phase := func(name string) {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		fmt.Printf("%-6s %6.2f s  GC cycles so far %3d  heap %5d MiB\n", name, time.Since(start).Seconds(), ms.NumGC, ms.HeapAlloc>>20)
		start = time.Now()
	}
	c, ds, err := (&yamlfile.Reader{Ontology: o}).ReadCorpus(path)
	if err != nil {
		return err
	}
	phase("read")
	ds = append(ds, graph.Check(c, o)...)
	phase("check")
	if len(ds) > 0 {
		return fmt.Errorf("%d problems, the first: %v", len(ds), ds[0])
	}
	g, err := graph.Build(c, o)
	if err != nil {
		return err
	}
	phase("build")
	fmt.Printf("%d relations, %d statements\n", len(c.Relations), len(g.Statements))
	return nil
}
