package content

import (
	"fmt"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// field is one key of a YAML mapping with the line it is on.
type field struct {
	key   string
	line  int
	value *yaml.Node
}

// parseMapping parses YAML text that must be a mapping (or empty) and
// returns its fields in order. lineOffset is added to YAML's line numbers,
// for front matter that starts below line 1.
func parseMapping(src []byte, lineOffset int, p problems) ([]field, bool) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		line, msg := yamlErrorLine(err)
		p.add(line+lineOffset, "invalid YAML: %s", msg)
		return nil, false
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, true // empty
	}
	m := doc.Content[0]
	if m.Kind == yaml.ScalarNode && m.Tag == "!!null" {
		return nil, true
	}
	if m.Kind != yaml.MappingNode {
		p.add(m.Line+lineOffset, "want key: value pairs, found %s", nodeKind(m))
		return nil, false
	}
	return mappingFields(m, lineOffset, p), true
}

func mappingFields(m *yaml.Node, lineOffset int, p problems) []field {
	var fs []field
	seen := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		line := k.Line + lineOffset
		if prev, dup := seen[k.Value]; dup {
			p.add(line, "%s: key repeated (first on line %d)", k.Value, prev)
			continue
		}
		seen[k.Value] = line
		fs = append(fs, field{key: k.Value, line: line, value: v})
	}
	return fs
}

// yamlErrorLine pulls "line N" out of a yaml error message.
func yamlErrorLine(err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var line int
	if _, e := fmt.Sscanf(msg, "line %d:", &line); e == nil {
		if i := strings.Index(msg, ":"); i >= 0 {
			msg = strings.TrimSpace(msg[i+1:])
		}
		return line, msg
	}
	return 1, msg
}

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "something else"
}

// str reads a scalar string.
func str(f field, p problems) (string, bool) {
	if f.value.Kind != yaml.ScalarNode || f.value.Tag == "!!null" {
		p.add(f.line, "%s: want text, found %s", f.key, nodeKind(f.value))
		return "", false
	}
	return strings.TrimSpace(f.value.Value), true
}

// strList reads a string or a list of strings.
func strList(f field, p problems) ([]string, bool) {
	if f.value.Kind == yaml.ScalarNode && f.value.Tag != "!!null" {
		if s := strings.TrimSpace(f.value.Value); s != "" {
			return []string{s}, true
		}
		return nil, true
	}
	if f.value.Kind != yaml.SequenceNode {
		p.add(f.line, "%s: want a list of text, found %s", f.key, nodeKind(f.value))
		return nil, false
	}
	var out []string
	for _, it := range f.value.Content {
		if it.Kind != yaml.ScalarNode {
			p.add(it.Line+f.line-f.value.Line, "%s: list items must be text, found %s", f.key, nodeKind(it))
			return nil, false
		}
		if s := strings.TrimSpace(it.Value); s != "" {
			out = append(out, s)
		}
	}
	return out, true
}

// date reads an ISO date.
func date(f field, p problems) (time.Time, bool) {
	s, ok := str(f, p)
	if !ok {
		return time.Time{}, false
	}
	d, ok := ParseDate(s)
	if !ok {
		p.add(f.line, "%s: %q is not a date (write YYYY-MM-DD)", f.key, s)
	}
	return d, ok
}
