#!/usr/bin/env bash
# nfv-vpn (client) vs the openvpn 2.6 client, same server, same run: iperf3 throughput through
# the tunnel each way, client CPU seconds per GB, ping RTT through the tunnel under load.
#
# The SERVER IS THE REAL OPENVPN 2.6 IN BOTH CASES (there is no nfv-vpn server mode yet), so
# this measures the client side only: "ours" is nfv-vpn client -> openvpn server, "reference"
# is openvpn client -> openvpn server. The nfv-vpn-to-nfv-vpn and mixed pairs of issue 7 need
# the server first.
#
# Topology (namespaces made here, removed on exit; tags start with "vb"): "vbsrv" runs one
# openvpn server (UDP, tls-crypt, keepalive 10 60, topology subnet 10.8.79.0/24, userspace:
# disable-dco; data-ciphers AES-256-GCM:CHACHA20-POLY1305) and `iperf3 -s` bound to its tunnel
# address 10.8.79.1; "vbcli" runs one client at a time over a veth (10.79.0.1 <-> 10.79.0.2).
# Both clients read the SAME config file (client, udp, tls-crypt, data-ciphers CIPHER, explicit-exit-notify);
# openvpn also gets --disable-dco on its command line so that it stays in userspace.
#
# For each cipher (AES-256-GCM, then CHACHA20-POLY1305) and round (NFV_BENCH_REPEAT, default 3;
# the median is reported), ref then ours: start the client, check the negotiated cipher, then
#   up    iperf3 -c 10.8.79.1 -t NFV_BENCH_SECONDS (default 10), client -> server
#   down  the same with -R, server -> client
# Gbit/s is iperf3's receiver figure (sum_received). CPU s/GB: utime+stime of the client process
# (/proc/PID/stat, fields 14+15, all threads) before and after each run, divided by the bytes
# received; the same for the openvpn server process (the same program in both cases, shown to
# tell whether one client makes the server work harder). Ping under load: `ping -i 0.2` through the tunnel to 10.8.79.1 for 8 s, started
# once the iperf3 TCP stream is established; the average RTT is reported.
# iperf3, ping and both VPN ends share the machine's cores, as in issue 7's figures.
# Usage: sudo bench/vpn.sh   (NFV_BUILD_DIR selects the build; default build/release)
source "$(dirname "$0")/lib.sh"
source "$NFV_SOURCE_DIR/tests/interop/vpn_pki.sh"
nfv_require_root_netns
nfv_require_tun
nfv_require_cmd openvpn openssl iperf3 ping jq
bench_build nfv-vpn
ours=$(nfv_bin nfv-vpn)
SECONDS_PER_RUN=${NFV_BENCH_SECONDS:-10}
CIPHERS=(AES-256-GCM CHACHA20-POLY1305)
TICKS=$(getconf CLK_TCK)

pki="$NFV_TMP/pki"
nfv_vpn_pki "$pki"
srv=$(nfv_netns_new vbsrv)
cli=$(nfv_netns_new vbcli)
nfv_veth "$srv" 10.79.0.1/24 "$cli" 10.79.0.2/24

cat >"$NFV_TMP/server.conf" <<CONF
port 1194
proto udp
dev tun
topology subnet
server 10.8.79.0 255.255.255.0
ca $pki/ca.crt
cert $pki/server.crt
key $pki/server.key
dh none
tls-crypt $pki/ta.key
data-ciphers AES-256-GCM:CHACHA20-POLY1305
keepalive 10 60
disable-dco
verb 3
CONF
nfv_spawn "$srv" openvpn-server openvpn --config "$NFV_TMP/server.conf"
server_pid=$NFV_LAST_PID
nfv_wait_for_log openvpn-server "Initialization Sequence Completed" 20
nfv_spawn "$srv" iperf3-server iperf3 -s -B 10.8.79.1 -p 5201
nfv_wait_for_tcp_port "$srv" 5201 10

# client_conf CIPHER: the client config both clients run.
client_conf() {
  cat >"$NFV_TMP/client-$1.conf" <<CONF
client
dev tun
proto udp
remote 10.79.0.1 1194
nobind
remote-cert-tls server
ca $pki/ca.crt
cert $pki/client.crt
key $pki/client.key
tls-crypt $pki/ta.key
data-ciphers $1
explicit-exit-notify 1
verb 3
CONF
}

# start_client WHO CIPHER LOGNAME: start one client, wait for the tunnel and check the cipher
# the server settled on; sets CLIENT_PID.
start_client() {
  local who=$1 cipher=$2 log=$3
  if [ "$who" = ours ]; then
    nfv_spawn "$cli" "$log" "$ours" --config "$NFV_TMP/client-$cipher.conf"
  else
    nfv_spawn "$cli" "$log" openvpn --config "$NFV_TMP/client-$cipher.conf" --disable-dco
  fi
  CLIENT_PID=$NFV_LAST_PID
  nfv_wait_for_log "$log" "Initialization Sequence Completed" 30
  if [ "$who" = ours ]; then
    nfv_wait_for_log "$log" "cipher=$cipher" 5
  else
    nfv_wait_for_log "$log" "Data Channel: cipher '$cipher'" 5
  fi
  nfv_wait_until 10 "$log: ping through the tunnel" nfv_in "$cli" ping -c 1 -W 1 10.8.79.1
}

stop_client() { # PID
  kill -TERM "$1" 2>/dev/null || true
  nfv_wait_until 10 "client $1 exits" bash -c "! kill -0 $1 2>/dev/null"
  wait "$1" 2>/dev/null || true
}

# cpu_ticks PID: utime + stime (fields 14 and 15 of /proc/PID/stat; "openvpn" and "nfv-vpn"
# have no space in field 2).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

_stream_up() { nfv_in "$cli" ss -Htn state established '( dport = :5201 )' | grep -q .; }

# measure PID DIR: one iperf3 run (DIR up|down) with ping alongside; prints
# "gbit_s client_cpu_s_per_gb ping_avg_ms server_cpu_s_per_gb tcp_retransmits".
measure() {
  local pid=$1 dir=$2 flag="" before after sbefore safter json ping_out
  [ "$dir" = down ] && flag=-R
  before=$(cpu_ticks "$pid")
  sbefore=$(cpu_ticks "$server_pid")
  # shellcheck disable=SC2086
  nfv_in "$cli" iperf3 -c 10.8.79.1 -p 5201 -t "$SECONDS_PER_RUN" -J $flag >"$NFV_TMP/iperf.json" &
  local iperf_pid=$!
  nfv_wait_until 10 "iperf3 stream established" _stream_up
  ping_out=$(nfv_in "$cli" ping -q -c 40 -i 0.2 -W 2 10.8.79.1 || true)
  wait "$iperf_pid" || nfv_fail "iperf3 $dir failed: $(cat "$NFV_TMP/iperf.json")"
  after=$(cpu_ticks "$pid")
  safter=$(cpu_ticks "$server_pid")
  json=$(jq -r '"\(.end.sum_received.bits_per_second) \(.end.sum_received.bytes) \(.end.sum_sent.retransmits // 0)"' \
    "$NFV_TMP/iperf.json")
  local ping_avg
  ping_avg=$(awk -F'/' '/^rtt/ {print $5}' <<<"$ping_out")
  [ -n "$ping_avg" ] || ping_avg=nan
  read -r bps bytes retr <<<"$json"
  awk -v bps="$bps" -v bytes="$bytes" -v b="$before" -v a="$after" -v sb="$sbefore" -v sa="$safter" \
    -v hz="$TICKS" -v p="$ping_avg" -v r="$retr" 'BEGIN { gb = bytes / 1e9; if (gb == 0) gb = 1e-12
      printf "%.3f %.2f %s %.2f %s\n", bps / 1e9, (a - b) / hz / gb, p, (sa - sb) / hz / gb, r }'
}

declare -A res
for cipher in "${CIPHERS[@]}"; do
  client_conf "$cipher"
  "$ours" --check-config --config "$NFV_TMP/client-$cipher.conf" >/dev/null ||
    nfv_fail "nfv-vpn --check-config rejected the $cipher client config"
  for round in $(seq 1 "$NFV_BENCH_REPEAT"); do
    for who in ref ours; do
      start_client "$who" "$cipher" "client-$who-$cipher-$round"
      for dir in up down; do
        measure "$CLIENT_PID" "$dir" >"$NFV_TMP/measure.txt"
        read -r gbit cpu ping_ms scpu retr <"$NFV_TMP/measure.txt"
        res[$who-$cipher-$dir-gbit]+=" $gbit"
        res[$who-$cipher-$dir-cpu]+=" $cpu"
        res[$who-$cipher-$dir-ping]+=" $ping_ms"
        res[$who-$cipher-$dir-scpu]+=" $scpu"
        nfv_log "$cipher round $round $who $dir: $gbit Gbit/s, client $cpu CPU s/GB, server $scpu CPU s/GB, ping $ping_ms ms, $retr TCP retransmits"
      done
      stop_client "$CLIENT_PID"
    done
  done
done
kill -0 "$server_pid" || nfv_fail "the openvpn server died"

median() { # shellcheck disable=SC2086
  bench_median $1
}
echo
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (shared: numbers are indicative)"
echo "server: openvpn $(openvpn --version | awk 'NR == 1 {print $2}') for both; ours = nfv-vpn client, reference = openvpn client"
bench_header
for cipher in "${CIPHERS[@]}"; do
  short=${cipher%%-POLY1305}
  for dir in up down; do
    bench_report "$short $dir" "$(median "${res[ours-$cipher-$dir-gbit]}")" \
      "$(median "${res[ref-$cipher-$dir-gbit]}")" Gbit/s higher
    bench_report "$short $dir client cpu" "$(median "${res[ours-$cipher-$dir-cpu]}")" \
      "$(median "${res[ref-$cipher-$dir-cpu]}")" s/GB lower
    bench_report "$short $dir ping" "$(median "${res[ours-$cipher-$dir-ping]}")" \
      "$(median "${res[ref-$cipher-$dir-ping]}")" ms lower
    bench_report "$short $dir server cpu" "$(median "${res[ours-$cipher-$dir-scpu]}")" \
      "$(median "${res[ref-$cipher-$dir-scpu]}")" s/GB lower
  done
done
