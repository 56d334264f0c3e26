// Package site is the build stage of the pipeline (DESIGN.md §1, §4): it
// renders every version of every document once, resolves and checks links,
// puts the versions on a timeline (archived, current, upcoming), and writes
// every page, feed and JSON file into the output folder atomically — a build
// either replaces the whole folder or leaves the previous one untouched.
package site
