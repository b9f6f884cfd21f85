package loadcache

import (
	"crypto/sha256"
	"encoding/binary"
	"strconv"

	"github.com/kgraph/kg/graph"
)

// A print is a short hash of everything a store keeps of a node or a
// statement. The cache remembers each one's print, so a reload sends only
// the nodes and statements of the changed files whose print changed: an
// edit to one relation sends one row, not the whole file.
const printBytes = 8

func nodePrint(n *graph.Node) []byte {
	fields := []string{n.ID, n.Kind, n.Name, strconv.Itoa(len(n.Aliases))}
	fields = append(fields, n.Aliases...)
	fields = append(fields, n.Date.String(), n.Title, n.Publisher, n.URL, n.Reliability, n.File)
	return hashFields(fields)
}

func statementPrint(s *graph.Statement) []byte {
	about := ""
	if s.About != nil {
		about = s.About.ID
	}
	fields := []string{s.ID, s.Subject.ID, s.Type, s.Object.ID, about, s.Date.String(), s.DateText,
		s.Evidence.Document, s.Evidence.Quote, strconv.Itoa(s.Evidence.Start), strconv.Itoa(s.Evidence.End),
		s.Credibility, s.Role, s.Note, strconv.Itoa(len(s.Figures))}
	for _, f := range s.Figures {
		fields = append(fields, f.Measure, strconv.Itoa(f.Value), f.Qualifier)
	}
	return hashFields(fields)
}

// hashFields hashes fields, each with its length first so that no two lists
// of fields encode alike.
func hashFields(fields []string) []byte {
	var buf []byte
	for _, f := range fields {
		buf = binary.AppendUvarint(buf, uint64(len(f)))
		buf = append(buf, f...)
	}
	sum := sha256.Sum256(buf)
	return sum[:printBytes]
}
