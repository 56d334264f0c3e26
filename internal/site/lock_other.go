//go:build !unix

package site

// lockDir does nothing where flock is not available.
func lockDir(dir string) (unlock func(), err error) { return func() {}, nil }

// tryLockDir cannot tell a live build's folder from a killed one's here, so
// leftovers are never removed automatically.
func tryLockDir(dir string) (unlock func(), ok bool) { return nil, false }
