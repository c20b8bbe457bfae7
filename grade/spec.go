package grade

// Spec is a course year's template: the constraints of every question.
type Spec struct {
	Name      string         `json:"name" toml:"name"`
	Year      int            `json:"year" toml:"year"`
	Source    string         `json:"source,omitempty" toml:"source,omitempty"`
	Questions []QuestionSpec `json:"questions" toml:"question"`
}

// QuestionSpec is one question's constraints; nil means unconstrained.
type QuestionSpec struct {
	Number int    `json:"number" toml:"number"`
	Words  *Range `json:"words,omitempty" toml:"words,omitempty"`
	Images *Range `json:"images,omitempty" toml:"images,omitempty"`
}

// DefaultSpec is the newest built-in spec.
const DefaultSpec = "2026"

// LoadSpec returns a built-in spec by name ("2026") or reads a spec file.
func LoadSpec(nameOrFile string) (*Spec, error) { panic("TODO") }
