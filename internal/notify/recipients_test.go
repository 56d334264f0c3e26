package notify_test

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/notify"
)

// screenAll reads csv through a Screen for a version published 2026-03-27
// and returns "line:email" for admitted rows and "line:reason" for skips.
func screenAll(csvText, suppress string) ([]string, error) {
	sup := notify.NewSuppressions()
	if err := sup.ReadSuppressions(strings.NewReader(suppress), "suppress.txt"); err != nil {
		return nil, err
	}
	rr, err := notify.NewRecipientReader(strings.NewReader(csvText), "users.csv")
	if err != nil {
		return nil, err
	}
	sc, err := notify.NewScreen("users.csv", day("2026-03-27"), sup)
	if err != nil {
		return nil, err
	}
	defer sc.Close()
	var out []string
	for {
		r, err := rr.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		if k, ok, _ := sc.Check(r); ok {
			out = append(out, fmt.Sprintf("%d:%s", r.Line, r.Email))
		} else {
			out = append(out, fmt.Sprintf("%d:%s", k.Line, k.Reason))
		}
	}
}

func TestRecipients(t *testing.T) {
	tests := []struct {
		name     string
		csv      string
		suppress string
		want     string // rows joined by " "
		wantErr  string
	}{
		{name: "minimal", csv: "email\na@example.com\n", want: "2:a@example.com"},
		{name: "all columns any order, BOM, spaces",
			csv:  "\uFEFFsigned_up, Name ,LOCALE,Email\n2026-01-01,Ann,de, a@example.com \n",
			want: "2:a@example.com"},
		{name: "invalid addresses",
			csv:  "email\nnot-an-address\n\"Eve <eve@example.com>\"\neve@example.com (comment)\n\"a@example.com\r\nBcc: x@example.com\"\nnodot@localhost\n\"\"\n",
			want: "2:invalid address 3:invalid address 4:invalid address 5:invalid address 7:invalid address 8:invalid address"},
		{name: "duplicate, case-insensitive",
			csv:  "email\nAnn@Example.com\nbob@example.com\nann@example.COM\n",
			want: "2:Ann@Example.com 3:bob@example.com 4:duplicate"},
		{name: "suppressed by file",
			csv: "email\nann@example.com\nBob@Example.com\n", suppress: "# comment\n\nbob@example.com # left in March\n",
			want: "2:ann@example.com 3:suppressed"},
		{name: "signed up after publication",
			csv:  "email,signed_up\na@example.com,2026-03-26\nb@example.com,2026-03-27\nc@example.com,2026-03-28\nd@example.com,\n",
			want: "2:a@example.com 3:b@example.com 4:signed up after 5:d@example.com"},
		{name: "quoted newline in a name keeps line numbers",
			csv:  "email,name\na@example.com,\"Ann\nSmith\"\nb@example.com,Bob\n",
			want: "2:a@example.com 4:b@example.com"},
		{name: "extra columns are ignored", csv: "email,phone,Plan\na@example.com,1,2\n", want: "2:a@example.com"},
		{name: "no email column", csv: "name\nAnn\n", wantErr: `users.csv:1: no "email" column`},
		{name: "column twice", csv: "email,Email\na@example.com,b@example.com\n", wantErr: `users.csv:1: column "email" appears twice`},
		{name: "empty file", csv: "", wantErr: "users.csv: empty file"},
		{name: "ragged row", csv: "email,name\na@example.com,Ann\nb@example.com\n",
			want: "2:a@example.com", wantErr: "users.csv:3: wrong number of fields"},
		{name: "bad quoting", csv: "email,name\na@example.com,\"Ann\nb@example.com,Bob\n",
			wantErr: "users.csv:2:"},
		{name: "bad date: one skipped row", csv: "email,signed_up\na@example.com,2026-13-01\nb@example.com,2026-01-01\n",
			want: "2:bad row 3:b@example.com"},
		{name: "locales are BCP 47", csv: "email,locale\na@example.com,de-CH\nb@example.com,en_US!\nc@example.com,\n",
			want: "2:a@example.com 3:bad row 4:c@example.com"},
		{name: "oversized name and field", csv: "email,name\na@example.com," + strings.Repeat("n", 201) + "\nb@example.com," + strings.Repeat("x", 2000) + "\nc@example.com,Cy\n",
			want: "2:bad row 3:bad row 4:c@example.com"},
		{name: "not UTF-8", csv: "email,name\na@example.com,Andr\xe9\nb@example.com,André\n",
			want: "2:bad row 3:b@example.com"},
		{name: "bad suppress line", csv: "email\na@example.com\n", suppress: "ok@example.com\nnot an address\n",
			wantErr: `suppress.txt:2: "not an address"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := screenAll(tc.csv, tc.suppress)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if tc.want != "" || tc.wantErr == "" {
				if g := strings.Join(got, " "); g != tc.want {
					t.Errorf("got  %s\nwant %s", g, tc.want)
				}
			}
		})
	}
}

func TestSkipString(t *testing.T) {
	sc, err := notify.NewScreen("users.csv", day("2026-03-27"), nil)
	must(t, err)
	defer sc.Close()
	sc.Check(notify.Recipient{Email: "a@example.com", Line: 2})
	k, ok, _ := sc.Check(notify.Recipient{Email: "A@example.com", Line: 9})
	if ok || k.String() != `users.csv:9: "A@example.com": duplicate (first on line 2)` {
		t.Fatalf("%v %q", ok, k)
	}
}

// FuzzRecipients feeds arbitrary bytes through the reader and the screen:
// errors are fine, panics are not, and admitted addresses are always bare.
func FuzzRecipients(f *testing.F) {
	f.Add("email,name\na@example.com,Ann\n")
	f.Add("email,signed_up\n\"a@b.c\",2026-01-01\n")
	f.Add("\uFEFFemail\n\"x\r\ny\"@example.com\n")
	f.Add("email,name\n\"unterminated\n")
	f.Add("email\n@\n<a@b.c>\n")
	f.Fuzz(func(t *testing.T, data string) {
		rr, err := notify.NewRecipientReader(strings.NewReader(data), "f.csv")
		if err != nil {
			return
		}
		sc, err := notify.NewScreen("f.csv", day("2026-03-27"), notify.NewSuppressions())
		if err != nil {
			t.Fatal(err)
		}
		defer sc.Close()
		for range 10000 {
			r, err := rr.Next()
			if err != nil {
				return
			}
			if _, ok, _ := sc.Check(r); ok && strings.ContainsAny(r.Email, "\r\n <>\",") {
				t.Fatalf("admitted %q", r.Email)
			}
		}
	})
}
