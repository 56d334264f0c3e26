package notify

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// Recipient is one row of the recipients CSV.
type Recipient struct {
	Email    string    // as written in the file, surrounding spaces removed
	Name     string    // optional display name
	Locale   string    // optional locale, passed to the templates
	SignedUp time.Time // optional signup date; zero when absent
	Line     int       // line of the row in the file, for reports
	Known    string    // the version of the document this person knew (set by the notifier, not the CSV)
	// Bad says why the row cannot be used (a bad date or locale, an
	// oversized field, bytes that are not UTF-8); the Screen skips it.
	Bad string
}

// Limits on the fields of a recipients row. Longer values make the row a
// skipped, reported one.
const (
	MaxNameLen   = 200 // bytes of a display name
	MaxLocaleLen = 35  // a BCP 47 tag (RFC 5646 suggests 35 characters suffice)
	maxFieldLen  = 1024
)

// Columns of the recipients CSV; email is required.
const (
	colEmail    = "email"
	colName     = "name"
	colLocale   = "locale"
	colSignedUp = "signed_up"
)

var recipientColumns = []string{colEmail, colName, colLocale, colSignedUp}

// RecipientReader streams a recipients CSV one row at a time; it never holds
// more than the current row. The first row is the header: email is required;
// name, locale (BCP 47, e.g. de-CH) and signed_up (YYYY-MM-DD) are optional;
// other columns (CRM exports always have some) are ignored and named by
// Ignored. A row whose values are bad is returned with Bad set, for the
// Screen to skip and report; only a broken CSV shape stops the reading.
type RecipientReader struct {
	name    string
	r       *csv.Reader
	col     map[string]int
	ignored []string
}

// Ignored returns the header's columns that are not read, as written.
func (rr *RecipientReader) Ignored() []string { return rr.ignored }

// NewRecipientReader reads the header of r; name is used in error messages.
func NewRecipientReader(r io.Reader, name string) (*RecipientReader, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: empty file: want a header row with an %q column", name, colEmail)
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	col := make(map[string]int, len(header))
	var unknown []string
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\uFEFF")
		}
		raw := strings.TrimSpace(h)
		h = strings.ToLower(raw)
		if !slices.Contains(recipientColumns, h) {
			unknown = append(unknown, raw)
			continue
		}
		if _, dup := col[h]; dup {
			return nil, fmt.Errorf("%s:1: column %q appears twice", name, h)
		}
		col[h] = i
	}
	if _, ok := col[colEmail]; !ok {
		return nil, fmt.Errorf("%s:1: no %q column", name, colEmail)
	}
	return &RecipientReader{name: name, r: cr, col: col, ignored: unknown}, nil
}

// Next returns the next row, or io.EOF after the last one. A malformed row
// (bad quoting, wrong number of fields, bad date) is an error naming file:line.
func (rr *RecipientReader) Next() (Recipient, error) {
	rec, err := rr.r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return Recipient{}, io.EOF
		}
		return Recipient{}, csvError(rr.name, err)
	}
	line, _ := rr.r.FieldPos(0)
	r := Recipient{Line: line}
	for _, c := range recipientColumns {
		v := rr.field(rec, c)
		switch {
		case !utf8.ValidString(v):
			r.Bad = fmt.Sprintf("%s is not UTF-8 (save the file as UTF-8)", c)
			v = strings.ToValidUTF8(v, "\uFFFD")
		case len(v) > maxFieldLen:
			r.Bad = fmt.Sprintf("%s is longer than %d bytes", c, maxFieldLen)
			v = v[:64] + "…"
		}
		if r.Bad != "" && c != colEmail {
			continue
		}
		v = strings.TrimSpace(v)
		switch c {
		case colEmail:
			r.Email = v
		case colName:
			if len(v) > MaxNameLen {
				r.Bad = fmt.Sprintf("name is longer than %d bytes", MaxNameLen)
			}
			r.Name = v
		case colLocale:
			if v != "" {
				if _, err := language.Parse(v); err != nil || len(v) > MaxLocaleLen {
					r.Bad = fmt.Sprintf("locale %q is not a BCP 47 language tag (e.g. en, de-CH)", v)
				}
			}
			r.Locale = v
		case colSignedUp:
			if v != "" {
				t, err := time.Parse(time.DateOnly, v)
				if err != nil {
					r.Bad = fmt.Sprintf("signed_up %q is not a date (want YYYY-MM-DD)", v)
				}
				r.SignedUp = t
			}
		}
	}
	return r, nil
}

func (rr *RecipientReader) field(rec []string, name string) string {
	i, ok := rr.col[name]
	if !ok {
		return ""
	}
	return rec[i]
}

// csvError turns a csv.ParseError into "file:line: reason".
func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			return fmt.Errorf("%s:%d: %w (the header has a different number of columns)", name, pe.Line, pe.Err)
		}
		if pe.StartLine != pe.Line {
			return fmt.Errorf("%s:%d: %w (in the row starting here, at line %d column %d)", name, pe.StartLine, pe.Err, pe.Line, pe.Column)
		}
		return fmt.Errorf("%s:%d:%d: %w", name, pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("%s: %w", name, err)
}
