package content

import (
	"bytes"
)

// SplitFrontMatter separates a version file into its YAML front matter and
// its Markdown body. The front matter is the text between a first line of
// "---" and the next line of "---" (or "..."); trailing white space on those
// lines is allowed, as real files have it. bodyLine is the 1-based line on
// which the body starts. A file without front matter is all body; ok
// reports whether a front matter block was found, and closed is false when
// it was opened but never closed.
func SplitFrontMatter(src []byte) (fm, body []byte, bodyLine int, ok, closed bool) {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	first, rest, _ := cutLine(src)
	if !isFence(first, false) {
		return nil, src, 1, false, false
	}
	line := 2
	start := len(src) - len(rest)
	for off := start; off < len(src); line++ {
		l, next, _ := cutLine(src[off:])
		if isFence(l, true) {
			end := len(src) - len(next)
			return src[start:off], src[end:], line + 1, true, true
		}
		off = len(src) - len(next)
		if len(next) == 0 {
			break
		}
	}
	return src[start:], nil, line, true, false
}

// cutLine splits off the first line (without its line ending).
func cutLine(b []byte) (line, rest []byte, found bool) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return b, nil, false
	}
	return bytes.TrimSuffix(b[:i], []byte("\r")), b[i+1:], true
}

func isFence(line []byte, closing bool) bool {
	t := bytes.TrimRight(line, " \t")
	return string(t) == "---" || closing && string(t) == "..."
}
