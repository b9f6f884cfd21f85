// Package parallel spreads independent pieces of work over the CPUs. Reading
// and checking annotations use it; results go into slots indexed by piece, so
// the outcome never depends on the order the pieces ran in.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Each calls f(i) for every i in [0, n) on up to GOMAXPROCS goroutines, in
// no particular order; with one, it calls them in order on this goroutine.
func Each(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				f(i)
			}
		})
	}
	wg.Wait()
}

// EachSmall is Each for many small pieces, such as a million rows to hash:
// it hands them out in chunks, so that taking the next piece does not cost
// more than doing it.
func EachSmall(n int, f func(i int)) {
	const chunk = 4096
	Each((n+chunk-1)/chunk, func(c int) {
		for i := c * chunk; i < min((c+1)*chunk, n); i++ {
			f(i)
		}
	})
}
