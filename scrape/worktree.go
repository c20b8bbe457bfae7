package scrape

import (
	"fmt"

	git "github.com/go-git/go-git/v5"
)

// TrackedFiles lists the files in a local work tree's git index (committed or
// staged), slash-separated from the repository root. These are the files the
// scrape will see once committed and pushed, unlike whatever else lies on the
// disk: a figure that was never added is missing for the graders too.
func TrackedFiles(workTree string) ([]string, error) {
	repo, err := git.PlainOpenWithOptions(workTree, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return nil, fmt.Errorf("open work tree %s: %w", workTree, err)
	}
	idx, err := repo.Storer.Index()
	if err != nil {
		return nil, fmt.Errorf("read the git index of %s: %w", workTree, err)
	}
	paths := make([]string, 0, len(idx.Entries))
	for _, e := range idx.Entries {
		paths = append(paths, e.Name)
	}
	return paths, nil
}
