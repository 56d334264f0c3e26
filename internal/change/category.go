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
// the changed text and the section path, and only when they have none,
// from the rest of the block.
func (c *classifier) categorize(changed string, block int, hint string) string {
	var scores [numCategories]int
	if i := slices.Index(Categories, hint); i >= 0 {
		scores[i] = hintWeight
	}
	categoryScores(normText(changed, nil), weightChanged, &scores)
	c.addScores(&scores, strings.Join(c.info[block].path, " "), weightPath)
	if slices.Max(scores[:]) == 0 { // nothing yet: look at the rest of the block
		bc := &c.bcs[block]
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
