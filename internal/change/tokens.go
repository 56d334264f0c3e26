package change

import "strings"

// tokenCache tokenizes each distinct text once per comparison and gives
// every distinct token an id, shared by both versions: the word diff maps
// ids to runes for go-diff, and similarity uses the ids of lower-cased
// words.
type tokenCache struct {
	toks   map[string][]string // text → tokens
	ids    map[string][]int32  // text → token ids
	id     map[string]int32    // token → id
	tokens []string            // id → token
	lower  []int32             // id → id of the lower-cased word; -1 when not a word
}

func newTokenCache() *tokenCache {
	return &tokenCache{toks: map[string][]string{}, ids: map[string][]int32{}, id: map[string]int32{}}
}

// get returns the tokens of s.
func (tc *tokenCache) get(s string) []string {
	if t, ok := tc.toks[s]; ok {
		return t
	}
	t := tokenize(s)
	tc.toks[s] = t
	return t
}

// cached returns the tokens of s if they are cached, else tokenizes s
// without caching it.
func (tc *tokenCache) cached(s string) []string {
	if tc != nil {
		if t, ok := tc.toks[s]; ok {
			return t
		}
	}
	return tokenize(s)
}

// idsOf returns the token ids of s.
func (tc *tokenCache) idsOf(s string) []int32 {
	if v, ok := tc.ids[s]; ok {
		return v
	}
	toks := tc.get(s)
	v := make([]int32, len(toks))
	for i, t := range toks {
		v[i] = tc.intern(t)
	}
	tc.ids[s] = v
	return v
}

// intern returns the id of a token, giving new tokens the next id.
func (tc *tokenCache) intern(t string) int32 {
	if id, ok := tc.id[t]; ok {
		return id
	}
	id := int32(len(tc.tokens))
	tc.id[t] = id
	tc.tokens = append(tc.tokens, t)
	tc.lower = append(tc.lower, -1)
	if isWord(t) {
		l := strings.ToLower(t)
		if l == t {
			tc.lower[id] = id
		} else {
			tc.lower[id] = tc.intern(l)
		}
	}
	return id
}

// runes returns the tokens of s as runes for go-diff, one rune per token
// id, or nil when there are more distinct tokens than runes.
func (tc *tokenCache) runes(s string) []rune {
	ids := tc.idsOf(s)
	if len(tc.tokens) >= maxRuneIDs {
		return nil
	}
	rs := make([]rune, len(ids))
	for i, id := range ids {
		rs[i] = idRune(id)
	}
	return rs
}

// token returns the token of a rune made by runes.
func (tc *tokenCache) token(r rune) string {
	id := int(r) - 1
	if r >= 0xD800+0x800 {
		id -= 0x800
	}
	if id < 0 || id >= len(tc.tokens) {
		return ""
	}
	return tc.tokens[id]
}
