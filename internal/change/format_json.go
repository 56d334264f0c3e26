package change

import (
	"encoding/json"
	"io"
)

// SchemaID names the JSON format WriteJSON writes (see SCHEMA.md). It
// changes only when a field changes meaning or disappears; new fields may
// be added within a version.
const SchemaID = "redline.change/v2"

type jsonChange struct {
	Schema        string        `json:"schema"`
	Level         Level         `json:"level"`
	DetectedLevel Level         `json:"detected_level"`
	Override      *jsonOverride `json:"override,omitempty"`
	Reasons       []jsonReason  `json:"reasons"`
	Sections      []jsonSection `json:"sections"`
	Stats         jsonStats     `json:"stats"`
}

type jsonOverride struct {
	Notify string `json:"notify"`
	Reason string `json:"reason"`
}

type jsonReason struct {
	Level    Level  `json:"level"`
	Category string `json:"category"`
	Section  string `json:"section"`
	Anchor   string `json:"anchor"`
	Old      string `json:"old"`
	New      string `json:"new"`
	Why      string `json:"why"`
	Quote    string `json:"quote"`
}

type jsonSection struct {
	Title  string      `json:"title"`
	Anchor string      `json:"anchor"`
	Path   []string    `json:"path"`
	Status string      `json:"status"`
	Level  Level       `json:"level"`
	Blocks []jsonBlock `json:"blocks"`
}

type jsonBlock struct {
	Kind  string   `json:"kind"`
	Op    string   `json:"op"`
	Level Level    `json:"level"`
	Old   string   `json:"old"`
	New   string   `json:"new"`
	Ops   []jsonOp `json:"ops"`
}

type jsonStats struct {
	BlocksOld int `json:"blocks_old"`
	BlocksNew int `json:"blocks_new"`
	Equal     int `json:"equal"`
	Modified  int `json:"modified"`
	Inserted  int `json:"inserted"`
	Deleted   int `json:"deleted"`
	Moved     int `json:"moved"`
}

type jsonOp struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// WriteJSON writes c in the stable JSON format documented in SCHEMA.md,
// indented, with a trailing newline. Every array is present (possibly
// empty), never null.
//
// v is the verdict: "level" is v.Level, "detected_level" what Compare found,
// and "override" legal's notify value and reason when there is one.
func WriteJSON(w io.Writer, c *Change, v Verdict) error {
	out := jsonChange{Schema: SchemaID, Level: v.Level, DetectedLevel: v.Detected, Reasons: []jsonReason{}, Sections: []jsonSection{},
		Stats: jsonStats(c.Stats)}
	if v.Override != "" {
		out.Override = &jsonOverride{Notify: v.Override, Reason: v.OverrideReason}
	}
	for _, r := range c.Reasons {
		out.Reasons = append(out.Reasons, jsonReason{Level: r.Level, Category: r.Category, Section: r.Section,
			Anchor: r.Anchor, Old: r.Old, New: r.New, Why: r.Why, Quote: r.Marked()})
	}
	for _, s := range c.Sections {
		js := jsonSection{Title: s.Title, Anchor: s.Anchor, Path: append([]string{}, s.Path...),
			Status: s.Status, Level: s.Level, Blocks: []jsonBlock{}}
		for _, b := range s.Blocks {
			jb := jsonBlock{Kind: string(b.Kind), Op: b.Op, Level: b.Level, Old: b.Old, New: b.New, Ops: []jsonOp{}}
			for _, o := range b.Ops {
				jb.Ops = append(jb.Ops, jsonOp(o))
			}
			js.Blocks = append(js.Blocks, jb)
		}
		out.Sections = append(out.Sections, js)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
