package site

// CategoryLabels are the human names of the change categories (the ids of
// change.Categories), for pages, feeds and emails.
var CategoryLabels = map[string]string{
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

// CategoryLabel names a category id (an id of change.Categories); unknown ids (legal's own words) are
// shown as written.
func CategoryLabel(id string) string {
	if l, ok := CategoryLabels[id]; ok {
		return l
	}
	return id
}
