package main

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"handin/internal/coursetime"
	"handin/internal/github"
	"handin/internal/inputfile"
	"handin/scrape"
	"handin/workspace"
)

func scrapeCommand() *cli.Command {
	return withExitCodes(&cli.Command{
		Name:  "scrape",
		Usage: "clone every group's repository and pin the commit that counts at the deadline",
		Description: `Clones (or fetches, on later runs) every group's repository in parallel into the
workspace and writes, per group, WORKSPACE/groups/NNN/snapshot.json: the deadline
commit, the commits up to it, its file tree, the commits pushed after it, and
the report folder, README files and images exported to files/.

Every run also logs the branch tip it saw (observations.jsonl). A tip seen at
or before the deadline was pushed on time, whatever its commit dates say. The
first scrape after the deadline bounds what was pushed by then: a commit dated
at or before the deadline that it did not see was pushed after the deadline
and is flagged backdated. In between, commits dated at or before the deadline
get the benefit of the doubt. So run scrape on a schedule (cron) around the
deadline, and once right after it. For repositories on GitHub (--github-host,
github.com by default), with a token, GitHub's push log gives the same
evidence by GitHub's clock, no cron needed. Groups whose snapshot is current
and whose remote did not move are not fetched again unless --refresh.

The students' names, addresses and GitHub logins (--students, a class list's
CSV with the columns id,name,email,github, or groups.csv's student_N_name,
student_N_email and student_N_github columns) go into the snapshot: 'handin
grade' matches commits with them. With a token, for repositories on GitHub,
the scrape also reads the GitHub account behind each commit address, the
name on its profile, and the CI status of the commit that counts (passing,
failing, pending, none, unknown), each once: WORKSPACE/github.json keeps
GitHub's answers.

The token (GITHUB_TOKEN, GH_TOKEN or --token-file) is sent only to
--token-host hosts (and to GitHub's API, --github-api, when --github-host is
one of them), over https (plain http only to a host written http://HOST),
and never written anywhere.

Example:
   handin scrape --groups groups.csv --deadline 2026-01-23T23:59:59+01:00 --workspace ws
   handin scrape --groups groups.csv --deadline "2026-01-23 23:59" --workspace ws --group 7 --refresh
   handin scrape --groups groups.csv --students classlist.csv --deadline 2026-01-23T23:59:59+01:00 --workspace ws`,
		Flags:  append(scrapeFlags(), &cli.BoolFlag{Name: "json", Usage: "print the outcomes as JSON instead of a table"}),
		Action: runScrape,
	}, workspaceExits(
		"every group scraped: ok or a status about what was handed in (invalid, not-found, empty-repo, no-commit-before-deadline, no-report)",
		"some group could not be looked at (timeout, network-error, auth-failed, error)"))
}

// scrapeFlags are the flags that configure a scrape, shared with commands
// that scrape as one of their steps (scrapeOptions reads them).
func scrapeFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "groups", Usage: "groups `FILE` (CSV: group_number,student_1..student_5,repo_url[,deadline][,branch])", Required: true},
		&cli.StringFlag{Name: "students", Usage: "students `FILE` (CSV: id,name,email,github, as the class list has them): whom commits are matched to"},
		&cli.StringFlag{Name: "deadline", Usage: "deadline `TIME`, RFC 3339 (2026-01-23T23:59:59+01:00) or local to --tz (2026-01-23 23:59); required unless every group has its own"},
		&cli.StringFlag{Name: "tz", Value: coursetime.DefaultZone, Usage: "course time `ZONE`: deadlines written without an offset are read in it"},
		&cli.StringFlag{Name: "workspace", Usage: "workspace `DIR` (clones, snapshots)", Required: true},
		&cli.IntFlag{Name: "workers", Value: scrape.DefaultWorkers, Usage: "`N` parallel clones"},
		&cli.IntSliceFlag{Name: "group", Usage: "scrape only group `N` (repeatable)"},
		&cli.DurationFlag{Name: "timeout", Value: scrape.DefaultTimeout, Usage: "give up on one repository after `D`, retries included"},
		&cli.BoolFlag{Name: "refresh", Usage: "scrape again groups whose snapshot is current"},
		tokenFileFlag(),
		&cli.StringSliceFlag{Name: "token-host", Value: cli.NewStringSlice(scrape.DefaultTokenHosts...), Usage: "send the token to `HOST` only, over https (http://HOST: also over plain http; repeatable)"},
		&cli.StringFlag{Name: "github-host", Value: github.DefaultHost, Usage: "`HOST` whose repositories GitHub's API serves (a GitHub Enterprise server's)"},
		&cli.StringFlag{Name: "github-api", Usage: "GitHub's REST API `URL` (default: https://api.github.com for github.com, else https://HOST/api/v3)"},
	}
}

// tokenFileFlag is --token-file, of the commands that send a token.
func tokenFileFlag() cli.Flag {
	return &cli.StringFlag{Name: "token-file", Usage: "read the access token from `FILE` (default: $GITHUB_TOKEN, then $GH_TOKEN)"}
}

// gitHubConfig is where --github-host and --github-api say GitHub's API is.
func gitHubConfig(c *cli.Context) github.Config {
	return github.Config{Host: c.String("github-host"), API: c.String("github-api")}.WithDefaults()
}

// scrapeOptions builds scrape.Options from scrapeFlags. Errors are usage
// errors (exit 2).
func scrapeOptions(c *cli.Context) (scrape.Options, error) {
	zone, err := coursetime.LoadZone(c.String("tz"))
	if err != nil {
		return scrape.Options{}, usageError("--tz: %w", err)
	}
	groups, err := scrape.ReadGroupsFile(c.String("groups"), zone)
	if err != nil {
		return scrape.Options{}, usageError("scrape: %w", err)
	}
	var students []workspace.Student
	if file := c.String("students"); file != "" {
		if students, err = scrape.ReadStudentsFile(file); err != nil {
			return scrape.Options{}, usageError("scrape: %w", err)
		}
	}
	opts := scrape.Options{
		Groups:     groups,
		Students:   students,
		GroupsFile: c.String("groups"),
		Workers:    c.Int("workers"),
		Timeout:    c.Duration("timeout"),
		Refresh:    c.Bool("refresh"),
		Only:       c.IntSlice("group"),
		TokenHosts: c.StringSlice("token-host"),
		GitHub:     gitHubConfig(c),
	}
	if err := opts.GitHub.Check(); err != nil {
		return scrape.Options{}, usageError("scrape: --github-api: %w", err)
	}
	if opts.Workers < 1 {
		return scrape.Options{}, usageError("scrape: --workers must be at least 1")
	}
	if opts.Timeout <= 0 {
		return scrape.Options{}, usageError("scrape: --timeout must be positive")
	}
	if s := c.String("deadline"); s != "" {
		if opts.Deadline, err = coursetime.ParseDeadline(s, zone); err != nil {
			return scrape.Options{}, usageError("scrape: %w", err)
		}
	} else if i := slices.IndexFunc(groups, func(g scrape.Group) bool { return g.Err == nil && g.Deadline == nil }); i >= 0 {
		return scrape.Options{}, usageError("scrape: --deadline is required (group %d has no deadline column)", groups[i].Number)
	}
	if opts.Token, err = accessToken(c.String("token-file")); err != nil {
		return scrape.Options{}, usageError("scrape: %w", err)
	}
	return opts, nil
}

// maxTokenFile bounds a token file (a token is 40 to 100 characters).
const maxTokenFile = 64 << 10

// accessToken is the token from file, else $GITHUB_TOKEN, else $GH_TOKEN
// ("" when none: public repositories need none). These two are the only
// variables read by hand: the token is never a flag (a command line is
// visible to every user of the machine).
func accessToken(file string) (string, error) {
	if file != "" {
		data, err := inputfile.Read(file, maxTokenFile)
		if err != nil {
			return "", fmt.Errorf("--token-file: %w", err)
		}
		token := strings.TrimSpace(string(data))
		if token == "" || strings.ContainsAny(token, " \t\r\n") {
			return "", fmt.Errorf("--token-file %s: want one token on one line", file)
		}
		return token, nil
	}
	for _, env := range []string{"GITHUB_TOKEN", "GH_TOKEN"} {
		if token := strings.TrimSpace(os.Getenv(env)); token != "" {
			return token, nil
		}
	}
	return "", nil
}

func runScrape(c *cli.Context) error {
	if c.NArg() > 0 {
		return usageError("scrape: unexpected argument %q (flags only)", c.Args().First())
	}
	opts, err := scrapeOptions(c)
	if err != nil {
		return err
	}
	io := streamsOf(c)
	ws, err := openWorkspace(c.String("workspace"), true)
	if err != nil {
		return err
	}
	defer closeWorkspace(ws, io)
	// On a terminal a live line shows progress and the table says the rest;
	// elsewhere (cron) one log line per group.
	sum, runErr := scrapeWithProgress(c.Context, ws, opts, io, io.logger())
	if sum != nil {
		if err := printScrape(io, sum, c.Bool("json")); err != nil {
			return err
		}
	}
	if runErr != nil {
		return ioError("scrape: %w", runErr) // exit 130 when interrupted: finished groups are kept
	}
	if sum.InfrastructureFailures() > 0 {
		return withCode(exitViolations)
	}
	return nil
}

func printScrape(io streams, sum *scrape.Summary, asJSON bool) error {
	if asJSON {
		return io.printJSON(sum)
	}
	w := io.out
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "GROUP\tSTATUS\tSHA\tLATE\tNOTE")
	counts := map[workspace.Status]int{}
	for _, o := range sum.Outcomes {
		counts[o.Status]++
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\n", o.Group, o.Status, orDash(o.Pin.SHA[:min(len(o.Pin.SHA), 10)]), o.Pin.LateCommits, outcomeNote(o))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var parts []string
	for _, s := range slices.Sorted(maps.Keys(counts)) {
		parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
	}
	_, err := fmt.Fprintf(w, "%s: %s\n", plural(len(sum.Outcomes), "group"), strings.Join(parts, ", "))
	return err
}

// outcomeNote is the table's last column. Messages can quote what a remote
// server or groups.csv said, so control characters never reach the terminal.
func outcomeNote(o scrape.Outcome) string {
	var notes []string
	if o.Resumed {
		notes = append(notes, "unchanged since the last run")
	}
	if o.Pin.Backdated {
		notes = append(notes, "backdated: commits dated before the deadline were pushed after it")
	}
	if o.Pin.NotOnBranch {
		notes = append(notes, "the branch, rewritten after the deadline, no longer contains the commit that counts")
	}
	if o.Pin.OutOfOrder {
		notes = append(notes, "history out of date order (information)")
	}
	if o.MovedTo != "" {
		notes = append(notes, "the repository moved to "+o.MovedTo)
	}
	if o.Error != "" {
		notes = append(notes, o.Error)
	}
	return printable(strings.Join(notes, "; "))
}

// scrapeWithProgress runs a scrape that shows its progress: a live line on
// a terminal (ended before Run returns), one log line per group otherwise.
func scrapeWithProgress(ctx context.Context, ws *workspace.Workspace, opts scrape.Options, io streams, logger *slog.Logger) (*scrape.Summary, error) {
	if !io.tty {
		opts.Logger = logger
		return scrape.Run(ctx, ws, opts)
	}
	live := newLiveProgress(io.err, countSelected(opts))
	defer live.finish()
	opts.Progress = live
	return scrape.Run(ctx, ws, opts)
}

// countSelected is how many groups a scrape will look at.
func countSelected(o scrape.Options) int {
	if len(o.Only) > 0 {
		return len(o.Only)
	}
	return len(o.Groups)
}
