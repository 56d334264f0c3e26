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
// and everything it covers since the version users knew (Base). It is keyed
// by document and version, not by content hash: an editorial fix to the
// version after a partial send keeps the campaign and its Message-IDs, so
// nobody told hears twice; the ledger records the new hash as evidence.
//
// Each recipient is told what they missed: a person the ledger or the
// signup date says knew a later version than Base gets a message covering
// only what came after it (For).
type Campaign struct {
	ID                   string // CampaignID(Doc, Version)
	Doc                  string
	Title                string
	Version              string        // the newest covered version
	Hash                 string        // its content hash
	Base                 string        // the version users knew when the campaign started ("" = none)
	Root                 string        // the version users knew before the document's first campaign
	Known                string        // the version this message counts from (Base unless For changed it)
	Versions             []VersionInfo // the published versions after Root up to Version, oldest first
	Covers               []string      // covered version ids, newest first
	Effective, Published time.Time
	Summary              []string     // legal's summaries, newest version first
	Changes              []ChangeItem // detected changes, newest version first

	PolicyURL  string // the new version's permanent URL: BaseURL + doc + "/" + version + "/"
	ChangesURL string // the redline from Known to Version (see PairPath)

	SiteName          string
	BaseURL           string
	From              string
	ReplyTo           string
	UnsubscribeURL    string
	UnsubscribeMailto string
}

// CampaignID returns the key of a campaign: doc/version.
func CampaignID(doc, version string) string {
	return doc + "/" + version
}

// PairPath is the site path of the page comparing the version a reader knew
// with a newer one: DOC/VERSION/changes/ for one step (the page that exists
// for every version), DOC/FROM/to/TO/ across several. The site builds the
// second for every pair of versions more than one step apart with a
// material change in between (site.Doc.Pairs).
func PairPath(doc, from, to string, steps int) string {
	if from == "" || steps <= 1 {
		return doc + "/" + to + "/changes/"
	}
	return doc + "/" + from + "/to/" + to + "/"
}

// For returns the campaign as a person who knew version known must read it:
// covering only the versions after known. ok is false when nothing material
// came after it (or known is the campaign's version): that person is not told.
// An unknown or empty known counts from Root.
func (c Campaign) For(known string) (Campaign, bool) {
	start := 0
	for i, v := range c.Versions {
		if v.ID == known {
			start = i + 1
		}
	}
	if start == 0 {
		known = c.Root
	}
	covered := c.Versions[start:]
	material := false
	for _, v := range covered {
		material = material || v.Material
	}
	if !material {
		return c, false
	}
	c.Known = known
	c.Covers, c.Summary, c.Changes = nil, nil, nil
	for i := len(covered) - 1; i >= 0; i-- {
		v := covered[i]
		c.Covers = append(c.Covers, v.ID)
		c.Summary = append(c.Summary, v.Summary...)
		c.Changes = append(c.Changes, v.Changes...)
	}
	c.ChangesURL = c.BaseURL + PairPath(c.Doc, c.Known, c.Version, len(c.Covers))
	return c, true
}

// knownAt is the newest version a person who signed up on signedUp has seen:
// one published before that day. "" when none (or no date).
func (c Campaign) knownAt(signedUp time.Time) string {
	known := ""
	if signedUp.IsZero() {
		return known
	}
	for _, v := range c.Versions {
		if !v.Published.IsZero() && dateAfter(signedUp, v.Published) {
			known = v.ID
		}
	}
	return known
}

// later returns whichever of the versions a and b comes later in the
// campaign's history ("" and unknown ids count as Root).
func (c Campaign) later(a, b string) string {
	ia, ib := -1, -1
	for i, v := range c.Versions {
		if v.ID == a {
			ia = i
		}
		if v.ID == b {
			ib = i
		}
	}
	if ib > ia {
		return b
	}
	if ia < 0 {
		return c.Root
	}
	return a
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
	c.PolicyURL = base + c.Doc + "/" + c.Version + "/"
	c.ChangesURL = base + PairPath(c.Doc, c.Known, c.Version, len(c.Covers))
	return c
}

// validate checks what a message cannot be built without.
func (c Campaign) validate() error {
	var errs []error
	if c.Doc == "" || c.Version == "" || c.Hash == "" {
		errs = append(errs, errors.New("campaign needs a document, version and hash (use Plan)"))
	}
	if c.ID != CampaignID(c.Doc, c.Version) && !strings.HasPrefix(c.ID, CampaignID(c.Doc, c.Version)+"@") { // "@hash": recorded before schema 2
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
