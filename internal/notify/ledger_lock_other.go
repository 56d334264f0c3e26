//go:build !unix

package notify

// LockSending is a no-op where flock is not available: do not run two
// senders on one ledger at once.
func (l *SQLiteLedger) LockSending() (unlock func(), err error) { return func() {}, nil }
