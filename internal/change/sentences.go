package change

import "strings"

// markSentences finds the whole sentences among a hunk's deleted or
// inserted words, marks their words as whole, and marks those that are
// asides: sentences that only point to another page, offer help or give
// instructions ("See our Refund policy for details.", "You can find the
// DPA in clause 7.", "Click “Delete” to remove it."). An aside carries no
// commitment unless it negates, obliges or names a number, so its words do
// not count as features.
func markSentences(ws []word, names *nameIndex) {
	label := -1 // a short whole sentence ("HEY:") just before, which an aside takes along
	for i := 0; i < len(ws); {
		j := i
		for j < len(ws) && !ws[j].end && (j == i || !ws[j].start) {
			j++
		}
		if j >= len(ws) || !ws[i].start || ws[j].start && j != i {
			i = max(j, i+1)
			continue
		}
		s := ws[i : j+1]
		aside := isAside(s, names)
		for k := range s {
			s[k].whole, s[k].aside = true, aside
		}
		if aside && label >= 0 {
			for k := label; k < i; k++ {
				ws[k].aside = true
			}
		}
		label = -1
		if len(s) <= maxLabelWords {
			label = i
		}
		i = j + 1
	}
}

// maxLabelWords is how long a label before an aside can be.
const maxLabelWords = 3

// asideCues are the phrases of cross-references, offers of help and
// instructions; leadCues are those that make a whole sentence a pointer
// when it starts with them.
var (
	asideCues = []string{" see ", " read ", " view ", " visit ", " learn ", " find ", " check out ",
		" refer to ", " details ", " more information ", " instructions ", " how to ", " here's how ",
		" reach out ", " contact us ", " get in touch ", " let us know ", " feel free ", " navigate ",
		" click ", " clicking ", " select ", " tap ", " go to ", " subscribe ", " if you want ",
		" if you'd like ", " if you would like ", " if you prefer ", " link ", " page ", " help "}
	leadCues = []string{" see ", " read ", " view ", " visit ", " learn more", " for more ", " for details",
		" go to ", " click ", " tap ", " select ", " navigate ", " check out ", " refer to ", " here's how",
		" you can find ", " you can read ", " you can view ", " you can learn ", " you'll find ",
		" you will find ", " more details ", " more information ", " if you want ", " if you'd like ",
		" if you would like ", " if you prefer ", " if you need help ", " if you have questions ",
		" if you have any questions ", " we provide details ", " we've provided instructions "}
)

// isAside reports whether a sentence is an aside: it has no negation,
// strong modal or number, and either starts with a pointer ("See …",
// "You can find …") or has a cue and no substantive term outside the
// names of documents.
func isAside(s []word, names *nameIndex) bool {
	var sb, terms strings.Builder
	sb.WriteByte(' ')
	terms.WriteByte(' ')
	for i := range s {
		w := &s[i]
		for _, e := range expand(w.lower) {
			if negations[e] || modals[e] && e != "may" && e != "can" {
				return false
			}
		}
		if isSymbol(w.text) || hasDigit(w.text) && numberKind(w, names) == groupNumber {
			return false
		}
		sb.WriteString(w.lower + " ")
		if !w.ref && !w.link {
			terms.WriteString(strings.ReplaceAll(w.lower, "-", " ") + " ")
		}
	}
	norm := strings.ReplaceAll(sb.String(), "’", "'")
	for _, c := range leadCues {
		if strings.HasPrefix(norm, c) {
			return true
		}
	}
	if hasTerm(terms.String()) {
		return false
	}
	for _, c := range asideCues {
		if strings.Contains(norm, c) {
			return true
		}
	}
	return false
}

// hasTerm reports whether normalised text holds a substantive term.
func hasTerm(norm string) bool {
	found := false
	substantive.each(norm, func(int, int) { found = true })
	return found
}

// docNouns are the words that follow the name of a document, a page or a
// part of an interface.
var docNouns = set("page", "pages", "policy", "policies", "section", "sections", "article", "notice",
	"terms", "agreement", "addendum", "guide", "repository", "overview", "whitepaper", "document",
	"documentation", "form", "menu", "button", "link", "site", "website", "blog", "faq", "center",
	"centre", "portal", "settings", "screen", "tab", "annex", "appendix", "clause")

// connectors may stand inside a title ("Uptime, Security and Privacy").
var connectors = set("and", "&", "of", "for", "the", "to", "on", "in")

// markReferences marks, among the words of a text, the capitalised ones
// that name a document or a page ("see our Fair Refund policy", "the
// Security Response page"): they refer to a text, not to a party.
func markReferences(ws []string, marks []bool) {
	upper := func(w string) bool { return capitalized(w) || innerCaps(w) }
	for i := 0; i < len(ws); {
		if !upper(ws[i]) {
			i++
			continue
		}
		j := i
		for j+1 < len(ws) && (upper(ws[j+1]) || connectors[strings.ToLower(ws[j+1])] && j+2 < len(ws) && upper(ws[j+2])) {
			j++
		}
		if j+1 < len(ws) && docNouns[strings.ToLower(ws[j+1])] || j > i && docNouns[strings.ToLower(ws[j])] ||
			qualifiesDocument(ws, j+1) {
			for k := i; k <= j; k++ {
				marks[k] = true
			}
		}
		i = j + 1
	}
}

// streetWords end the street part of a postal address.
var streetWords = set("street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "suite", "ste",
	"floor", "fl", "drive", "dr", "lane", "ln", "way", "place", "pl", "plaza", "court", "ct", "square",
	"sq", "box", "pmb", "highway", "hwy", "parkway", "pkwy")

// markAddresses marks, among the words of a text, postal addresses: from
// a house number followed, within a few words, by a capitalised street
// word ("30 North Racine Avenue", "PO Box 12") to the end of the run of
// names and numbers. An address is contact detail; its names are not
// parties, its numbers not amounts.
func markAddresses(ws []string, marks []bool) {
	for i := range ws {
		if !hasDigit(ws[i]) || marks[i] {
			continue
		}
		j := i + 1
		for j < len(ws) && j <= i+maxStreetWords && !(capitalized(ws[j]) && streetWords[strings.ToLower(ws[j])]) {
			j++
		}
		if j >= len(ws) || j > i+maxStreetWords {
			continue
		}
		for k := i; k < len(ws) && (k <= j || capitalized(ws[k]) || hasDigit(ws[k])); k++ {
			marks[k] = true
		}
	}
}

// maxStreetWords is how far after the house number a street word may be.
const maxStreetWords = 4

// qualifiesDocument reports whether the words from i are a few lower-case
// words ending in the noun of a document ("volume licensing agreement",
// "privacy policy"): the name before them names whose document it is
// ("a Microsoft volume licensing agreement"), not a party to the policy.
func qualifiesDocument(ws []string, i int) bool {
	for k := i; k < len(ws) && k < i+maxQualifierWords; k++ {
		l := strings.ToLower(ws[k])
		switch {
		case docNouns[l] && k > i:
			return true
		case capitalized(ws[k]) || functionWords[l] || connectors[l]:
			return false
		}
	}
	return false
}

// maxQualifierWords is how many words may stand between a name and the
// document noun it qualifies, the noun included.
const maxQualifierWords = 4
