// Command kg builds an evidence-backed knowledge graph from annotated
// documents: it checks annotations against the ontology, answers named
// questions on an embedded graph or on Neo4j, loads Neo4j, and writes
// reports. This package only wires the domain (package graph) to its
// adapters (internal/...).
package main

import (
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes kg with args and returns the exit code; it is main without
// the process, so tests run it in-process.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	return a.execute(args)
}
