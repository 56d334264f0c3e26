package main

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// snapshot is a content folder as it was at a git commit, extracted into a
// temporary folder.
type snapshot struct {
	commit string
	tmp    string // remove when done
	dir    string // the content folder inside tmp; may not exist
}

func (s snapshot) remove() { os.RemoveAll(s.tmp) }

// gitContent extracts the content folder contentDir as it is at ref, with
// git archive. A commit without that folder gives a snapshot whose folder
// does not exist: every document is then new.
func gitContent(ctx context.Context, ref, contentDir string) (snapshot, error) {
	top, err := git(ctx, "", "rev-parse", "--show-toplevel")
	if err != nil {
		return snapshot{}, hinted{fmt.Errorf("--base %s needs a git repository: %w", ref, err), "run redline review in your site's git checkout, or compare two folders with --old DIR"}
	}
	commit, err := git(ctx, "", "rev-parse", "--verify", "--quiet", "--end-of-options", ref+"^{commit}")
	if err != nil {
		return snapshot{}, hinted{usageErr(fmt.Sprintf("--base %s: no such commit in this repository", ref)),
			"name a branch, tag or commit; in GitHub Actions, check out with fetch-depth: 0 so the base is there"}
	}
	abs, err := filepath.Abs(contentDir)
	if err != nil {
		return snapshot{}, err
	}
	abs, _ = filepath.EvalSymlinks(abs)
	top, _ = filepath.EvalSymlinks(top)
	rel, err := filepath.Rel(top, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return snapshot{}, fmt.Errorf("--content %s is outside the git repository at %s", contentDir, top)
	}
	tmp, err := os.MkdirTemp("", "redline-review-")
	if err != nil {
		return snapshot{}, err
	}
	s := snapshot{commit: commit, tmp: tmp, dir: filepath.Join(tmp, "content")}
	if _, err := git(ctx, top, "cat-file", "-e", commit+":"+filepath.ToSlash(rel)); err != nil {
		return s, nil // no content folder at the base
	}
	archive, err := gitBytes(ctx, top, "archive", "--format=tar", commit+":"+filepath.ToSlash(rel))
	if err == nil {
		err = untar(bytes.NewReader(archive), s.dir)
	}
	if err != nil {
		s.remove()
		return snapshot{}, fmt.Errorf("reading %s at %s: %w", contentDir, ref, err)
	}
	return s, nil
}

func git(ctx context.Context, dir string, args ...string) (string, error) {
	out, err := gitBytes(ctx, dir, args...)
	return strings.TrimSpace(string(out)), err
}

func gitBytes(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, fmt.Errorf("git %s: %s", args[0], msg)
		}
		return nil, fmt.Errorf("git %s: %w", args[0], err)
	}
	return out, nil
}

// untar writes the folders, files and symbolic links of a tar stream
// under dir, refusing any name that would leave it.
func untar(r io.Reader, dir string) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		name := filepath.FromSlash(h.Name)
		if !filepath.IsLocal(name) {
			return fmt.Errorf("archive entry %q leaves the folder", h.Name)
		}
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		switch h.Typeflag {
		case tar.TypeDir:
			err = os.MkdirAll(path, 0o755)
		case tar.TypeReg:
			err = writeFrom(path, tr)
		case tar.TypeSymlink:
			err = os.Symlink(h.Linkname, path)
		}
		if err != nil {
			return err
		}
	}
}

func writeFrom(path string, r io.Reader) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
