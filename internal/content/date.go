package content

import (
	"regexp"
	"time"
)

// DateLayout is how dates are written everywhere in content: ISO 8601.
const DateLayout = "2006-01-02"

// ParseDate parses an ISO date (YYYY-MM-DD) as midnight UTC.
func ParseDate(s string) (time.Time, bool) {
	if len(s) != len(DateLayout) {
		return time.Time{}, false
	}
	t, err := time.Parse(DateLayout, s)
	return t, err == nil
}

var idRE = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})(-[a-z0-9]+(-[a-z0-9]+)*)?$`)

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidSlug reports whether s can name a document: lowercase letters,
// digits and single hyphens, as a folder and a URL path segment.
func ValidSlug(s string) bool { return slugRE.MatchString(s) }
