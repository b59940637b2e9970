# shellcheck shell=bash
# Shared helpers for bench/*.sh: the interop rig's namespace helpers plus the output format of
# bench/README.md (a table, and one `ratio:` line per metric, ratio > 1 meaning we are ahead).
NFV_SOURCE_DIR=${NFV_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
NFV_BUILD_DIR=${NFV_BUILD_DIR:-$NFV_SOURCE_DIR/build/release}
export NFV_SOURCE_DIR NFV_BUILD_DIR
# shellcheck source=../tests/interop/lib.sh
source "$NFV_SOURCE_DIR/tests/interop/lib.sh"

NFV_BENCH_REPEAT=${NFV_BENCH_REPEAT:-3}

# bench_build: configure and build the release preset if a binary is missing.
bench_build() {
  local b
  for b in "$@"; do
    if [ ! -x "$NFV_BUILD_DIR/apps/${b#nfv-}/$b" ] && [ ! -x "$NFV_BUILD_DIR/tools/${b#nfv-}/$b" ]; then
      (cd "$NFV_SOURCE_DIR" && cmake --preset release >/dev/null && cmake --build --preset release -j "$(nproc)")
      return
    fi
  done
}

# bench_median V1 V2 ...: the median of numbers (as printed by awk).
bench_median() {
  printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {if (NR==0) exit 1; if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'
}

# bench_header: the table header.
bench_header() { printf '%-28s %14s %14s  %s\n' metric ours reference unit; }

# bench_report METRIC OURS REFERENCE UNIT higher|lower: one table row and its ratio line.
bench_report() {
  local metric=$1 ours=$2 ref=$3 unit=$4 better=$5 ratio
  printf '%-28s %14s %14s  %s\n' "$metric" "$ours" "$ref" "$unit"
  if [ "$better" = higher ]; then
    ratio=$(awk -v o="$ours" -v r="$ref" 'BEGIN { if (r == 0) print "inf"; else printf "%.2f", o / r }')
  else
    ratio=$(awk -v o="$ours" -v r="$ref" 'BEGIN { if (o == 0) print "inf"; else printf "%.2f", r / o }')
  fi
  echo "ratio: $metric $ratio ($better is better; above 1: ours ahead)"
}

# bench_rss_kib PID: resident set size of a process in KiB.
bench_rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
