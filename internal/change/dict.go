package change

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
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

var (
	dictOnce sync.Once
	dict     map[string]struct{}
)

// isDictWord reports whether w, lower-cased, is an English word (or the
// plural or possessive of one).
func isDictWord(w string) bool {
	dictOnce.Do(loadDict)
	w = strings.TrimSuffix(strings.ToLower(w), "'s")
	if _, ok := dict[w]; ok {
		return true
	}
	if b, ok := strings.CutSuffix(w, "s"); ok {
		_, ok = dict[b]
		return ok
	}
	return false
}

func loadDict() {
	dict = make(map[string]struct{}, 64000)
	zr, err := gzip.NewReader(bytes.NewReader(wordsGz))
	if err != nil {
		return // an embedded file that does not decompress is caught by TestDict
	}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		dict[sc.Text()] = struct{}{}
	}
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
