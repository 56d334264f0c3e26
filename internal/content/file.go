package content

import (
	"fmt"
	"path/filepath"
)

// ReadVersion reads one version file outside a content folder, as
// `redline diff OLD.md NEW.md` does: any file name, any front matter keys
// (such a file may come from anywhere), but dates and values that are
// there must be valid.
func ReadVersion(path string) (*Version, error) {
	src, err := readLimited(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var list Problems
	if line, msg := CheckText(src); msg != "" {
		return nil, Problems{{File: path, Line: line, Msg: msg}}
	}
	v := parseVersion(filepath.Base(filepath.Dir(path)), path, src, nil, true, &list)
	return v, list.Err()
}
