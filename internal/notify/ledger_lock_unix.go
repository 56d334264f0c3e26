//go:build unix

package notify

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// LockSending takes an exclusive lock on <ledger>.lock for as long as a run
// sends, so that two senders on one SQLite ledger cannot claim the same
// recipients. The kernel drops the lock when the process dies, kill -9
// included.
func (l *SQLiteLedger) LockSending() (unlock func(), err error) {
	f, err := os.OpenFile(l.path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("ledger: %s: another redline notify is sending with this ledger; wait for it or stop it", l.path)
		}
		return nil, fmt.Errorf("ledger: lock %s: %w", l.path, err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
