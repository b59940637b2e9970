#!/usr/bin/env bash
# nfv-dnsvizor vs dnsmasq: DNS queries per second with dnsperf, and resident memory.
#
# Topology (namespaces made here, removed on exit): "srv" holds an upstream dnsmasq
# (10.53.100.1, address=/bench.test/ with a long TTL), the reference dnsmasq (10.53.100.2) and
# nfv-dnsvizor (10.53.100.3), the last two started with the SAME config (cache-size=10000, a
# hosts file of 2000 local names, server= the upstream); dnsperf runs in "cli" over a veth.
# Metrics, each the median of NFV_BENCH_REPEAT runs of NFV_BENCH_SECONDS:
#   cache-hit qps   2000 distinct forwarded names, cache warmed first (dnsperf -T1 -c4 -q200)
#   local-data qps  2000 distinct hosts-file names
#   tcp qps         cache hits over TCP (dnsperf -m tcp), where dnsmasq forks per connection
#   rss             VmRSS after the runs
# Usage: sudo bench/dnsvizor.sh   (NFV_BUILD_DIR selects the build; default build/release)
source "$(dirname "$0")/lib.sh"
nfv_require_root_netns
nfv_require_cmd dnsmasq dnsperf dig
bench_build nfv-dnsvizor
ours=$(nfv_bin nfv-dnsvizor)
DNSMASQ=$(command -v dnsmasq || echo /usr/sbin/dnsmasq)
SECONDS_PER_RUN=${NFV_BENCH_SECONDS:-10}
NAMES=2000

srv=$(nfv_netns_new srv)
cli=$(nfv_netns_new cli)
nfv_veth "$srv" 10.53.100.1/24 "$cli" 10.53.100.10/24
ip -n "$srv" addr add 10.53.100.2/24 dev veth0
ip -n "$srv" addr add 10.53.100.3/24 dev veth0

chmod 755 "$NFV_TMP"
: >"$NFV_TMP/hosts"
: >"$NFV_TMP/cached.txt"
: >"$NFV_TMP/local.txt"
for i in $(seq 1 "$NAMES"); do
  echo "10.53.$((8 + i / 250)).$((i % 250 + 1)) l$i.local.test" >>"$NFV_TMP/hosts"
  echo "h$i.bench.test A" >>"$NFV_TMP/cached.txt"
  echo "l$i.local.test A" >>"$NFV_TMP/local.txt"
done
cat >"$NFV_TMP/bench.conf" <<EOF
no-resolv
no-hosts
addn-hosts=$NFV_TMP/hosts
bind-interfaces
cache-size=10000
server=10.53.100.1
EOF
chmod 644 "$NFV_TMP"/*

nfv_spawn "$srv" upstream "$DNSMASQ" --keep-in-foreground --no-resolv --no-hosts --conf-file=/dev/null \
  --listen-address=10.53.100.1 --bind-interfaces --pid-file= --log-facility=- --local-ttl=86400 \
  --address=/bench.test/10.53.7.7 --cache-size=10000
nfv_spawn "$srv" dnsmasq "$DNSMASQ" --keep-in-foreground --conf-file="$NFV_TMP/bench.conf" \
  --listen-address=10.53.100.2 --pid-file= --log-facility=-
ref_pid=$NFV_LAST_PID
nfv_spawn "$srv" ours "$ours" --keep-in-foreground --conf-file="$NFV_TMP/bench.conf" \
  --listen-address=10.53.100.3 --pid-file= --log-facility=-
our_pid=$NFV_LAST_PID

answers() { nfv_in "$cli" dig +time=1 +tries=1 @"$1" l1.local.test A | grep -q 'status: NOERROR'; }
nfv_wait_until 10 "upstream" nfv_in "$cli" dig +time=1 +tries=1 @10.53.100.1 h1.bench.test
nfv_wait_until 10 "dnsmasq" answers 10.53.100.2
nfv_wait_until 10 "nfv-dnsvizor" answers 10.53.100.3

# perf SERVER FILE [dnsperf options]: queries per second of one run.
perf() {
  local server=$1 file=$2; shift 2
  nfv_in "$cli" dnsperf -s "$server" -d "$file" -l "$SECONDS_PER_RUN" "$@" 2>/dev/null \
    | awk '/Queries per second:/ {print $4}'
}

nfv_log "warming both caches"
for server in 10.53.100.2 10.53.100.3; do
  nfv_in "$cli" dnsperf -s "$server" -d "$NFV_TMP/cached.txt" -n 2 -T1 -c4 -q50 >/dev/null 2>&1
done

declare -A runs
for round in $(seq 1 "$NFV_BENCH_REPEAT"); do
  for who in ref ours; do
    server=10.53.100.2
    [ "$who" = ours ] && server=10.53.100.3
    runs[$who-cached]+=" $(perf "$server" "$NFV_TMP/cached.txt" -T1 -c4 -q200)"
    runs[$who-local]+=" $(perf "$server" "$NFV_TMP/local.txt" -T1 -c4 -q200)"
    runs[$who-tcp]+=" $(perf "$server" "$NFV_TMP/cached.txt" -m tcp -T1 -c4 -q100)"
    nfv_log "round $round $who: cached${runs[$who-cached]##* } local${runs[$who-local]##* } tcp${runs[$who-tcp]##* }"
  done
done

median() { # shellcheck disable=SC2086
  bench_median $1
}
echo
bench_header
bench_report "cache-hit qps" "$(median "${runs[ours-cached]}")" "$(median "${runs[ref-cached]}")" q/s higher
bench_report "local-data qps" "$(median "${runs[ours-local]}")" "$(median "${runs[ref-local]}")" q/s higher
bench_report "tcp cache-hit qps" "$(median "${runs[ours-tcp]}")" "$(median "${runs[ref-tcp]}")" q/s higher
bench_report "rss" "$(bench_rss_kib "$our_pid")" "$(bench_rss_kib "$ref_pid")" KiB lower
