package idtable

import "os"

// TempFile is a file in the system's folder for temporary files ($TMPDIR),
// removed at once where the system allows it, so that it lives only while
// open and nothing is left of it, even by a kill; elsewhere, once closed.
type TempFile struct {
	*os.File
	removeOnClose bool
}

// OpenTemp creates a TempFile named after pattern, as os.CreateTemp does.
func OpenTemp(pattern string) (*TempFile, error) {
	f, err := os.CreateTemp("", pattern)
	if err != nil {
		return nil, err
	}
	return &TempFile{File: f, removeOnClose: os.Remove(f.Name()) != nil}, nil
}

// Close closes the file, and removes it if it could not be before.
func (f *TempFile) Close() error {
	err := f.File.Close()
	if f.removeOnClose {
		os.Remove(f.Name())
	}
	return err
}
