package site

// categoryLabels are the human names of the change categories (the ids of
// change.Categories), for pages, feeds and emails.
var categoryLabels = map[string]string{
	"data-collected": "Data collected",
	"purposes":       "Purposes",
	"sharing":        "Sharing and processors",
	"retention":      "Retention",
	"security":       "Security",
	"rights":         "User rights",
	"fees":           "Fees and refunds",
	"liability":      "Liability and disputes",
	"termination":    "Termination",
	"children":       "Children",
	"contact":        "Contact",
	"other":          "Other",
}

// categoryLabel names a category id; unknown ids (legal's own words) are
// shown as written.
func categoryLabel(id string) string {
	if l, ok := categoryLabels[id]; ok {
		return l
	}
	return id
}
