#!/usr/bin/env bash
# bench-scrape.sh: handin scrape against C git's `clone --mirror` and
# `clone --mirror --filter=blob:none` (xargs -P, the same concurrency), over
# loopback smart HTTP. Reports wall time, bytes received (the packs the
# clients stored, as they came: the protocol's small talk, ref listings and
# object-info answers, is left out) and peak RSS (GNU time -v; for xargs the
# largest single git process); then a re-scrape with nothing changed, and a
# scrape through scripts/nofilter, which hides the server's partial fetch
# (the whole fetch): its graded result.json must equal the partial one's
# field by field (but the times of the runs' own observations).
# Goal (issue 25): <= 0.35x git's full mirror wall time, <= 10% of its bytes,
# <= 256 MiB peak RSS at 4 workers, a re-scrape <= 5% of the first.
#
#   scripts/bench-scrape.sh            # synthetic: 40 repos, one of 200 MB, 4 workers
#   REPOS=10 BIG_MB=50 scripts/bench-scrape.sh
#   BIG_FILE_KB=51200 scripts/bench-scrape.sh   # 50 MB model files instead of 512 KB ones
#   GROUPS_FILES="/path/2024/groups.csv /path/2025/groups.csv" scripts/bench-scrape.sh
#                                      # real repositories, served by the server their URLs name
#   KEEP=1 BENCH_DIR=/var/tmp/bench scripts/bench-scrape.sh   # keep the fixture
set -euo pipefail

REPOS=${REPOS:-40}
BIG_MB=${BIG_MB:-200}
BIG_COMMITS=${BIG_COMMITS:-3000}
BIG_FILE_KB=${BIG_FILE_KB:-512} # size of each binary file in the big repo
WORKERS=${WORKERS:-4}
KEEP=${KEEP:-}
GROUPS_FILES=${GROUPS_FILES:-}
SPEC=${SPEC:-2026}
DEADLINE=2026-02-01T00:00:00+01:00 # for the synthetic groups, which have none of their own

cd "$(dirname "$0")/.."
[ -x /usr/bin/time ] || { echo "bench-scrape: needs GNU time (apt-get install time)" >&2; exit 2; }
for tool in git jq; do
	command -v $tool >/dev/null || { echo "bench-scrape: needs $tool" >&2; exit 2; }
done

DIR=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/bench-scrape.XXXXXX")}
mkdir -p "$DIR"
if [ -z "$GROUPS_FILES" ]; then
	# served + two mirrors + two workspaces, with room to spare
	need_kb=$(( (BIG_MB + REPOS * 3) * 1024 * 5 ))
	avail_kb=$(df -Pk "$DIR" | awk 'NR==2 {print $4}')
	if [ "$avail_kb" -lt "$need_kb" ]; then
		echo "bench-scrape: need $((need_kb / 1024)) MiB free in $DIR, have $((avail_kb / 1024)) MiB" >&2
		exit 2
	fi
fi

pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	rm -rf "$DIR/mirror" "$DIR/mirror-blobless" "$DIR/ws" "$DIR/ws-whole"
	[ -n "$KEEP" ] || rm -rf "$DIR"
}
trap cleanup EXIT

# wait_for FILE PID: until FILE is written, or PID is gone.
wait_for() {
	until [ -s "$1" ]; do
		kill -0 "$2" 2>/dev/null || { cat "$DIR"/*.log >&2; exit 1; }
		sleep 0.2
	done
}

echo "building handin and the fixture tools..."
go build -o "$DIR/handin" ./cmd/handin
go build -o "$DIR/nofilter" ./scripts/nofilter
if [ -z "$GROUPS_FILES" ]; then
	go build -o "$DIR/benchserve" ./scripts/benchserve
	rm -f "$DIR/urls.txt"
	"$DIR/benchserve" -root "$DIR/served" -repos "$REPOS" -big-mb "$BIG_MB" -big-commits "$BIG_COMMITS" -big-file-kb "$BIG_FILE_KB" \
		-csv "$DIR/synthetic.csv" -urls "$DIR/urls.txt" 2>"$DIR/serve.log" &
	pids+=($!)
	wait_for "$DIR/urls.txt" $!
	GROUPS_FILES=$DIR/synthetic.csv
	echo "fixture: $REPOS repos, $(du -sh "$DIR/served" | cut -f1) served ($(du -sh "$DIR/served/g001.git" | cut -f1) in the big one)"
fi

# The server the groups' URLs name, and a proxy in front of it that hides
# its partial fetch.
upstream=$(awk -F, 'FNR > 1 && $7 ~ /^http/ {split($7, u, "/"); print u[1] "//" u[3]; exit}' $GROUPS_FILES)
rm -f "$DIR/whole.url"
"$DIR/nofilter" -upstream "$upstream" -url-file "$DIR/whole.url" 2>"$DIR/nofilter.log" &
pids+=($!)
wait_for "$DIR/whole.url" $!
whole=$(cat "$DIR/whole.url")

# One groups.csv of every file's rows, renumbered, each with its deadline;
# the same through the proxy; and the URLs alone for C git.
awk -F, -v OFS=, -v deadline="$DEADLINE" '
	BEGIN { print "group_number,student_1,student_2,student_3,student_4,student_5,repo_url,deadline" }
	FNR == 1 { next }
	{ $1 = ++n; if (NF < 8 || $8 == "") $8 = deadline; print $1, $2, $3, $4, $5, $6, $7, $8 }' \
	$GROUPS_FILES >"$DIR/groups.csv"
sed "s|$upstream|$whole|" "$DIR/groups.csv" >"$DIR/groups-whole.csv"
awk -F, 'NR > 1 {print $7}' "$DIR/groups.csv" >"$DIR/urls.txt"
echo "course: $(($(wc -l <"$DIR/groups.csv") - 1)) groups from $upstream"

# packs_of FOLDER: bytes of the packs stored under FOLDER.
packs_of() { mkdir -p "$1" && find "$1" -name '*.pack' -printf '%s\n' | awk '{s += $1} END {print s + 0}'; }

# measure NAME FOLDER CMD...: run CMD under GNU time, record wall seconds,
# peak RSS and the bytes of the packs it added under FOLDER.
declare -A WALL RSS BYTES
measure() {
	local name=$1 folder=$2; shift 2
	local before
	before=$(packs_of "$folder")
	/usr/bin/time -v -o "$DIR/$name.time" bash -c '"$@"' _ "$@" >"$DIR/$name.out" 2>"$DIR/$name.err" || {
		echo "bench-scrape: $name failed:" >&2; tail -5 "$DIR/$name.err" >&2; exit 1; }
	WALL[$name]=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$DIR/$name.time")
	RSS[$name]=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$DIR/$name.time")
	BYTES[$name]=$(( $(packs_of "$folder") - before ))
	printf "%-24s %8.2f s %10.1f MB %6d MiB\n" "$name" "${WALL[$name]}" "$(awk -v b="${BYTES[$name]}" 'BEGIN {print b / 1e6}')" "${RSS[$name]}"
}

clone_all() { # clone_all DEST [git clone flags...]
	local dest=$1; shift
	mkdir -p "$dest"
	xargs -P "$WORKERS" -I{} sh -c 'git clone -q --mirror "$@" "$0" "'"$dest"'/$(echo "$0" | tr / _)"' {} "$@" <"$DIR/urls.txt"
}
scrape() { # scrape GROUPS WORKSPACE
	"$DIR/handin" scrape --groups "$1" --workspace "$2" --workers "$WORKERS" --timeout 30m
}

export -f clone_all scrape
export DIR WORKERS
printf "%-24s %10s %13s %10s\n" "" "wall" "received" "peak RSS"
measure git-clone-mirror "$DIR/mirror" clone_all "$DIR/mirror"
measure git-clone-blob-none "$DIR/mirror-blobless" clone_all "$DIR/mirror-blobless" --filter=blob:none
measure handin-scrape "$DIR/ws" scrape "$DIR/groups.csv" "$DIR/ws"
measure handin-rescrape "$DIR/ws" scrape "$DIR/groups.csv" "$DIR/ws"
measure handin-scrape-whole "$DIR/ws-whole" scrape "$DIR/groups-whole.csv" "$DIR/ws-whole"
grep -q "unchanged since the last run" "$DIR/handin-rescrape.out" || echo "warning: the re-scrape fetched again" >&2
tail -1 "$DIR/handin-scrape.out"

awk -v g="${WALL[git-clone-mirror]}" -v h="${WALL[handin-scrape]}" -v r="${WALL[handin-rescrape]}" -v m="${RSS[handin-scrape]}" \
	-v gb="${BYTES[git-clone-mirror]}" -v hb="${BYTES[handin-scrape]}" 'BEGIN {
	printf "handin/git full mirror: wall %.2fx (goal <= 0.35x), bytes %.1f%% (goal <= 10%%)   peak RSS: %d MiB (goal <= 256)   re-scrape: %.1f%% of fresh (goal <= 5%%)\n",
		h / g, 100 * hb / gb, m, 100 * r / h }'

# Every result.json field of the partial scrape against the whole one's;
# the times of each run's own observations differ by nature, and the
# whole one's URLs name the proxy.
for ws in ws ws-whole; do
	"$DIR/handin" grade --workspace "$DIR/$ws" --spec "$SPEC" >/dev/null || true
done
normalized='del(.. | .scraped_at?, .seen_at?) | del(.pin.evidence[]?.time)'
groups=0 differ=0
for result in "$DIR"/ws/groups/*/result.json; do
	other=$DIR/ws-whole/groups/$(basename "$(dirname "$result")")/result.json
	groups=$((groups + 1))
	if ! diff <(jq -S "$normalized" "$result") <(jq -S "$normalized" "$other" | sed "s|$whole|$upstream|g") >"$DIR/result.diff"; then
		differ=$((differ + 1))
		echo "result.json of $(dirname "$result") differs from the whole fetch's:" >&2
		head -20 "$DIR/result.diff" >&2
	fi
done
echo "result.json, partial against whole fetch: $groups groups, $differ differ"
[ "$differ" -eq 0 ]
