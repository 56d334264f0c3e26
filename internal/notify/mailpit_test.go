package notify_test

import (
	"testing"

	"github.com/getspectr/redline/internal/notify/mailpittest"
)

// The tests of this package talk to a real Mailpit; see mailpittest.
type mailpit = mailpittest.Mailpit

func startMailpit(t testing.TB, extra ...string) *mailpit { return mailpittest.Start(t, extra...) }

func freePort(t testing.TB) int { return mailpittest.FreePort(t) }
