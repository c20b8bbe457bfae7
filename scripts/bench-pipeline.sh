#!/usr/bin/env bash
# bench-pipeline.sh: the whole pipeline (handin run: scrape, grade, export)
# against `git clone --mirror` of the same repositories with the same
# concurrency (xargs -P), on the demo course (24 groups) and on a synthetic
# 150-group course, both served over loopback smart HTTP by
# `handin demo --keep-serving`. Reports wall time and peak RSS (GNU time -v;
# for xargs that is the largest single git process), and the export alone.
# Goals: the pipeline <= 1.5x the clone alone; peak RSS that does not grow
# with the number of groups (SIZES="150 1000").
#
#   scripts/bench-pipeline.sh               # 24 and 150 groups, 4 workers
#   SIZES="150 300" WORKERS=8 scripts/bench-pipeline.sh
set -euo pipefail

SIZES=${SIZES:-"24 150"}
WORKERS=${WORKERS:-4}

cd "$(dirname "$0")/.."
[ -x /usr/bin/time ] || { echo "bench-pipeline: needs GNU time (apt-get install time)" >&2; exit 2; }
command -v git >/dev/null || { echo "bench-pipeline: needs git" >&2; exit 2; }

DIR=$(mktemp -d "${TMPDIR:-/tmp}/bench-pipeline.XXXXXX")
server_pid=
stop_server() {
	if [ -n "$server_pid" ]; then
		kill -INT "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
		server_pid=
	fi
}
trap 'stop_server; rm -rf "$DIR"' EXIT

echo "building handin..."
go build -o "$DIR/handin" ./cmd/handin

# measure NAME OKCODES CMD...: run CMD under GNU time (exit codes in OKCODES
# count as success), record and print wall seconds and peak RSS.
declare -A WALL RSS
measure() {
	local name=$1 ok=$2; shift 2
	local code=0
	/usr/bin/time -v -o "$DIR/$name.time" "$@" >"$DIR/$name.out" 2>"$DIR/$name.err" || code=$?
	case " $ok " in *" $code "*) ;; *)
		echo "bench-pipeline: $name exited $code:" >&2; tail -5 "$DIR/$name.err" >&2; exit 1 ;;
	esac
	WALL[$name]=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$DIR/$name.time")
	RSS[$name]=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$DIR/$name.time")
	printf "  %-24s %8.2f s %6d MiB\n" "$name" "${WALL[$name]}" "${RSS[$name]}"
}

for n in $SIZES; do
	course="$DIR/course-$n"
	echo
	echo "== $n groups, $WORKERS workers"
	# The demo builds the course, serves it, and keeps serving after its own run.
	"$DIR/handin" demo --groups "$n" --out "$course" --keep-serving >"$DIR/demo-$n.out" 2>"$DIR/demo-$n.err" &
	server_pid=$!
	until grep -q "until Ctrl-C" "$DIR/demo-$n.err"; do
		kill -0 "$server_pid" 2>/dev/null || { tail -5 "$DIR/demo-$n.err" >&2; exit 1; }
		sleep 0.2
	done
	tail -n +2 "$course/groups.csv" | awk -F, '{print $NF}' >"$DIR/urls-$n.txt"
	echo "  course: $(wc -l <"$DIR/urls-$n.txt") repositories"
	printf "  %-24s %10s %10s\n" "" "wall" "peak RSS"

	# git clone --mirror of every repository; the unreachable ones fail as
	# they do for handin.
	mkdir -p "$DIR/mirror-$n"
	measure "git-clone-mirror-$n" "0" sh -c "xargs -P $WORKERS -I{} sh -c 'git clone -q --mirror \"\$1\" \"$DIR/mirror-$n/\$(basename \"\$1\")\" 2>/dev/null || true' _ {} <'$DIR/urls-$n.txt'"
	# Exit 1: the demo groups have problems on purpose.
	measure "handin-run-$n" "0 1" "$DIR/handin" run --course "$course/handin.toml" \
		--workspace "$DIR/ws-$n" --out "$DIR/site-$n" --workers "$WORKERS"
	measure "handin-run-again-$n" "0 1" "$DIR/handin" run --course "$course/handin.toml" \
		--workspace "$DIR/ws-$n" --out "$DIR/site-$n" --workers "$WORKERS"
	# The export alone: its peak RSS must not grow with the groups' figures.
	measure "handin-export-$n" "0" "$DIR/handin" export --workspace "$DIR/ws-$n" --out "$DIR/site-$n"
	head -1 "$DIR/handin-run-$n.out" | sed 's/^/  first run:  /'
	head -1 "$DIR/handin-run-again-$n.out" | sed 's/^/  second run: /'
	awk -v g="${WALL[git-clone-mirror-$n]}" -v h="${WALL[handin-run-$n]}" -v r="${WALL[handin-run-again-$n]}" 'BEGIN {
		printf "  pipeline/clone wall: %.2fx (goal <= 1.5x)   second run: %.0f%% of the first\n", h / g, 100 * r / h }'
	stop_server
done
