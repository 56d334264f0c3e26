package site

import (
	"bytes"
	"encoding/xml"
	"time"
)

// atom is an Atom 1.0 feed (RFC 4287) of every version, newest first.
type atom struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomAuthor struct {
	Name  string `xml:"name"`
	Email string `xml:"email,omitempty"`
}

type atomEntry struct {
	Title      string         `xml:"title"`
	ID         string         `xml:"id"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published"`
	Links      []atomLink     `xml:"link"`
	Categories []atomCategory `xml:"category"`
	Summary    atomText       `xml:"summary"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// feed renders feed.xml. Its dates come from content only, so it is
// byte-identical for the same inputs.
func (m *Model) feed() ([]byte, error) {
	f := atom{
		Title:  m.Config.Name + " policy updates",
		ID:     m.absURL(m.BasePath + "feed.xml"),
		Links:  []atomLink{{Rel: "self", Type: "application/atom+xml", Href: m.absURL(m.BasePath + "feed.xml")}, {Href: m.Config.BaseURL}},
		Author: atomAuthor{Name: m.Config.Name, Email: m.Config.Contact},
	}
	var newest time.Time
	for _, e := range m.entries() {
		v := e.v
		if v.Published.After(newest) {
			newest = v.Published
		}
		link := m.absURL(m.versionPath(v))
		title := v.Title + " — version of " + v.Effective.Format("January 2, 2006")
		if v.Material() {
			title = "Material change: " + title
		}
		entry := atomEntry{
			Title:     title,
			ID:        link,
			Updated:   atomTime(v.Published),
			Published: atomTime(v.Published),
			Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: link}},
			Summary:   atomText{Type: "text", Body: e.summary},
		}
		for _, c := range e.categories {
			entry.Categories = append(entry.Categories, atomCategory{Term: c})
		}
		f.Entries = append(f.Entries, entry)
	}
	f.Updated = atomTime(newest)
	return encodeXML(f)
}

// encodeXML writes v as an indented XML document.
func encodeXML(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

type feedEntry struct {
	v          *Version
	summary    string
	categories []string
}

// entries are the feed's versions, newest published first.
func (m *Model) entries() []feedEntry {
	var es []feedEntry
	for _, d := range m.Published() {
		for _, v := range d.Public() {
			e := feedEntry{v: v, categories: []string{"status:" + string(v.Status)}}
			if v.Prev != nil {
				e.categories = append(e.categories, "level:"+v.Level())
			}
			e.categories = append(e.categories, v.AllCategories()...)
			e.summary = "Takes effect " + v.Effective.Format("January 2, 2006") + "."
			if v.Prev != nil {
				e.summary += " Verdict: " + v.Level() + ". What changed: " + m.absURL(m.versionPath(v)+"changes/")
			}
			for _, s := range v.Summary {
				e.summary += "\n- " + s
			}
			es = append(es, e)
		}
	}
	sortEntries(es)
	return es
}

type urlset struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []smURL  `xml:"url"`
}

type smURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// sitemap renders sitemap.xml: the index, each document, its history and
// every version.
func (m *Model) sitemap() ([]byte, error) {
	s := urlset{URLs: []smURL{{Loc: m.Config.BaseURL}}}
	for _, d := range m.Published() {
		cur := d.Front()
		s.URLs = append(s.URLs, smURL{Loc: m.absURL(m.docPath(d)), LastMod: cur.Effective.Format("2006-01-02")},
			smURL{Loc: m.absURL(m.docPath(d) + "history/")})
		for _, v := range d.Public() {
			s.URLs = append(s.URLs, smURL{Loc: m.absURL(m.versionPath(v)), LastMod: v.Published.Format("2006-01-02")})
		}
	}
	return encodeXML(s)
}

func (m *Model) robots() ([]byte, error) {
	return []byte("User-agent: *\nAllow: /\nSitemap: " + m.absURL(m.BasePath+"sitemap.xml") + "\n"), nil
}
