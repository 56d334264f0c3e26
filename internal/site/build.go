package site

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// keep are files of an existing output folder that a build carries over:
// the folder's own README and .gitignore live in git, not in the build.
var keep = []string{"README.md", ".gitignore"}

// Marker is the file every build writes into its output folder. A build
// replaces only a folder that has it, or holds nothing but the kept files,
// so that a mistyped --out never wipes content or anything else.
const Marker = ".redline-build"

// Build renders every page of m with the templates and replaces the output
// folder out with the result. It assembles the site in a new folder beside
// out and swaps it in only when every file is written, so a failed or
// cancelled build leaves the previous out untouched; on Linux the swap is
// one atomic step (see swap.go). It first removes what killed builds left.
func Build(ctx context.Context, m *Model, t *Templates, out string) (files int, err error) {
	b, err := newBuilder(m, t)
	if err != nil {
		return 0, err
	}
	out = filepath.Clean(out)
	if err := replaceable(out); err != nil {
		return 0, err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return 0, err
	}
	st, err := stage(out)
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			st.discard()
		}
	}()
	tmp := st.dir
	outs := b.outputs()
	if err := makeDirs(tmp, outs); err != nil {
		return 0, err
	}
	errs := writeAll(ctx, tmp, outs)
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if len(errs) > 0 {
		return 0, errors.Join(errs...)
	}
	if err := carryOver(out, tmp); err != nil {
		return 0, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return 0, err
	}
	return len(outs), st.swapInto(out)
}

// makeDirs creates every folder the outputs go in, once each. Outputs list
// a folder's parent before it, so most need one mkdir, not MkdirAll's
// stat of every parent: a site has a folder per page.
func makeDirs(root string, outs []output) error {
	made := map[string]bool{".": true}
	for _, o := range outs {
		dir := filepath.Dir(o.path)
		if made[dir] {
			continue
		}
		mkdir := os.MkdirAll
		if made[filepath.Dir(dir)] {
			mkdir = os.Mkdir
		}
		if err := mkdir(filepath.Join(root, dir), 0o755); err != nil {
			return err
		}
		made[dir] = true
	}
	return nil
}

// replaceable refuses an output folder that a build did not make.
func replaceable(out string) error {
	entries, err := os.ReadDir(out)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", out, err)
	}
	for _, e := range entries {
		if e.Name() == Marker {
			return nil
		}
	}
	for _, e := range entries {
		if !slices.Contains(keep, e.Name()) {
			return fmt.Errorf("refusing to replace %s: it holds %s and was not made by redline build (no %s file); choose another --out or empty it", out, e.Name(), Marker)
		}
	}
	return nil
}

// carryOver copies the kept files of the old output folder into the new one.
func carryOver(old, tmp string) error {
	for _, name := range keep {
		data, err := os.ReadFile(filepath.Join(old, name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(tmp, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
