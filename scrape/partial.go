package scrape

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/capability"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/sideband"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/plumbing/transport/client"

	"handin/scrape/packstore"
	"handin/workspace"
)

// A partial clone holds the branch's history (every commit and folder)
// without file contents: fetched with the filter blob:none, where the
// server offers filters (GitHub does). handin reads the history for the
// pin, the statistics and the late commits' files, and at the commit that
// counts only the READMEs, the figures they name and the small text files
// the claims read: those contents are fetched by id (copyFetching), and the
// sizes of the others asked for with protocol v2's object-info
// (objectinfo.go). go-git's FetchOptions have no filter, so scrape drives
// the upload-pack session itself (protocol v0/v1, what go-git speaks) and
// feeds the packs to the clone's pack store.
//
// A server without filters, or one that does not send objects by id, gets
// the whole fetch of go-git (fetchBranch) and the clone stays whole: its
// config says why, for the group's page.

// The clone's config section of handin's own (go-git refuses a clone with
// git's extensions.partialClone).
const (
	cloneSection = "handin"
	// partialKey marks a partial clone; its value is the filter of its
	// history fetches.
	partialKey = "partialclonefilter"
	// wholeKey says why a clone was fetched whole.
	wholeKey = "fetchedwhole"
)

// clone is a group's workspace clone as this run fetched it.
type clone struct {
	repo *git.Repository
	// omitted is what the pack store of a clone no longer open (a fresh
	// clone's, before it moved into place) left out; the open clone's own
	// are read from its storage (omissions).
	omitted []packstore.Omission
	// remote fetches the file contents a partial clone lacks; nil for a
	// clone that holds every file's contents.
	remote *server
	// whole is why the clone was fetched whole ("" for a partial clone, or
	// one an earlier version of handin fetched).
	whole string
}

// omissions are the objects the packs fetched into cl this run left out.
func (cl *clone) omissions() []packstore.Omission {
	return append(slices.Clone(cl.omitted), omissions(cl.repo)...)
}

// notes say how the clone was fetched, when that matters to the page: the
// contents of every file fetched (a server without partial fetch).
func (cl *clone) notes() []string {
	if cl.whole == "" {
		return nil
	}
	return []string{"the repository was fetched whole, every file of its history: " + cl.whole}
}

// server is a group's server, as one upload-pack session.
type server struct {
	group   Group
	branch  string // the branch scraped
	auth    transport.AuthMethod
	session transport.UploadPackSession
	adv     *packp.AdvRefs
	// sizesNote says why sizes were not asked for, or not answered
	// (objectinfo.go); "" when they were.
	sizesNote string
}

// openServer starts an upload-pack session with the group's server and
// reads what it offers (its capabilities and branches).
func openServer(ctx context.Context, g Group, auth transport.AuthMethod) (*server, error) {
	ep, err := transport.NewEndpoint(gitURL(g.URL))
	if err != nil {
		return nil, err
	}
	t, err := client.NewClient(ep)
	if err != nil {
		return nil, err
	}
	session, err := t.NewUploadPackSession(ep, auth)
	if err != nil {
		return nil, err
	}
	adv, err := session.AdvertisedReferencesContext(ctx)
	if err != nil {
		return nil, err
	}
	return &server{group: g, auth: auth, session: session, adv: adv}, nil
}

// cannotServePartially says why the server cannot serve a partial clone, ""
// when it can: a filter for the history, objects by id for the contents.
// (A server that advertises the second and refuses it is found out when
// asked: fetchBlobs.)
func (p *server) cannotServePartially() string {
	switch {
	case !p.adv.Capabilities.Supports(capability.Filter):
		return "the server does not offer partial fetch (the filter capability)"
	case !p.adv.Capabilities.Supports(capability.AllowReachableSHA1InWant):
		return "the server does not send files by id (the allow-reachable-sha1-in-want capability)"
	}
	return ""
}

// fetchHistory brings the branch's commits and folders the clone lacks
// into it (without file contents where the server offers filters) and
// points the clone's branch at the server's tip.
func (p *server) fetchHistory(ctx context.Context, repo *git.Repository) error {
	ref := plumbing.NewBranchReferenceName(p.branch)
	tip, ok := p.adv.References[ref.String()]
	if !ok {
		return fmt.Errorf("branch %q: %w", p.branch, errBranchNotFound)
	}
	if repo.Storer.HasEncodedObject(tip) != nil {
		var filter packp.Filter
		if p.adv.Capabilities.Supports(capability.Filter) {
			filter = packp.FilterBlobNone()
		}
		if err := p.fetchPack(ctx, repo, []plumbing.Hash{tip}, haves(repo, ref), filter); err != nil {
			return fmt.Errorf("fetch history: %w", err)
		}
	}
	return repo.Storer.SetReference(plumbing.NewHashReference(ref, tip))
}

// maxHaves bounds the commits a history fetch says the clone holds: enough
// for the server to find where a rewritten branch parted from ours.
const maxHaves = 256

// haves are the newest commits of the clone's branch, at most maxHaves.
func haves(repo *git.Repository, ref plumbing.ReferenceName) []plumbing.Hash {
	local, err := repo.Reference(ref, true)
	if err != nil {
		return nil
	}
	start, err := repo.CommitObject(local.Hash())
	if err != nil {
		return nil
	}
	var held []plumbing.Hash
	_ = object.NewCommitPreorderIter(start, nil, nil).ForEach(func(c *object.Commit) error {
		held = append(held, c.Hash)
		if len(held) == maxHaves {
			return errStop
		}
		return nil
	})
	return held
}

// errStop ends a walk early.
var errStop = errors.New("stop")

// fetchBlobs brings file contents into the clone by their ids: one request.
func (p *server) fetchBlobs(ctx context.Context, repo *git.Repository, blobs []plumbing.Hash) error {
	if err := p.fetchPack(ctx, repo, blobs, nil, ""); err != nil {
		return fmt.Errorf("fetch %d files by id: %w", len(blobs), err)
	}
	return nil
}

// fetchPack asks the server for wants (of which the clone holds haves),
// filtered, and writes the pack it answers into the clone's pack store.
// No thin pack: the pack store needs every delta's base in its pack.
func (p *server) fetchPack(ctx context.Context, repo *git.Repository, wants, haves []plumbing.Hash, filter packp.Filter) error {
	caps := p.adv.Capabilities
	req := packp.NewUploadPackRequestFromCapabilities(caps)
	req.Capabilities.Delete(capability.ThinPack)
	if caps.Supports(capability.NoProgress) {
		if err := req.Capabilities.Set(capability.NoProgress); err != nil {
			return err
		}
	}
	if filter != "" {
		if err := req.Capabilities.Set(capability.Filter); err != nil {
			return err
		}
		req.Filter = filter
	}
	req.Wants, req.Haves = wants, haves
	res, err := p.session.UploadPack(ctx, req)
	if err != nil {
		return err
	}
	defer res.Close()
	return packfile.UpdateObjectStorage(repo.Storer, demultiplexed(req.Capabilities, res))
}

// demultiplexed is the pack data of an answer sent in side-band channels
// (progress dropped, an error message of the server's an error).
func demultiplexed(caps *capability.List, r io.Reader) io.Reader {
	switch {
	case caps.Supports(capability.Sideband64k):
		return sideband.NewDemuxer(sideband.Sideband64k, r)
	case caps.Supports(capability.Sideband):
		return sideband.NewDemuxer(sideband.Sideband, r)
	}
	return r
}

// refused reports whether a failed request for objects was the server's
// answer (an error line of the protocol: go-git keeps only its text), not a
// failure to reach it, time out, or be let in (remoteFailure's statuses).
func refused(err error) bool {
	return !workspaceFailure(err) && remoteFailure(err, true) == workspace.StatusInternalError
}

// isPartial reports whether a workspace clone is partial.
func isPartial(repo *git.Repository) bool {
	cfg, err := repo.Config()
	return err == nil && cfg.Raw.Section(cloneSection).Option(partialKey) != ""
}

// wholeReason is why a workspace clone was fetched whole, "" when it does
// not say.
func wholeReason(repo *git.Repository) string {
	cfg, err := repo.Config()
	if err != nil {
		return ""
	}
	return cfg.Raw.Section(cloneSection).Option(wholeKey)
}

// markClone records in the clone's config whether it is partial (reason
// "") or fetched whole, and why.
func markClone(repo *git.Repository, reason string) error {
	cfg, err := repo.Config()
	if err != nil {
		return &workspaceError{fmt.Errorf("clone config: %w", err)}
	}
	section := cfg.Raw.Section(cloneSection)
	if reason == "" {
		section.RemoveOption(wholeKey).SetOption(partialKey, string(packp.FilterBlobNone()))
	} else {
		section.RemoveOption(partialKey).SetOption(wholeKey, reason)
	}
	if err := repo.Storer.SetConfig(cfg); err != nil {
		return &workspaceError{fmt.Errorf("clone config: %w", err)}
	}
	return nil
}
