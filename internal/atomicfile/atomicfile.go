// Package atomicfile writes files so that a reader sees either the old
// content or the complete new content, never a partial file: it writes to a
// temporary file in the same directory, syncs it and renames it over the
// destination.
package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Write creates or replaces path with what write produces. If write returns
// an error, path is left untouched and the temporary file is removed.
func Write(path string, write func(w io.Writer) error) error {
	return WriteChecked(path, write, nil)
}

// WriteChecked is Write with a check of what was written: once the
// temporary file is synced, check reads it from its start, and only if check
// returns nil does the file replace path. Otherwise path is left untouched,
// the temporary file is removed and check's error returned. A nil check
// accepts anything.
func WriteChecked(path string, write func(w io.Writer) error, check func(r io.Reader) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := write(f); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if check != nil {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		if err := check(bufio.NewReader(f)); err != nil {
			return fmt.Errorf("write %s: check what was written: %w", path, err)
		}
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// CheckWritable reports whether a file could be created at path, without
// changing anything already there: it creates and removes a temporary file
// in the same directory. Long jobs call it before starting work whose result
// they would otherwise fail to save.
func CheckWritable(path string) error {
	dir := filepath.Dir(path)
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("%s: is a directory", path)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".check*")
	if err != nil {
		return fmt.Errorf("%s: cannot write: %w", path, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}
