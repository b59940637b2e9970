#!/usr/bin/env bash
# Checks bench/lib.sh's output helpers: median, ratio direction and the `ratio:` line format.
source "$(dirname "$0")/lib.sh"
[ "$(bench_median 5 1 3)" = 3 ] || nfv_fail "median of 5 1 3"
[ "$(bench_median 4 1 3 2)" = 2.5 ] || nfv_fail "median of 4 1 3 2"
out=$(bench_report "qps" 200 100 q/s higher)
nfv_expect_match '^ratio: qps 2.00 \(higher is better; above 1: ours ahead\)$' "$(tail -n1 <<<"$out")" "higher-is-better ratio"
out=$(bench_report "latency" 5 10 ms lower)
nfv_expect_match '^ratio: latency 2.00 \(lower is better; above 1: ours ahead\)$' "$(tail -n1 <<<"$out")" "lower-is-better ratio"
echo "bench/lib.sh selftest passed"
