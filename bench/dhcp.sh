#!/usr/bin/env bash
# nfv-dnsvizor's DHCPv4 server vs dnsmasq 2.90, same config, same run: perfdhcp (kea-admin)
# 4-way exchanges (DISCOVER-OFFER-REQUEST-ACK) per second and drops.
#
# Topology (namespaces made here, removed on exit; tags start with "hd"): "hdbsrv" holds the
# server under test on 10.68.0.1/16, "hdbcli" holds perfdhcp on 10.68.0.2/16 over a veth.
# perfdhcp runs as a relay (-l 10.68.0.2 with the server's address: giaddr set, replies come
# back unicast to port 67), so no broadcast or ARP tricks are involved.
# Both servers get the SAME config: one dhcp-range of 64,000 addresses, 12 h leases,
# dhcp-lease-max=200000 (dnsmasq's default of 1000 would refuse most clients), no-ping (we never
# ping; dnsmasq's ping check would add its own delay), quiet-dhcp, and a lease file:
# dnsmasq rewrites its file in place after changes; ours is durable (an ACK leaves only after
# its lease is fsync'ed, group commit). Each run starts from an empty lease file.
# Workload per run: perfdhcp -R NFV_BENCH_DHCP_CLIENTS (default 50000 distinct client MACs)
# -r NFV_BENCH_DHCP_RATE (offered exchanges/s, default 10000) -n NFV_BENCH_DHCP_EXCHANGES
# (default 50000), a request unanswered after 1 s is a drop. The rate reported is ACKs per second
# from the first DISCOVER to the last ACK (see run_one). NFV_BENCH_REPEAT runs (default 3)
# per server, alternating, the median reported. Also printed: leases in the file after a
# SIGTERM (how many clients the server committed).
# Usage: sudo bench/dhcp.sh   (NFV_BUILD_DIR selects the build; default build/release)
source "$(dirname "$0")/lib.sh"
nfv_require_root_netns
nfv_require_cmd dnsmasq perfdhcp
bench_build nfv-dnsvizor
ours=$(nfv_bin nfv-dnsvizor)
DNSMASQ=$(command -v dnsmasq || echo /usr/sbin/dnsmasq)
PERFDHCP=$(command -v perfdhcp || echo /usr/sbin/perfdhcp)
CLIENTS=${NFV_BENCH_DHCP_CLIENTS:-50000}
RATE=${NFV_BENCH_DHCP_RATE:-10000}
EXCHANGES=${NFV_BENCH_DHCP_EXCHANGES:-50000}

srv=$(nfv_netns_new hdbsrv)
cli=$(nfv_netns_new hdbcli)
nfv_veth "$srv" 10.68.0.1/16 "$cli" 10.68.0.2/16
chmod 755 "$NFV_TMP"

# run_one NAME BINARY: one perfdhcp run against a fresh server; appends to $NFV_TMP/NAME.*
run_one() {
  local name=$1 binary=$2 i=$3 pid out
  local leases="$NFV_TMP/$name.leases"
  rm -f "$leases" "$leases.tmp"
  cat >"$NFV_TMP/$name.conf" <<EOF
dhcp-range=10.68.1.0,10.68.250.255,255.255.0.0,12h
dhcp-lease-max=200000
dhcp-authoritative
no-ping
quiet-dhcp
dhcp-leasefile=$leases
EOF
  nfv_spawn "$srv" "$name-$i" "$binary" --port=0 --keep-in-foreground --pid-file= \
    --log-facility=- --conf-file="$NFV_TMP/$name.conf"
  pid=$NFV_LAST_PID
  nfv_wait_for_udp_port "$srv" 67 10
  out="$NFV_TMP/$name-$i.perfdhcp"
  # perfdhcp exits non-zero when anything was dropped: its report is what we want either way.
  nfv_in "$cli" "$PERFDHCP" -4 -l 10.68.0.2 -r "$RATE" -R "$CLIENTS" -n "$EXCHANGES" \
    -W 2000000 10.68.0.1 >"$out" 2>&1 || true
  kill -TERM "$pid"
  timeout 20 tail --pid="$pid" -f /dev/null || nfv_fail "$name ignored SIGTERM"
  grep -q "Rate:" "$out" || nfv_fail "perfdhcp gave no report: $(tail -n 5 "$out")"
  # Exchanges per second: ACKs over the time from the first DISCOVER to the last ACK (the
  # sending time at the offered rate plus the largest REQUEST-ACK delay). perfdhcp's own "Rate:"
  # line divides by its run time including the -W wait after the last packet (2 s here), so it
  # can never pass EXCHANGES / (EXCHANGES / RATE + 2): 7,142/s for the defaults.
  awk -v n="$EXCHANGES" -v r="$RATE" '
    /^received packets:/ { k++; if (k == 2) acks = $3 }
    /^max delay:/ { m++; if (m == 2) max_ms = $3 }
    END { printf "%.0f\n", acks / (n / r + max_ms / 1000) }' "$out" >>"$NFV_TMP/$name.rate"
  # drops of both halves of the exchange (DISCOVER-OFFER and REQUEST-ACK)
  awk '/^drops:/ {d += $2} END {print d + 0}' "$out" >>"$NFV_TMP/$name.drops"
  awk '/^received packets:/ {n++; if (n == 2) print $3}' "$out" >>"$NFV_TMP/$name.acks"
  grep -c . "$leases" >>"$NFV_TMP/$name.files" || echo 0 >>"$NFV_TMP/$name.files"
  nfv_log "$name run $i: $(tail -n 1 "$NFV_TMP/$name.rate") ACKed exchanges/s (perfdhcp $(grep '^Rate:' "$out")), drops $(tail -n 1 "$NFV_TMP/$name.drops"), leases on disk $(tail -n 1 "$NFV_TMP/$name.files")" >&2
}

for i in $(seq 1 "$NFV_BENCH_REPEAT"); do
  run_one ours "$ours" "$i"
  run_one dnsmasq "$DNSMASQ" "$i"
done

med() { bench_median $(cat "$NFV_TMP/$1.$2"); }
echo "perfdhcp $("$PERFDHCP" -v 2>&1 | head -n 1): -R $CLIENTS clients, -r $RATE offered/s, -n $EXCHANGES exchanges, median of $NFV_BENCH_REPEAT runs"
bench_header
bench_report "ACKed 4-way exchanges/s" "$(med ours rate)" "$(med dnsmasq rate)" "exch/s" higher
bench_report "drops (offer+ack)" "$(med ours drops)" "$(med dnsmasq drops)" "packets" lower
bench_report "ACKs received" "$(med ours acks)" "$(med dnsmasq acks)" "packets" higher
bench_report "leases on disk" "$(med ours files)" "$(med dnsmasq files)" "leases" higher
