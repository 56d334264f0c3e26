package change

import (
	"fmt"
	"strings"

	"github.com/getspectr/redline/internal/render"
)

// Level is how much a change matters to a reader. Levels are ordered:
// Editorial < Minor < Material, so the level of a change is the highest
// level of its edits.
type Level int

// The levels of change.
const (
	// Editorial: nothing a reader is promised or permitted changes
	// (typos, punctuation, formatting, links, moved text, the date line).
	Editorial Level = iota
	// Minor: real rewording that clarifies or adds detail without
	// changing commitments.
	Minor
	// Material: what the policy commits to or permits changes; users
	// must be told.
	Material
)

var levelNames = [...]string{"editorial", "minor", "material"}

// String returns "editorial", "minor" or "material".
func (l Level) String() string {
	if l < Editorial || l > Material {
		return fmt.Sprintf("level(%d)", int(l))
	}
	return levelNames[l]
}

// MarshalText encodes the level as its name.
func (l Level) MarshalText() ([]byte, error) {
	if l < Editorial || l > Material {
		return nil, fmt.Errorf("change: invalid level %d", int(l))
	}
	return []byte(levelNames[l]), nil
}

// UnmarshalText decodes a level from its name.
func (l *Level) UnmarshalText(b []byte) error {
	v, err := ParseLevel(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}

// ParseLevel returns the level with the given name.
func ParseLevel(s string) (Level, error) {
	for i, n := range levelNames {
		if s == n {
			return Level(i), nil
		}
	}
	return Editorial, fmt.Errorf("change: unknown level %q (want editorial, minor or material)", s)
}

// Change is the result of comparing two versions: the overall level, the
// reasons for it (most severe first) and the redline, section by section
// (changed sections first).
type Change struct {
	Level    Level
	Reasons  []Reason
	Sections []Section
	Stats    Stats
}

// Reason explains one classified edit: its level, the category of policy
// it touches (see Categories), where it is, the text it quotes and a short
// human explanation such as `negation: "will" → "will not"`.
type Reason struct {
	Level    Level
	Category string
	Section  string // title of the section the edit is in ("" before the first heading)
	Anchor   string // anchor of that section
	Old, New string // the whole sentence or list item before and after the edit ("" when absent)
	Why      string
	Quote    []Op // word diff from Old to New: the changed words marked
}

// Marked returns the quote with the changed words marked as [-old-] and
// {+new+}: the wording `redline diff`, the JSON and plain-text e-mail use.
func (r Reason) Marked() string {
	var sb strings.Builder
	for _, op := range r.Quote {
		switch op.Type {
		case OpDelete:
			sb.WriteString("[-" + op.Text + "-]")
		case OpInsert:
			sb.WriteString("{+" + op.Text + "+}")
		default:
			sb.WriteString(op.Text)
		}
	}
	return sb.String()
}

// Section statuses.
const (
	StatusChanged   = "changed"
	StatusAdded     = "added"
	StatusRemoved   = "removed"
	StatusUnchanged = "unchanged"
)

// Section is one section of the compared versions with every block in it,
// in reading order. Sections of the new version appear with their new
// titles; a section that exists only in the old version is "removed".
type Section struct {
	Title  string   // heading text; "" for text before the first heading
	Anchor string   // heading anchor in the new version (old one when removed)
	Path   []string // heading texts from the outermost down to this one
	Status string   // StatusChanged, StatusAdded, StatusRemoved or StatusUnchanged
	Level  Level    // highest level of the section's blocks
	Blocks []BlockChange
}

// Block operations.
const (
	OpEqual  = "equal"
	OpInsert = "insert"
	OpDelete = "delete"
	OpModify = "modify"
	OpMove   = "move"
)

// BlockChange is one block of the redline. Old and New are its texts in
// each version ("" when absent). Ops is the word diff from Old to New:
// concatenating the equal and delete ops gives Old, the equal and insert
// ops give New.
type BlockChange struct {
	Kind  render.Kind
	Op    string // OpEqual, OpInsert, OpDelete, OpModify or OpMove
	Old   string
	New   string
	Ops   []Op
	Level Level
}

// Op is one step of a word diff: OpEqual, OpInsert or OpDelete text.
type Op struct {
	Type string
	Text string
}

// Stats counts blocks by what happened to them.
type Stats struct {
	BlocksOld, BlocksNew int
	Equal                int // unchanged, in place
	Modified             int // changed in place
	Inserted             int // only in the new version
	Deleted              int // only in the old version
	Moved                int // found elsewhere, possibly with small edits
}
