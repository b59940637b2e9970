#!/usr/bin/env bash
# nfv-vpn (client) against a real OpenVPN 2.6 server, in two network namespaces over a veth.
# For each control-channel wrapping / data cipher pair the client must: finish the handshake,
# receive and apply the pushed address and route, carry pings both ways through the tunnel,
# survive a server-initiated renegotiation (reneg-sec) with traffic still flowing, and on
# SIGTERM send explicit-exit-notify so that the server drops the client at once.
source "$NFV_SOURCE_DIR/tests/interop/lib.sh"
source "$NFV_SOURCE_DIR/tests/interop/vpn_pki.sh"
nfv_require_root_netns
nfv_require_tun
nfv_require_cmd openvpn openssl ping

pki="$NFV_TMP/pki"
nfv_vpn_pki "$pki"
srv=$(nfv_netns_new vsrv)
cli=$(nfv_netns_new vcli)
nfv_veth "$srv" 10.78.0.1/24 "$cli" 10.78.0.2/24
nfv_in "$srv" ip addr add 10.78.50.1/24 dev lo

# run_case NAME PROTO SERVER_WRAP CLIENT_WRAP SERVER_CIPHERS CLIENT_CIPHERS EXPECTED_CIPHER
run_case() {
  local name=$1 proto=$2 server_wrap=$3 client_wrap=$4 server_ciphers=$5 client_ciphers=$6
  local expect=$7 exit_notify="explicit-exit-notify 1"
  [ "$proto" = tcp ] && exit_notify=""  # over TCP the server sees the connection close
  nfv_log "case $name"
  cat >"$NFV_TMP/server-$name.conf" <<CONF
port 1194
proto $proto
dev tun
topology subnet
server 10.8.78.0 255.255.255.0
push "route 10.78.50.0 255.255.255.0"
ca $pki/ca.crt
cert $pki/server.crt
key $pki/server.key
dh none
$server_wrap
data-ciphers $server_ciphers
keepalive 10 60
reneg-sec 6
verb 4
CONF
  cat >"$NFV_TMP/client-$name.conf" <<CONF
client
dev tun
proto $proto
remote 10.78.0.1 1194
nobind
remote-cert-tls server
ca $pki/ca.crt
cert $pki/client.crt
key $pki/client.key
$client_wrap
data-ciphers $client_ciphers
$exit_notify
verb 4
CONF
  nfv_spawn "$srv" "openvpn-$name" openvpn --config "$NFV_TMP/server-$name.conf"
  local server_pid=$!
  nfv_wait_for_log "openvpn-$name" "Initialization Sequence Completed" 20
  "$(nfv_bin nfv-vpn)" --check-config --config "$NFV_TMP/client-$name.conf" >/dev/null ||
    nfv_fail "$name: --check-config rejected the client config"
  nfv_spawn "$cli" "nfv-vpn-$name" "$(nfv_bin nfv-vpn)" --config "$NFV_TMP/client-$name.conf"
  local client_pid=$!
  nfv_wait_for_log "nfv-vpn-$name" "Initialization Sequence Completed" 30
  nfv_expect_match "cipher=$expect" "$(cat "$(nfv_logfile "nfv-vpn-$name")")" "$name: data cipher"
  nfv_wait_for_log "openvpn-$name" "Data Channel: cipher .$expect." 10 \
    && nfv_log "ok: $name: server agrees on the cipher"
  nfv_expect_match "10\.78\.50\.0/24 via 10\.8\.78\.1 dev tun" "$(nfv_in "$cli" ip route)" \
    "$name: pushed route"
  nfv_in "$cli" ping -c 3 -W 2 -i 0.2 10.78.50.1 >/dev/null || nfv_fail "$name: ping client->server"
  local client_ip
  client_ip=$(nfv_in "$cli" ip -4 -o addr show | awk '/10\.8\.78\./ {sub("/.*", "", $4); print $4}')
  nfv_in "$srv" ping -c 3 -W 2 -i 0.2 "$client_ip" >/dev/null || nfv_fail "$name: ping server->client"

  # The server renegotiates after reneg-sec 6; traffic must keep flowing on the new key.
  nfv_wait_for_log "nfv-vpn-$name" "data channel key renegotiated" 30
  nfv_in "$cli" ping -c 3 -W 2 -i 0.2 10.78.50.1 >/dev/null ||
    nfv_fail "$name: ping after renegotiation"

  # explicit-exit-notify: the server learns at once that the client left.
  kill -TERM "$client_pid"
  local gone="exit notification|SIGTERM\[soft,remote-exit\]|remote-exit"
  [ "$proto" = tcp ] && gone="Connection reset, restarting|client-instance exiting"
  nfv_wait_for_log "openvpn-$name" "$gone" 15
  nfv_wait_until 10 "nfv-vpn $name exits" bash -c "! kill -0 $client_pid 2>/dev/null"
  kill -TERM "$server_pid"
  nfv_wait_until 10 "openvpn $name exits" bash -c "! kill -0 $server_pid 2>/dev/null"
  nfv_log "case $name passed"
}

run_case tls-crypt-aes256gcm udp "tls-crypt $pki/ta.key" "tls-crypt $pki/ta.key" \
  "AES-256-GCM:CHACHA20-POLY1305" "AES-256-GCM:CHACHA20-POLY1305" AES-256-GCM
run_case tls-auth-chacha udp "tls-auth $pki/ta.key 0" "tls-auth $pki/ta.key 1" \
  "CHACHA20-POLY1305" "AES-256-GCM:CHACHA20-POLY1305" CHACHA20-POLY1305
run_case legacy-cbc udp "tls-auth $pki/ta.key 0
auth SHA256" "tls-auth $pki/ta.key 1
auth SHA256" "AES-256-GCM:AES-256-CBC" "AES-256-CBC" AES-256-CBC
run_case tcp-tls-crypt tcp "tls-crypt $pki/ta.key" "tls-crypt $pki/ta.key" \
  "AES-256-GCM" "AES-256-GCM:CHACHA20-POLY1305" AES-256-GCM
echo "PASS: nfv-vpn client interoperates with openvpn 2.6 servers"
