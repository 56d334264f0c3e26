package notify

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Recipient is one row of the recipients CSV.
type Recipient struct {
	Email    string    // as written in the file, surrounding spaces removed
	Name     string    // optional display name
	Locale   string    // optional locale, passed to the templates
	SignedUp time.Time // optional signup date; zero when absent
	Line     int       // line of the row in the file, for reports
	Known    string    // the version of the document this person knew (set by the notifier, not the CSV)
}

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
// name, locale and signed_up (YYYY-MM-DD) are optional; other columns are an
// error. Rows are not validated here beyond the CSV shape and dates: address
// checks, duplicates and suppressions are the Screen's job, so they can be
// skipped and reported instead of stopping the run.
type RecipientReader struct {
	name string
	r    *csv.Reader
	col  map[string]int
}

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
		h = strings.ToLower(strings.TrimSpace(h))
		if !slices.Contains(recipientColumns, h) {
			unknown = append(unknown, fmt.Sprintf("%q", h))
			continue
		}
		if _, dup := col[h]; dup {
			return nil, fmt.Errorf("%s:1: column %q appears twice", name, h)
		}
		col[h] = i
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("%s:1: unknown column(s) %s (known: %s)", name, strings.Join(unknown, ", "), strings.Join(recipientColumns, ", "))
	}
	if _, ok := col[colEmail]; !ok {
		return nil, fmt.Errorf("%s:1: no %q column", name, colEmail)
	}
	return &RecipientReader{name: name, r: cr, col: col}, nil
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
	r := Recipient{
		Email:  strings.TrimSpace(rr.field(rec, colEmail)),
		Name:   strings.TrimSpace(rr.field(rec, colName)),
		Locale: strings.TrimSpace(rr.field(rec, colLocale)),
		Line:   line,
	}
	if s := strings.TrimSpace(rr.field(rec, colSignedUp)); s != "" {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return Recipient{}, fmt.Errorf("%s:%d: %s: %q is not a date (want YYYY-MM-DD)", rr.name, line, colSignedUp, s)
		}
		r.SignedUp = t
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
