#!/usr/bin/env bash
# One nfv-vpn server process with 1,000 concurrent clients (issue 6): NFV_LOAD_CLIENTS
# (default 1000) simulated clients from nfv-vpn-load (the client protocol core, one UDP socket
# each) plus one real openvpn 2.6 client, all with the Nyr client.ovpn (the same certificate:
# the server has duplicate-cn). The server config is Nyr's with a /20 pool, duplicate-cn and
# max-clients 1100.
# Asserts: every simulated client completes the handshake and gets its PUSH_REPLY; the status
# file lists all of them plus the real client; the real client still pings through the tunnel
# with 1,000 others connected; the server exits 0 on SIGTERM. Prints the server's resident
# memory per connected client (informative; bench/vpn-clients.sh compares with openvpn).
source "$NFV_SOURCE_DIR/tests/interop/lib.sh"
nfv_require_root_netns
nfv_require_tun
nfv_require_cmd openvpn ping
vpn=$(nfv_bin nfv-vpn)
load=$(nfv_bin nfv-vpn-load)
clients=${NFV_LOAD_CLIENTS:-1000}

pki="$NFV_SOURCE_DIR/configs/vpn/pki"
srv=$(nfv_netns_new vms)
cli=$(nfv_netns_new vmc)
nfv_veth "$srv" 10.79.0.1/24 "$cli" 10.79.0.2/24 vm0 vm0

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
topology subnet
server 10.9.0.0 255.255.240.0
duplicate-cn
max-clients 1100
keepalive 10 120
verb 3
CONF
status="$NFV_TMP/status.txt"
nfv_spawn "$srv" server "$vpn" --config "$NFV_TMP/server.conf" --status "$status" 1 \
  --status-version 2
server_pid=$NFV_LAST_PID
nfv_wait_for_log server "Initialization Sequence Completed" 20
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status"; }
rss_start=$(rss_kib)

nfv_spawn "$cli" client openvpn --remote 10.79.0.1 1194 --config "$NFV_SOURCE_DIR/configs/vpn/nyr/client.ovpn" \
  --verb 3 --pull-filter ignore redirect-gateway --pull-filter ignore block-outside-dns
client_pid=$NFV_LAST_PID
nfv_wait_for_log client "Initialization Sequence Completed|AUTH_FAILED|Exiting" 30
grep -q "Initialization Sequence Completed" "$(nfv_logfile client)" ||
  nfv_fail "the openvpn client did not connect"
rss_one=$(rss_kib)

nfv_spawn "$cli" load "$load" --clients "$clients" --parallel 50 --timeout 200 --hold 600 \
  --remote 10.79.0.1 1194 --config "$NFV_SOURCE_DIR/configs/vpn/nyr/client.ovpn"
load_pid=$NFV_LAST_PID
nfv_wait_for_log load "nfv-vpn-load: connected=" 230
result=$(grep "nfv-vpn-load: connected=" "$(nfv_logfile load)")
nfv_log "$result"
kill -USR2 "$server_pid"
nfv_wait_for_log server " statistics clients=" 10
nfv_log "server: $(grep -o ' statistics clients=.*' "$(nfv_logfile server)" | tail -n 1)"
nfv_expect_match "connected=$clients failed=0 pending=0" "$result" \
  "all $clients simulated clients connected"

expect_rows=$(( clients + 1 ))
rows() { [ "$(grep -c '^CLIENT_LIST,' "$status")" -eq "$expect_rows" ]; }
nfv_wait_until 15 "$expect_rows clients in the status file" rows
nfv_log "ok: the status file lists $expect_rows clients"

nfv_in "$cli" ping -c 3 -i 0.3 -W 3 10.9.0.1 >/dev/null ||
  nfv_fail "the real client gets no ping reply with $clients others connected"
nfv_log "ok: the real openvpn client pings through the tunnel with $clients others connected"

rss_all=$(rss_kib)
per_client=$(awk -v a="$rss_all" -v b="$rss_one" -v n="$clients" 'BEGIN { printf "%.1f", (a - b) / n }')
nfv_log "server RSS: $rss_start KiB idle, $rss_one KiB with 1 client, $rss_all KiB with $expect_rows: $per_client KiB per client"

kill -TERM "$load_pid" "$client_pid" 2>/dev/null || true
wait "$load_pid" "$client_pid" 2>/dev/null || true
kill -TERM "$server_pid"
rc=0
wait "$server_pid" || rc=$?
[ "$rc" -eq 0 ] || nfv_fail "the server exited $rc on SIGTERM"
nfv_log "PASS"
