package yamlfile

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestExpandListsAsWalkDir: expand lists a folder's annotation files with
// listing.walk, not filepath.WalkDir, but must name and choose them as the
// WalkDir listing it replaced did: the load cache is keyed by these names.
func TestExpandListsAsWalkDir(t *testing.T) {
	dir := t.TempDir()
	names := []string{
		"a.yaml", "b.yml", "notes.txt", "c.yaml.orig", ".dotfile.yaml",
		"sub/d.yaml", "sub/deeper/e.yml", "sub/.hidden/f.yaml", ".git/g.yaml", "z/h.yaml",
	}
	// A folder read in more than two batches, a folder among its files.
	for i := range 2*readDirBatch + 1 {
		names = append(names, fmt.Sprintf("many/%05d.yaml", i))
	}
	names = append(names, "many/inner/i.yaml")
	for _, name := range names {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("entities: []\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	for _, root := range []string{dir, dir + "/", ".", "./sub", "sub/", "many"} {
		got, ds, err := expand([]string{root})
		if err != nil || len(ds) > 0 {
			t.Fatalf("expand(%q): %v %v", root, err, ds)
		}
		want, wantFolders := walkDirListing(t, root)
		if !slices.Equal(got, want) {
			t.Errorf("expand(%q) =\n%q\nwant, as filepath.WalkDir lists it,\n%q", root, got, want)
		}
		l, _, _ := list([]string{root})
		if slices.Sort(l.folders); !slices.Equal(l.folders, wantFolders) {
			t.Errorf("list(%q) read the folders\n%q\nwant, as filepath.WalkDir reads them,\n%q", root, l.folders, wantFolders)
		}
	}
}

// walkDirListing is how expand listed a folder before listing.walk: the
// files, and the folders it read.
func walkDirListing(t *testing.T, root string) (files, folders []string) {
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if d.IsDir() {
			folders = append(folders, path)
		}
		if !d.IsDir() && slices.Contains(Extensions, filepath.Ext(path)) {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	slices.Sort(folders)
	return files, folders
}
