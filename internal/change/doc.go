// Package change compares two versions of a policy and says whether the
// change is material, minor or editorial, and why.
//
// It sits between render and the outputs of the pipeline: render turns each
// version into comparable text blocks, Compare aligns the blocks of two
// versions (by exact match, then by similarity, then as moves), diffs each
// changed pair word by word, and classifies every edit with a level, a
// category and a quoted reason. The site's redline pages, the CLI's
// `redline diff`, the JSON manifest and the notification emails are all
// drawn from the resulting Change; WriteText, WriteMarkdown and WriteJSON
// are its standard renderings (the JSON schema is documented in SCHEMA.md).
//
// The package is pure logic: no I/O beyond the io.Writer handed to a
// formatter, deterministic output for the same input, and no panics. It is
// the only package that imports go-diff.
package change
