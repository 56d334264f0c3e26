package content

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// MaxFileSize is the largest file redline reads from content/ or
// templates/: 256 KiB, four times the longest policy in the development
// corpus (60 KB). Parsing time and memory grow with the file (a 50 MB file
// took 3.3 GB); at this size real legal text parses in tens of
// milliseconds and the worst Markdown in about half a second (README,
// Limits; BenchmarkLimits).
const MaxFileSize = 256 << 10

// A Folder is content/ or templates/: every file read from it must really
// be inside it, so that a symbolic link cannot publish /etc/passwd or a CI
// secret. Links that stay inside are fine.
type Folder struct {
	Dir  string // as the user named it, for messages
	real string // absolute, every symbolic link resolved
}

// OpenFolder resolves dir for reading files inside it.
func OpenFolder(dir string) (*Folder, error) {
	real, err := filepath.EvalSymlinks(dir)
	if err == nil {
		real, err = filepath.Abs(real)
	}
	if err != nil {
		return nil, err
	}
	return &Folder{Dir: filepath.Clean(dir), real: real}, nil
}

// Check refuses a path whose real location is outside the folder, and a
// symbolic link that leads nowhere or in a loop. Its errors do not repeat
// the path: the caller's message names it.
func (f *Folder) Check(path string) error {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return linkError(path, err)
	}
	if real, err = filepath.Abs(real); err != nil {
		return err
	}
	rel, err := filepath.Rel(f.real, real)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		target, lerr := os.Readlink(path)
		if lerr != nil { // a folder above it is the link
			target = real
		}
		return fmt.Errorf("symbolic link to %s leaves %s/: copy it into %s/ instead of linking to it", target, f.Dir, f.Dir)
	}
	return nil
}

// linkError explains why a path could not be resolved.
func linkError(path string, err error) error {
	if _, serr := os.Stat(path); errors.Is(serr, syscall.ELOOP) || strings.Contains(err.Error(), "too many links") {
		return errors.New("symbolic link loop: it leads back to itself; replace the link with the file or folder")
	}
	if target, lerr := os.Readlink(path); lerr == nil && errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("symbolic link to %s, which does not exist", target)
	}
	return errors.New("cannot read: " + unwrapPath(err))
}

// ReadFile reads a file of the folder: inside it once links are resolved,
// a regular file, and at most MaxFileSize bytes.
func (f *Folder) ReadFile(path string) ([]byte, error) {
	if err := f.Check(path); err != nil {
		return nil, err
	}
	return readLimited(path)
}

// readLimited reads a regular file of at most MaxFileSize bytes.
func readLimited(path string) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, errors.New("cannot read: " + unwrapPath(err))
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return nil, errors.New("cannot read: " + unwrapPath(err))
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s): redline reads only text files", fi.Mode().Type())
	}
	if fi.Size() > MaxFileSize {
		return nil, tooBig(fi.Size())
	}
	src, err := io.ReadAll(io.LimitReader(fh, MaxFileSize+1))
	if err != nil {
		return nil, errors.New("cannot read: " + unwrapPath(err))
	}
	if len(src) > MaxFileSize {
		return nil, tooBig(int64(len(src)))
	}
	return src, nil
}

func tooBig(size int64) error {
	return fmt.Errorf("file is %d bytes, over the limit of %d (%d KiB): split it into several documents", size, MaxFileSize, MaxFileSize>>10)
}
