package grade

import (
	"slices"
	"strings"
	"testing"

	"handin/parse"
)

// groupURLs are a group's repository addresses as a snapshot has them.
var groupURLs = []string{"https://github.com/Org/MLOps-Project.git", "https://github.com/Org/MLOps-Project", ""}

func TestFigureResolver(t *testing.T) {
	tree := map[string]bool{"reports/figures/a.png": true, "docs/b.png": true}
	exists := func(p string) bool { return tree[strings.ToLower(p)] }
	in := func(p string) Figure { return Figure{Kind: FigureInRepo, Path: p} }
	own := func(p, ref, url string) Figure { return Figure{Kind: FigureOwnURL, Path: p, Ref: ref, URL: url} }
	outside := Figure{Kind: FigureOutside}
	for _, tt := range []struct {
		dir, target string
		want        Figure
	}{
		{"reports", "figures/a.png", in("reports/figures/a.png")},
		{"reports", "./figures/a.png?raw=true", in("reports/figures/a.png")},
		{"reports", "figures/a.png#top", in("reports/figures/a.png")},
		{"reports", "../docs/b.png", in("docs/b.png")},
		// root-relative: GitHub reads it from the repository root
		{"reports", "/reports/figures/a.png", in("reports/figures/a.png")},
		{"reports", "/etc/hosts", in("etc/hosts")},
		// percent escapes decoded as a browser sends them; a lone % kept
		{"reports", "figures/W%26B%20loss.png", in("reports/figures/W&B loss.png")},
		{"reports", "figures/100%.png", in("reports/figures/100%.png")},
		{"reports", "figures/cloud bill.jpeg", in("reports/figures/cloud bill.jpeg")}, // from <...> or a raw-space link
		{"reports", "figures/12:30.png", in("reports/figures/12:30.png")},
		{".", "figures/my%20plot.png", in("figures/my plot.png")},
		{"", "a.png", in("a.png")},
		// climbing out, the author's disk, other schemes
		{"reports", "../../a.png", outside},
		{"reports", "figures/../../../a.png", outside},
		{"reports", "/../a.png", outside},
		{"reports", "%2E%2E/%2E%2E/a.png", outside},
		{".", "../a.png", outside},
		{"reports", "C:\\Users\\me\\a.png", outside},
		{"reports", "\\\\server\\a.png", outside},
		{"reports", "file:///etc/passwd", outside},
		{"reports", "javascript:alert(1)", outside},
		{"reports", "", outside},
		{"reports", "/", outside},
		{"reports", "data:image/png;base64,AAAA", Figure{Kind: FigureData}},
		// remote images
		{"reports", "HTTPS://x.org/a.png", Figure{Kind: FigureRemote, URL: "https://x.org/a.png"}},
		{"reports", "//x.org/a.png", Figure{Kind: FigureRemote, URL: "https://x.org/a.png"}},
		{"reports", "https://github.com/other/repo/blob/main/reports/figures/a.png", Figure{Kind: FigureRemote,
			URL: "https://github.com/other/repo/blob/main/reports/figures/a.png"}},
		{"reports", "https://github.com/Org/MLOps-Project/issues/3", Figure{Kind: FigureRemote, URL: "https://github.com/Org/MLOps-Project/issues/3"}},
		{"reports", "https://github.com/user-attachments/assets/0f1e", Figure{Kind: FigureRemote, URL: "https://github.com/user-attachments/assets/0f1e"}},
		// URLs into the group's own repository (owner and name in any case)
		{"reports", "https://github.com/Org/MLOps-Project/blob/main/reports/figures/a.png",
			own("reports/figures/a.png", "main", "https://github.com/Org/MLOps-Project/blob/main/reports/figures/a.png")},
		{"reports", "https://github.com/org/mlops-project/blob/main/reports/figures/a.png?raw=true",
			own("reports/figures/a.png", "main", "https://github.com/org/mlops-project/blob/main/reports/figures/a.png?raw=true")},
		{"reports", "https://www.github.com/Org/MLOps-Project/raw/0123abc/docs/b.png",
			own("docs/b.png", "0123abc", "https://www.github.com/Org/MLOps-Project/raw/0123abc/docs/b.png")},
		{"reports", "https://raw.githubusercontent.com/Org/MLOps-Project/main/reports/figures/W%26B%20loss.png",
			own("reports/figures/W&B loss.png", "main", "https://raw.githubusercontent.com/Org/MLOps-Project/main/reports/figures/W%26B%20loss.png")},
		{"reports", "https://raw.githubusercontent.com/Org/MLOps-Project/refs/heads/main/docs/b.png",
			own("docs/b.png", "refs/heads/main", "https://raw.githubusercontent.com/Org/MLOps-Project/refs/heads/main/docs/b.png")},
		// a branch with a slash: the split whose path the tree holds
		{"reports", "https://github.com/Org/MLOps-Project/blob/feature/report/reports/figures/a.png",
			own("reports/figures/a.png", "feature/report", "https://github.com/Org/MLOps-Project/blob/feature/report/reports/figures/a.png")},
		{"reports", "https://github.com/Org/MLOps-Project/blob/main/../../x.png", outside},
	} {
		got := NewFigureResolver(tt.dir, groupURLs, exists).Resolve(tt.target)
		if got != tt.want {
			t.Errorf("Resolve(%q) from %q = %+v, want %+v", tt.target, tt.dir, got, tt.want)
		}
	}
}

func TestGitHubRepo(t *testing.T) {
	for _, tt := range []struct{ address, owner, name string }{
		{"https://github.com/o/r.git", "o", "r"},
		{"https://github.com/o/r", "o", "r"},
		{"https://www.github.com/o/r/", "o", "r"},
		{"git@github.com:o/r.git", "o", "r"},
		{"https://gitlab.com/o/r.git", "", ""},
		{"git@gitlab.com:o/r.git", "", ""},
		{"https://github.com/o", "", ""},
		{"", "", ""},
	} {
		owner, name, ok := githubRepo(tt.address)
		if owner != tt.owner || name != tt.name || ok != (tt.owner != "") {
			t.Errorf("githubRepo(%q) = %q %q %v, want %q %q", tt.address, owner, name, ok, tt.owner, tt.name)
		}
	}
}

// linkFormsReport has one figure reference of every form in Question 4
// (the report is in reports/).
const linkFormsReport = `# Report

### Question 1
> Answer:

7

### Question 4
> Answer:

![root](/reports/figures/root.png)
![escaped](figures/W%26B%20loss.png)
![angle](<figures/cloud bill.jpeg>)
![raw spaces](figures/cloud bill.jpeg)
![raw spaces, no file](figures/no such file.png)
![raw spaces, case](figures/Cloud Bill.jpeg)
![own](https://github.com/Org/MLOps-Project/blob/main/reports/figures/root.png)
![own raw](https://raw.githubusercontent.com/Org/MLOps-Project/main/reports/figures/W%26B%20loss.png)
![own, raw=true, added later](https://github.com/Org/MLOps-Project/blob/main/reports/figures/later.png?raw=true)
![own, old commit](https://github.com/org/mlops-project/blob/1111111/reports/figures/root.png)
![own, later commit](https://github.com/Org/MLOps-Project/blob/9999999999/reports/figures/later.png)
![own, case](https://github.com/Org/MLOps-Project/blob/main/reports/figures/ROOT.png)
![own, tag](https://github.com/Org/MLOps-Project/blob/v1.0/reports/figures/root.png)
![someone else's](https://github.com/other/repo/blob/main/reports/figures/root.png)
![out](../../secret.png)
![relative to the root](reports/figures/root.png)
`

func TestFigureLinkForms(t *testing.T) {
	r, err := parse.Parse([]byte(linkFormsReport))
	if err != nil {
		t.Fatal(err)
	}
	repo := Repository{
		ReportDir: "reports",
		Files:     NewRepoFiles([]string{"reports/README.md", "reports/figures/root.png", "reports/figures/W&B loss.png", "reports/figures/cloud bill.jpeg"}),
		URLs:      groupURLs, Branch: "main",
		History: []string{"1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"},
	}
	res := Check("report.md", r, miniSpec, repo)
	type finding struct {
		kind    Kind
		problem bool
		message string
	}
	got := map[string][]finding{}
	for _, f := range res.Questions[3].Findings {
		got[f.Target] = append(got[f.Target], finding{f.Kind, f.Reason(), f.Message})
	}
	want := map[string][]finding{
		"figures/cloud bill.jpeg": {{KindSpacesInLink, true,
			"the link has spaces: GitHub shows the text, not an image (write figures/cloud%20bill.jpeg or <figures/cloud bill.jpeg>); the file exists"}},
		"figures/no such file.png": {{KindSpacesInLink, true,
			"the link has spaces: GitHub shows the text, not an image (write figures/no%20such%20file.png or <figures/no such file.png>); file reports/figures/no such file.png is not in the repository either"}},
		"figures/Cloud Bill.jpeg": {{KindSpacesInLink, true,
			"the link has spaces: GitHub shows the text, not an image (write figures/Cloud%20Bill.jpeg or <figures/Cloud Bill.jpeg>); the file is reports/figures/cloud bill.jpeg (letter case differs)"}},
		"https://github.com/Org/MLOps-Project/blob/main/reports/figures/root.png": {{KindOwnRepoURL, false,
			"URL of reports/figures/root.png in the group's repository (branch main: GitHub shows it as the branch is now, not as at the deadline): the file is in the repository at the deadline"}},
		"https://raw.githubusercontent.com/Org/MLOps-Project/main/reports/figures/W%26B%20loss.png": {{KindOwnRepoURL, false,
			"URL of reports/figures/W&B loss.png in the group's repository (branch main: GitHub shows it as the branch is now, not as at the deadline): the file is in the repository at the deadline"}},
		"https://github.com/Org/MLOps-Project/blob/main/reports/figures/later.png?raw=true": {{KindMissingFile, true,
			"URL of reports/figures/later.png in the group's repository (branch main: GitHub shows it as the branch is now, not as at the deadline): the file is not in the repository at the deadline"}},
		"https://github.com/org/mlops-project/blob/1111111/reports/figures/root.png": {{KindOwnRepoURL, false,
			"URL of reports/figures/root.png in the group's repository (commit 1111111, at or before the deadline commit): the file is in the repository at the deadline"}},
		"https://github.com/Org/MLOps-Project/blob/9999999999/reports/figures/later.png": {{KindMissingFile, true,
			"URL of reports/figures/later.png in the group's repository (commit 9999999999: not in the history up to the deadline commit, so made later or on another branch): the file is not in the repository at the deadline"}},
		"https://github.com/Org/MLOps-Project/blob/main/reports/figures/ROOT.png": {{KindCaseMismatch, true,
			"URL of reports/figures/ROOT.png in the group's repository (branch main: GitHub shows it as the branch is now, not as at the deadline): the file is reports/figures/root.png (letter case differs: broken on GitHub)"}},
		"https://github.com/Org/MLOps-Project/blob/v1.0/reports/figures/root.png": {{KindOwnRepoURL, false,
			"URL of reports/figures/root.png in the group's repository (ref v1.0: another branch or a tag): the file is in the repository at the deadline"}},
		"https://github.com/other/repo/blob/main/reports/figures/root.png": {{KindRemoteImage, false,
			"remote image: shown from its address while that serves it, not from the files of the deadline commit"}},
		"../../secret.png": {{KindOutsideRepo, true,
			"image path leads out of the repository (or to a file on the author's own disk): GitHub cannot show it"}},
		"reports/figures/root.png": {{KindMissingFile, true,
			"file reports/reports/figures/root.png is not in the repository (reports/figures/root.png exists: links are relative to the report's folder; write /reports/figures/root.png for a path from the repository root)"}},
	}
	// /reports/figures/root.png, figures/W%26B%20loss.png and
	// <figures/cloud bill.jpeg> resolve to files that exist: nothing to say.
	for target, fs := range got {
		if !slices.Equal(fs, want[target]) {
			t.Errorf("%s:\n got %+v\nwant %+v", target, fs, want[target])
		}
	}
	for target := range want {
		if got[target] == nil {
			t.Errorf("%s: no finding", target)
		}
	}
	// The checker counts every ![..](..), raw spaces too.
	if q := res.Questions[3]; q.Images != 16 {
		t.Errorf("Q4 images %d, want 16", q.Images)
	}
}

// TestFigureFilesUnknown: without the repository's files, figure files are
// not looked for, and the result says so.
func TestFigureFilesUnknown(t *testing.T) {
	r, err := parse.Parse([]byte(linkFormsReport))
	if err != nil {
		t.Fatal(err)
	}
	res := Check("report.md", r, miniSpec, Repository{ReportDir: "reports", URLs: groupURLs})
	if res.FilesChecked {
		t.Error("files checked without a file list")
	}
	for _, f := range res.Questions[3].Findings {
		if f.Kind == KindMissingFile || f.Kind == KindCaseMismatch {
			t.Errorf("%s without a file list: %s", f.Kind, f.Text())
		}
	}
	if !checkText(t, linkFormsReport, miniSpec, NewRepoFiles(nil)).FilesChecked {
		t.Error("an empty file list is a file list")
	}
}
