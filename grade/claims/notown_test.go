package claims

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// Copies of the course and agent instructions never count, and the verdict
// names them with why; the same file counts where it is the group's.
func TestFilesNotTheGroupsWorkAreNamed(t *testing.T) {
	s := mustLoad(t, "2026")
	tree := newTree(map[string]string{
		"docs/course/s7_deployment/apis.md":      "from fastapi import FastAPI\n",
		"AGENTS.md":                              "Run docker build -t api .\n",
		"project/.claude/commands/build.md":      "docker build .\n",
		"s7_deployment/exercise_files/api.py":    pyFastAPI,
		"wandb/run-20260117_1/files/config.yaml": "lr: 0.1\n",
	})
	v := checkOne(t, s, tree, "fastapi")
	if v.Status != NoEvidence || len(v.Skipped) != 1 || v.Skipped[0].Path != "s7_deployment/exercise_files/api.py" ||
		v.Skipped[0].Why != "a copy of the course's material" || !strings.Contains(v.Reason, "not counted: s7_deployment/exercise_files/api.py:2") {
		t.Errorf("fastapi in a copy of the course: %+v", v)
	}
	v = checkOne(t, s, tree, "docker-build")
	if v.Status != CannotTell || len(v.Skipped) != 2 || v.Skipped[0].Why != "instructions for a coding agent" {
		t.Errorf("docker build in agent instructions: %+v", v)
	}
	tree = newTree(map[string]string{"docs/build.md": "docker build .\n"})
	if v := checkOne(t, s, tree, "docker-build"); v.Status != Evidence || v.Skipped != nil {
		t.Errorf("docker build in the group's docs: %+v", v)
	}
}

// A template file is told by the lines a student never changes: the lines
// that hold a chosen value are left out of the hash, and a project may lie
// one folder down.
func TestFromTemplate(t *testing.T) {
	lines := func(s string) [][]byte { return bytes.Split([]byte(s), []byte("\n")) }
	// A made-up template file: line 1 holds the project's name.
	rendered := "FROM python:3.12\nCOPY src src/\nRUN pip install .\nENTRYPOINT [\"python\", \"-u\", \"src/%s/train.py\"]\n"
	hash := templateHash(lines(strings.ReplaceAll(rendered, "%s", "x")), []int{4})
	table := "# a comment\ndockerfiles/train.dockerfile\t5\t4\t" + hash + "\nsrc/*/train.py\t3\t\t" + templateHash(lines("a\nb\n"), nil) + "\n"
	files, err := parseTemplateFiles(table)
	if err != nil {
		t.Fatal(err)
	}
	if len(files["train.dockerfile"]) != 1 || !reflect.DeepEqual(files["train.py"][0].elems, []string{"src", "*", "train.py"}) {
		t.Fatalf("parsed %+v", files)
	}
	for _, tc := range []struct {
		path, content string
		want          bool
	}{
		{"dockerfiles/train.dockerfile", strings.ReplaceAll(rendered, "%s", "rice_cnn"), true},
		{"project/dockerfiles/train.dockerfile", strings.ReplaceAll(rendered, "%s", "other"), true},
		{"dockerfiles/train.dockerfile", strings.ReplaceAll(strings.ReplaceAll(rendered, "%s", "x"), "\n", "\r\n"), true},
		{"dockerfiles/train.dockerfile", strings.ReplaceAll(rendered, "3.12", "3.11"), false}, // a line of the group's own
		{"docker/train.dockerfile", strings.ReplaceAll(rendered, "%s", "x"), false},
		{"src/proj/train.py", "a\nb\n", true},
		{"train.py", "a\nb\n", false},
	} {
		if got := files.holds(strings.ToLower(tc.path), []byte(tc.content)); got != tc.want {
			t.Errorf("%s: template %v, want %v", tc.path, got, tc.want)
		}
	}
	for _, bad := range []string{"a\t1\t\n", "a\tx\t\th\n", "a\t2\t3\th\n"} {
		if _, err := parseTemplateFiles(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	if len(templateFiles()) == 0 {
		t.Error("the built-in template table is empty")
	}
}

// Comments are blanked in place (lines and offsets kept); strings that hold
// a comment marker are code.
func TestWithoutComments(t *testing.T) {
	for _, tc := range []struct {
		name, text, want string
	}{
		{"a.py", "import wandb\n# import hydra\nx = 1  # model.compile()\n", "import wandb\n              \nx = 1" + strings.Repeat(" ", 19) + "\n"},
		{"a.py", "url = \"http://a/#b\"  # c\ns = 'it''s' # d\n", "url = \"http://a/#b\"     \ns = 'it''s'    \n"},
		{"pyproject.toml", "[tool.ruff] # lint\n", "[tool.ruff]       \n"},
		{"ci.yaml", "run: echo don't # x\nurl: http://a/#frag\n", "run: echo don't    \nurl: http://a/#frag\n"},
		{"ci.yml", "key: 'a # b' # c\r\n", "key: 'a # b'    \r\n"},
		{"Makefile", "#lint:\n#\tflake8 src\n", "      \n" + strings.Repeat(" ", 12) + "\n"},
		{"api.Dockerfile", "# RUN pip install ruff\nRUN pip install x\n", "                      \nRUN pip install x\n"},
		{"app.ts", "import http from 'k6/http'; // load\nconst u = \"a//b\";\n", "import http from 'k6/http';        \nconst u = \"a//b\";\n"},
		{"README.md", "# docker build .\n", "# docker build .\n"},
		{"a.json", "{\"a\": \"#\"}\n", "{\"a\": \"#\"}\n"},
	} {
		in := []byte(tc.text)
		got := withoutComments(in, commentStyleOf(strings.ToLower(tc.name)))
		if string(got) != tc.want {
			t.Errorf("%s %q:\n got %q\nwant %q", tc.name, tc.text, got, tc.want)
		}
		if string(in) != tc.text {
			t.Errorf("%s: the file's own bytes were changed", tc.name)
		}
	}
	plain := []byte("import torch\n")
	if got := withoutComments(plain, pythonComments); &got[0] != &plain[0] {
		t.Error("a file without comments was copied")
	}
}
