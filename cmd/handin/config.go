package main

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/urfave/cli/v2"

	"handin/grade"
	"handin/grade/claims"
	"handin/internal/inputfile"
)

// CourseFileName is the course file looked for in the working folder.
const CourseFileName = "handin.toml"

// courseKey is one key of the course file and the flag it fills.
type courseKey struct {
	key  string // in handin.toml
	flag string // flag name; its environment variable is HANDIN_<FLAG>
	path bool   // a path, relative to the course file's folder
}

// courseKeys are every key handin.toml may hold. The token itself is never
// one of them: only the file holding it.
var courseKeys = []courseKey{
	{key: "groups", flag: "groups", path: true},
	{key: "students", flag: "students", path: true},
	{key: "deadline", flag: "deadline"},
	{key: "time_zone", flag: "tz"},
	{key: "spec", flag: "spec", path: true},
	{key: "claims", flag: "claims", path: true},
	{key: "authors", flag: "authors", path: true},
	{key: "workspace", flag: "workspace", path: true},
	{key: "out", flag: "out", path: true},
	{key: "workers", flag: "workers"},
	{key: "timeout", flag: "timeout"},
	{key: "group_timeout", flag: "group-timeout"},
	{key: "token_file", flag: "token-file", path: true},
	{key: "token_hosts", flag: "token-host"},
	{key: "github_host", flag: "github-host"},
	{key: "github_api", flag: "github-api"},
	{key: "levels", flag: "level"}, // a table: kind = level
	{key: "rubric", flag: "rubric", path: true},
	{key: "graders", flag: "grader"},
	{key: "feedback_template", flag: "feedback-template", path: true},
	{key: "feedback_levels", flag: "feedback-level"},
	{key: "feedback_title", flag: "feedback-title"},
	{key: "archive", flag: "archive", path: true},
	{key: "name", flag: "name"},
	{key: "similarity_share", flag: "similarity-share"},
	{key: "similarity_words", flag: "similarity-words"},
	{key: "similarity_common", flag: "similarity-common"},
}

// envName is the environment variable that sets a flag: HANDIN_TOKEN_FILE
// for --token-file.
func envName(flag string) string {
	return "HANDIN_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// courseFlag is --course, shared by the commands that read the course file.
func courseFlag() cli.Flag {
	return &cli.StringFlag{Name: "course", Usage: "course `FILE` (default: ./" + CourseFileName + " when it exists)"}
}

// withEnvironment lets every course-key flag (and --course) be set by its
// HANDIN_* environment variable, through urfave/cli like any flag, so that
// --help names the variable too.
func withEnvironment(flags []cli.Flag) []cli.Flag {
	for _, f := range flags {
		name := f.Names()[0]
		if name != "course" && !slices.ContainsFunc(courseKeys, func(k courseKey) bool { return k.flag == name }) {
			continue
		}
		env := []string{envName(name)}
		switch f := f.(type) {
		case *cli.StringFlag:
			f.EnvVars = env
		case *cli.IntFlag:
			f.EnvVars = env
		case *cli.DurationFlag:
			f.EnvVars = env
		case *cli.StringSliceFlag:
			f.EnvVars = env
		default:
			panic(fmt.Sprintf("course key --%s: flag type %T takes no environment variable", name, f))
		}
	}
	return flags
}

// applyCourse fills every flag of c that neither the command line nor its
// HANDIN_* environment variable set from the course file (--course, or
// ./handin.toml when present). Precedence: flag > environment > course file
// > the flag's default. It returns the course file used ("" when none).
func applyCourse(c *cli.Context) (string, error) {
	file := courseFile(c)
	if file == "" {
		return "", nil
	}
	values, err := readCourseFile(file)
	if err != nil {
		return "", usageError("%w", err)
	}
	for _, k := range courseKeys {
		v, ok := values[k.key]
		if !ok || explicitlySet(c, k.flag) || !hasFlag(c.Command, k.flag) {
			continue
		}
		if err := setFlag(c, k.flag, v); err != nil {
			return "", usageError("%s: %s: %w", file, k.key, err)
		}
	}
	return file, nil
}

// explicitlySet: the flag was given on the command line or by a non-empty
// environment variable (an empty HANDIN_DEADLINE= in a cron table means
// "not set", not "no deadline").
func explicitlySet(c *cli.Context, flag string) bool {
	if v, ok := os.LookupEnv(envName(flag)); ok && strings.TrimSpace(v) == "" && c.String(flag) == "" {
		return false
	}
	return c.IsSet(flag)
}

// courseFile is the course file a command reads: --course, else
// ./handin.toml when it exists, else "".
func courseFile(c *cli.Context) string {
	if file := c.String("course"); file != "" {
		return file
	}
	if _, err := os.Stat(CourseFileName); err == nil {
		return CourseFileName
	}
	return ""
}

// withCourse lets a command take its settings from the course file: it adds
// --course and checks the command's required flags after the course file and
// the HANDIN_* variables had their say (urfave/cli checks them before).
func withCourse(cmd *cli.Command) *cli.Command {
	var required []string
	for _, f := range cmd.Flags {
		if sf, ok := f.(*cli.StringFlag); ok && sf.Required {
			sf.Required = false
			required = append(required, sf.Name)
		}
	}
	cmd.Flags = withEnvironment(append(cmd.Flags, courseFlag()))
	action := cmd.Action
	cmd.Action = func(c *cli.Context) error {
		if _, err := applyCourse(c); err != nil {
			return err
		}
		for _, name := range required {
			if c.String(name) == "" {
				return usageError("%s: no %s: give --%s, set %s in %s, or write a course file with 'handin init'",
					cmd.Name, name, name, courseKeyOf(name), CourseFileName)
			}
		}
		return action(c)
	}
	return cmd
}

func hasFlag(cmd *cli.Command, name string) bool {
	return slices.ContainsFunc(cmd.Flags, func(f cli.Flag) bool { return slices.Contains(f.Names(), name) })
}

// courseKeyOf is the course-file key of a flag.
func courseKeyOf(flag string) string {
	for _, k := range courseKeys {
		if k.flag == flag {
			return k.key
		}
	}
	return flag
}

func setFlag(c *cli.Context, flag string, values []string) error {
	for _, v := range values {
		if err := c.Set(flag, v); err != nil {
			return fmt.Errorf("invalid value %q: %w", v, err)
		}
	}
	return nil
}

// maxCourseFile bounds the course file (handin init writes 2 KB).
const maxCourseFile = 1 << 20

// readCourseFile reads handin.toml into flag values by key, each as the
// strings to set: paths made relative to the file's folder, numbers and
// lists spelled out. Unknown keys are errors (a typo must not be ignored).
func readCourseFile(name string) (map[string][]string, error) {
	raw := map[string]any{}
	text, err := inputfile.Read(name, maxCourseFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("course file %s does not exist (write one with 'handin init')", name)
	}
	if err != nil {
		return nil, fmt.Errorf("course file: %w", err)
	}
	md, err := toml.Decode(string(text), &raw)
	if err != nil {
		return nil, fmt.Errorf("course file %s: %w", name, err)
	}
	dir := filepath.Dir(name)
	values := map[string][]string{}
	for _, key := range md.Keys() {
		if len(key) > 1 {
			continue // inside a table ([levels]): read with the table
		}
		k := key.String()
		i := slices.IndexFunc(courseKeys, func(ck courseKey) bool { return ck.key == k })
		if i < 0 && strings.Contains(strings.ToLower(k), "token") {
			return nil, fmt.Errorf("course file %s: %q: the token itself never goes in the course file: put it in a file of its own and set token_file", name, k)
		}
		if i < 0 {
			return nil, fmt.Errorf("course file %s: unknown key %q (known: %s)", name, k, knownKeys())
		}
		ck := courseKeys[i]
		strs, err := courseValue(raw[k])
		if err != nil {
			return nil, fmt.Errorf("course file %s: %s: %w", name, k, err)
		}
		if ck.path {
			for j, s := range strs {
				strs[j] = resolveCoursePath(dir, s, builtinNames(ck.key))
			}
		}
		values[k] = strs
	}
	return values, nil
}

// courseValue spells a TOML value as the flag strings that set it.
func courseValue(v any) ([]string, error) {
	switch v := v.(type) {
	case string:
		return []string{v}, nil
	case int64:
		return []string{fmt.Sprint(v)}, nil
	case time.Time: // an unquoted TOML date-time
		switch v.Location().String() {
		case "datetime-local": // no offset: read in time_zone
			return []string{v.Format("2006-01-02T15:04:05")}, nil
		case "date-local", "time-local": // not an instant: midnight UTC or year 0
			return nil, fmt.Errorf("%s is not a date with a time of day (write 2026-01-23T23:59:59)", tomlLocal(v))
		}
		return []string{v.Format(time.RFC3339)}, nil
	case []any:
		var out []string
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("list item %v is not a string", e)
			}
			out = append(out, s)
		}
		return out, nil
	case map[string]any: // a table of names: key=value, as the flag takes it
		var out []string
		for _, k := range slices.Sorted(maps.Keys(v)) {
			s, ok := v[k].(string)
			if !ok {
				return nil, fmt.Errorf("%s = %v is not a string", k, v[k])
			}
			out = append(out, k+"="+s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("want a string, a whole number, a list of strings or a table of strings, not %T", v)
}

// tomlLocal spells a TOML local date or local time as written.
func tomlLocal(t time.Time) string {
	if t.Location().String() == "date-local" {
		return t.Format(time.DateOnly)
	}
	return t.Format(time.TimeOnly)
}

// builtinNames are the built-in names a course-file key takes besides a
// path: specs and claims rules by year.
func builtinNames(key string) []string {
	switch key {
	case "spec":
		return grade.BuiltinSpecs()
	case "claims":
		return claims.List()
	}
	return nil
}

// resolveCoursePath makes a course-file path relative to the file's folder
// ("~/" is the home folder). A built-in name is not a path.
func resolveCoursePath(dir, p string, builtins []string) string {
	if slices.Contains(builtins, p) {
		return p
	}
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	if filepath.IsAbs(p) || p == "" {
		return p
	}
	return filepath.Join(dir, p)
}

func knownKeys() string {
	keys := make([]string, len(courseKeys))
	for i, k := range courseKeys {
		keys[i] = k.key
	}
	return strings.Join(keys, ", ")
}
