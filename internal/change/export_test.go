package change

// Internals for tests in change_test.

// MaxDiffTokens bounds the tokens of one word diff.
const MaxDiffTokens = maxDiffTokens

// DiffWords exposes the word diff.
func DiffWords(a, b string) []Op { return diffWords(a, b, newTokenCache()) }

// NumCategories is the size of the category score arrays.
const NumCategories = numCategories

// CategoryLabels are the names of the categories in reasons.
var CategoryLabels = categoryLabels
