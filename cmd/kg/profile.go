package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"runtime/metrics"
	"runtime/pprof"
	"sync"
	"time"

	"github.com/spf13/pflag"
)

// profiles are the --cpuprofile and --memprofile every command takes: the
// files go tool pprof reads, for anyone who measures where kg's time and
// memory go (BENCHMARKS.md's profiles are taken with them).
type profiles struct {
	cpuPath, memPath string

	cpu  *os.File
	stop chan struct{}
	done sync.WaitGroup
	peak []byte // the heap profile taken at the largest live heap seen
	err  error  // why it could not be taken
}

// heapEvery is how often the live heap is looked at for --memprofile.
const heapEvery = 500 * time.Millisecond

func (p *profiles) flags(fs *pflag.FlagSet) {
	fs.StringVar(&p.cpuPath, "cpuprofile", "", "write a CPU profile of the command to `FILE` (go tool pprof -top kg FILE)")
	fs.StringVar(&p.memPath, "memprofile", "", "write to `FILE` the heap profile taken when the live heap was largest (looked at twice a second), with every allocation so far")
}

// start begins what the flags ask for.
func (p *profiles) start() error {
	if p.cpuPath != "" {
		f, err := os.Create(p.cpuPath)
		if err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return fmt.Errorf("cpu profile: %w", err)
		}
		p.cpu = f
	}
	if p.memPath != "" {
		// Made now, so that a path that cannot be written fails before
		// the work rather than after it.
		if err := os.WriteFile(p.memPath, nil, 0o644); err != nil {
			return fmt.Errorf("heap profile: %w", err)
		}
		p.stop = make(chan struct{})
		p.done.Add(1)
		go p.watchHeap()
	}
	return nil
}

// watchHeap keeps the heap profile of the largest live heap: the peak is
// what a user short of memory needs to see, and the end of a command has
// freed most of it.
func (p *profiles) watchHeap() {
	defer p.done.Done()
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var max uint64
	look := func() {
		metrics.Read(live)
		if v := live[0].Value.Uint64(); v >= max {
			var buf bytes.Buffer
			if p.err = pprof.Lookup("heap").WriteTo(&buf, 0); p.err == nil {
				max, p.peak = v, buf.Bytes()
			}
		}
	}
	t := time.NewTicker(heapEvery)
	defer t.Stop()
	for {
		look()
		select {
		case <-t.C:
		case <-p.stop:
			look() // a command shorter than heapEvery has its peak now
			return
		}
	}
}

// finish writes the profiles; it is called once the command has returned.
func (p *profiles) finish() error {
	var errs []error
	if p.cpu != nil {
		pprof.StopCPUProfile()
		if err := p.cpu.Close(); err != nil {
			errs = append(errs, fmt.Errorf("cpu profile: %w", err))
		}
	}
	if p.stop != nil {
		close(p.stop)
		p.done.Wait()
		if p.err != nil {
			errs = append(errs, fmt.Errorf("heap profile: %w", p.err))
		} else if err := os.WriteFile(p.memPath, p.peak, 0o644); err != nil {
			errs = append(errs, fmt.Errorf("heap profile: %w", err))
		}
	}
	return errors.Join(errs...)
}
