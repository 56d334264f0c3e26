//go:build unix

package notify

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
)

// LockSending takes an exclusive lock on <ledger>.lock for as long as a run
// sends, so that two senders on one SQLite ledger cannot claim the same
// recipients. The kernel drops the lock when the process dies, kill -9
// included. Once it holds the lock, it applies the send journal a killed
// run left (sendlog.go).
func (l *SQLiteLedger) LockSending() (unlock func(), err error) {
	f, err := os.OpenFile(l.path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("ledger: %s: %w; wait for it or stop it", l.path, errSendingElsewhere)
		}
		return nil, fmt.Errorf("ledger: lock %s: %w", l.path, err)
	}
	unlock = func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}
	// A run killed while sending may have left updates in its journal.
	if err := l.replaySendlog(context.Background()); err != nil {
		unlock()
		return nil, err
	}
	return unlock, nil
}
