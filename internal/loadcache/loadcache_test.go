package loadcache_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/kgtest"
	"github.com/kgraph/kg/internal/loadcache"
	"github.com/kgraph/kg/internal/yamlfile"
)

const (
	entities = "entities.yaml"
	doc0     = "000_72935e6402311c85.yaml"
	text0    = "000_72935e6402311c85.txt"
)

// seeds copies the seed corpus to a folder with times an hour old, its
// own and its files', as files saved well before a load are.
func seeds(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir(kgtest.SeedsDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(kgtest.SeedsDir(), e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	backdate(t, dir)
	return dir
}

// backdate makes dir and the files in it an hour old, as files saved well
// before a load are.
func backdate(t testing.TB, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	for _, e := range entries {
		os.Chtimes(filepath.Join(dir, e.Name()), old, old)
	}
	os.Chtimes(dir, old, old)
}

// edit replaces old with new in a file, as an editor saving it a minute ago would.
func edit(t *testing.T, dir, file, old, new string) {
	t.Helper()
	path := filepath.Join(dir, file)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s has no %q", file, old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	when := time.Now().Add(-time.Minute)
	os.Chtimes(path, when, when)
}

// addFile writes a new file, saved a minute ago, into dir.
func addFile(t *testing.T, dir, name, data string) {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	when := time.Now().Add(-time.Minute)
	os.Chtimes(path, when, when)
}

func newCache(t testing.TB, key string) *loadcache.Cache {
	o := kgtest.Ontology(t)
	return &loadcache.Cache{Dir: t.TempDir(), Reader: &yamlfile.Reader{Ontology: o}, Ontology: o, Key: key}
}

func saveFull(t testing.TB, c *loadcache.Cache, dir string) {
	t.Helper()
	start := time.Now()
	corpus, ds, err := graph.Read(c.Reader, c.Ontology, dir)
	if err != nil || len(ds) > 0 {
		t.Fatalf("%v %v", err, ds)
	}
	g, err := graph.Build(corpus, c.Ontology)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SaveFull(list(t, c, dir), corpus, g, "gen-1", start); err != nil {
		t.Fatal(err)
	}
}

// saveStreamed is saveFull as kg load makes the record: from the parts of
// a graph.Stream as they go by (loadcache.Recorder).
func saveStreamed(t testing.TB, c *loadcache.Cache, dir string) {
	t.Helper()
	saveFrom(t, c, c.Reader.(graph.PartReader), dir)
}

// saveInParts is saveStreamed with entities.yaml handed over an entity at
// a time, as yamlfile hands over a large file without a document.
func saveInParts(t testing.TB, c *loadcache.Cache, dir string) {
	t.Helper()
	saveFrom(t, c, partsReader{c.Reader.(*yamlfile.Reader)}, dir)
}

// partsReader hands each file without a document over an entity at a
// time.
type partsReader struct{ *yamlfile.Reader }

func (r partsReader) ReadParts(ctx context.Context, each func(*graph.Corpus, graph.Diagnostics), files []string) error {
	return r.Reader.ReadParts(ctx, func(c *graph.Corpus, ds graph.Diagnostics) {
		if len(c.Documents) > 0 || len(c.Entities) < 2 {
			each(c, ds)
			return
		}
		for i, e := range c.Entities {
			part := &graph.Corpus{Entities: []*graph.Entity{e}}
			if i == 0 {
				part.Relations, part.Waivers = c.Relations, c.Waivers
				each(part, ds)
			} else {
				each(part, nil)
			}
		}
	}, files)
}

func saveFrom(t testing.TB, c *loadcache.Cache, r graph.PartReader, dir string) {
	t.Helper()
	start := time.Now()
	l := list(t, c, dir)
	rec := c.Record(l, start)
	f := graph.Stream(context.Background(), r, c.Ontology, rec.Add, l)
	if err := f.Drain(); err != nil {
		t.Fatal(err)
	}
	next, err := rec.Pending()
	if err != nil {
		t.Fatal(err)
	}
	if err := next.Commit("gen-1"); err != nil {
		t.Fatal(err)
	}
}

// list lists the files of a load of dir.
func list(t testing.TB, c *loadcache.Cache, dir string) graph.Listing {
	t.Helper()
	l, err := c.Reader.List(dir)
	if err != nil || len(l.Problems) > 0 {
		t.Fatalf("%v %v", err, l.Problems)
	}
	return l
}

// savers are the ways a full load's record is made.
var savers = []struct {
	name string
	save func(t testing.TB, c *loadcache.Cache, dir string)
}{{"whole", saveFull}, {"streamed", saveStreamed}, {"streamed in parts", saveInParts}}

func plan(t *testing.T, c *loadcache.Cache, dir string) *loadcache.Plan {
	t.Helper()
	p, err := c.Plan([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPlan(t *testing.T) {
	tests := []struct {
		name string
		edit func(t *testing.T, dir string)
		// full is a part of the reason for a full load; empty when a
		// delta is wanted, reading the files counted by read.
		full  string
		read  int
		files int // listed; 6 when zero
	}{
		{name: "unchanged", edit: func(*testing.T, string) {}, read: 0},
		{name: "one annotation edited", read: 1, edit: func(t *testing.T, dir string) {
			edit(t, dir, doc0, "    note: The document's own voice; no source named.", "    note: edited. The document's own voice; no source named.")
		}},
		{name: "an entity renamed", read: 1, edit: func(t *testing.T, dir string) {
			edit(t, dir, entities, "name: Islamic State\n", "name: The Islamic State\n")
		}},
		{name: "a document's text changed: its file and the files quoting it are read", read: 1, edit: func(t *testing.T, dir string) {
			edit(t, dir, text0, "Twin attacks", "Twin  attacks")
		}},
		{name: "an id removed that other files use", full: `no longer declares ArmedGroup "islamic-state"`, edit: func(t *testing.T, dir string) {
			edit(t, dir, entities, "id: islamic-state\n", "id: islamic-state-x\n")
		}},
		{name: "a changed file with a problem", full: "problems", edit: func(t *testing.T, dir string) {
			edit(t, dir, doc0, "quote: have left at least 12 people dead", "quote: have left at least 13 people dead")
		}},
		// The check of a changed file sees only the declarations of the
		// other files that it could clash with or refers to; these must
		// still be among them.
		{name: "a changed file declares a name another file uses", full: "already names", edit: func(t *testing.T, dir string) {
			edit(t, dir, doc0, "\ndocument:\n", "\nentities:\n  - {id: new-group, kind: ArmedGroup, name: New group, aliases: [isil]}\ndocument:\n")
		}},
		{name: "a changed file declares an id another file declares", full: "duplicate id", edit: func(t *testing.T, dir string) {
			edit(t, dir, doc0, "\ndocument:\n", "\nentities:\n  - {id: islamic-state, kind: ArmedGroup, name: Another group}\ndocument:\n")
		}},
		{name: "a changed file refers to another file's entity with the wrong kind", full: "is a", edit: func(t *testing.T, dir string) {
			edit(t, dir, doc0, "\nrelations:\n", "\nrelations:\n  - {subject: islamic-state, rel: CLAIMED, object: islamic-state, quote: ISIS claims twin attacks}\n")
		}},
		{name: "a file removed", full: "no longer declares", edit: func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, doc0))
		}},
		{name: "a file added", read: 1, files: 7, edit: func(t *testing.T, dir string) {
			addFile(t, dir, "new.yaml", "entities:\n  - {id: zz-new, kind: Person, name: Zz New}\n")
		}},
		{name: "a file added in a new folder", read: 1, files: 7, edit: func(t *testing.T, dir string) {
			addFile(t, dir, "sub/new.yaml", "entities:\n  - {id: zz-new, kind: Person, name: Zz New}\n")
		}},
		// The plan lists the files again only when a folder's time
		// changed: a file added to a folder whose time is then put back
		// goes unseen, which shows the listing was not made again.
		{name: "a file added, the folder's time put back", read: 0, files: 6, edit: func(t *testing.T, dir string) {
			info, err := os.Stat(dir)
			if err != nil {
				t.Fatal(err)
			}
			addFile(t, dir, "new.yaml", "entities:\n  - {id: zz-new, kind: Person, name: Zz New}\n")
			os.Chtimes(dir, info.ModTime(), info.ModTime())
		}},
	}
	for _, save := range savers {
		for _, tt := range tests {
			t.Run(save.name+"/"+tt.name, func(t *testing.T) {
				dir := seeds(t)
				c := newCache(t, "k")
				save.save(t, c, dir)
				tt.edit(t, dir)
				p := plan(t, c, dir)
				if tt.full != "" {
					if p.Delta != nil || !strings.Contains(p.Reason, tt.full) {
						t.Fatalf("want a full load because %q; got delta %v, reason %q", tt.full, p.Delta != nil, p.Reason)
					}
					return
				}
				if p.Delta == nil {
					t.Fatalf("full load planned: %s", p.Reason)
				}
				if tt.files == 0 {
					tt.files = 6
				}
				if p.Changed != tt.read || p.Files != tt.files {
					t.Errorf("read %d of %d files, want %d of %d", p.Changed, p.Files, tt.read, tt.files)
				}
				if p.Delta.Generation != "gen-1" {
					t.Errorf("generation %q", p.Delta.Generation)
				}
				if tt.read == 0 && !p.Delta.Empty() {
					t.Errorf("nothing changed, yet the delta is %+v", p.Delta)
				}
			})
		}
	}
}

// TestPlanDeltaIsTheChange: the delta of an edit holds what the edit
// changed, before and after, and nothing the edited file still says as it
// did.
func TestPlanDeltaIsTheChange(t *testing.T) {
	tests := []struct {
		name               string
		file, old, new     string
		nodes, statements  int  // in the delta, now
		oldNodes, oldStmts int  // in the delta, before
		sameStatementID    bool // the one statement changed keeps its id
	}{
		{name: "a relation's note", file: doc0, old: "    note: The document's own voice; no source named.", new: "    note: edited. The document's own voice; no source named.",
			statements: 1, oldStmts: 1, sameStatementID: true},
		{name: "a relation's quote", file: doc0, old: "quote: have left at least 12 people dead and 43 injured", new: "quote: left at least 12 people dead and 43 injured",
			statements: 1, oldStmts: 1},
		{name: "a document's title", file: doc0, old: "title: ISIS claims twin attacks", new: "title: ISIS claims two attacks", nodes: 1, oldNodes: 1},
		{name: "an entity's name", file: entities, old: "name: Islamic State\n", new: "name: The Islamic State\n", nodes: 1, oldNodes: 1},
	}
	for _, save := range savers {
		for _, tt := range tests {
			t.Run(save.name+"/"+tt.name, func(t *testing.T) {
				dir := seeds(t)
				c := newCache(t, "k")
				save.save(t, c, dir)
				edit(t, dir, tt.file, tt.old, tt.new)
				p := plan(t, c, dir)
				if p.Delta == nil {
					t.Fatal(p.Reason)
				}
				d := p.Delta
				if len(d.Nodes) != tt.nodes || len(d.OldNodes) != tt.oldNodes {
					t.Errorf("nodes %d, before %d; want %d and %d", len(d.Nodes), len(d.OldNodes), tt.nodes, tt.oldNodes)
				}
				if len(d.Statements) != tt.statements || len(d.OldStatements) != tt.oldStmts {
					t.Fatalf("statements %d, before %d; want %d and %d", len(d.Statements), len(d.OldStatements), tt.statements, tt.oldStmts)
				}
				if tt.statements == 1 && (d.Statements[0].ID == d.OldStatements[0].ID) != tt.sameStatementID {
					t.Errorf("statement %s was %s", d.Statements[0].ID, d.OldStatements[0].ID)
				}
			})
		}
	}
}

func TestPlanFull(t *testing.T) {
	dir := seeds(t)
	c := newCache(t, "k")
	if p := plan(t, c, dir); p.Delta != nil || !strings.Contains(p.Reason, "no cache") {
		t.Fatalf("no cache: %+v", p)
	}
	saveFull(t, c, dir)
	other := *c
	other.Key = "another store"
	if p := plan(t, &other, dir); p.Delta != nil {
		t.Fatalf("a cache saved for another key was used")
	}
	// A file saved during the load it was read by is read again next time.
	now := time.Now()
	os.Chtimes(filepath.Join(dir, doc0), now, now)
	saveFull(t, c, dir)
	if p := plan(t, c, dir); p.Delta == nil || p.Changed != 1 {
		t.Fatalf("a file modified during the load: %+v", p)
	}
	// A damaged cache is no cache: the load is full, not failed.
	entries, _ := os.ReadDir(c.Dir)
	for _, e := range entries {
		os.WriteFile(filepath.Join(c.Dir, e.Name()), []byte("not a cache"), 0o644)
	}
	if p := plan(t, c, dir); p.Delta != nil || len(entries) == 0 {
		t.Fatalf("a damaged cache was used (%d files)", len(entries))
	}
	saveFull(t, c, dir)
	if err := c.Forget(); err != nil {
		t.Fatal(err)
	}
	if p := plan(t, c, dir); p.Delta != nil {
		t.Fatalf("a forgotten cache was used")
	}
}

// parts lists the part files of the caches in dir.
func parts(t *testing.T, dir string) map[string]bool {
	t.Helper()
	found, err := filepath.Glob(filepath.Join(dir, "*.part"))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range found {
		names[filepath.Base(f)] = true
	}
	return names
}

// TestCommitWritesOnlyWhatChanged: after a one-file edit, committing the
// plan replaces the one part holding that file and removes the part it
// replaced; committing an unchanged plan under a new generation writes no
// part. Each time, the next plan finds nothing changed and the new
// generation.
func TestCommitWritesOnlyWhatChanged(t *testing.T) {
	for _, save := range savers {
		t.Run(save.name, func(t *testing.T) {
			dir := seeds(t)
			c := newCache(t, "k")
			save.save(t, c, dir)
			before := parts(t, c.Dir)
			if len(before) < 2 {
				t.Fatalf("the seeds' 6 files are stored in %d parts; the test needs several", len(before))
			}
			steps := []struct {
				generation string
				edit       func()
				replaced   int
			}{
				{"gen-2", func() {
					edit(t, dir, doc0, "    note: The document's own voice; no source named.", "    note: edited.")
				}, 1},
				{"gen-3", func() {}, 0},
			}
			for _, step := range steps {
				step.edit()
				p := plan(t, c, dir)
				if p.Delta == nil {
					t.Fatal(p.Reason)
				}
				if err := p.Commit(step.generation); err != nil {
					t.Fatal(err)
				}
				after := parts(t, c.Dir)
				var added, gone int
				for name := range after {
					if !before[name] {
						added++
					}
				}
				for name := range before {
					if !after[name] {
						gone++
					}
				}
				if added != step.replaced || gone != step.replaced {
					t.Errorf("%s: %d parts written and %d removed, want %d of each", step.generation, added, gone, step.replaced)
				}
				next := plan(t, c, dir)
				if next.Delta == nil || next.Changed != 0 || next.Delta.Generation != step.generation {
					t.Fatalf("%s: the next plan read %d files under generation %v (%s)", step.generation, next.Changed, next.Delta, next.Reason)
				}
				before = after
			}
			if err := c.Forget(); err != nil {
				t.Fatal(err)
			}
			if left, _ := os.ReadDir(c.Dir); len(left) != 0 {
				t.Errorf("Forget left %d files", len(left))
			}
		})
	}
}

// TestCommitKeepsTheListing: a plan that lists the files again (a file
// was added) commits the folders' new stamps, so the plan after it does
// not list them again: a second file, added with the folder's time put
// back, goes unseen.
func TestCommitKeepsTheListing(t *testing.T) {
	dir := seeds(t)
	c := newCache(t, "k")
	saveFull(t, c, dir)
	addFile(t, dir, "new.yaml", "entities:\n  - {id: zz-new, kind: Person, name: Zz New}\n")
	minuteAgo := time.Now().Add(-time.Minute)
	os.Chtimes(dir, minuteAgo, minuteAgo)
	p := plan(t, c, dir)
	if p.Delta == nil || p.Files != 7 {
		t.Fatalf("the added file: %d files, %s", p.Files, p.Reason)
	}
	if err := p.Commit("gen-2"); err != nil {
		t.Fatal(err)
	}
	addFile(t, dir, "newer.yaml", "entities:\n  - {id: zz-newer, kind: Person, name: Zz Newer}\n")
	os.Chtimes(dir, minuteAgo, minuteAgo)
	if p := plan(t, c, dir); p.Delta == nil || p.Files != 7 || p.Changed != 0 {
		t.Fatalf("after the commit: %d files, %d read (%s); want the 7 the commit listed", p.Files, p.Changed, p.Reason)
	}
}

// TestRecordLeavesOnlyTheCache: the records a full load spills while it
// goes leave no file behind, whether the load is committed (the folder
// then holds the top file and its parts) or dropped (nothing).
func TestRecordLeavesOnlyTheCache(t *testing.T) {
	for _, commit := range []bool{true, false} {
		dir := seeds(t)
		c := newCache(t, "k")
		if commit {
			saveStreamed(t, c, dir)
		} else {
			l := list(t, c, dir)
			rec := c.Record(l, time.Now())
			if err := graph.Stream(context.Background(), c.Reader.(graph.PartReader), c.Ontology, rec.Add, l).Drain(); err != nil {
				t.Fatal(err)
			}
			rec.Close()
		}
		left, _ := os.ReadDir(c.Dir)
		var names []string
		for _, e := range left {
			if !strings.HasSuffix(e.Name(), ".part") {
				names = append(names, e.Name())
			}
		}
		want := 0
		if commit {
			want = 1 // the top file
		}
		if len(names) != want {
			t.Errorf("committed %v: the cache folder holds %q besides its parts, want %d file", commit, names, want)
		}
		if !commit && len(left) != 0 {
			t.Errorf("dropped: the cache folder holds %d files", len(left))
		}
	}
}

// TestRecordSpillFails: a full load whose records cannot be spilled still
// ends, and Pending says why there is no cache (kg load warns, and plans
// the next load full).
func TestRecordSpillFails(t *testing.T) {
	dir := seeds(t)
	c := newCache(t, "k")
	blocker := filepath.Join(c.Dir, "not-a-folder")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	c.Dir = blocker // the spill cannot be made in a file
	l := list(t, c, dir)
	rec := c.Record(l, time.Now())
	if err := graph.Stream(context.Background(), c.Reader.(graph.PartReader), c.Ontology, rec.Add, l).Drain(); err != nil {
		t.Fatal(err)
	}
	next, err := rec.Pending()
	if err == nil || !strings.Contains(err.Error(), "save load cache") {
		t.Fatalf("Pending returned %v, err %v; want a save load cache error", next != nil, err)
	}
	rec.Close() // kg load's deferred Close, after the one Pending made
}

// TestRecordFileWithoutItems: a file that declares nothing yet is
// recorded as the others are, so that the next load does not read it
// again: records are made as items come, and such a file has none.
func TestRecordFileWithoutItems(t *testing.T) {
	for _, save := range savers {
		t.Run(save.name, func(t *testing.T) {
			dir := seeds(t)
			addFile(t, dir, "later.yaml", "entities: []\n")
			c := newCache(t, "k")
			save.save(t, c, dir)
			p := plan(t, c, dir)
			if p.Delta == nil {
				t.Fatalf("full load planned: %s", p.Reason)
			}
			if p.Changed != 0 || p.Files != 7 {
				t.Errorf("read %d of %d files, want 0 of 7", p.Changed, p.Files)
			}
		})
	}
}
