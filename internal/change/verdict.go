package change

import (
	"fmt"
	"strings"
)

// Values of the front matter key "notify".
const (
	NotifyAuto = "auto" // the detector decides (the default)
	NotifyYes  = "yes"  // always a material change: notify
	NotifyNo   = "no"   // never notify, whatever was detected
)

// Verdict is the level a version's change is acted on, after legal's
// override from front matter, with what was detected kept alongside so
// that pages and the notification ledger can show both.
type Verdict struct {
	Detected       Level  // what Compare found
	Level          Level  // what counts: Detected, or the override
	Override       string // "" (none), NotifyYes or NotifyNo
	OverrideReason string // the front matter "reason" given with the override
}

// Notify reports whether users must be told about the change.
func (v Verdict) Notify() bool { return v.Level == Material }

// String describes the verdict: "material", or "editorial (override: no,
// detected material: reason)".
func (v Verdict) String() string {
	if v.Override == "" {
		return v.Level.String()
	}
	s := fmt.Sprintf("%s (override: %s, detected %s", v.Level, v.Override, v.Detected)
	if v.OverrideReason != "" {
		s += ": " + v.OverrideReason
	}
	return s + ")"
}

// CheckNotify reports whether s is a valid value of the front matter key
// "notify": "", "auto", "yes" or "no" (in any case).
func CheckNotify(s string) error {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", NotifyAuto, NotifyYes, NotifyNo:
		return nil
	}
	return fmt.Errorf("notify: %q is not auto, yes or no", s)
}

// ApplyOverride applies front matter "notify" to a detected change: "yes"
// makes it material, "no" editorial (nobody is notified), "auto" or ""
// keeps the detected level. The override and its reason are recorded.
// A value CheckNotify rejects is treated as "auto", so that a typo never
// suppresses a notification. c may be nil (nothing detected).
func ApplyOverride(c *Change, notify, reason string) Verdict {
	v := Verdict{}
	if c != nil {
		v.Detected = c.Level
	}
	v.Level = v.Detected
	switch strings.ToLower(strings.TrimSpace(notify)) {
	case NotifyYes:
		v.Level, v.Override = Material, NotifyYes
	case NotifyNo:
		v.Level, v.Override = Editorial, NotifyNo
	default:
		return v
	}
	v.OverrideReason = strings.TrimSpace(reason)
	return v
}
