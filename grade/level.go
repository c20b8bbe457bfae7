package grade

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Level says what a finding asks of the instructor. A group's state is the
// highest level of its findings.
type Level string

const (
	// LevelAct: resolve before grading (backdated on evidence, no report,
	// another group's report, a roster student missing, a question
	// deleted, data too old to trust).
	LevelAct Level = "act"
	// LevelGrade: bears on the grade (answers outside the course's limits,
	// unanswered questions, figures missing at the deadline, work that
	// arrived after it).
	LevelGrade Level = "grade"
	// LevelCheck: a person should look, it may be fine (ticked without
	// evidence, a placeholder left beside an answer, images in backticks).
	LevelCheck Level = "check"
	// LevelInfo: nothing to do.
	LevelInfo Level = "info"
)

// levelsDown are the levels, most pressing first.
var levelsDown = []Level{LevelAct, LevelGrade, LevelCheck, LevelInfo}

// AllLevels are the levels, most pressing first.
func AllLevels() []Level { return slices.Clone(levelsDown) }

// rank orders levels: 0 for act, 3 for info; unknown levels after info.
func (l Level) rank() int {
	if i := slices.Index(levelsDown, l); i >= 0 {
		return i
	}
	return len(levelsDown)
}

// Compare orders levels most pressing first (act before info), as
// slices.SortFunc takes it.
func (l Level) Compare(other Level) int { return cmp.Compare(l.rank(), other.rank()) }

// Meaning says what the level asks of the instructor, in a few words.
func (l Level) Meaning() string {
	switch l {
	case LevelAct:
		return "resolve before grading"
	case LevelGrade:
		return "bears on the grade"
	case LevelCheck:
		return "a person should look; it may be fine"
	case LevelInfo:
		return "nothing to do"
	}
	return ""
}

// lower is the level below (info stays info): what a minor finding of a
// kind weighs, such as a word count just outside its range.
func (l Level) lower() Level {
	return levelsDown[min(l.rank()+1, len(levelsDown)-1)]
}

// ParseLevel reads a level's name.
func ParseLevel(s string) (Level, error) {
	l := Level(strings.ToLower(strings.TrimSpace(s)))
	if !slices.Contains(levelsDown, l) {
		return "", fmt.Errorf("level %q: want one of %s", s, joinLevels(levelsDown))
	}
	return l, nil
}

func joinLevels(levels []Level) string {
	names := make([]string, len(levels))
	for i, l := range levels {
		names[i] = string(l)
	}
	return strings.Join(names, ", ")
}

// Levels are the level of each kind: the defaults (KindTable) with the
// course's own choices over them. The zero value is the defaults.
type Levels struct {
	own map[Kind]Level
}

// NewLevels are the defaults with these kinds at these levels (the course
// file's [levels] table: kind = level). An unknown kind or level is an
// error naming it.
func NewLevels(own map[string]string) (Levels, error) {
	ls := Levels{own: map[Kind]Level{}}
	for _, name := range slices.Sorted(maps.Keys(own)) {
		k := Kind(name)
		if _, ok := kindDefault(k); !ok {
			return Levels{}, fmt.Errorf("levels: %q is no kind of finding (see 'handin findings')", name)
		}
		l, err := ParseLevel(own[name])
		if err != nil {
			return Levels{}, fmt.Errorf("levels: %s: %w", name, err)
		}
		ls.own[k] = l
	}
	return ls, nil
}

// Of is the level of a kind: the course's choice, else its default (info
// for a kind this handin does not know).
func (ls Levels) Of(k Kind) Level {
	if l, ok := ls.own[k]; ok {
		return l
	}
	if info, ok := kindDefault(k); ok {
		return info.Level
	}
	return LevelInfo
}

// Changed reports whether the course sets the kind's level itself.
func (ls Levels) Changed(k Kind) bool {
	_, ok := ls.own[k]
	return ok
}

// level is a finding's level: its kind's, one lower for a minor finding.
func (ls Levels) level(f Finding) Level {
	l := ls.Of(f.Kind)
	if f.Minor {
		l = l.lower()
	}
	return l
}

// State is a group's verdict, the same word on every surface (CLI, index,
// page, gradebook, results.json): the highest level of its findings, ok
// when they are all information, failed when nothing was graded.
type State string

const (
	StateOK     State = "ok"     // graded, nothing to do
	StateCheck  State = "check"  // graded, a person should look
	StateGrade  State = "grade"  // graded, something bears on the grade
	StateAct    State = "act"    // graded, resolve before grading
	StateFailed State = "failed" // no deadline commit was graded
)

// States are the states in the order a course is worked through: what
// cannot be graded, then down the levels, then what is ok.
func States() []State {
	return []State{StateFailed, StateAct, StateGrade, StateCheck, StateOK}
}

// CompareStates orders states as States lists them.
func CompareStates(a, b State) int {
	order := States()
	return cmp.Compare(stateRank(order, a), stateRank(order, b))
}

func stateRank(order []State, s State) int {
	if i := slices.Index(order, s); i >= 0 {
		return i
	}
	return len(order)
}

// Meaning says what the state asks of the instructor.
func (s State) Meaning() string {
	switch s {
	case StateFailed:
		return "not graded: no deadline commit"
	case StateOK:
		return "nothing to do"
	}
	return Level(s).Meaning()
}

// stateOf is a group's state: failed without a deadline commit, else the
// highest level of its findings (ok when all are information).
func stateOf(pinned bool, findings []Finding) State {
	if !pinned {
		return StateFailed
	}
	top := LevelInfo
	for _, f := range findings {
		if f.Level.Compare(top) < 0 {
			top = f.Level
		}
	}
	if top == LevelInfo {
		return StateOK
	}
	return State(top)
}
