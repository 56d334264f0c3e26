package change

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Feature groups: the kinds of words whose appearance or disappearance
// changes what a policy commits to.
const (
	groupNegation = "negation"
	groupModality = "modality"
	groupScope    = "scope"
	groupNumber   = "number"
	groupDuration = "duration"
	groupVersion  = "version"
	groupParty    = "party"
	groupTerm     = "term"
	groupAlias    = "alias" // we, us, our: the author's own name, spelled as a pronoun
	groupPlace    = "place" // a country or region: where data goes, whose law applies
)

// groupOrder is the order in which differences are reported.
var groupOrder = []string{groupNegation, groupModality, groupScope, groupNumber, groupDuration,
	groupPlace, groupParty, groupTerm, groupVersion}

var negations = set("not", "no", "never", "none", "nor", "neither", "nothing", "nobody", "nowhere",
	"without", "except", "unless", "cannot")

// modals are the words of obligation and permission. The weak ones (can,
// could, would, should, might) mostly describe ability or give advice.
var modals = set("will", "shall", "must", "may", "require", "required", "requires", "obligated",
	"entitled", "permitted", "allowed", "guarantee", "guarantees", "guaranteed", "promise", "promises",
	"commit", "commits")

var scopes = set("only", "solely", "exclusively", "always", "all", "any", "every", "each", "some",
	"sometimes", "entire", "forever", "indefinitely", "immediately", "automatically", "anyone", "anything",
	"everyone", "everything")

// weakScopes only count when they change inside a sentence: in a sentence
// added or removed whole, "any" or "each" says little.
var weakScopes = set("all", "any", "every", "each", "some", "sometimes", "entire", "anyone", "anything",
	"everyone", "everything")

// idleObjects after a weak scope word make a phrase that limits nothing
// ("any questions", "at any time").
var idleObjects = set("questions", "question", "time", "concerns", "concern", "comments", "feedback", "help")

// hedges are the modal words that, in a sentence added or removed whole,
// mostly state a possibility or a future ("transcripts may be saved as
// PDFs"); what such a sentence commits to shows in its other words.
var hedges = set("may", "will", "shall")

// tenses are modal words that may come and go with a change of tense
// ("we will send" → "we send") without a change of commitment.
var tenses = set("will", "shall")

var numberWords = set("zero", "two", "three", "four", "five", "six", "seven", "eight", "nine",
	"ten", "eleven", "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "sixty", "ninety",
	"hundred", "thousand", "million", "billion", "half", "double", "twice", "dozen")

var timeUnits = map[string]string{
	"second": "second", "seconds": "second", "minute": "minute", "minutes": "minute", "hour": "hour",
	"hours": "hour", "day": "day", "days": "day", "daily": "day", "week": "week", "weeks": "week",
	"weekly": "week", "month": "month", "months": "month", "monthly": "month", "year": "year",
	"years": "year", "yearly": "year", "annual": "year", "annually": "year", "quarter": "quarter",
	"quarterly": "quarter",
}

var calendarWords = set("january", "february", "march", "april", "may", "june", "july", "august",
	"september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
	"sep", "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday", "sunday")

func set(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// A feature is one word that matters, found in a unit's deleted or
// inserted text.
type feature struct {
	group, key string
}

// occurrence records how often a feature occurs on one side and in which
// hunks, so a reason can quote the hunk where the count changed.
type occurrence struct {
	count   int
	inName  int    // occurrences that rename part of a longer name
	whole   string // the whole name of the first occurrence, when it is part of a longer one
	hunks   []int  // one entry per occurrence
	display string
}

// bag counts features on one side of a unit.
type bag map[feature]*occurrence

func (b bag) add(f feature, w *word, display string) {
	o := b[f]
	if o == nil {
		o = &occurrence{display: display}
		b[f] = o
	}
	o.count++
	o.hunks = append(o.hunks, w.piece)
	if w.inName {
		o.inName++
	}
}

// addWords adds the features of the uncovered words ws to the bag.
func (b bag) addWords(ws []word, names *nameIndex) {
	for i := range ws {
		w := &ws[i]
		if w.ignored() {
			continue
		}
		for _, e := range expand(w.lower) {
			switch {
			case negations[e] && !(e == "not" && strings.EqualFold(w.prev, "or")): // "whether … or not"
				b.add(feature{groupNegation, "negations"}, w, e)
			case modals[e] && !(e == "may" && w.text == "May" && !w.start) && !(w.whole && hedges[e]):
				b.add(feature{groupModality, e}, w, e)
			case scopes[e] && !(w.whole && weakScopes[e]) && !(weakScopes[e] && idleObjects[strings.ToLower(w.next)]):
				b.add(feature{groupScope, e}, w, e)
			case aliases[e]:
				b.add(feature{groupAlias, "alias"}, w, e)
			}
		}
		b.addNumberish(w, names)
	}
	b.addTerms(ws)
}

// addNumberish adds numbers, durations, versions and names.
func (b bag) addNumberish(w *word, names *nameIndex) {
	switch {
	case hasDigit(w.text) && !innerCaps(w.text):
		switch numberKind(w, names) {
		case groupVersion:
			b.add(feature{groupVersion, strings.ToLower(w.prev + " " + w.text + " " + w.next)}, w, w.prev+" "+w.text)
		case groupNumber:
			b.add(feature{groupNumber, strings.ReplaceAll(w.lower, ",", "")}, w, withUnit(w))
		}
	case isSymbol(w.text), numberWords[w.lower] && quantifies(w.next):
		b.add(feature{groupNumber, numberValue(w.lower)}, w, withUnit(w))
	case timeUnits[w.lower] != "":
		b.add(feature{groupDuration, timeUnits[w.lower]}, w, w.text)
	case isPlace(w) != "":
		p := isPlace(w)
		if strings.Contains(p, " ") {
			b.add(feature{groupPlace, p}, w, w.prev+" "+w.text)
		} else {
			b.add(feature{groupPlace, p}, w, w.text)
		}
	case !w.ref && !startsNumber(w.next) && names.isName(w.text, w.start, w.entry):
		b.add(feature{groupParty, names.key(w.text)}, w, w.text)
		if o := b[feature{groupParty, names.key(w.text)}]; w.name != "" && o.whole == "" {
			o.whole = w.name
		}
	}
}

// numberKind tells a number that means an amount, a duration or a date
// (groupNumber) from one that is part of a name or an address ("Basecamp
// 3", "30 North Street": groupVersion) and from a reference to a part of a
// document ("clause 7": "").
func numberKind(w *word, names *nameIndex) string {
	switch {
	case references[strings.ToLower(w.prev)]:
		return ""
	case names.isName(w.prev, true, false), names.isName(w.next, true, false), isInitial(w.next):
		return groupVersion
	}
	return groupNumber
}

// startsNumber reports whether the word after a name is a number, which
// makes the name a label ("Suite 200", "Basecamp 3").
func startsNumber(next string) bool {
	r, _ := utf8.DecodeRuneInString(next)
	return unicode.IsDigit(r)
}

// references are the words that number parts of documents.
var references = set("clause", "clauses", "section", "sections", "article", "articles", "paragraph",
	"part", "chapter", "schedule", "appendix", "annex", "item", "step", "page", "exhibit", "§")

// isInitial reports whether w is a single capital letter other than "A"
// and "I", as in street addresses ("2045 W Grand Ave").
func isInitial(w string) bool {
	return len(w) == 1 && w[0] >= 'B' && w[0] <= 'Z' && w != "I"
}

// quantifies reports whether a spelled-out number before this word is an
// amount or a duration ("thirty days", "ten percent"), not a count in
// passing ("three pages").
func quantifies(next string) bool {
	l := strings.ToLower(next)
	return timeUnits[l] != "" || units[l]
}

var units = set("percent", "per", "dollars", "dollar", "euros", "euro", "pounds", "cents", "business",
	"calendar", "working", "times", "gb", "mb", "tb", "users", "seats")

// matched returns the words of norm that a term matched at i, completed
// to whole words: "advertising" for the term "advertis".
func matched(norm string, i int, term string) string {
	end := i + len(term)
	if k := strings.IndexByte(norm[end:], ' '); k >= 0 {
		end += k
	} else {
		end = len(norm)
	}
	return strings.TrimSpace(norm[i:end])
}

// addTerms adds the lexicon terms found in runs of uncovered words.
func (b bag) addTerms(ws []word) {
	for i := 0; i < len(ws); {
		if ws[i].ignored() {
			i++
			continue
		}
		j := i
		var sb strings.Builder
		sb.WriteByte(' ')
		for j < len(ws) && !ws[j].ignored() && ws[j].piece == ws[i].piece {
			sb.WriteString(strings.ReplaceAll(ws[j].lower, "-", " "))
			sb.WriteByte(' ')
			j++
		}
		norm := sb.String()
		piece := ws[i].piece
		substantive.each(norm, func(ti, pos int) {
			t := substantive.terms[ti].text
			if s, ok := sameTerm[t]; ok {
				t = s
			}
			o := b[feature{groupTerm, t}]
			if o == nil {
				o = &occurrence{display: matched(norm, pos, substantive.terms[ti].text)}
				b[feature{groupTerm, t}] = o
			}
			o.count++
			o.hunks = append(o.hunks, piece)
		})
		i = j
	}
}

// sameTerm maps the terms legal prose uses interchangeably to one of them,
// so that "personal information" → "personal data" or "employees" →
// "personnel" is a rewording, not a kind of data or party dropped.
var sameTerm = map[string]string{
	"personal information": "personal data", "personal info": "personal data",
	"personally identifiable": "personal data",
	"employee":                "staff", "personnel": "staff",
	"subprocessor": "processor", "sub processor": "processor",
	"e mail address": "email address",
}

// wordValues are the values of the numbers written out that a policy
// may also write in digits.
var wordValues = map[string]string{
	"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
	"eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "fifteen": "15", "twenty": "20",
	"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "ninety": "90", "hundred": "100",
	"thousand": "1000", "million": "1000000", "billion": "1000000000", "dozen": "12",
}

// numberValue is the key of a number: its digits without separators, so
// that "thirty", "30" and "thirty (30)" are one value.
func numberValue(w string) string {
	if v, ok := wordValues[w]; ok {
		return v
	}
	return strings.ReplaceAll(w, ",", "")
}

// withUnit is how a number is quoted: with the unit after it, if any
// ("30 days", "10 percent").
func withUnit(w *word) string {
	if l := strings.ToLower(w.next); timeUnits[l] != "" || units[l] {
		return w.text + " " + w.next
	}
	return w.text
}
