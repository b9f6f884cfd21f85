package yamlfile

import "github.com/kgraph/kg/graph"

// Files lists the annotation files that ReadCorpus would read for paths,
// sorted, without reading them: a caller that remembers files by their
// stamps reads only those that changed.
func (r *Reader) Files(paths ...string) ([]string, graph.Diagnostics, error) {
	return expand(paths)
}
