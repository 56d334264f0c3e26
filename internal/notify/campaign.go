package notify

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"
)

// VersionInfo is one version of a document as the notifier sees it: plain
// values copied by the caller from the content and change stages.
type VersionInfo struct {
	ID        string    // version id, the file stem (e.g. "2026-03-27")
	Hash      string    // SHA-256 (hex) of the version's source
	Effective time.Time // date the version takes effect
	Published time.Time // date it was published; zero means "already published"
	Material  bool      // the change against the previous version is material
	Summary   []string  // legal's own "what changed" list
	Changes   []ChangeItem
}

// ChangeItem is one detected change, as shown in the email.
type ChangeItem struct {
	Level    string // editorial, minor or material
	Category string // e.g. "sharing and processors"
	Section  string // heading of the section it is in
	Old, New string // the whole sentence before and after
	Why      string // the detector's explanation, worded as on the site and in redline diff
	Quote    []QuotePart
}

// QuotePart is one run of a reason's quote: Op is "equal", "delete" or
// "insert", so templates mark the changed words.
type QuotePart struct{ Op, Text string }

// History is every version of one document, oldest first.
type History struct {
	Doc      string // document slug, the folder name under content/
	Title    string // current document title
	Versions []VersionInfo
}

// Site carries the site-wide values a message needs. The caller fills it from
// site.yaml; Campaign.WithSite copies it into a campaign.
type Site struct {
	Name              string // site name shown in the message
	BaseURL           string // absolute URL of the published site, e.g. "https://legal.example.com/"
	From              string // From address, optionally with a display name
	ReplyTo           string // optional Reply-To address
	UnsubscribeURL    string // https endpoint served by NewUnsubscribeHandler
	UnsubscribeMailto string // optional mailto address for List-Unsubscribe
}

// Campaign is one announcement: the newest published version of a document
// and everything it covers since the last announced version. It is keyed by
// document, version and content hash, so editing an unsent version starts a
// new campaign rather than silently changing the one in flight.
type Campaign struct {
	ID                   string // CampaignID(Doc, Version, Hash)
	Doc                  string
	Title                string
	Version              string   // the newest covered version
	Hash                 string   // its content hash
	Covers               []string // covered version ids, newest first
	Effective, Published time.Time
	Summary              []string     // legal's summaries, newest version first
	Changes              []ChangeItem // detected changes, newest version first

	PolicyURL  string // BaseURL + doc + "/"
	ChangesURL string // BaseURL + doc + "/" + version + "/changes/"

	SiteName          string
	BaseURL           string
	From              string
	ReplyTo           string
	UnsubscribeURL    string
	UnsubscribeMailto string
}

// CampaignID returns the key of a campaign: doc/version@first 12 hex digits of hash.
func CampaignID(doc, version, hash string) string {
	if len(hash) > 12 {
		hash = hash[:12]
	}
	return doc + "/" + version + "@" + hash
}

// WithSite returns c with the site values and the page URLs filled in.
func (c Campaign) WithSite(s Site) Campaign {
	base := strings.TrimSpace(s.BaseURL)
	if base != "" && !strings.HasSuffix(base, "/") {
		base += "/"
	}
	c.SiteName = s.Name
	c.BaseURL = base
	c.From = s.From
	c.ReplyTo = s.ReplyTo
	c.UnsubscribeURL = s.UnsubscribeURL
	c.UnsubscribeMailto = s.UnsubscribeMailto
	c.PolicyURL = base + c.Doc + "/"
	c.ChangesURL = base + c.Doc + "/" + c.Version + "/changes/"
	return c
}

// validate checks what a message cannot be built without.
func (c Campaign) validate() error {
	var errs []error
	if c.Doc == "" || c.Version == "" || c.Hash == "" {
		errs = append(errs, errors.New("campaign needs a document, version and hash (use Plan)"))
	}
	if c.ID != CampaignID(c.Doc, c.Version, c.Hash) {
		errs = append(errs, fmt.Errorf("campaign id %q does not match its document, version and hash", c.ID))
	}
	if u, err := url.Parse(c.BaseURL); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		errs = append(errs, fmt.Errorf("site base URL %q is not an absolute http(s) URL", c.BaseURL))
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		errs = append(errs, fmt.Errorf("site from address %q: %w", c.From, err))
	}
	if c.ReplyTo != "" {
		if _, err := mail.ParseAddress(c.ReplyTo); err != nil {
			errs = append(errs, fmt.Errorf("site reply-to address %q: %w", c.ReplyTo, err))
		}
	}
	if u, err := url.Parse(c.UnsubscribeURL); err != nil || u.Scheme != "https" || u.Host == "" {
		errs = append(errs, fmt.Errorf("site unsubscribe URL %q must be an https URL (RFC 8058 one-click)", c.UnsubscribeURL))
	}
	if c.UnsubscribeMailto != "" {
		if _, err := checkAddress(strings.TrimPrefix(c.UnsubscribeMailto, "mailto:")); err != nil {
			errs = append(errs, fmt.Errorf("site unsubscribe mailto %q: %w", c.UnsubscribeMailto, err))
		}
	}
	return errors.Join(errs...)
}
