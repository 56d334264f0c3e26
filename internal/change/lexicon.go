package change

import "strings"

// numCategories is len(Categories).
const numCategories = 12

// Categories are the stable ids of the kinds of policy an edit can touch,
// in the order ties are broken.
var Categories = []string{
	"data-collected", // what personal data is collected
	"purposes",       // what it is used for
	"sharing",        // third parties, processors, transfers, disclosure
	"retention",      // how long it is kept, deletion, backups
	"security",       // encryption, breaches, access controls
	"rights",         // access, erasure, objection, portability, GDPR/CCPA
	"fees",           // prices, charges, refunds, taxes, billing
	"liability",      // warranties, liability, disputes, governing law
	"termination",    // suspension, cancellation, termination of accounts
	"children",       // children's data and age limits
	"contact",        // how to reach the company
	"other",          // none of the above
}

// lexicon lists, per category, the lower-cased word prefixes that signal
// it. A term matches at the start of a word and may span words
// ("third part" matches "third parties").
var lexicon = newMatcher(terms(map[string][]string{
	"data-collected": {"collect", "personal data", "personal info", "information we", "email address", "name",
		"address", "phone", "ip address", "ip addresses", "location", "geolocation", "cookie", "device", "browser",
		"credit card", "card number", "biometric", "contacts", "camera", "microphone", "photo", "profile picture",
		"identif", "log ", "logs", "sign up", "signup", "captcha", "gender", "race", "religio", "health",
		"sexual", "date of birth", "social security", "protected class", "demographic", "web analytics"},
	"purposes": {"purpose", "use your", "we use", "used to", "used for", "marketing", "advertis", "ads ",
		"analytics", "personaliz", "research", "improve", "fraud", "conversion", "newsletter", "promot",
		"profiling", "train", "machine learning", "legitimate interest"},
	"sharing": {"third part", "third-part", "processor", "subprocessor", "share", "sharing", "sell", "sale ", "sales of",
		"sold", "transfer", "disclos", "partner", "affiliate", "vendor", "service provider", "law enforcement",
		"government", "authorit", "subpoena", "warrant", "court order", "legal process", "integration",
		"onward", "privacy shield", "standard contractual", "scc", "data processing", "dpa", "mlat"},
	"retention": {"retain", "retention", "delete", "deletion", "deleted", "purg", "backup", "keep", "kept",
		"store", "stored", "storage", "archiv", "trash", "preserv", "erase", "remove", "forever", "indefinite"},
	"security": {"secur", "encrypt", "breach", "password", "two-factor", "2fa", "two factor", "firewall",
		"vulnerab", "audit", "access control", "penetration", "incident", "protect", "safeguard", "unauthori",
		"credential", "tls", "ssl", "https", "monitor"},
	"rights": {"right to", "your rights", "rights", "access", "rectif", "correct", "erasure", "object",
		"portab", "restrict", "opt out", "opt-out", "withdraw", "consent", "complain", "appeal", "gdpr",
		"ccpa", "cpra", "california", "non-discriminat", "discriminat", "request", "verify your", "agent",
		"export"},
	"fees": {"fee ", "fees", "price", "pricing", "charge", "refund", "bill", "invoice", "tax", "payment", "pay ",
		"paid", "subscription", "prorat", "discount", "trial", "upgrade", "downgrade", "plan", "cost",
		"free", "money", "vat", "$", "€", "£", "usd", "credit"},
	"liability": {"liab", "liable", "indemn", "warrant", "arbitrat", "jurisdiction", "governing law",
		"court", "dispute", "damages", "disclaim", "limitation of", "class action", "waive", "waiver",
		"guarantee", "as is", "as-is", "merchantab", "fitness for", "law", "legal", "agreement", "terms",
		"intellectual property", "copyright", "license", "licence", "trademark", "own", "entire agreement"},
	"termination": {"terminat", "suspen", "cancel", "close your", "closing", "deactivat", "inactive",
		"ban", "abuse", "violat", "restrict", "prohibit", "not allowed", "forbid"},
	"children": {"child", "kid", "minor ", "minors", "under 13", "under 16", "under the age", "age of",
		"parent", "guardian", "coppa", "years old"},
	"contact": {"contact", "email us", "write to", "reach us", "mailing address", "postal", "phone number",
		"support", "dpo", "data protection officer", "questions"},
}))

// normText lower-cases text and keeps its words separated by single
// spaces, with a space at each end, for lexicon matching. It uses the
// cached tokens of text if there are any, but does not cache.
func normText(text string, tc *tokenCache) string {
	var sb strings.Builder
	sb.Grow(len(text) + 2)
	sb.WriteByte(' ')
	for _, t := range tc.cached(text) {
		switch {
		case isWord(t):
			sb.WriteString(strings.ToLower(t))
			sb.WriteByte(' ')
		case t == "$" || t == "€" || t == "£":
			sb.WriteString(t)
			sb.WriteByte(' ')
		}
	}
	return sb.String()
}

// substantive lists, by category, the terms whose appearance or
// disappearance changes a commitment: a kind of data, a purpose, a right,
// a party's role, a legal term.
var substantive = newMatcher(terms(map[string][]string{
	"data-collected": {"email address", "e mail address", "phone number", "ip address", "geolocation",
		"location", "cookie", "biometric", "credit card", "billing address", "card number", "last 4",
		"profile picture", "contacts", "camera", "microphone", "photo", "health", "racial", "ethnic",
		"religio", "sexual", "genetic", "social security", "date of birth", "device identifier",
		"fingerprint", "browsing history", "purchase history", "recording", "protected class",
		"disabilit", "political", "precise", "demographic", "legal name", "full name", "captcha",
		"keystroke", "screenshot", "telemetry", "metadata", "personal data", "personal information",
		"personal info", "personally identifiable"},
	"purposes": {"marketing", "advertis", "ads", "ad ", "analytics", "tracking", "track ", "profiling",
		"personaliz", "machine learning", "artificial intelligence", "ai ", "research", "sell", "sale ", "sales of",
		"sold", "resell", "monetiz", "conversion", "newsletter", "promotional", "fraud", "spam",
		"surveillance", "scrap"},
	"sharing": {"third part", "processor", "subprocessor", "sub processor", "share", "sharing",
		"disclos", "transfer", "affiliate", "partner", "vendor", "law enforcement", "government",
		"authorit", "subpoena", "warrant", "court order", "legal process", "integration",
		"standard contractual", "adequacy", "onward", "service provider", "contractor", "acquir",
		"merger", "successor", "hashed"},
	"retention": {"retain", "retention", "delete", "deletion", "purg", "backup", "back up", "archiv",
		"forever", "indefinite", "preserv", "anonymi", "de identif", "deidentif", "aggregat", "blind",
		"trash", "recover", "log ", "logs", "logged", "logging"},
	"security": {"encrypt", "unencrypt", "breach", "two factor", "2fa", "multi factor", "penetration",
		"vulnerab", "plaintext", "plain text", "audit", "firewall", "unauthori", "penalt", "at rest",
		"in transit"},
	"rights": {"right to", "rights", "rectif", "erasure", "erase", "portab", "object to", "opt out",
		"opt in", "withdraw", "complain", "appeal", "non discriminat", "discriminat", "verify",
		"verification", "authorized agent", "do not track", "gdpr", "ccpa", "cpra", "consent",
		"arbitrat"},
	"fees": {"fee ", "fees", "price", "pricing", "charge", "refund", "invoice", "tax", "prorat", "discount",
		"trial", "renew", "payment", "paid", "free plan", "free account", "free trial", "for free",
		"free of charge", "cost", "upgrade", "downgrade", "credit"},
	"liability": {"liab", "indemn", "jurisdiction", "governing law", "venue", "court ", "courts", "dispute",
		"damages", "disclaim", "limitation", "class action", "waive", "waiver", "guarantee", "as is",
		"merchantab", "license", "licence", "intellectual property", "trademark", "supersede",
		"incorporat", "binding", "warranty", "warranties", "responsib", "lawful", "illegal", "unlawful"},
	"termination": {"terminat", "suspen", "cancel", "deactivat", "inactiv", "prohibit", "forbid",
		"not allowed", "without notice", "ban ", "bans", "banned", "restrict", "abuse", "harass", "hate", "violen",
		"malware", "spyware", "phishing", "infring"},
	"children": {"child", "under 13", "under 16", "under the age", "minors", "parent", "guardian",
		"coppa", "years old"},
	"contact": {"email us", "mailing address", "postal", "data protection officer", "dpo"},
	"other":   {"notice", "notify", "notif", "announce", "owner", "account owner", "staff", "employee", "personnel"},
}))

// termCategory returns the category of a substantive term.
func termCategory(t string) string {
	if i, ok := substantive.index[t]; ok {
		return Categories[substantive.terms[i].cat]
	}
	return "other"
}
