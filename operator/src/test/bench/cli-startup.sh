#!/bin/sh
# Whole-process CPU of the envforge command line against `poetry install --dry-run` on the same project.
# Runs are paired (envforge, poetry, envforge, poetry, ...) so the ratio survives a machine whose speed drifts;
# each figure is the median of RUNS runs of user+system CPU seconds (GNU time), after one warm-up run each.
#
#   operator/src/test/bench/cli-startup.sh [PROJECT_DIR] [RUNS]
#
# PROJECT_DIR: a Poetry project (default: the pixeltable case of the test corpus). Needs target/envforge (mvn package),
# GNU time at /usr/bin/time and, for the ratio, Poetry on the PATH (Debian: python3-poetry).
# ENVFORGE_JAVA chooses the JVM of the launcher, as for the launcher itself.
set -eu
root=$(CDPATH= cd -- "$(dirname -- "$0")/../../.." && pwd)
project=$(CDPATH= cd -- "${1:-$root/src/test/resources/corpus/poetry-pixeltable-pixeltable}" && pwd)
runs=${2:-7}
launcher=$root/target/envforge
jar=$root/target/envforge.jar
cache=$(mktemp -d)
out=$(mktemp -d)
trap 'rm -rf "$cache" "$out"' EXIT
export ENVFORGE_CACHE=$cache

cpu() { # prints user+system seconds of one run of the command
  /usr/bin/time -f '%U %S' -o "$out/time" "$@" >/dev/null 2>"$out/stderr" || { cat "$out/stderr" >&2; exit 1; }
  awk '{printf "%.3f\n", $1 + $2}' "$out/time"
}
median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

measure() { # NAME COMMAND...: median CPU of RUNS runs, paired with poetry when it is here
  name=$1; shift
  "$@" >/dev/null 2>&1 || true # warm-up; the launcher makes its archive here
  : >"$out/a"; : >"$out/b"
  i=0
  while [ $i -lt "$runs" ]; do
    cpu "$@" >>"$out/a"
    if [ -n "$poetry" ]; then (cd "$project" && cpu poetry install --dry-run) >>"$out/b"; fi
    i=$((i + 1))
  done
  a=$(median <"$out/a")
  if [ -n "$poetry" ]; then
    b=$(median <"$out/b")
    printf '%-44s %6.3f s   poetry %6.3f s   ratio %.3f (%.1fx less CPU)\n' "$name" "$a" "$b" \
      "$(echo "$a / $b" | bc -l)" "$(echo "$b / $a" | bc -l)"
  else
    printf '%-44s %6.3f s\n' "$name" "$a"
  fi
}

poetry=$(command -v poetry || true)
[ -n "$poetry" ] && (cd "$project" && poetry install --dry-run >/dev/null 2>&1) # Poetry's own first-run set-up
echo "project $project; median user+system CPU of $runs runs; load average $(cut -d' ' -f1-3 /proc/loadavg)"
measure "java -jar envforge.jar hash" java -jar "$jar" hash "$project"
measure "envforge hash (launcher)" "$launcher" hash "$project"
poetry= # resolve and render are printed for themselves
measure "envforge resolve (launcher)" "$launcher" resolve "$project"
measure "envforge render (launcher)" "$launcher" render "$project" --out "$out/context"
wall=$(hyperfine --version >/dev/null 2>&1 && hyperfine -N --warmup 2 --runs "$runs" --export-json "$out/h.json" \
  "$launcher hash $project" >/dev/null 2>&1 && python3 -c "import json,statistics;r=json.load(open('$out/h.json'))['results'][0];print('%.3f' % statistics.median(r['times']))" || echo "n/a (hyperfine)")
echo "envforge hash (launcher) median wall: $wall s"
