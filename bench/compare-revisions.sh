#!/usr/bin/env bash
# Runs one benchmark on an earlier revision and on the working tree, alternately, in one run, so that a refactor's
# cost is read as a ratio measured side by side on the same noisy machine (never against a number from another day).
#
#   bench/compare-revisions.sh <revision> <npm script> [rounds]
#   e.g. BENCH_SECONDS=5 BENCH_ONLY=bare,one-click,email bench/compare-revisions.sh e364759 bench:sign 2
#
# The revision is checked out into a temporary git worktree (removed afterwards); it shares this checkout's
# node_modules when its package-lock.json is the same, else gets its own `npm ci`. Each run's output (the benchmark's
# Markdown table) is printed under "## <label>, round N" and kept in bench-compare-<script>.log. BENCH_APPEND=0 is
# set so neither run appends to BENCHMARKS.md.
set -euo pipefail
rev="${1:?revision}"; script="${2:?npm script}"; rounds="${3:-1}"
root="$(cd "$(dirname "$0")/.." && pwd)"
old="$(mktemp -d)/old"
git -C "$root" worktree add -q --detach "$old" "$rev"
trap 'git -C "$root" worktree remove --force "$old"' EXIT
if git -C "$root" diff --quiet "$rev" -- package-lock.json; then ln -s "$root/node_modules" "$old/node_modules";
else (cd "$old" && npm ci --no-audit --no-fund >/dev/null); fi
log="$root/bench-compare-${script//:/-}.log"; : > "$log"
label_old="old ($(git -C "$root" rev-parse --short "$rev"))"; label_new="new ($(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo '+changes'))"
for round in $(seq 1 "$rounds"); do
  for side in old new; do
    dir="$root"; label="$label_new"; [ "$side" = old ] && { dir="$old"; label="$label_old"; }
    echo "== $label, round $round: npm run $script" >&2
    { echo; echo "## $label, round $round"; (cd "$dir" && BENCH_APPEND=0 npm run --silent "$script" 2>/dev/null) | grep -E '^\||^machine|drift'; } | tee -a "$log"
  done
done
