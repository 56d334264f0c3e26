package content

import (
	"os"
	"path/filepath"
)

// ReadVersion reads one version file outside a content folder, as
// `redline diff OLD.md NEW.md` does: any file name, any front matter keys
// (such a file may come from anywhere), but dates and values that are
// there must be valid.
func ReadVersion(path string) (*Version, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var list Problems
	v := parseVersion(filepath.Base(filepath.Dir(path)), path, src, nil, true, &list)
	return v, list.Err()
}
