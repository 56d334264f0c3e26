package content

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong with the content, at a place a person can open.
type Problem struct {
	File string // path as the user named it, e.g. content/privacy/2026-03-27.md
	Line int    // 1-based; 0 when the problem is about the whole file
	Msg  string
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	if p.File != "" {
		return fmt.Sprintf("%s: %s", p.File, p.Msg)
	}
	return p.Msg
}

// Problems is every problem found, as one error.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Sort orders problems by file, then line, so output is stable.
func (ps Problems) Sort() {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].File != ps[j].File {
			return ps[i].File < ps[j].File
		}
		return ps[i].Line < ps[j].Line
	})
}

// Err returns ps as an error, or nil when there are none.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	ps.Sort()
	return ps
}

// problems collects problems for one file.
type problems struct {
	list *Problems
	file string
}

func (p problems) add(line int, format string, args ...any) {
	*p.list = append(*p.list, Problem{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}
