package site

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// A build assembles the new site in a staging folder beside the output
// folder, named ".<out>.new-<random>", and swaps it in whole:
//
//   - On Linux the swap is one renameat2(RENAME_EXCHANGE): the staging folder
//     and the output folder trade names in a single step, so a reader of out
//     sees the old site or the new one and never a missing folder, and a
//     build killed at any moment leaves out whole. The old site, now under
//     the staging name, is removed afterwards.
//   - Where the exchange is not supported (another OS, or a filesystem that
//     answers EINVAL or ENOSYS) the swap falls back to two renames: out
//     moves aside to ".<out>.new-<random>.old", then the staging folder
//     takes its name. Between the two, out is missing for an instant; a
//     build killed there leaves the previous site in the ".old" folder.
//
// A staging folder carries the Marker from its creation and is locked
// (flock) while its build runs. Every build first removes the staging
// folders of builds that were killed: those matching the name pattern that
// are empty or hold the Marker (or only the kept files), and whose lock is
// free. A live build's folder stays locked and is left alone; builds take
// a lock on the parent folder while they clean up and create their own, so
// none sees another's folder between its creation and its lock.

// errNoExchange says the atomic exchange is not available here.
var errNoExchange = errors.New("atomic exchange not supported")

// stagingPrefix is the name every staging folder of out starts with.
func stagingPrefix(out string) string { return "." + filepath.Base(out) + ".new-" }

// staging is the folder a build writes into, locked while it exists.
type staging struct {
	dir    string
	unlock func()
}

// stage removes the leftovers of killed builds beside out and creates this
// build's staging folder, holding the parent folder's lock meanwhile.
// Without that lock (a parent that cannot be opened) leftovers stay.
func stage(out string) (*staging, error) {
	if unlock, err := lockDir(filepath.Dir(out)); err == nil {
		defer unlock()
		removeLeftovers(out)
	}
	return newStaging(out)
}

// newStaging creates and locks a staging folder beside out, with the Marker
// written first so that a build killed at any later moment leaves a folder
// the next build recognises as its own.
func newStaging(out string) (*staging, error) {
	dir, err := os.MkdirTemp(filepath.Dir(out), stagingPrefix(out))
	if err != nil {
		return nil, err
	}
	unlock, err := lockDir(dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	st := &staging{dir: dir, unlock: unlock}
	if err := os.WriteFile(filepath.Join(dir, Marker), []byte(markerText), 0o644); err != nil {
		st.discard()
		return nil, err
	}
	return st, nil
}

const markerText = "written by redline build; the whole folder is replaced by the next build\n"

// discard removes the staging folder of a build that failed.
func (st *staging) discard() {
	os.RemoveAll(st.dir)
	st.unlock()
}

// swapInto puts the staging folder in place of out, atomically where the
// system allows, and removes the previous site.
func (st *staging) swapInto(out string) error {
	defer st.unlock()
	fi, err := os.Lstat(out)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return os.Rename(st.dir, out)
	case err != nil:
		return err
	case !fi.IsDir():
		return fmt.Errorf("%s exists and is not a folder: move it away or choose another --out", out)
	}
	err = exchange(st.dir, out)
	if errors.Is(err, errNoExchange) {
		return swapByRenames(st.dir, out)
	}
	if err != nil {
		return err
	}
	os.RemoveAll(st.dir) // the previous site; a leftover is removed by the next build
	return nil
}

// swapByRenames is the fallback: out moves aside, the new folder takes its
// name, and only then is the old one removed.
func swapByRenames(tmp, out string) error {
	old := tmp + ".old"
	if err := os.Rename(out, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		_ = os.Rename(old, out) // put the previous site back
		return err
	}
	os.RemoveAll(old)
	return nil
}

// removeLeftovers removes the staging folders of killed builds beside out.
// It never fails the build: what it cannot remove stays for the next one.
func removeLeftovers(out string) {
	parent, prefix := filepath.Dir(out), stagingPrefix(out)
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) { // IsDir is false for a symbolic link
			continue
		}
		dir := filepath.Join(parent, e.Name())
		unlock, ok := tryLockDir(dir)
		if !ok {
			continue // a live build's, or no way to tell
		}
		if leftover(dir) {
			os.RemoveAll(dir)
		}
		unlock()
	}
}

// leftover reports whether dir is a build's folder: empty (killed before
// it wrote the Marker), or holding the Marker or nothing but the kept files
// (a site swapped out of an output folder that had never been built).
func leftover(dir string) bool { return replaceable(dir) == nil }
