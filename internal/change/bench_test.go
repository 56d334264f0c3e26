package change_test

import (
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/change"
	"github.com/getspectr/redline/internal/render"
)

// Policy-like text for benchmarks, from a fixed seed.
var (
	subjects = []string{"We", "Our processors", "The Company", "You", "Our support team", "Each account owner",
		"Basecamp", "Service providers", "Our staff", "Authorised users"}
	verbs = []string{"collect", "store", "share", "delete", "retain", "encrypt", "process", "review", "disclose",
		"transfer", "back up", "anonymise"}
	modalsB = []string{"will", "may", "must", "will not", "shall", "can", "do not", "never"}
	objects = []string{"your email address", "billing information", "server logs", "support conversations",
		"IP addresses", "uploaded files", "usage analytics", "account settings", "payment records", "profile pictures"}
	tails = []string{"for 30 days", "within 60 days of cancellation", "only when required by law",
		"to provide the Services", "with your consent", "as described in this policy", "for fraud prevention",
		"unless you ask us not to", "in the United States", "for as long as your account is active"}
)

// sentence makes one policy-like sentence.
func sentence(r *rand.Rand) string {
	return fmt.Sprintf("%s %s %s %s %s.", subjects[r.Intn(len(subjects))], modalsB[r.Intn(len(modalsB))],
		verbs[r.Intn(len(verbs))], objects[r.Intn(len(objects))], tails[r.Intn(len(tails))])
}

// genPolicy returns Markdown paragraphs (as units) of about size bytes.
func genPolicy(r *rand.Rand, size int) [][]string {
	var paras [][]string
	n := 0
	for n < size {
		var p []string
		switch {
		case len(paras)%12 == 0:
			p = []string{fmt.Sprintf("## Section %d: %s", len(paras)/12+1, objects[r.Intn(len(objects))])}
		case len(paras)%7 == 3: // a list: one item per sentence
			for k := 2 + r.Intn(4); k > 0; k-- {
				p = append(p, "- "+sentence(r))
			}
		default:
			for k := 2 + r.Intn(4); k > 0; k-- {
				p = append(p, sentence(r))
			}
		}
		for _, s := range p {
			n += len(s) + 1
		}
		paras = append(paras, p)
	}
	return paras
}

func markdown(paras [][]string) string {
	var sb strings.Builder
	for _, p := range paras {
		if strings.HasPrefix(p[0], "- ") {
			sb.WriteString(strings.Join(p, "\n") + "\n\n")
		} else {
			sb.WriteString(strings.Join(p, " ") + "\n\n")
		}
	}
	return sb.String()
}

// editPolicy edits a fraction of the sentences and moves a fraction of the
// paragraphs.
func editPolicy(r *rand.Rand, paras [][]string, edit, move float64) [][]string {
	out := make([][]string, len(paras))
	for i, p := range paras {
		out[i] = append([]string(nil), p...)
		if strings.HasPrefix(p[0], "#") {
			continue
		}
		for k := range out[i] {
			if r.Float64() < edit {
				out[i][k] = mutate(r, out[i][k])
			}
		}
	}
	for m := int(move * float64(len(out))); m > 0; m-- {
		a, b := r.Intn(len(out)), r.Intn(len(out))
		p := out[a]
		out = append(out[:a], out[a+1:]...)
		if b > len(out) {
			b = len(out)
		}
		out = append(out[:b], append([][]string{p}, out[b:]...)...)
	}
	return out
}

// mutate edits a sentence: a number, a negation, a rewrite or an added
// clause. List items stay list items.
func mutate(r *rand.Rand, s string) string {
	s, item := strings.CutPrefix(s, "- ")
	switch r.Intn(4) {
	case 0:
		s = strings.Replace(s, "30", "90", 1)
	case 1:
		s = strings.Replace(s, " will ", " will not ", 1)
	case 2:
		s = sentence(r)
	default:
		s = strings.Replace(s, ".", ", except where the law requires otherwise.", 1)
	}
	if item {
		s = "- " + s
	}
	return s
}

type benchPair struct {
	name     string
	old, new []render.Block
	bytes    int
}

func benchPairs(b testing.TB) []benchPair {
	r := rand.New(rand.NewSource(1))
	var ps []benchPair
	add := func(name string, oldMD, newMD string) {
		ps = append(ps, benchPair{name, blocks(b, oldMD), blocks(b, newMD), len(oldMD) + len(newMD)})
	}
	for _, size := range []int{10 << 10, 100 << 10, 1 << 20} {
		p := genPolicy(r, size)
		add(fmt.Sprintf("edit2%%/%dKB", size>>10), markdown(p), markdown(editPolicy(r, p, 0.02, 0)))
	}
	p := genPolicy(r, 1<<20)
	add("edit10%+move10%/1024KB", markdown(p), markdown(editPolicy(r, p, 0.10, 0.10)))
	add("unrelated/1024KB", markdown(p), markdown(genPolicy(rand.New(rand.NewSource(2)), 1<<20)))
	return ps
}

// BenchmarkCompare measures Compare on rendered blocks; MB/s counts the
// Markdown of both versions.
func BenchmarkCompare(b *testing.B) {
	for _, p := range benchPairs(b) {
		b.Run(p.name, func(b *testing.B) {
			b.SetBytes(int64(p.bytes))
			b.ReportAllocs()
			for b.Loop() {
				change.Compare(p.old, p.new)
			}
		})
	}
}

// capWords returns n random words from a vocabulary of a thousand.
func capWords(r *rand.Rand, n int) []string {
	var ws []string
	for len(ws) < n {
		ws = append(ws, fmt.Sprintf("w%d", r.Intn(1000)))
	}
	return ws
}

// TestWordDiffBound checks the word diff around its token cap: two
// unrelated blocks at the cap get a diff that accounts for every token,
// the same on every run (go-diff runs without a deadline), a similar pair gets a fine-grained one, and larger pairs
// fall back to a whole replacement. The cap bounds the work (Myers is
// O((N+M)·D)); BenchmarkWordDiffAtCap measures what that costs.
func TestWordDiffBound(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	half := change.MaxDiffTokens / 4 // words; each is followed by a space token
	a, b := strings.Join(capWords(r, half), " "), strings.Join(capWords(r, half), " ")
	ops := change.DiffWords(a, b)
	if old, new := sides(ops); old != a || new != b {
		t.Errorf("unrelated word diff at the cap does not add up to its inputs")
	}
	if again := change.DiffWords(a, b); !slices.Equal(again, ops) {
		t.Errorf("the same word diff gave another result the second time")
	}
	c := strings.Fields(a)
	for i := 0; i < len(c); i += 10 {
		c[i] = "changed"
	}
	if ops := change.DiffWords(a, strings.Join(c, " ")); len(ops) < len(c)/10 {
		t.Errorf("similar word diff at the cap has %d ops, want a real word diff", len(ops))
	}
	big := change.DiffWords(strings.Join(capWords(r, change.MaxDiffTokens), " "), strings.Join(capWords(r, change.MaxDiffTokens), " "))
	if len(big) != 2 || big[0].Type != change.OpDelete || big[1].Type != change.OpInsert {
		t.Errorf("word diff above the cap: %d ops, want a replacement", len(big))
	}
}

// sides rebuilds the old and new texts from a word diff.
func sides(ops []change.Op) (old, new string) {
	var o, n strings.Builder
	for _, op := range ops {
		if op.Type != change.OpInsert {
			o.WriteString(op.Text)
		}
		if op.Type != change.OpDelete {
			n.WriteString(op.Text)
		}
	}
	return o.String(), n.String()
}

// BenchmarkWordDiffAtCap measures the most expensive word diff Compare
// runs: two unrelated blocks at the token cap.
func BenchmarkWordDiffAtCap(b *testing.B) {
	r := rand.New(rand.NewSource(3))
	half := change.MaxDiffTokens / 4
	x, y := strings.Join(capWords(r, half), " "), strings.Join(capWords(r, half), " ")
	for b.Loop() {
		change.DiffWords(x, y)
	}
}
