#!/usr/bin/env bash
# Issue 16's measurements, one after another in the same conditions: `ingest` and `commands` on SQLite before
# the async store (OLD: a worktree at 1140277, the last main before the move) and now (this checkout), and on
# PostgreSQL now, each twice in mirrored order (old, new, postgres, postgres, new, old), so that a drift in the
# machine's load weighs on each alike. The load average (uptime) is written before each run. Each run's
# results are copied to bench/results/issue16/ and summed up in bench/results/issue16/summary.md.
#
#   bench/issue16.sh [ingest] [commands]        (both when none is named)
#
# OLD (default: ../bench-old beside this checkout) is made when missing: `git worktree add OLD 1140277` with a
# copy of this checkout's node_modules, and the cached million-item store linked into it, so both read one file.
# PG (default: the local test server) is the server for --db; each run there uses its own schema.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
old=${OLD:-$(dirname "$here")/bench-old}
pg=${PG:-postgres://postgres@127.0.0.1:5432/test}
out=$here/bench/results/issue16
benches=("$@")
[ ${#benches[@]} -eq 0 ] && benches=(ingest commands)
mkdir -p "$out"

if [ ! -d "$old" ]; then
  git -C "$here" worktree add --detach "$old" 1140277
  cp -a "$here/node_modules" "$old/"
fi
store=bench/.cache/stores/store-1000000-200d-seed14-g1.db
if [[ " ${benches[*]} " == *" commands "* ]]; then
  # Generated once (about 3-10 minutes), by this checkout; the old one reads the same file.
  [ -f "$here/$store" ] || (cd "$here" && npx tsx -e "import('./bench/lib/store-gen.ts').then((m) => m.generatedStore({ items: 1_000_000, days: 200, seed: 14 }))")
  mkdir -p "$old/bench/.cache/stores"
  [ -f "$old/$store" ] || ln "$here/$store" "$old/$store" 2>/dev/null || cp "$here/$store" "$old/$store"
fi

# run LABEL DIR BENCH RESULT [ARGS...]: one benchmark run, its load before it, and a copy of its results.
run() {
  local label=$1 dir=$2 bench=$3 result=$4
  shift 4
  rm -f "$dir/bench/results/$result.json"
  echo "$label $(date -u +%H:%M:%S) $(uptime | sed 's/.*load average/load average/')" | tee -a "$out/runs.txt"
  (cd "$dir" && npm run -s bench -- "$bench" "$@") >"$out/$label.log" 2>&1 || echo "$label exited $? (see $out/$label.log)" | tee -a "$out/runs.txt"
  cp "$dir/bench/results/$result.json" "$out/$label.json" 2>/dev/null || true
}

echo "== $(date -u +%FT%TZ) new $(git -C "$here" rev-parse --short HEAD), old $(git -C "$old" rev-parse --short HEAD)" >>"$out/runs.txt"
for b in "${benches[@]}"; do
  run "$b-sqlite-old-1" "$old" "$b" "$b"
  run "$b-sqlite-new-1" "$here" "$b" "$b"
  run "$b-postgres-1" "$here" "$b" "$b-postgres" --db "$pg"
  run "$b-postgres-2" "$here" "$b" "$b-postgres" --db "$pg"
  run "$b-sqlite-new-2" "$here" "$b" "$b"
  run "$b-sqlite-old-2" "$old" "$b" "$b"
done
(cd "$here" && npx tsx bench/lib/issue16-summary.ts "$out")
