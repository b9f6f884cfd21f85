package neo4jstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/kgtest"
	"github.com/kgraph/kg/internal/loadcache"
	"github.com/kgraph/kg/internal/synth"
	"github.com/kgraph/kg/internal/yamlfile"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// corpusDir is a corpus on disk that a test edits as a user would: only
// the files whose bytes change are rewritten, each with a new time.
type corpusDir struct {
	t       *testing.T
	dir     string
	clock   time.Time
	written map[string]bool // files write made; others are left alone
}

func newCorpusDir(t *testing.T, c *graph.Corpus) *corpusDir {
	d := &corpusDir{t: t, dir: t.TempDir(), clock: time.Now().Add(-time.Hour), written: map[string]bool{}}
	d.write(c)
	return d
}

// write makes the folder hold c, touching only what differs. Times are in
// the past, as a file saved a while before a load is: loads distrust times
// too close to their own start.
func (d *corpusDir) write(c *graph.Corpus) {
	d.t.Helper()
	tmp := d.t.TempDir()
	if err := yamlfile.WriteCorpus(tmp, c); err != nil {
		d.t.Fatal(err)
	}
	want := map[string][]byte{}
	entries, _ := os.ReadDir(tmp)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(tmp, e.Name()))
		if err != nil {
			d.t.Fatal(err)
		}
		want[e.Name()] = data
	}
	for name := range d.written {
		if _, ok := want[name]; !ok {
			os.Remove(filepath.Join(d.dir, name))
			delete(d.written, name)
		}
	}
	for name, data := range want {
		d.written[name] = true
		path := filepath.Join(d.dir, name)
		if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
			continue
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			d.t.Fatal(err)
		}
		d.clock = d.clock.Add(time.Second)
		if err := os.Chtimes(path, d.clock, d.clock); err != nil {
			d.t.Fatal(err)
		}
	}
}

// loadFull loads the folder in full and remembers it in cache.
func loadFull(t *testing.T, s *Store, cache *loadcache.Cache, dir string) {
	t.Helper()
	c, ds, err := graph.Read(cache.Reader, cache.Ontology, dir)
	if err != nil || len(ds) > 0 {
		t.Fatalf("read %s: %v %v", dir, err, ds)
	}
	g, err := graph.Build(c, cache.Ontology)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	st, err := s.Load(context.Background(), g, graph.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	l, err := cache.Reader.List(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := cache.SaveFull(l, c, g, st.Generation, start); err != nil {
		t.Fatal(err)
	}
}

// holdsExactly fails unless the database holds exactly the graph of the
// folder: a dry-run full load, which compares every stored row, finds
// nothing to change.
func holdsExactly(t *testing.T, s *Store, cache *loadcache.Cache, dir string) {
	t.Helper()
	g, ds, err := graph.Open(cache.Reader, cache.Ontology, dir)
	if err != nil || len(ds) > 0 {
		t.Fatalf("read %s: %v %v", dir, err, ds)
	}
	st, err := s.Load(context.Background(), g, graph.LoadOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if st.Changes() != 0 {
		t.Fatalf("a full load would still change %+v", st)
	}
}

// TestLoadDeltaMatchesFullLoad edits random corpora as a user would (one
// relation's note, a relation removed then restored, an entity renamed, a
// new file quoting an existing document) and loads each edit as a delta:
// afterwards Neo4j must hold exactly what a full load of the same files
// writes, and only the edited files must have been read.
func TestLoadDeltaMatchesFullLoad(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	o := kgtest.Ontology(t)
	reader := &yamlfile.Reader{Ontology: o}
	for seed := int64(1); seed <= 12; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(seed), 9))
			c := synth.RandomSmall(o, seed)
			dir := newCorpusDir(t, c)
			cache := &loadcache.Cache{Dir: t.TempDir(), Reader: reader, Ontology: o, Key: "test"}
			loadFull(t, s, cache, dir.dir)

			apply := func(what string, wantRead int) {
				t.Helper()
				dir.write(c)
				plan, err := cache.Plan([]string{dir.dir})
				if err != nil {
					t.Fatal(err)
				}
				if plan.Delta == nil {
					t.Fatalf("%s: full load planned: %s", what, plan.Reason)
				}
				if plan.Changed != wantRead {
					t.Errorf("%s: %d files read, want %d", what, plan.Changed, wantRead)
				}
				st, err := s.LoadDelta(ctx, plan.Delta, graph.LoadOptions{BatchSize: 3})
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				if err := plan.Commit(st.Generation); err != nil {
					t.Fatal(err)
				}
				holdsExactly(t, s, cache, dir.dir)
			}

			apply("nothing changed", 0)
			rel := c.Relations[r.IntN(len(c.Relations))]
			rel.Note = "edited"
			apply("a note", 1)

			i := r.IntN(len(c.Relations))
			removed := c.Relations[i]
			c.Relations = append(c.Relations[:i:i], c.Relations[i+1:]...)
			apply("a relation removed", 1)
			c.Relations = append(c.Relations, removed)
			apply("the relation restored", 1)

			e := c.Entities[r.IntN(len(c.Entities))]
			e.Name += " Renamed"
			apply("an entity renamed", 1)

			// A new file of entities (a document's yaml holds its relations,
			// so new entities come with an entities-only file here).
			c.Entities = append(c.Entities, &graph.Entity{ID: "zz-new-person", Kind: "Person", Name: "Zz New Person"})
			dir.write(c)
			extra := filepath.Join(dir.dir, "extra.yaml")
			if err := os.WriteFile(extra, []byte("entities:\n  - {id: zz-extra, kind: Person, name: Zz Extra}\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			past := time.Now().Add(-time.Minute)
			os.Chtimes(extra, past, past)
			apply("new entities, in an old file and a new one", 2)
		})
	}
}

// TestLoadDeltaRefused: a delta is refused as stale, changing nothing,
// when the database no longer holds what it was computed against; kg then
// loads in full.
func TestLoadDeltaRefused(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	o := kgtest.Ontology(t)
	run := func(t *testing.T, query string, rel *graph.Relation) {
		t.Helper()
		if _, err := neo4j.ExecuteQuery(ctx, s.driver, query, map[string]any{"id": rel.Subject}, neo4j.EagerResultTransformer, s.queryDB()); err != nil {
			t.Fatal(err)
		}
	}
	deleteSubject := func(t *testing.T, rel *graph.Relation) {
		run(t, "MATCH (n:"+KgLabel+" {id: $id}) DETACH DELETE n", rel)
	}
	// A note is not part of a statement's id: the delta updates it in place.
	editNote := func(rel *graph.Relation) { rel.Note = "edited" }
	// The quote is: the delta creates a new statement and deletes the old.
	editQuote := func(rel *graph.Relation) {
		words := strings.Fields(rel.Evidence.Quote)
		rel.Evidence.Quote = strings.Join(words[:len(words)-1], " ") // still in the document
	}
	tests := []struct {
		name string
		seed int64
		edit func(rel *graph.Relation)
		// meanwhile changes the database after the delta of the edit to
		// rel was planned.
		meanwhile func(t *testing.T, rel *graph.Relation)
	}{
		{name: "another load ran since", seed: 5, edit: editNote, meanwhile: func(t *testing.T, _ *graph.Relation) {
			load(t, s, kgtest.Seeds(t))
		}},
		// Deleted by hand in Browser, say: the update finds nothing.
		{name: "an updated relationship is gone", seed: 7, edit: editNote, meanwhile: func(t *testing.T, rel *graph.Relation) {
			run(t, "MATCH (:"+KgLabel+" {id: $id})-[r]-() DELETE r", rel)
		}},
		// The new statement is to join a node that is there and one that
		// is not.
		{name: "a new relationship's end is gone", seed: 7, edit: editQuote, meanwhile: deleteSubject},
		// kg's nodes deleted by hand, then a first load killed midway, which
		// leaves the generation as it was and part of a corpus. Its record
		// alone is made here, so that only it can refuse the delta.
		{name: "a first load was left unfinished since", seed: 5, edit: editNote, meanwhile: func(t *testing.T, rel *graph.Relation) {
			run(t, "CREATE (:"+LoadLabel+" {id: '"+unfinishedID+"', startedAt: datetime()})", rel)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := synth.RandomSmall(o, tt.seed)
			dir := newCorpusDir(t, c)
			cache := &loadcache.Cache{Dir: t.TempDir(), Reader: &yamlfile.Reader{Ontology: o}, Ontology: o, Key: "test"}
			loadFull(t, s, cache, dir.dir)
			rel := c.Relations[0]
			tt.edit(rel)
			dir.write(c)
			plan, err := cache.Plan([]string{dir.dir})
			if err != nil || plan.Delta == nil {
				t.Fatalf("plan: %v %+v", err, plan)
			}
			tt.meanwhile(t, rel)
			before := snapshot(t, s)
			if _, err := s.LoadDelta(ctx, plan.Delta, graph.LoadOptions{}); !errors.Is(err, graph.ErrStale) {
				t.Fatalf("LoadDelta: %v, want ErrStale", err)
			}
			if after := snapshot(t, s); after != before {
				t.Fatalf("a refused delta changed the database:\n%s\n---\n%s", before, after)
			}
		})
	}
}
