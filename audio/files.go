package audio

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Decodable reports whether name ends in the extension of a file this
// package decodes: .wav or .flac, in any case. It is for listing folders;
// when a file is read, its content, not its name, says which it is.
func Decodable(name string) bool {
	ext := filepath.Ext(name)
	return strings.EqualFold(ext, ".wav") || strings.EqualFold(ext, ".flac")
}

// Files returns path itself when it is a file, whatever its name, or
// every audio file (Decodable: .wav and .flac) in the tree below it,
// sorted, when it is a directory. A directory with none is an error.
func Files(path string) ([]string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return []string{path}, nil
	}
	var files []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && Decodable(p) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walk %s: %w", path, err)
	}
	slices.Sort(files)
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no .wav or .flac files", path)
	}
	return files, nil
}
