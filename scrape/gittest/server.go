package gittest

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// GitAvailable reports whether the git binary (needed for git http-backend)
// is installed.
func GitAvailable() error {
	if _, err := exec.LookPath("git"); err != nil {
		return errors.New("git is not installed: apt-get install git")
	}
	return nil
}

// Server serves every bare repository directly under a root folder as
// URL/<name> (e.g. URL/g07.git) over smart HTTP on 127.0.0.1, through
// `git http-backend`. It serves as GitHub does: partial fetch (the filter
// capability), any object by id, protocol v2 with object-info. Faults, and
// servers that offer less, can be set up per repository name.
type Server struct {
	URL string // base URL, e.g. http://127.0.0.1:41234

	root    string
	http    *httptest.Server
	backend *cgi.Handler
	closing chan struct{} // closed by Close: releases hung requests
	once    sync.Once

	mu       sync.Mutex
	faults   map[string]*fault
	requests map[string]int
}

// fault is the misbehaviour configured for one repository name.
type fault struct {
	hang       bool
	failLeft   int
	failCode   int
	redirectTo string
	token      string
	// What the repository's server does not offer (see WithoutFilter,
	// RefusingObjectWants, ProtocolV0Only).
	noFilter, noObjectWants, v0Only bool
}

// NewServer starts serving the bare repositories under root.
func NewServer(root string) (*Server, error) {
	if err := GitAvailable(); err != nil {
		return nil, err
	}
	gitPath, err := exec.LookPath("git")
	if err != nil {
		return nil, fmt.Errorf("find git: %w", err)
	}
	root, err = filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("serve %s: %w", root, err)
	}
	if info, err := os.Stat(root); err != nil {
		return nil, fmt.Errorf("serve %s: %w", root, err)
	} else if !info.IsDir() {
		return nil, fmt.Errorf("serve %s: not a folder", root)
	}
	s := &Server{
		root: root,
		backend: &cgi.Handler{
			Path: gitPath,
			Args: []string{"http-backend"},
			Dir:  root,
			Env: []string{
				"GIT_PROJECT_ROOT=" + root,
				"GIT_HTTP_EXPORT_ALL=1",
				// Keep the host's git configuration out of the served repos.
				"GIT_CONFIG_NOSYSTEM=1",
				"GIT_CONFIG_GLOBAL=/dev/null",
			},
		},
		closing:  make(chan struct{}),
		faults:   map[string]*fault{},
		requests: map[string]int{},
	}
	s.http = httptest.NewServer(s)
	s.URL = s.http.URL
	return s, nil
}

// Close stops the server, releasing hung requests first.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.closing)
		s.http.Close()
	})
}

// RepoURL is the clone URL of the repository folder name under the root.
func (s *Server) RepoURL(name string) string { return s.URL + "/" + name }

// Hang makes every request for name block until the client gives up or the
// server closes.
func (s *Server) Hang(name string) { s.update(name, func(f *fault) { f.hang = true }) }

// FailNext makes the next n requests for name answer with status code.
func (s *Server) FailNext(name string, n, code int) {
	s.update(name, func(f *fault) { f.failLeft, f.failCode = n, code })
}

// Redirect answers requests for oldName with a 301 to the same path under
// newName, as GitHub does for a renamed repository.
func (s *Server) Redirect(oldName, newName string) {
	s.update(oldName, func(f *fault) { f.redirectTo = newName })
}

// RequireToken answers 401 for name unless the request carries HTTP basic
// auth whose password is token (any user name).
func (s *Server) RequireToken(name, token string) { s.update(name, func(f *fault) { f.token = token }) }

// WithoutFilter serves name as a server without partial fetch: no filter
// capability (uploadpack.allowFilter off).
func (s *Server) WithoutFilter(name string) { s.update(name, func(f *fault) { f.noFilter = true }) }

// RefusingObjectWants serves name as a server that advertises fetching by
// id (allow-reachable-sha1-in-want) yet refuses a want of anything but a
// commit, a file's contents by id: it answers as git's upload-pack does
// when it refuses a want ("ERR upload-pack: not our ref").
func (s *Server) RefusingObjectWants(name string) {
	s.update(name, func(f *fault) { f.noObjectWants = true })
}

// ProtocolV0Only serves name as a server that speaks protocol v0 alone (it
// ignores a client's Git-Protocol header), so it offers no object-info.
func (s *Server) ProtocolV0Only(name string) { s.update(name, func(f *fault) { f.v0Only = true }) }

// Reset removes every fault configured for name.
func (s *Server) Reset(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.faults, name)
}

// Requests is how many requests have hit name, faulty answers included.
func (s *Server) Requests(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[name]
}

func (s *Server) update(name string, change func(*fault)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.faults[name]
	if f == nil {
		f = &fault{}
		s.faults[name] = f
	}
	change(f)
}

// ServeHTTP applies the faults configured for the repository named by the
// first path segment, then hands the request to git http-backend.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if name == "" || name == "." || name == ".." || strings.Contains(name, `\`) {
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	s.requests[name]++
	var f fault
	if configured := s.faults[name]; configured != nil {
		f = *configured
		if configured.failLeft > 0 {
			configured.failLeft--
		}
	}
	s.mu.Unlock()

	switch {
	case f.hang:
		select {
		case <-r.Context().Done():
		case <-s.closing:
		}
		http.Error(w, "hung request released", http.StatusServiceUnavailable)
		return
	case f.failLeft > 0:
		http.Error(w, "injected failure", f.failCode)
		return
	case f.redirectTo != "":
		target := "/" + f.redirectTo + "/" + rest
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return
	case f.token != "":
		if _, password, ok := r.BasicAuth(); !ok || password != f.token {
			w.Header().Set("WWW-Authenticate", `Basic realm="gittest"`)
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return
		}
	}
	// A repository is a folder of the root, or one folder down (OWNER/NAME.git, as on GitHub).
	owned, _, _ := strings.Cut(rest, "/")
	if !isRepo(filepath.Join(s.root, name)) && (owned == "" || owned == ".." || !isRepo(filepath.Join(s.root, name, owned))) {
		http.NotFound(w, r)
		return
	}
	if f.v0Only {
		r.Header.Del("Git-Protocol")
	}
	if f.noObjectWants && r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/git-upload-pack") {
		if refused := refuseObjectWant(w, r, filepath.Join(s.root, name)); refused {
			return
		}
	}
	backend := *s.backend
	backend.Env = append(slices.Clone(s.backend.Env), uploadPackConfig(f)...)
	backend.ServeHTTP(w, r)
}

// uploadPackConfig is the git configuration, as environment variables, of
// what upload-pack lets clients fetch: as GitHub does, unless f says less.
func uploadPackConfig(f fault) []string {
	settings := [][2]string{
		{"uploadpack.allowFilter", strconv.FormatBool(!f.noFilter)},
		{"uploadpack.allowAnySHA1InWant", "true"},
		// git 2.39 always offers object-info with protocol v2; later
		// versions only when told to.
		{"transfer.advertiseObjectInfo", "true"},
	}
	env := []string{fmt.Sprintf("GIT_CONFIG_COUNT=%d", len(settings))}
	for i, kv := range settings {
		env = append(env, fmt.Sprintf("GIT_CONFIG_KEY_%d=%s", i, kv[0]), fmt.Sprintf("GIT_CONFIG_VALUE_%d=%s", i, kv[1]))
	}
	return env
}

// isRepo: dir holds a bare repository.
func isRepo(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "HEAD"))
	return err == nil
}
