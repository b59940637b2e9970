#!/usr/bin/env bash
# nfv-vpn vs openvpn 2.6 (issue 7), same run: every pair of {openvpn, nfv-vpn} server x
# {openvpn, nfv-vpn} client over one veth, the same config files for both programs. For each
# pair: iperf3 throughput through the tunnel each way, CPU seconds per GB of the client and of
# the server process, ping RTT through the tunnel under load.
#
# Topology (namespaces made here, removed on exit; tags start with "vb"): "vbsrv" runs the
# server (UDP, tls-crypt, keepalive 10 60, topology subnet 10.8.79.0/24, data-ciphers
# AES-256-GCM:CHACHA20-POLY1305; openvpn stays in userspace: disable-dco, which nfv-vpn
# accepts with a named warning) and `iperf3 -s` bound to the tunnel address 10.8.79.1;
# "vbcli" runs one client at a time over a veth (10.79.0.1 <-> 10.79.0.2). Both clients read
# the SAME client config (client, udp, tls-crypt, data-ciphers CIPHER, explicit-exit-notify);
# openvpn also gets --disable-dco on its command line.
#
# For each server program, cipher (AES-256-GCM, then CHACHA20-POLY1305), round
# (NFV_BENCH_REPEAT, default 3; the median is reported) and client program: start the client,
# check the negotiated cipher, then
#   up    iperf3 -c 10.8.79.1 -t NFV_BENCH_SECONDS (default 10), client -> server
#   down  the same with -R, server -> client
# Gbit/s is iperf3's receiver figure (sum_received). CPU s/GB: utime+stime of the process
# (/proc/PID/stat, fields 14+15, all threads) before and after each run, divided by the bytes
# received. Ping under load: `ping -i 0.2` through the tunnel to 10.8.79.1 for 8 s, started
# once the iperf3 TCP stream is established; the average RTT is reported.
# Report: "ours" is nfv-vpn <-> nfv-vpn, and each mixed pair, against the reference
# openvpn <-> openvpn. iperf3, ping and both VPN ends share the machine's cores.
# Usage: sudo bench/vpn.sh   (NFV_BUILD_DIR selects the build; default build/release;
# NFV_BENCH_CIPHERS="AES-256-GCM" runs one cipher only; NFV_VPN_EXTRA_ARGS is passed to every
# nfv-vpn, e.g. --no-offload to measure without the TUN and UDP offloads)
source "$(dirname "$0")/lib.sh"
source "$NFV_SOURCE_DIR/tests/interop/vpn_pki.sh"
nfv_require_root_netns
nfv_require_tun
nfv_require_cmd openvpn openssl iperf3 ping jq
bench_build nfv-vpn
ours=$(nfv_bin nfv-vpn)
SECONDS_PER_RUN=${NFV_BENCH_SECONDS:-10}
read -r -a CIPHERS <<<"${NFV_BENCH_CIPHERS:-AES-256-GCM CHACHA20-POLY1305}"
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
"$ours" --check-config --config "$NFV_TMP/server.conf" >/dev/null ||
  nfv_fail "nfv-vpn --check-config rejected the server config"

server_pid=""
iperf_pid=""
# start_server WHO (ref|ours): the VPN server, then iperf3 -s on its tunnel address.
start_server() {
  local who=$1 log="server-$1"
  if [ "$who" = ours ]; then
    nfv_spawn "$srv" "$log" "$ours" ${NFV_VPN_EXTRA_ARGS:-} --config "$NFV_TMP/server.conf"
  else
    nfv_spawn "$srv" "$log" openvpn --config "$NFV_TMP/server.conf"
  fi
  server_pid=$NFV_LAST_PID
  nfv_wait_for_log "$log" "Initialization Sequence Completed" 20
  nfv_spawn "$srv" "iperf3-server-$who" iperf3 -s -B 10.8.79.1 -p 5201
  iperf_pid=$NFV_LAST_PID
  nfv_wait_for_tcp_port "$srv" 5201 10
}

stop_server() {
  kill -TERM "$iperf_pid" "$server_pid" 2>/dev/null || true
  nfv_wait_until 10 "the server exits" bash -c "! kill -0 $server_pid 2>/dev/null"
  wait "$server_pid" "$iperf_pid" 2>/dev/null || true
}


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
    nfv_spawn "$cli" "$log" "$ours" ${NFV_VPN_EXTRA_ARGS:-} --config "$NFV_TMP/client-$cipher.conf"
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
done
for server in ref ours; do
  start_server "$server"
  for cipher in "${CIPHERS[@]}"; do
    for round in $(seq 1 "$NFV_BENCH_REPEAT"); do
      for client in ref ours; do
        pair="$client-$server"  # client program - server program
        start_client "$client" "$cipher" "client-$pair-$cipher-$round"
        for dir in up down; do
          measure "$CLIENT_PID" "$dir" >"$NFV_TMP/measure.txt"
          read -r gbit cpu ping_ms scpu retr <"$NFV_TMP/measure.txt"
          res[$pair-$cipher-$dir-gbit]+=" $gbit"
          res[$pair-$cipher-$dir-cpu]+=" $cpu"
          res[$pair-$cipher-$dir-ping]+=" $ping_ms"
          res[$pair-$cipher-$dir-scpu]+=" $scpu"
          nfv_log "$cipher round $round client $client / server $server $dir: $gbit Gbit/s, client $cpu CPU s/GB, server $scpu CPU s/GB, ping $ping_ms ms, $retr TCP retransmits"
        done
        stop_client "$CLIENT_PID"
      done
    done
  done
  kill -0 "$server_pid" || nfv_fail "the $server server died"
  stop_server
done

median() { # shellcheck disable=SC2086
  bench_median $1
}
echo
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (shared: numbers are indicative)"
echo "reference = openvpn $(openvpn --version | awk 'NR == 1 {print $2}') client and server (userspace)"
echo "pairs: nfv = nfv-vpn client and server; nfv-cli = nfv-vpn client, openvpn server;"
echo "       nfv-srv = openvpn client, nfv-vpn server"
bench_header
for cipher in "${CIPHERS[@]}"; do
  short=${cipher%%-POLY1305}
  for dir in up down; do
    ref="ref-ref-$cipher-$dir"
    for pair in "nfv:ours-ours" "nfv-cli:ours-ref" "nfv-srv:ref-ours"; do
      name=${pair%%:*}
      key="${pair#*:}-$cipher-$dir"
      bench_report "$short $dir $name" "$(median "${res[$key-gbit]}")" \
        "$(median "${res[$ref-gbit]}")" Gbit/s higher
      bench_report "$short $dir $name ping" "$(median "${res[$key-ping]}")" \
        "$(median "${res[$ref-ping]}")" ms lower
    done
    bench_report "$short $dir nfv client cpu" "$(median "${res[ours-ours-$cipher-$dir-cpu]}")" \
      "$(median "${res[$ref-cpu]}")" s/GB lower
    bench_report "$short $dir nfv server cpu" "$(median "${res[ours-ours-$cipher-$dir-scpu]}")" \
      "$(median "${res[$ref-scpu]}")" s/GB lower
  done
done
