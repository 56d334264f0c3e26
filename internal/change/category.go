package change

import (
	"slices"
	"strings"
)

// categoryLabels name the categories in reasons.
var categoryLabels = map[string]string{
	"data-collected": "data collected", "purposes": "purposes", "sharing": "sharing",
	"retention": "retention", "security": "security", "rights": "rights", "fees": "fees",
	"liability": "liability", "termination": "termination", "children": "children",
	"contact": "contact", "other": "commitment",
}

// categoryScores adds weight to each category for every distinct lexicon
// term found in normalised text.
func categoryScores(norm string, weight int, scores *[numCategories]int) {
	seen := make([]bool, len(lexicon.terms))
	lexicon.each(norm, func(ti, _ int) {
		if !seen[ti] {
			seen[ti] = true
			scores[lexicon.terms[ti].cat] += weight
		}
	})
}

// pickCategory returns the category with the highest score; ties go to
// the one listed first in Categories, and no score at all to "other".
func pickCategory(scores *[numCategories]int) string {
	best, bestScore := len(Categories)-1, 0
	for i, v := range scores {
		if v > bestScore {
			best, bestScore = i, v
		}
	}
	return Categories[best]
}

// Weights of the evidence for a category.
const (
	weightChanged = 4 // a term in the changed text
	weightPath    = 3 // in the section's headings
	weightBlock   = 1 // elsewhere in the block
	hintWeight    = 4 // a head start suggested by the kind of finding
)

// categorize picks the category of a finding from the lexicon terms in
// the changed text (del and ins) and the section path; when they have none,
// from the clause around the change ("We will never sell your data to
// third parties" in a longer sentence); and only then from the whole block.
func (c *classifier) categorize(del, ins string, block int, hint string) string {
	var scores [numCategories]int
	if i := slices.Index(Categories, hint); i >= 0 {
		scores[i] = hintWeight
	}
	categoryScores(normText(del+" "+ins, nil), weightChanged, &scores)
	c.addScores(&scores, strings.Join(c.info[block].path, " "), weightPath)
	bc := &c.bcs[block]
	if slices.Max(scores[:]) == 0 {
		categoryScores(normText(clauseAround(bc.Old, del)+" "+clauseAround(bc.New, ins), nil), weightBlock, &scores)
	}
	if slices.Max(scores[:]) == 0 { // nothing yet: look at the rest of the block
		c.addScores(&scores, bc.Old, weightBlock)
		if bc.New != bc.Old {
			c.addScores(&scores, bc.New, weightBlock)
		}
	}
	return pickCategory(&scores)
}

// addScores adds the (cached) lexicon scores of text, weighted.
func (c *classifier) addScores(scores *[numCategories]int, text string, weight int) {
	s := c.scores[text]
	if s == nil {
		s = new([numCategories]int)
		categoryScores(normText(text, c.tc), 1, s)
		c.scores[text] = s
	}
	for i, v := range s {
		scores[i] += v * weight
	}
}

// clauseBreaks end a clause for clauseAround.
var clauseBreaks = []string{". ", "; ", ": ", ", and ", ", but ", ", or ", "? ", "! "}

// clauseAround returns the clause of text that contains piece, or "".
func clauseAround(text, piece string) string {
	piece = strings.TrimSpace(piece)
	i := strings.Index(text, piece)
	if piece == "" || i < 0 {
		return ""
	}
	start, end := 0, len(text)
	for _, b := range clauseBreaks {
		if j := strings.LastIndex(text[:i], b); j >= 0 && j+len(b) > start {
			start = j + len(b)
		}
		if j := strings.Index(text[i+len(piece):], b); j >= 0 && i+len(piece)+j < end {
			end = i + len(piece) + j
		}
	}
	return text[start:end]
}
