#!/usr/bin/env bash
# Many clients on one VPN server process: nfv-vpn server vs the openvpn 2.6 server, same config
# file, same load, same run (issue 6: "memory per idle client is measured and reported").
#
# Topology (namespaces made here, removed on exit; tags start with "vc"): "vcsrv" runs one
# server (UDP, tls-crypt, AES-256-GCM, topology subnet with a /20 pool, duplicate-cn,
# max-clients 1100, keepalive 10 120; openvpn stays in userspace: disable-dco); "vccli" runs
# nfv-vpn-load with NFV_BENCH_CLIENTS (default 1000) clients of the Nyr client.ovpn, at most
# 50 handshakes in flight. For each server and round (NFV_BENCH_REPEAT, default 3; the median
# is reported): start the server, read its RSS (VmRSS) and CPU ticks, connect all clients, wait
# until the load tool reports them connected, read RSS and CPU again, then stop everything.
# Reported: KiB of server memory per connected client, seconds until all were connected (the
# load tool's own clock), server CPU milliseconds per handshake.
# Usage: sudo bench/vpn-clients.sh   (NFV_BUILD_DIR selects the build; default build/release)
source "$(dirname "$0")/lib.sh"
nfv_require_root_netns
nfv_require_tun
nfv_require_cmd openvpn
bench_build nfv-vpn nfv-vpn-load
ours=$(nfv_bin nfv-vpn)
load=$(nfv_bin nfv-vpn-load)
CLIENTS=${NFV_BENCH_CLIENTS:-1000}
TICKS=$(getconf CLK_TCK)

pki="$NFV_SOURCE_DIR/configs/vpn/pki"
srv=$(nfv_netns_new vcsrv)
cli=$(nfv_netns_new vccli)
nfv_veth "$srv" 10.79.0.1/24 "$cli" 10.79.0.2/24

cat >"$NFV_TMP/server.conf" <<CONF
local 10.79.0.1
port 1194
proto udp
dev tun
ca $pki/ca.crt
cert $pki/server.crt
key $pki/server.key
dh none
auth SHA512
tls-crypt $pki/tc.key
data-ciphers AES-256-GCM
topology subnet
server 10.9.0.0 255.255.240.0
duplicate-cn
max-clients 1100
keepalive 10 120
disable-dco
verb 1
CONF

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# run WHO ROUND: prints "kib_per_client seconds cpu_ms_per_handshake".
run() {
  local who=$1 round=$2 log="server-$1-$2" pid rss0 cpu0 rss1 cpu1 result seconds
  if [ "$who" = ours ]; then
    nfv_spawn "$srv" "$log" "$ours" --config "$NFV_TMP/server.conf" --verb 3
  else
    nfv_spawn "$srv" "$log" openvpn --config "$NFV_TMP/server.conf" --verb 3
  fi
  pid=$NFV_LAST_PID
  nfv_wait_for_log "$log" "Initialization Sequence Completed" 20
  rss0=$(rss_kib "$pid")
  cpu0=$(cpu_ticks "$pid")
  nfv_spawn "$cli" "load-$who-$round" "$load" --clients "$CLIENTS" --parallel 50 --timeout 200 \
    --hold 600 --remote 10.79.0.1 1194 --config "$NFV_SOURCE_DIR/configs/vpn/nyr/client.ovpn"
  local load_pid=$NFV_LAST_PID
  nfv_wait_for_log "load-$who-$round" "nfv-vpn-load: connected=" 230
  result=$(grep "nfv-vpn-load: connected=" "$(nfv_logfile "load-$who-$round")")
  grep -q "connected=$CLIENTS failed=0" <<<"$result" || nfv_fail "$who: $result"
  rss1=$(rss_kib "$pid")
  cpu1=$(cpu_ticks "$pid")
  seconds=$(sed -nE 's/.*seconds=([0-9.]+).*/\1/p' <<<"$result")
  kill -TERM "$load_pid" "$pid" 2>/dev/null || true
  wait "$load_pid" "$pid" 2>/dev/null || true
  nfv_log "$who round $round: $result; server RSS $rss0 -> $rss1 KiB, CPU $(( cpu1 - cpu0 )) ticks"
  awk -v a="$rss1" -v b="$rss0" -v n="$CLIENTS" -v s="$seconds" -v c=$(( cpu1 - cpu0 )) -v hz="$TICKS" \
    'BEGIN { printf "%.1f %s %.2f\n", (a - b) / n, s, c * 1000 / hz / n }'
}

declare -A res
for round in $(seq 1 "$NFV_BENCH_REPEAT"); do
  for who in ref ours; do
    read -r kib secs cpu < <(run "$who" "$round" | tail -n 1)
    res[$who-kib]+=" $kib"
    res[$who-secs]+=" $secs"
    res[$who-cpu]+=" $cpu"
  done
done

echo
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (shared: numbers are indicative)"
echo "reference = openvpn $(openvpn --version | awk 'NR == 1 {print $2}') server; $CLIENTS clients from nfv-vpn-load"
bench_header
# shellcheck disable=SC2086
bench_report "memory per client" "$(bench_median ${res[ours-kib]})" "$(bench_median ${res[ref-kib]})" KiB lower
# shellcheck disable=SC2086
bench_report "time to connect all" "$(bench_median ${res[ours-secs]})" "$(bench_median ${res[ref-secs]})" s lower
# shellcheck disable=SC2086
bench_report "server cpu per handshake" "$(bench_median ${res[ours-cpu]})" "$(bench_median ${res[ref-cpu]})" ms lower
