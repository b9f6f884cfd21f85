package loadcache_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kgraph/kg/internal/kgtest"
	"github.com/kgraph/kg/internal/synth"
	"github.com/kgraph/kg/internal/yamlfile"
)

// BenchmarkReload plans and commits the reload of a corpus of 100,000
// relations (5,000 annotation files and as many texts) after one file was
// edited as bench/run edits it: the part of a one-edit kg load that is not
// Neo4j's. A round lists the files or trusts the folders, stats every
// file, decodes the cache, reads and checks the changed file against what
// it concerns, and rewrites the part that holds it. Each round adds the
// edit or takes it out again. With -cpuprofile it shows where a reload's
// time goes without a server.
func BenchmarkReload(b *testing.B) {
	o := kgtest.Ontology(b)
	dir := b.TempDir()
	if err := yamlfile.WriteCorpus(dir, synth.Generate(o, synth.Options{Seed: 1, Relations: 100000})); err != nil {
		b.Fatal(err)
	}
	backdate(b, dir)
	c := newCache(b, "bench")
	saveStreamed(b, c, dir)

	doc := list(b, c, dir).Files[0]
	orig, err := os.ReadFile(doc)
	if err != nil {
		b.Fatal(err)
	}
	// bench/run's edit: a note after the first relation's rel line.
	rel := strings.Index(string(orig), "\n    rel: ")
	if rel < 0 {
		b.Fatalf("%s has no relation to edit", doc)
	}
	end := rel + 1 + strings.IndexByte(string(orig[rel+1:]), '\n')
	edited := string(orig[:end]) + "\n    note: edited by bench/run" + string(orig[end:])
	round := 0
	for b.Loop() {
		round++
		data := edited
		if round%2 == 0 {
			data = string(orig)
		}
		if err := os.WriteFile(doc, []byte(data), 0o644); err != nil {
			b.Fatal(err)
		}
		when := time.Now().Add(-time.Minute)
		os.Chtimes(doc, when, when)
		p, err := c.Plan([]string{dir})
		if err != nil {
			b.Fatal(err)
		}
		if p.Delta == nil || p.Changed != 1 {
			b.Fatalf("round %d: %d files read (%s)", round, p.Changed, p.Reason)
		}
		if err := p.Commit(fmt.Sprint("gen-", round)); err != nil {
			b.Fatal(err)
		}
	}
}
