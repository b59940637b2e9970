#!/usr/bin/env bash
# nfv-dnsvizor vs dnsmasq 2.90, same config, same run: dnsperf throughput and latency, server
# CPU time per query, TCP throughput and resident memory.
#
# Topology (namespaces made here, removed on exit; tags start with "dd"): "ddbsrv" holds a
# fast upstream dnsmasq (10.53.110.1: address=/bench.test/ and address=/miss.test/ answer
# every name below them, local-ttl one day), the reference dnsmasq (10.53.110.2) and
# nfv-dnsvizor (10.53.110.3), the last two started with the SAME config (cache-size=10000, a
# hosts file of 2000 local names, server= the upstream); dnsperf runs in "ddbcli" over a veth.
#
# Workloads (each run is NFV_BENCH_SECONDS long, NFV_BENCH_REPEAT times, the median reported):
#   cached     2000 distinct forwarded names, caches warmed first: pure cache hits
#   forwarded  unique names under miss.test, never asked before: every query is a cache miss
#              forwarded to the upstream (the upstream is shared, so it caps both alike)
#   local      2000 distinct hosts-file names
#   tcp        cache hits over TCP (dnsmasq forks a process per TCP connection)
# Latency: in every round, per server and workload, one 5 s run at the same offered load
# (dnsperf -Q NFV_BENCH_LATENCY_QPS, -v prints each query's latency); p50/p90/p99 in
# microseconds, the median over the rounds reported.
# CPU time per query: utime+stime of the server process (/proc/PID/stat, clock ticks) before
# and after a fixed number of queries (NFV_BENCH_CPU_QUERIES, dnsperf -n), divided by that
# number; dnsperf runs on the same cores, so this is the fairer efficiency figure.
# Usage: sudo bench/dns.sh   (NFV_BUILD_DIR selects the build; default build/release)
source "$(dirname "$0")/lib.sh"
nfv_require_root_netns
nfv_require_cmd dnsmasq dnsperf dig
bench_build nfv-dnsvizor
ours=$(nfv_bin nfv-dnsvizor)
DNSMASQ=$(command -v dnsmasq || echo /usr/sbin/dnsmasq)
SECONDS_PER_RUN=${NFV_BENCH_SECONDS:-10}
LATENCY_QPS=${NFV_BENCH_LATENCY_QPS:-5000}
CPU_QUERIES=${NFV_BENCH_CPU_QUERIES:-100000}
NAMES=2000
MISS_NAMES=${NFV_BENCH_MISS_NAMES:-400000}
TICKS=$(getconf CLK_TCK)

srv=$(nfv_netns_new ddbsrv)
cli=$(nfv_netns_new ddbcli)
nfv_veth "$srv" 10.53.110.1/24 "$cli" 10.53.110.10/24
ip -n "$srv" addr add 10.53.110.2/24 dev veth0
ip -n "$srv" addr add 10.53.110.3/24 dev veth0

chmod 755 "$NFV_TMP"
: >"$NFV_TMP/hosts"
: >"$NFV_TMP/cached.txt"
: >"$NFV_TMP/local.txt"
for i in $(seq 1 "$NAMES"); do
  echo "10.53.$((8 + i / 250)).$((i % 250 + 1)) l$i.local.test" >>"$NFV_TMP/hosts"
  echo "h$i.bench.test A" >>"$NFV_TMP/cached.txt"
  echo "l$i.local.test A" >>"$NFV_TMP/local.txt"
done
# Unique names for cache misses: one file per server and use, so no name is ever asked twice
# of the same server (each server has its own cache).
miss_file() { # PREFIX COUNT
  awk -v p="$1" -v n="$2" 'BEGIN { for (i = 1; i <= n; i++) printf "%s%d.miss.test A\n", p, i }'
}
cat >"$NFV_TMP/bench.conf" <<EOF
no-resolv
no-hosts
addn-hosts=$NFV_TMP/hosts
bind-interfaces
cache-size=10000
dns-forward-max=1000
server=10.53.110.1
EOF
chmod 644 "$NFV_TMP"/*

nfv_spawn "$srv" upstream "$DNSMASQ" --keep-in-foreground --no-resolv --no-hosts --conf-file=/dev/null \
  --listen-address=10.53.110.1 --bind-interfaces --pid-file= --log-facility=- --local-ttl=86400 \
  --address=/bench.test/10.53.7.7 --address=/miss.test/10.53.7.8 --cache-size=0 --dns-forward-max=10000
nfv_spawn "$srv" dnsmasq "$DNSMASQ" --keep-in-foreground --conf-file="$NFV_TMP/bench.conf" \
  --listen-address=10.53.110.2 --pid-file= --log-facility=-
ref_pid=$NFV_LAST_PID
nfv_spawn "$srv" ours "$ours" --keep-in-foreground --conf-file="$NFV_TMP/bench.conf" \
  --listen-address=10.53.110.3 --pid-file= --log-facility=-
our_pid=$NFV_LAST_PID

answers() { nfv_in "$cli" dig +time=1 +tries=1 @"$1" l1.local.test A | grep -q 'status: NOERROR'; }
nfv_wait_until 10 "upstream" nfv_in "$cli" dig +time=1 +tries=1 @10.53.110.1 h1.bench.test
nfv_wait_until 10 "dnsmasq" answers 10.53.110.2
nfv_wait_until 10 "nfv-dnsvizor" answers 10.53.110.3

server_of() { [ "$1" = ours ] && echo 10.53.110.3 || echo 10.53.110.2; }
pid_of() { [ "$1" = ours ] && echo "$our_pid" || echo "$ref_pid"; }
# cpu_ticks PID: utime + stime of a process (fields 14 and 15 of /proc/PID/stat; the command
# name in field 2 has no spaces for these two programs).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# perf SERVER FILE [dnsperf options]: queries per second of one timed run.
perf() {
  local server=$1 file=$2; shift 2
  nfv_in "$cli" dnsperf -s "$server" -d "$file" -l "$SECONDS_PER_RUN" "$@" 2>/dev/null \
    | awk '/Queries per second:/ {printf "%.0f\n", $4}'
}

# latency SERVER FILE [dnsperf options]: "p50 p90 p99" in microseconds at LATENCY_QPS offered
# load, from dnsperf -v's per-query lines ("> NOERROR name A 0.000123").
latency() {
  local server=$1 file=$2; shift 2
  nfv_in "$cli" dnsperf -s "$server" -d "$file" -l 5 -Q "$LATENCY_QPS" -v "$@" 2>/dev/null \
    | awk '/^> / { print $NF * 1000000 }' | sort -g \
    | awk '{a[NR] = $1} END { if (NR == 0) { print "0 0 0"; exit }
        printf "%.0f %.0f %.0f\n", a[int(NR * 0.50) + (NR * 0.50 > int(NR * 0.50))],
          a[int(NR * 0.90) + (NR * 0.90 > int(NR * 0.90))], a[int(NR * 0.99) + (NR * 0.99 > int(NR * 0.99))] }'
}

# cpu_per_query WHO FILE: server CPU microseconds per query over CPU_QUERIES queries.
cpu_per_query() {
  local who=$1 file=$2 before after done_queries
  before=$(cpu_ticks "$(pid_of "$who")")
  done_queries=$(nfv_in "$cli" dnsperf -s "$(server_of "$who")" -d "$file" -n 1 -T1 -c4 -q200 2>/dev/null \
    | awk '/Queries completed:/ {print $3}')
  after=$(cpu_ticks "$(pid_of "$who")")
  awk -v b="$before" -v a="$after" -v n="$done_queries" -v hz="$TICKS" \
    'BEGIN { if (n == 0) print "nan"; else printf "%.2f", (a - b) / hz * 1000000 / n }'
}

nfv_log "warming both caches"
for who in ref ours; do
  nfv_in "$cli" dnsperf -s "$(server_of "$who")" -d "$NFV_TMP/cached.txt" -n 2 -T1 -c4 -q50 >/dev/null 2>&1
done

declare -A runs lat
for round in $(seq 1 "$NFV_BENCH_REPEAT"); do
  for who in ref ours; do
    server=$(server_of "$who")
    miss_file "r$round$who-" "$MISS_NAMES" >"$NFV_TMP/miss.txt"
    runs[$who-cached]+=" $(perf "$server" "$NFV_TMP/cached.txt" -T1 -c4 -q200)"
    # TCP right after the UDP cached run: the forwarded run's unique names push the cached
    # names out of a 10,000-entry cache, so later they would be forwarded again.
    runs[$who-tcp]+=" $(perf "$server" "$NFV_TMP/cached.txt" -m tcp -T1 -c4 -q100)"
    runs[$who-forwarded]+=" $(perf "$server" "$NFV_TMP/miss.txt" -n 1 -T1 -c4 -q100)"
    runs[$who-local]+=" $(perf "$server" "$NFV_TMP/local.txt" -T1 -c4 -q200)"
    # Latency percentiles, interleaved with the other server's in every round.
    read -r p50 p90 p99 < <(latency "$server" "$NFV_TMP/cached.txt" -T1 -c4 -q200)
    lat[$who-cached-p50]+=" $p50"; lat[$who-cached-p90]+=" $p90"; lat[$who-cached-p99]+=" $p99"
    miss_file "lat$round$who-" $((LATENCY_QPS * 6)) >"$NFV_TMP/miss.txt"
    read -r p50 p90 p99 < <(latency "$server" "$NFV_TMP/miss.txt" -n 1 -T1 -c4 -q100)
    lat[$who-forwarded-p50]+=" $p50"; lat[$who-forwarded-p90]+=" $p90"; lat[$who-forwarded-p99]+=" $p99"
    nfv_log "round $round $who: cached${runs[$who-cached]##* } forwarded${runs[$who-forwarded]##* } local${runs[$who-local]##* } tcp${runs[$who-tcp]##* } q/s; p99 cached ${lat[$who-cached-p99]##* } us, forwarded ${lat[$who-forwarded-p99]##* } us"
  done
done

declare -A cpu
for who in ref ours; do
  # CPU per query: cache hits (the cached file repeated up to CPU_QUERIES), then misses.
  awk -v n="$CPU_QUERIES" '{l[NR] = $0} END { for (i = 0; i < n; i++) print l[i % NR + 1] }' \
    "$NFV_TMP/cached.txt" >"$NFV_TMP/cpu-cached.txt"
  cpu[$who-cached]=$(cpu_per_query "$who" "$NFV_TMP/cpu-cached.txt")
  miss_file "cpu$who-" "$CPU_QUERIES" >"$NFV_TMP/miss.txt"
  cpu[$who-forwarded]=$(cpu_per_query "$who" "$NFV_TMP/miss.txt")
  nfv_log "$who: cpu/query cached ${cpu[$who-cached]} forwarded ${cpu[$who-forwarded]} us"
done

median() { # shellcheck disable=SC2086
  bench_median $1
}
echo
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (shared: numbers are indicative)"
bench_header
bench_report "cached qps" "$(median "${runs[ours-cached]}")" "$(median "${runs[ref-cached]}")" q/s higher
bench_report "forwarded qps" "$(median "${runs[ours-forwarded]}")" "$(median "${runs[ref-forwarded]}")" q/s higher
bench_report "local-data qps" "$(median "${runs[ours-local]}")" "$(median "${runs[ref-local]}")" q/s higher
bench_report "tcp cached qps" "$(median "${runs[ours-tcp]}")" "$(median "${runs[ref-tcp]}")" q/s higher
for w in cached forwarded; do
  for p in p50 p90 p99; do
    bench_report "$w $p @${LATENCY_QPS}q/s" "$(median "${lat[ours-$w-$p]}")" "$(median "${lat[ref-$w-$p]}")" us lower
  done
  bench_report "$w cpu/query" "${cpu[ours-$w]}" "${cpu[ref-$w]}" us lower
done
bench_report "rss" "$(bench_rss_kib "$our_pid")" "$(bench_rss_kib "$ref_pid")" KiB lower
