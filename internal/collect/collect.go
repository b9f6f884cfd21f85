// Package collect paces the garbage collector through the phases of kg
// that allocate much more than they keep: reading a corpus, and planning a
// reload from the load cache.
//
// Parsing allocates yaml.Node trees, which die as soon as their file is
// walked, while the corpus they become lives on and grows to the end of
// the read; a plan stats every file and decodes the cache, around a heap
// of that cache. At Go's default GOGC of 100 the collector runs whenever
// the heap has doubled, and marks all that lives each time; at Percent it
// runs a quarter as often. The price is memory: the peaks of kg check and
// kg load grow (BENCHMARKS.md has both, before and after). Reading parts,
// whose files do not live on, gains too: the collector's work is set by
// how much is allocated, not by what lives, so it still does a quarter of
// it, and the heap is a few times the small live one.
package collect

import (
	"os"
	"runtime/debug"
	"sync"
)

// Percent is the garbage collector's GOGC during such a phase.
const Percent = 400

var state struct {
	sync.Mutex
	phases int // under way
	saved  int // the GOGC to restore when the last one ends
}

// Less raises GOGC to Percent until the returned function is called,
// unless the user set GOGC. Phases may overlap: the first raises it and
// the last restores it.
func Less() (restore func()) {
	if _, set := os.LookupEnv("GOGC"); set {
		return func() {}
	}
	state.Lock()
	defer state.Unlock()
	if state.phases++; state.phases == 1 {
		state.saved = debug.SetGCPercent(Percent)
	}
	return func() {
		state.Lock()
		defer state.Unlock()
		if state.phases--; state.phases == 0 {
			debug.SetGCPercent(state.saved)
		}
	}
}
