package notify

import "testing"

// The unsubscribe URL built once around the token is the one built for
// each message, whatever the configured URL holds already.
func TestUnsubscribeURLSplit(t *testing.T) {
	tok := SignToken([]byte("0123456789abcdef0123"), "Ada@Example.com")
	for _, base := range []string{
		"https://spectr.test/unsubscribe",
		"https://spectr.test/u?list=legal&a=%2F",
		"https://spectr.test/u?t=old&z=1#frag",
		"https://spectr.test/p%20q/u?x=" + tokenMark,
		"",
	} {
		want := unsubscribeURL(base, tok)
		pre, post := splitUnsubscribeURL(base)
		if pre == "" && post == "" {
			if base != "https://spectr.test/p%20q/u?x="+tokenMark {
				t.Errorf("%q: not split", base)
			}
			continue
		}
		if got := pre + tok + post; got != want {
			t.Errorf("%q: got %q, want %q", base, got, want)
		}
	}
}
