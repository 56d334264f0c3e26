package content

import "bytes"

// MaxNesting is how deep lists and block quotes may nest in a version's
// Markdown. Legal text nests three or four levels; goldmark's parser slows
// down sharply with depth (a 2,000-level list took 27 s), so a deeper file
// is refused before it is parsed.
//
// The depth of a line is counted without parsing, as an upper bound: every
// container marker at the start of the line (block quote ">", list item
// "-", "*", "+", "1." or "1)", definition ":", footnote "[^x]:") is one
// level, and so are every 2 columns of indentation before a marker (a
// list item's content starts at least 2 columns in). A list indented by 4
// spaces a level therefore counts about twice its depth.
const MaxNesting = 16

// tooDeep returns the first line of body (counted from first) whose
// nesting depth exceeds MaxNesting, with that depth, or 0.
func tooDeep(body []byte, first int) (line, depth int) {
	eachLine(body, first, func(l []byte, n int) bool {
		if d := lineDepth(l); d > MaxNesting {
			line, depth = n, d
			return false
		}
		return true
	})
	return line, depth
}

// eachLine calls f with every line of body and its number (counted from
// first) until f returns false. A lone "\r" ends a line too, as it may for
// a Markdown parser.
func eachLine(body []byte, first int, f func(l []byte, n int) bool) {
	for n := first; len(body) > 0; n++ {
		end := 0
		for end < len(body) && body[end] != '\n' && body[end] != '\r' {
			end++
		}
		if !f(body[:end], n) {
			return
		}
		switch {
		case end+1 < len(body) && body[end] == '\r' && body[end+1] == '\n':
			end += 2
		case end < len(body):
			end++
		}
		body = body[end:]
	}
}

// lineDepth is the upper bound of the containers a line opens or continues.
func lineDepth(l []byte) int {
	depth, col, i := 0, 0, 0
	for {
		indent := 0
		for i < len(l) && (l[i] == ' ' || l[i] == '\t') {
			w := 1
			if l[i] == '\t' {
				w = 4 - col%4
			}
			col, indent, i = col+w, indent+w, i+1
		}
		n := markerLen(l[i:])
		if n == 0 {
			return depth
		}
		depth += indent/2 + 1
		i, col = i+n, col+n
	}
}

// NestingDepth is the upper bound of how deep containers nest in a
// Markdown body, as MaxNesting counts it: the deepest line's.
func NestingDepth(body []byte) int {
	depth := 0
	for _, l := range bytes.FieldsFunc(body, func(r rune) bool { return r == '\n' || r == '\r' }) {
		depth = max(depth, lineDepth(l))
	}
	return depth
}

// markerLen is the length of a container marker at the start of l, or 0:
// ">", or "-", "*", "+", ":", up to 9 digits and "." or ")", or a footnote
// label "[^…]:"; all but the footnote followed by a space, a tab or the end
// of the line.
func markerLen(l []byte) int {
	if len(l) == 0 {
		return 0
	}
	if l[0] == '>' {
		return 1
	}
	n := 0
	switch {
	case bytes.HasPrefix(l, []byte("[^")):
		end := bytes.Index(l, []byte("]:"))
		if end < 0 {
			return 0
		}
		return end + 2 // no space needed after it
	case l[0] == '-' || l[0] == '*' || l[0] == '+' || l[0] == ':':
		n = 1
	case l[0] >= '0' && l[0] <= '9':
		for n < len(l) && n < 9 && l[n] >= '0' && l[n] <= '9' {
			n++
		}
		if n == len(l) || (l[n] != '.' && l[n] != ')') {
			return 0
		}
		n++
	default:
		return 0
	}
	if n < len(l) && l[n] != ' ' && l[n] != '\t' {
		return 0
	}
	return n
}

// MaxBlockSize is the most bytes one block of consecutive non-blank lines
// (a paragraph, a list or a table without blank lines) may hold: 16 KiB,
// over three times the longest in the corpus (a 4.9 KB table). Goldmark's
// inline parser is quadratic on some text ("[a](" or "*_a" repeated: 32 KiB
// took 0.2–0.3 s, 256 KiB 27 s and 101 s), so blocks are kept small.
const MaxBlockSize = 16 << 10

// longBlock returns the first line of the first block of body (counted
// from first) over MaxBlockSize, or 0.
func longBlock(body []byte, first int) (line int) {
	start, size := 0, 0
	eachLine(body, first, func(l []byte, n int) bool {
		if len(bytes.TrimLeft(l, " \t")) == 0 {
			start, size = 0, 0
			return true
		}
		if start == 0 {
			start = n
		}
		if size += len(l) + 1; size > MaxBlockSize {
			line = start
			return false
		}
		return true
	})
	return line
}
