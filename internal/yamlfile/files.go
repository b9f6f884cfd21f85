package yamlfile

import "github.com/kgraph/kg/graph"

// Files lists the annotation files that ReadCorpus would read for paths,
// sorted, without reading them: a caller that remembers files by their
// stamps reads only those that changed.
func (r *Reader) Files(paths ...string) ([]string, graph.Diagnostics, error) {
	return expand(paths)
}

// List is Files, and also lists the folders read to find the files. A file
// is added to a folder, removed from it or renamed in it only by changing
// the folder's modification time, so a caller that remembers the folders'
// stamps as well as the files' need not list again until one changes.
func (r *Reader) List(paths ...string) (files, folders []string, ds graph.Diagnostics, err error) {
	l, ds, err := list(paths)
	return l.files, l.folders, ds, err
}
