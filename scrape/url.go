package scrape

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"handin/internal/lazyregexp"
)

var (
	// scpLike is git's user@host:path shorthand (git@github.com:o/r.git).
	scpLike = &lazyregexp.Regexp{Expr: `^[A-Za-z0-9._-]+@([A-Za-z0-9.-]+):/?([^/].*)$`}
	// bareHost is a scheme-less URL's first segment: github.com, host:8080.
	bareHost = &lazyregexp.Regexp{Expr: `^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:[0-9]+)?$`}
	// githubName is an owner or repository name as GitHub allows them.
	githubName = &lazyregexp.Regexp{Expr: `^[A-Za-z0-9_.-]+$`}
	// urlUserinfo matches the user[:password]@ part of URLs inside text.
	urlUserinfo = &lazyregexp.Regexp{Expr: `(?i)\b([a-z][a-z0-9+.-]*://)[^/\s?#]*@`}
)

// NormalizeURL turns a repository URL as students paste it into an https
// clone URL and a browsable web URL. GitHub URLs are reduced to
// https://github.com/OWNER/REPO(.git), dropping /tree/..., /blob/... and
// similar suffixes; ssh and scp-like forms become https. Other http(s) hosts
// keep their scheme, host and path (minus a trailing slash). Credentials,
// queries and fragments are dropped. Any other scheme, and anything that could
// name the local filesystem, is an error.
func NormalizeURL(raw string) (clone, web string, err error) {
	clone, web, err = normalizeURL(strings.TrimSpace(raw))
	if err != nil {
		return "", "", fmt.Errorf("repository URL %q: %w", redactRepoURL(strings.TrimSpace(raw)), err)
	}
	return clone, web, nil
}

func normalizeURL(s string) (clone, web string, err error) {
	if s == "" {
		return "", "", errors.New("empty")
	}
	if strings.ContainsAny(s, " \t\r\n\\") {
		return "", "", errors.New("contains whitespace or a backslash")
	}
	if !strings.Contains(s, "://") {
		if m := scpLike.FindStringSubmatch(s); m != nil {
			s = "ssh://" + m[1] + "/" + m[2]
		} else if first, _, _ := strings.Cut(s, "/"); bareHost.MatchString(first) {
			s = "https://" + s
		} else {
			return "", "", errors.New("not an http(s) URL (local paths are not allowed)")
		}
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", "", err
	}
	switch u.Scheme = strings.ToLower(u.Scheme); u.Scheme {
	case "http", "https":
	case "ssh", "git+ssh":
		// Cloned over https: the ssh user and port mean nothing there.
		u.Scheme, u.Host = "https", u.Hostname()
	case "file":
		return "", "", errors.New("file URLs are not allowed: a repository URL must not point at the local filesystem")
	default:
		return "", "", fmt.Errorf("unsupported scheme %q: use the repository's https URL", u.Scheme)
	}
	if u.Hostname() == "" {
		return "", "", errors.New("no host")
	}
	if name := strings.ToLower(u.Hostname()); name == "github.com" || name == "www.github.com" {
		return normalizeGitHub(u.Path)
	}
	repoPath := strings.TrimRight(u.Path, "/")
	if repoPath == "" {
		return "", "", errors.New("no repository path")
	}
	clean := url.URL{Scheme: u.Scheme, Host: strings.ToLower(u.Host), Path: repoPath}
	clone = clean.String()
	return clone, strings.TrimSuffix(clone, ".git"), nil
}

// normalizeGitHub keeps the OWNER/REPO part of a github.com path.
func normalizeGitHub(urlPath string) (clone, web string, err error) {
	var segments []string
	for _, seg := range strings.Split(urlPath, "/") {
		if seg != "" {
			segments = append(segments, seg)
		}
	}
	if len(segments) < 2 {
		return "", "", errors.New("a GitHub URL needs an owner and a repository: https://github.com/OWNER/REPO")
	}
	owner, repo := segments[0], strings.TrimSuffix(segments[1], ".git")
	for _, name := range []string{owner, repo} {
		if !githubName.MatchString(name) || strings.Trim(name, ".") == "" {
			return "", "", fmt.Errorf("%q is not a GitHub owner or repository name", name)
		}
	}
	web = "https://github.com/" + owner + "/" + repo
	return web + ".git", web, nil
}

// repositoryKey names the repository of a normalised clone URL (see
// workspace.RosterRow.Repo): rows of groups.csv with the same key name one
// repository however they wrote it. "" for "".
func repositoryKey(clone string) string {
	_, rest, _ := strings.Cut(clone, "://")
	return strings.TrimSuffix(strings.ToLower(rest), ".git")
}

// RedactURL removes the user[:password]@ part of every URL inside s, so a
// token never reaches a log line, an error message or a file.
func RedactURL(s string) string {
	return urlUserinfo.ReplaceAllString(s, "$1")
}

// redactRepoURL is RedactURL for one repository URL as pasted into
// groups.csv, where a scheme-less "ghp_TOKEN@github.com/o/r" must lose its
// user part too (RedactURL keeps git@host:path readable in free text).
func redactRepoURL(raw string) string {
	raw = RedactURL(raw)
	if strings.Contains(raw, "://") {
		return raw
	}
	host, _, _ := strings.Cut(raw, "/")
	if at := strings.LastIndex(host, "@"); at >= 0 {
		return raw[at+1:]
	}
	return raw
}
