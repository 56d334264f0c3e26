package change

import "time"

// Internals for tests in change_test.

// SlowestWordDiff returns the longest time one word diff has taken.
func SlowestWordDiff() time.Duration { return time.Duration(slowestWordDiff.Load()) }

// ResetSlowestWordDiff forgets it.
func ResetSlowestWordDiff() { slowestWordDiff.Store(0) }

// WordDiffTimeout is go-diff's deadline for one word diff.
const WordDiffTimeout = wordDiffTimeout

// MaxDiffTokens bounds the tokens of one word diff.
const MaxDiffTokens = maxDiffTokens

// DiffWords exposes the word diff.
func DiffWords(a, b string) []Op { return diffWords(a, b, newTokenCache()) }

// NumCategories is the size of the category score arrays.
const NumCategories = numCategories

// CategoryLabels are the names of the categories in reasons.
var CategoryLabels = categoryLabels
