package yamlfile

import "github.com/kgraph/kg/graph"

// List lists the annotation files that ReadCorpus would read for paths,
// sorted, without reading them: a caller that remembers files by their
// stamps reads only those that changed. It also lists the folders read to
// find the files, in the order it read them. A file is added to a folder,
// removed from it or renamed in it only by changing the folder's
// modification time, so a caller that remembers the folders' stamps as
// well as the files' need not list again until one changes.
func (r *Reader) List(paths ...string) (graph.Listing, error) {
	l, ds, err := list(paths)
	if err != nil {
		return graph.Listing{}, err
	}
	return graph.Listing{Paths: paths, Files: l.files, Folders: l.folders, Problems: ds}, nil
}
