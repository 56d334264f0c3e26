package change_test

import (
	"encoding/json"
	"testing"

	"github.com/getspectr/redline/internal/change"
)

func TestLevelText(t *testing.T) {
	for _, l := range []change.Level{change.Editorial, change.Minor, change.Material} {
		b, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		var back change.Level
		if err := json.Unmarshal(b, &back); err != nil || back != l {
			t.Errorf("%s: round trip through %s gave %v, %v", l, b, back, err)
		}
	}
	var l change.Level
	if err := l.UnmarshalText([]byte("huge")); err == nil {
		t.Error("unknown level accepted")
	}
	if _, err := change.Level(7).MarshalText(); err == nil {
		t.Error("invalid level marshalled")
	}
	if !(change.Editorial < change.Minor && change.Minor < change.Material) {
		t.Error("levels out of order")
	}
}

func TestApplyOverride(t *testing.T) {
	material := &change.Change{Level: change.Material}
	tests := []struct {
		name, notify, reason string
		c                    *change.Change
		want                 change.Verdict
	}{
		{"auto keeps", "auto", "", material, change.Verdict{Detected: change.Material, Level: change.Material}},
		{"empty keeps", "", "ignored", material, change.Verdict{Detected: change.Material, Level: change.Material}},
		{"no", "no", " typo fixes only ", material, change.Verdict{Detected: change.Material, Level: change.Editorial,
			Override: "no", OverrideReason: "typo fixes only"}},
		{"yes", "YES", "new processor", &change.Change{Level: change.Minor}, change.Verdict{Detected: change.Minor,
			Level: change.Material, Override: "yes", OverrideReason: "new processor"}},
		{"unknown is auto", "maybe", "", material, change.Verdict{Detected: change.Material, Level: change.Material}},
		{"nil change", "", "", nil, change.Verdict{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := change.ApplyOverride(tt.c, tt.notify, tt.reason)
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if got.Notify() != (got.Level == change.Material) {
				t.Error("Notify disagrees with Level")
			}
		})
	}
	if err := change.CheckNotify("maybe"); err == nil {
		t.Error("CheckNotify accepted maybe")
	}
	if err := change.CheckNotify(" Yes "); err != nil {
		t.Error(err)
	}
	v := change.ApplyOverride(material, "no", "typo")
	if s := v.String(); s != "editorial (override: no, detected material: typo)" {
		t.Errorf("String() = %q", s)
	}
}

func TestCategories(t *testing.T) {
	if len(change.Categories) != change.NumCategories {
		t.Fatalf("%d categories, arrays sized for %d", len(change.Categories), change.NumCategories)
	}
	for _, c := range change.Categories {
		if change.CategoryLabels[c] == "" {
			t.Errorf("category %q has no label", c)
		}
	}
}
