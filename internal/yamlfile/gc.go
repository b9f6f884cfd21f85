package yamlfile

import (
	"os"
	"runtime/debug"
	"sync"
)

// readingGCPercent is the garbage collector's GOGC while a corpus is read.
// Parsing allocates yaml.Node trees, which die as soon as their file is
// walked, while the corpus they become lives on and grows to the end of
// the read. At Go's default of 100 the collector runs whenever the heap
// has doubled, and marks all of the corpus read so far each time; at 400
// it runs a quarter as often. The price is memory: the peaks of kg check
// and kg load grow (BENCHMARKS.md has both, before and after). ReadParts,
// whose files do not live on, keeps it too: the collector's work is set
// by how much parsing allocates, not by what lives, so it still does a
// quarter of it, and the heap is a few times the small live one.
const readingGCPercent = 400

var readingGC struct {
	sync.Mutex
	reads int // reads under way
	saved int // the GOGC to restore when the last one ends
}

// collectLess raises GOGC to readingGCPercent until the returned function
// is called, unless the user set GOGC. Reads may overlap: the first raises
// it and the last restores it.
func collectLess() (restore func()) {
	if _, set := os.LookupEnv("GOGC"); set {
		return func() {}
	}
	readingGC.Lock()
	defer readingGC.Unlock()
	if readingGC.reads++; readingGC.reads == 1 {
		readingGC.saved = debug.SetGCPercent(readingGCPercent)
	}
	return func() {
		readingGC.Lock()
		defer readingGC.Unlock()
		if readingGC.reads--; readingGC.reads == 0 {
			debug.SetGCPercent(readingGC.saved)
		}
	}
}
