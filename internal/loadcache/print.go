package loadcache

import (
	"crypto/sha256"
	"encoding/binary"
	"strconv"
	"sync"

	"github.com/kgraph/kg/graph"
)

// A print is a short hash of everything a store keeps of a node or a
// statement. The cache remembers each one's print, so a reload sends only
// the nodes and statements of the changed files whose print changed: an
// edit to one relation sends one row, not the whole file.
const printBytes = 8

func nodePrint(n *graph.Node) []byte {
	p := newPrinter()
	p.str(n.ID)
	p.str(n.Kind)
	p.str(n.Name)
	p.int(len(n.Aliases))
	for _, a := range n.Aliases {
		p.str(a)
	}
	p.str(n.Date.String())
	p.str(n.Title)
	p.str(n.Publisher)
	p.str(n.URL)
	p.str(n.Reliability)
	p.str(n.File)
	return p.sum()
}

func statementPrint(s *graph.Statement) []byte {
	about := ""
	if s.About != nil {
		about = s.About.ID
	}
	p := newPrinter()
	p.str(s.ID)
	p.str(s.Subject.ID)
	p.str(s.Type)
	p.str(s.Object.ID)
	p.str(about)
	p.str(s.Date.String())
	p.str(s.DateText)
	p.str(s.Evidence.Document)
	p.str(s.Evidence.Quote)
	p.int(s.Evidence.Start)
	p.int(s.Evidence.End)
	p.str(s.Credibility)
	p.str(s.Role)
	p.str(s.Note)
	p.int(len(s.Figures))
	for _, f := range s.Figures {
		p.str(f.Measure)
		p.int(f.Value)
		p.str(f.Qualifier)
	}
	return p.sum()
}

// printer hashes a list of fields, each with its length first so that no
// two lists of fields encode alike; a number is its decimal digits. Its
// buffers are reused: a full load prints every node and statement, and a
// list of strings and a growing slice for each were 0.28 GB of the 6.2 GB
// a 1M load had allocated by its peak (kg load --memprofile).
type printer struct {
	b   *[]byte // from printBuffers, until sum
	buf []byte
}

var printBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

func newPrinter() printer {
	b := printBuffers.Get().(*[]byte)
	return printer{b, (*b)[:0]}
}

func (p *printer) str(s string) {
	p.buf = binary.AppendUvarint(p.buf, uint64(len(s)))
	p.buf = append(p.buf, s...)
}

func (p *printer) int(v int) {
	var digits [20]byte
	d := strconv.AppendInt(digits[:0], int64(v), 10)
	p.buf = binary.AppendUvarint(p.buf, uint64(len(d)))
	p.buf = append(p.buf, d...)
}

func (p *printer) sum() []byte {
	sum := sha256.Sum256(p.buf)
	*p.b = p.buf[:0]
	printBuffers.Put(p.b)
	return append([]byte(nil), sum[:printBytes]...)
}
