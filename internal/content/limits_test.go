package content_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/content"
	"github.com/getspectr/redline/internal/render"
)

// nestedList is the pathological shape: each item one level deeper,
// indented 2 spaces a level (2,000 levels are 4 MB).
func nestedList(levels int) string {
	var b strings.Builder
	for i := range levels {
		b.WriteString(strings.Repeat("  ", i) + "- item\n")
	}
	return b.String()
}

// legalText is realistic Markdown of about size bytes: sections,
// paragraphs and three-level lists.
func legalText(size int) string {
	const section = "## Information we collect\n\nWe collect the information you give us when you create an account, " +
		"and the information your devices send us when you use the service. We will not sell it.\n\n" +
		"1. Account data: your name, email address and password.\n   - billing details, when you pay;\n     - the last four digits of your card.\n" +
		"2. Usage data, kept for **90 days**; see [retention](#retention).\n\n> Where the law requires it, we ask for your consent first.\n\n"
	return "# Privacy Policy\n\n" + strings.Repeat(section, size/len(section))
}

// BenchmarkLimits measures what the limits buy: refusing the issue's
// inputs before parsing, and parsing what the limits still let through.
func BenchmarkLimits(b *testing.B) {
	refuse := map[string]string{
		"refuse/2000-level-list-4MB":       nestedList(2000),
		"refuse/10000-level-one-line-20KB": strings.Repeat("- ", 10000) + "x\n",
		"refuse/2000-levels-at-limit":      nestedList(2000)[:content.MaxFileSize-1],
	}
	for _, name := range []string{"refuse/2000-level-list-4MB", "refuse/10000-level-one-line-20KB", "refuse/2000-levels-at-limit"} {
		path := filepath.Join(b.TempDir(), "2026-01-01.md")
		if err := os.WriteFile(path, []byte(refuse[name]), 0o644); err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := content.ReadVersion(path); err == nil {
					b.Fatal("accepted")
				}
			}
		})
	}
	r := render.New(render.Options{})
	parse := []struct{ name, src string }{
		{"parse/legal-text-60KB", legalText(60 << 10)},
		{"parse/legal-text-at-limit", legalText(content.MaxFileSize)},
		{"parse/16-level-list", nestedList(content.MaxNesting)},
		{"parse/limit-of-one-heading", strings.Repeat("# a\n", content.MaxFileSize/4)},
		{"parse/limit-of-16-level-lines", strings.Repeat(strings.Repeat("- ", content.MaxNesting)+"x\n", content.MaxFileSize/(2*content.MaxNesting+2))},
		{"parse/limit-of-link-opens-in-16KB-blocks", blocks("[a](")},
		{"parse/limit-of-mixed-emphasis-in-16KB-blocks", blocks("*_a")},
		{"parse/limit-of-16-level-quotes", strings.Repeat(strings.Repeat("> ", content.MaxNesting)+"x\n", content.MaxFileSize/(2*content.MaxNesting+2))},
	}
	for _, p := range parse {
		b.Run(p.name, func(b *testing.B) {
			b.SetBytes(int64(len(p.src)))
			for b.Loop() {
				if _, err := r.Render(render.Input{Body: []byte(p.src)}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// blocks fills a file of MaxFileSize with blocks of MaxBlockSize made of
// unit repeated: goldmark's inline parser is quadratic on such text.
func blocks(unit string) string {
	block := strings.Repeat(unit, (content.MaxBlockSize-1)/len(unit)) + "\n\n"
	return strings.Repeat(block, content.MaxFileSize/len(block))
}
