package export

import (
	"handin/grade"
)

// kindPlace is where a group's page tells more about a kind of finding:
// the section, and whether it lists every finding of the kind (so the
// findings panel does not repeat their messages). Kinds without an entry
// are told in the panel itself.
type kindPlace struct {
	Section  string
	Itemized bool
}

// kindPlaces are the kinds a page section tells more about.
var kindPlaces = map[grade.Kind]kindPlace{
	grade.KindOldData:               {Section: "deadline-commit"},
	grade.KindBackdated:             {Section: "deadline-commit"},
	grade.KindOutOfOrder:            {Section: "deadline-commit"},
	grade.KindLateWork:              {Section: "late-commits"},
	grade.KindLateCommits:           {Section: "late-commits"},
	grade.KindNoCommits:             {Section: "contributions"},
	grade.KindAttribution:           {Section: "contributions"},
	grade.KindTickedWithoutEvidence: {Section: "claims", Itemized: true},
	grade.KindCIFailing:             {Section: "ci", Itemized: true},
	grade.KindSharedHistory:         {Section: "shared-history", Itemized: true},
	grade.KindUntickedWithEvidence:  {Section: "claims", Itemized: true},
	grade.KindSimilarAnswer:         {Section: "similar"},
	grade.KindSimilarReport:         {Section: "similar", Itemized: true},
}
