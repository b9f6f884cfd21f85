//go:build !linux

package neo4jtest

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
	"time"
)

// sysProcAttr: outside Linux the harness relies on its stdin closing when the
// test binary goes away.
func sysProcAttr() *syscall.SysProcAttr { return nil }

// signalGroup sends SIGTERM (where there is one), or kills p if kill.
func signalGroup(p *os.Process, kill bool) {
	if kill || p.Signal(syscall.SIGTERM) != nil {
		_ = p.Kill()
	}
}

// lockFile: outside Linux only builds are serialised, with a lock directory.
func lockFile(path string, exclusive bool) (unlock func(), err error) {
	if !exclusive {
		return func() {}, nil
	}
	dir := path + ".d"
	stale := buildTimeout + time.Minute
	for deadline := time.Now().Add(stale); ; {
		err := os.Mkdir(dir, 0o700)
		if err == nil {
			return func() { _ = os.Remove(dir) }, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
		if st, err := os.Stat(dir); err == nil && time.Since(st.ModTime()) > stale {
			_ = os.Remove(dir)
			continue
		}
		if time.Now().After(deadline) {
			return nil, errors.New("timed out waiting for the harness build lock " + dir)
		}
		time.Sleep(500 * time.Millisecond)
	}
}
