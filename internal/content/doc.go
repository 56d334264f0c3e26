// Package content loads and validates a redline content folder: site.yaml,
// one folder per document, one Markdown file per version with YAML front
// matter. It is the first stage of the pipeline (DESIGN.md §1, §3): it reads
// files and returns plain values, or every problem it found, each with the
// file and line to fix.
package content
