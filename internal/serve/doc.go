// Package serve is the local preview of a site (DESIGN.md §2): it builds
// the content into a private folder, serves it on a loopback address, and
// rebuilds when a file under content/ or templates/ changes, telling open
// pages to reload.
//
// Live reload is the preview's only JavaScript: pages are served with a
// small script and a Content-Security-Policy widened just enough to run it.
// The published build (redline build) has neither.
package serve
