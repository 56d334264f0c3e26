//go:build !linux

package site

// exchange is not available outside Linux: the swap falls back to two renames.
func exchange(a, b string) error { return errNoExchange }
