#!/usr/bin/env bash
# bench-scrape.sh: handin scrape vs `git clone --mirror` (xargs -P, same
# concurrency) on a synthetic course served over loopback smart HTTP.
# Reports wall time and peak RSS (GNU time -v; for xargs that is the largest
# single git process). Goal (issue 3): handin <= 1.2x git's wall time,
# <= 256 MiB peak RSS at 4 workers, a re-scrape with nothing changed <= 10%
# of the fresh scrape.
#
#   scripts/bench-scrape.sh            # 40 repos, one of 200 MB, 4 workers
#   REPOS=10 BIG_MB=50 scripts/bench-scrape.sh
#   BIG_FILE_KB=51200 scripts/bench-scrape.sh   # 50 MB model files instead of 512 KB ones
#   KEEP=1 BENCH_DIR=/var/tmp/bench scripts/bench-scrape.sh   # keep the fixture
set -euo pipefail

REPOS=${REPOS:-40}
BIG_MB=${BIG_MB:-200}
BIG_COMMITS=${BIG_COMMITS:-3000}
BIG_FILE_KB=${BIG_FILE_KB:-512} # size of each binary file in the big repo
WORKERS=${WORKERS:-4}
KEEP=${KEEP:-}
DEADLINE=2026-02-01T00:00:00+01:00

cd "$(dirname "$0")/.."
[ -x /usr/bin/time ] || { echo "bench-scrape: needs GNU time (apt-get install time)" >&2; exit 2; }
command -v git >/dev/null || { echo "bench-scrape: needs git" >&2; exit 2; }

DIR=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/bench-scrape.XXXXXX")}
mkdir -p "$DIR"
# served + two copies (mirror, workspace), with room to spare
need_kb=$(( (BIG_MB + REPOS * 3) * 1024 * 4 ))
avail_kb=$(df -Pk "$DIR" | awk 'NR==2 {print $4}')
if [ "$avail_kb" -lt "$need_kb" ]; then
	echo "bench-scrape: need $((need_kb / 1024)) MiB free in $DIR, have $((avail_kb / 1024)) MiB" >&2
	exit 2
fi

server_pid=
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
	if [ -z "$KEEP" ]; then rm -rf "$DIR"; else rm -rf "$DIR/mirror" "$DIR/ws"; fi
}
trap cleanup EXIT

echo "building handin and the fixture server..."
go build -o "$DIR/handin" ./cmd/handin
go build -o "$DIR/benchserve" ./scripts/benchserve
rm -f "$DIR/urls.txt"
"$DIR/benchserve" -root "$DIR/served" -repos "$REPOS" -big-mb "$BIG_MB" -big-commits "$BIG_COMMITS" -big-file-kb "$BIG_FILE_KB" \
	-csv "$DIR/groups.csv" -urls "$DIR/urls.txt" 2>"$DIR/serve.log" &
server_pid=$!
until [ -s "$DIR/urls.txt" ]; do
	kill -0 "$server_pid" 2>/dev/null || { cat "$DIR/serve.log" >&2; exit 1; }
	sleep 0.2
done
echo "fixture: $REPOS repos, $(du -sh "$DIR/served" | cut -f1) served ($(du -sh "$DIR/served/g001.git" | cut -f1) in the big one)"

# measure NAME CMD...: run CMD under GNU time, record wall seconds and peak RSS.
declare -A WALL RSS
measure() {
	local name=$1; shift
	/usr/bin/time -v -o "$DIR/$name.time" "$@" >"$DIR/$name.out" 2>"$DIR/$name.err" || {
		echo "bench-scrape: $name failed:" >&2; tail -5 "$DIR/$name.err" >&2; exit 1; }
	WALL[$name]=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$DIR/$name.time")
	RSS[$name]=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$DIR/$name.time")
	printf "%-22s %8.2f s %6d MiB\n" "$name" "${WALL[$name]}" "${RSS[$name]}"
}

printf "%-22s %10s %10s\n" "" "wall" "peak RSS"
mkdir -p "$DIR/mirror"
measure git-clone-mirror sh -c "xargs -P $WORKERS -I{} sh -c 'git clone -q --mirror \"\$1\" \"$DIR/mirror/\$(basename \"\$1\")\"' _ {} <'$DIR/urls.txt'"
measure handin-scrape "$DIR/handin" scrape --groups "$DIR/groups.csv" --workspace "$DIR/ws" \
	--deadline "$DEADLINE" --workers "$WORKERS" --timeout 30m
measure handin-rescrape "$DIR/handin" scrape --groups "$DIR/groups.csv" --workspace "$DIR/ws" \
	--deadline "$DEADLINE" --workers "$WORKERS" --timeout 30m
grep -q "unchanged since the last run" "$DIR/handin-rescrape.out" || echo "warning: the re-scrape fetched again" >&2
tail -1 "$DIR/handin-scrape.out"

awk -v g="${WALL[git-clone-mirror]}" -v h="${WALL[handin-scrape]}" -v r="${WALL[handin-rescrape]}" -v m="${RSS[handin-scrape]}" 'BEGIN {
	printf "handin/git wall: %.2fx (goal <= 1.2x)   peak RSS: %d MiB (goal <= 256)   re-scrape: %.1f%% of fresh (goal <= 10%%)\n",
		h / g, m, 100 * r / h }'
