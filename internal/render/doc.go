// Package render turns one version's Markdown into everything later stages
// need, from a single goldmark parse: the HTML page body, a table of contents,
// the anchors and links it contains (for link checking), and the comparable
// text blocks that the change detector aligns and diffs.
//
// It is the only package that imports goldmark. It does no I/O.
package render
