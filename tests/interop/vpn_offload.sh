#!/usr/bin/env bash
# nfv-vpn's TUN and UDP offloads and mssfix (issue 7) end to end, with real data. Namespaces: the
# server (10.79.7.1) and one client at a time (10.79.7.2) over a veth; the tunnel is
# 10.8.77.0/24 and fd00:77::/64 (UDP, tls-crypt, AES-256-GCM, topology subnet).
# Cases:
#  1. nfv-vpn client <-> nfv-vpn server: the only pairing where UDP GSO meets UDP GRO. 100 MB
#     each way over IPv4 and 30 MB each way over IPv6 inside the tunnel, SHA-256 checked. The
#     TCP MSS through the tunnel is 1388, as through openvpn 2.6 (mssfix 1492 mtu). Both
#     ends' "offload statistics" lines must show TCP super-packets read from and written to
#     the TUN, UDP GSO messages and GRO buffers, and no write errors or malformed reads: the
#     offloads were used, not silently off.
#  2. nfv-vpn client with --no-offload against the same (offloading) server: 100 MB each way.
#  3. the real openvpn 2.6 client against the nfv-vpn server: 100 MB each way.
#  4. the server with `proto udp6` (an IPv6 socket): like openvpn 2.6 it is dual stack unless
#     `bind ipv6only`, so the openvpn client reaches it over IPv4, and the server logs the
#     client as 10.79.7.2, not ::ffff:10.79.7.2.
source "$NFV_SOURCE_DIR/tests/interop/lib.sh"
source "$NFV_SOURCE_DIR/tests/interop/vpn_pki.sh"
nfv_require_root_netns
nfv_require_tun
nfv_require_cmd openvpn openssl socat sha256sum iperf3
vpn=$(nfv_bin nfv-vpn)

pki="$NFV_TMP/pki"
nfv_vpn_pki "$pki"
srv=$(nfv_netns_new voffsrv)
cli=$(nfv_netns_new voffcli)
nfv_veth "$srv" 10.79.7.1/24 "$cli" 10.79.7.2/24

cat >"$NFV_TMP/server.conf" <<CONF
port 1194
proto udp
dev tun
topology subnet
server 10.8.77.0 255.255.255.0
server-ipv6 fd00:77::/64
ca $pki/ca.crt
cert $pki/server.crt
key $pki/server.key
dh none
tls-crypt $pki/ta.key
data-ciphers AES-256-GCM
keepalive 10 60
verb 3
CONF
cat >"$NFV_TMP/client.conf" <<CONF
client
dev tun
proto udp
remote 10.79.7.1 1194
nobind
remote-cert-tls server
ca $pki/ca.crt
cert $pki/client.crt
key $pki/client.key
tls-crypt $pki/ta.key
data-ciphers AES-256-GCM
verb 3
CONF

head -c 100M /dev/urandom >"$NFV_TMP/blob"
head -c 30M "$NFV_TMP/blob" >"$NFV_TMP/blob30"

# transfer NAME FILE FROM_NS TO_NS TO_ADDR: FILE over TCP through the tunnel, SHA-256 checked.
transfer() { nfv_transfer "$1" "$NFV_TMP/$2" "$3" "$4" "$5" 5311 120; }

client_ip() { # FAMILY: the client's tunnel address
  if [ "$1" = 6 ]; then
    nfv_in "$cli" ip -6 -o addr show | awk '/fd00:77:/ {sub("/.*", "", $4); print $4}'
  else
    nfv_in "$cli" ip -4 -o addr show | awk '/10\.8\.77\./ {sub("/.*", "", $4); print $4}'
  fi
}

has_ipv6() { [ -n "$(client_ip 6)" ]; }

# counter LOG NAME: the value of NAME= in the last "offload statistics" line of LOG.
counter() {
  grep "offload statistics" "$(nfv_logfile "$1")" | tail -1 | tr ' ' '\n' |
    awk -F= -v k="$2" '$1 == k {print $2}'
}

# expect_offloads_used LOG WHO: the counters show the offloads at work (or the kernel refused).
expect_offloads_used() {
  local log=$1 who=$2
  nfv_wait_for_log "$log" "offload statistics" 10
  if [ "$(counter "$log" tun_offload)" != true ]; then
    nfv_log "NOTE: $who: the kernel refused the TUN offload flags; offload counters not checked"
    return
  fi
  local name
  for name in tun_super_packets_read tun_super_packets_written udp_gso_messages udp_gro_buffers; do
    [ "$(counter "$log" "$name")" -gt 0 ] || nfv_fail "$who: $name is $(counter "$log" "$name")"
    nfv_log "ok: $who: $name = $(counter "$log" "$name")"
  done
  for name in tun_write_errors tun_malformed_reads; do
    nfv_expect_eq 0 "$(counter "$log" "$name")" "$who: $name"
  done
}

start_client() { # LOGNAME COMMAND...
  local log=$1
  shift
  nfv_spawn "$cli" "$log" "$@"
  CLIENT_PID=$NFV_LAST_PID
  nfv_wait_for_log "$log" "Initialization Sequence Completed" 30
  nfv_wait_until 10 "$log: ping through the tunnel" nfv_in "$cli" ping -c 1 -W 1 10.8.77.1
}

stop_client() {
  kill "$CLIENT_PID"
  wait "$CLIENT_PID" 2>/dev/null || true
}

nfv_spawn "$srv" server "$vpn" --config "$NFV_TMP/server.conf"
server_pid=$NFV_LAST_PID
nfv_wait_for_log server "Initialization Sequence Completed" 20

nfv_log "case 1: nfv-vpn client <-> nfv-vpn server, offloads on both ends"
start_client ours "$vpn" --config "$NFV_TMP/client.conf"
nfv_wait_until 10 "client IPv6 address" has_ipv6
transfer up4 blob "$cli" "$srv" 10.8.77.1
transfer down4 blob "$srv" "$cli" "$(client_ip 4)"
nfv_wait_until 10 "server IPv6 address reachable" nfv_in "$cli" ping -6 -c 1 -W 1 fd00:77::1
transfer up6 blob30 "$cli" "$srv" fd00:77::1
transfer down6 blob30 "$srv" "$cli" "$(client_ip 6)"
nfv_spawn "$srv" iperf3-server iperf3 -s -B 10.8.77.1 -1
nfv_wait_for_tcp_port "$srv" 5201 10
mss=$(nfv_in "$cli" iperf3 -c 10.8.77.1 -t 1 -V | awk '/TCP MSS:/ {print $3; exit}')
nfv_expect_eq 1388 "$mss" "TCP MSS through the tunnel (mssfix 1492 mtu, timestamps on)"
stop_client
expect_offloads_used ours "nfv-vpn client"
kill -USR2 "$server_pid"
expect_offloads_used server "nfv-vpn server"

nfv_log "case 2: nfv-vpn client with --no-offload against the offloading server"
start_client plain "$vpn" --no-offload --config "$NFV_TMP/client.conf"
transfer plain-up blob "$cli" "$srv" 10.8.77.1
transfer plain-down blob "$srv" "$cli" "$(client_ip 4)"
stop_client
nfv_wait_for_log plain "offload statistics" 10
nfv_expect_eq false "$(counter plain tun_offload)" "--no-offload client: TUN offload"

nfv_log "case 3: the real openvpn 2.6 client against the nfv-vpn server"
start_client openvpn openvpn --config "$NFV_TMP/client.conf"
transfer openvpn-up blob "$cli" "$srv" 10.8.77.1
transfer openvpn-down blob "$srv" "$cli" "$(client_ip 4)"
stop_client

kill -TERM "$server_pid"
wait "$server_pid" || nfv_fail "the server did not exit 0 on SIGTERM"

nfv_log "case 4: proto udp6 is dual stack"
nfv_spawn "$srv" server6 "$vpn" --config "$NFV_TMP/server.conf" --proto udp6
server_pid=$NFV_LAST_PID
nfv_wait_for_log server6 "Initialization Sequence Completed" 20
nfv_wait_for_log server6 "listening proto=udp address=\[::\]:1194" 5
start_client openvpn6 openvpn --config "$NFV_TMP/client.conf"
nfv_in "$cli" ping -c 3 -i 0.2 -W 2 10.8.77.1 >/dev/null || nfv_fail "no ping over the dual-stack server"
nfv_wait_for_log server6 "new client session client=[^ ]*10\.79\.7\.2:" 5
if grep -q "ffff:" "$(nfv_logfile server6)"; then
  nfv_fail "the server shows a v4-mapped address"
fi
nfv_log "ok: an IPv4 client on the udp6 server, logged as 10.79.7.2"
stop_client
kill -TERM "$server_pid"
wait "$server_pid" || nfv_fail "the udp6 server did not exit 0 on SIGTERM"
nfv_log "PASS"
