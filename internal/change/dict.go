package change

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
	"sort"
	"strings"
	"sync"
)

// wordsGz is the list of lower-case English words of Debian's wamerican
// 2020.12.07-2 (SCOWL; see dict/COPYRIGHT), one a line, gzipped:
//
//	grep -E '^[a-z]+$' /usr/share/dict/american-english | sort -u | gzip -9
//
// It tells a misspelt word corrected ("recieve" → "receive") from one
// real word replaced by another ("data" → "date"), and ordinary words
// that start a sentence from names.
//
//go:embed dict/words.txt.gz
var wordsGz []byte

// The word list is kept as one string and the offsets of its words, in
// sorted order: no pointers for the garbage collector to scan on every
// cycle, as a map of 64,000 strings would have.
var (
	dictOnce  sync.Once
	dictWords string   // the words, sorted, one after the other
	dictAt    []uint32 // where each word starts in dictWords; one more for the end
)

// isDictWord reports whether w, lower-cased, is an English word (or the
// plural or possessive of one).
func isDictWord(w string) bool {
	dictOnce.Do(loadDict)
	w = strings.TrimSuffix(lowerWord(w), "'s")
	if inDict(w) {
		return true
	}
	if b, ok := strings.CutSuffix(w, "s"); ok {
		return inDict(b)
	}
	return false
}

// inDict looks w up in the sorted list.
func inDict(w string) bool {
	n := len(dictAt) - 1
	word := func(i int) string { return dictWords[dictAt[i]:dictAt[i+1]] }
	i := sort.Search(n, func(i int) bool { return word(i) >= w })
	return i < n && word(i) == w
}

func loadDict() {
	zr, err := gzip.NewReader(bytes.NewReader(wordsGz))
	if err != nil {
		return // an embedded file that does not decompress is caught by TestDict
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return
	}
	var sb strings.Builder
	sb.Grow(len(raw))
	at := make([]uint32, 0, 64001)
	for line := range bytes.Lines(raw) {
		line = bytes.TrimRight(line, "\n")
		if len(line) == 0 {
			continue
		}
		at = append(at, uint32(sb.Len()))
		sb.Write(line)
	}
	dictWords, dictAt = sb.String(), append(at, uint32(sb.Len()))
}

// realWordSwap reports whether two different words are both English words
// and not spelling variants or inflections of each other ("data" and
// "date", "processors" and "professors"): a change of word, not a typo.
func realWordSwap(a, b string) bool {
	if a == b || !isDictWord(a) || !isDictWord(b) || inflection(a, b) {
		return false
	}
	return spellingVariant(a) != spellingVariant(b)
}

// variants are the spellings British and American English write
// differently ("cancelled", "canceled"; "organise", "organize").
var variants = strings.NewReplacer("ll", "l", "our", "or", "ise", "ize", "isa", "iza", "yse", "yze", "tre", "ter",
	"ogue", "og", "ae", "e", "oe", "e", "ence", "ense")

func spellingVariant(w string) string { return variants.Replace(w) }
