package parse

// WordCount counts the words of a text exactly as the course checker does
// (Python's len(text.split())).
func WordCount(text string) int { return pyWordCount(text) }

// ImageCount counts the `![alt](target)` matches of a text exactly as the
// course checker does (its re.findall pattern; a match never spans lines).
func ImageCount(text string) int { return len(checkerImage.FindAllStringIndex(text, -1)) }
