package content

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// CheckText finds the first byte that makes src something other than UTF-8
// text: a NUL (a binary file) or an invalid UTF-8 sequence. It returns the
// 1-based line of that byte and what is wrong, or 0 and "" for text.
func CheckText(src []byte) (line int, msg string) {
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == 0:
			return lineAt(src, i), fmt.Sprintf("NUL byte at byte offset %d: this is a binary file, not UTF-8 text (save it as Markdown)", i)
		case c < utf8.RuneSelf:
			i++
			continue
		}
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n == 1 {
			return lineAt(src, i), fmt.Sprintf("invalid UTF-8: byte 0x%02x at byte offset %d: save the file as UTF-8 text", c, i)
		}
		i += n
	}
	return 0, ""
}

func lineAt(src []byte, off int) int { return bytes.Count(src[:off], []byte("\n")) + 1 }
