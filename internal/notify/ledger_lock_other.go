//go:build !unix

package notify

import "context"

// LockSending takes no lock where flock is not available: do not run two
// senders on one ledger at once. It applies the send journal a killed run
// left (sendlog.go).
func (l *SQLiteLedger) LockSending() (unlock func(), err error) {
	if err := l.replaySendlog(context.Background()); err != nil {
		return nil, err
	}
	return func() {}, nil
}
