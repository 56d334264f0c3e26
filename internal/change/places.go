package change

import "strings"

// places are the names of countries and of the regions legal texts name
// as places of processing or of jurisdiction, lower-cased. A name of
// several words is listed whole; isPlace looks a word up with the word
// before it.
var places = set(
	// regions and unions
	"eu", "eea", "european union", "european economic area", "europe", "asia", "africa", "oceania",
	"north america", "south america", "latin america", "middle east", "apac", "emea", "americas",
	// countries
	"afghanistan", "albania", "algeria", "andorra", "angola", "argentina", "armenia", "australia",
	"austria", "azerbaijan", "bahamas", "bahrain", "bangladesh", "barbados", "belarus", "belgium",
	"belize", "benin", "bhutan", "bolivia", "bosnia", "botswana", "brazil", "brunei", "bulgaria",
	"burundi", "cambodia", "cameroon", "canada", "chad", "chile", "china", "colombia", "congo",
	"costa rica", "croatia", "cuba", "cyprus", "czechia", "czech republic", "denmark", "djibouti",
	"dominica", "ecuador", "egypt", "el salvador", "eritrea", "estonia", "eswatini", "ethiopia", "fiji",
	"finland", "france", "gabon", "gambia", "georgia", "germany", "ghana", "greece", "grenada",
	"guatemala", "guinea", "guyana", "haiti", "honduras", "hong kong", "hungary", "iceland", "india",
	"indonesia", "iran", "iraq", "ireland", "israel", "italy", "jamaica", "japan", "jordan",
	"kazakhstan", "kenya", "kosovo", "kuwait", "kyrgyzstan", "laos", "latvia", "lebanon", "lesotho",
	"liberia", "libya", "liechtenstein", "lithuania", "luxembourg", "macau", "madagascar", "malawi",
	"malaysia", "maldives", "mali", "malta", "mauritania", "mauritius", "mexico", "moldova", "monaco",
	"mongolia", "montenegro", "morocco", "mozambique", "myanmar", "namibia", "nepal", "netherlands",
	"new zealand", "nicaragua", "niger", "nigeria", "north korea", "north macedonia", "norway", "oman",
	"pakistan", "palestine", "panama", "paraguay", "peru", "philippines", "poland", "portugal",
	"puerto rico", "qatar", "romania", "russia", "rwanda", "samoa", "san marino", "saudi arabia",
	"senegal", "serbia", "seychelles", "sierra leone", "singapore", "slovakia", "slovenia", "somalia",
	"south africa", "south korea", "korea", "spain", "sri lanka", "sudan", "suriname", "sweden",
	"switzerland", "syria", "taiwan", "tajikistan", "tanzania", "thailand", "togo", "tonga", "trinidad",
	"tunisia", "turkey", "türkiye", "turkmenistan", "uganda", "ukraine", "united arab emirates", "uae",
	"united kingdom", "uk", "united states", "usa", "u.s", "u.s.a", "uruguay", "uzbekistan", "vanuatu",
	"venezuela", "vietnam", "viet nam", "yemen", "zambia", "zimbabwe", "england", "scotland", "wales",
	"northern ireland", "britain", "great britain",
)

// isPlace returns the place a word names with the word before it ("United
// States", "Hong Kong") or alone ("Canada"), lower-cased, or "".
func isPlace(w *word) string {
	if !capitalized(w.text) {
		return ""
	}
	if w.prev != "" {
		if two := lowerWord(w.prev) + " " + w.lower; places[two] {
			return two
		}
	}
	if l := strings.TrimSuffix(w.lower, "."); places[l] {
		return l
	}
	return ""
}
