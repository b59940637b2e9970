#!/usr/bin/env bash
# Self-test of the VPN interop rig: the test PKI (vpn_pki.sh) and the two-namespace topology
# that nfv-vpn's interop tests and bench/vpn.sh use, proven with real openvpn on both ends.
# A real openvpn 2.6 server and client (UDP, tls-crypt, AES-256-GCM, topology subnet,
# remote-cert-tls server) connect over a veth; the pushed address and route arrive; ping works
# through the tunnel in both directions; a client with a wrong tls-crypt key gets no session.
source "$NFV_SOURCE_DIR/tests/interop/lib.sh"
source "$NFV_SOURCE_DIR/tests/interop/vpn_pki.sh"
nfv_require_root_netns
nfv_require_tun
nfv_require_cmd openvpn openssl ping

pki="$NFV_TMP/pki"
nfv_vpn_pki "$pki"

srv=$(nfv_netns_new vsrv)
cli=$(nfv_netns_new vcli)
nfv_veth "$srv" 10.77.0.1/24 "$cli" 10.77.0.2/24
# A network behind the server that the pushed route must reach.
nfv_in "$srv" ip addr add 10.77.50.1/24 dev lo

cat >"$NFV_TMP/server.conf" <<CONF
port 1194
proto udp
dev tun
topology subnet
server 10.8.77.0 255.255.255.0
push "route 10.77.50.0 255.255.255.0"
push "dhcp-option DNS 10.8.77.1"
ca $pki/ca.crt
cert $pki/server.crt
key $pki/server.key
dh none
tls-crypt $pki/ta.key
data-ciphers AES-256-GCM:CHACHA20-POLY1305
keepalive 10 60
verb 3
CONF
cat >"$NFV_TMP/client.conf" <<CONF
client
dev tun
proto udp
remote 10.77.0.1 1194
nobind
remote-cert-tls server
ca $pki/ca.crt
cert $pki/client.crt
key $pki/client.key
tls-crypt $pki/ta.key
data-ciphers AES-256-GCM
verb 3
CONF

nfv_spawn "$srv" openvpn-server openvpn --config "$NFV_TMP/server.conf"
nfv_wait_for_log openvpn-server "Initialization Sequence Completed" 20
nfv_spawn "$cli" openvpn-client openvpn --config "$NFV_TMP/client.conf"
nfv_wait_for_log openvpn-client "Initialization Sequence Completed" 30

log=$(nfv_logfile openvpn-client)
nfv_expect_match "Data Channel: cipher 'AES-256-GCM'" "$(cat "$log")" "negotiated cipher"
nfv_expect_match "10\.8\.77\.[0-9]+/24" "$(nfv_in "$cli" ip -4 addr show)" "pushed ifconfig"
nfv_expect_match "10\.77\.50\.0/24 via 10\.8\.77\.1" "$(nfv_in "$cli" ip route)" "pushed route"
nfv_in "$cli" ping -c 2 -W 2 -i 0.2 10.77.50.1 >/dev/null || nfv_fail "ping through the tunnel"
client_ip=$(nfv_in "$cli" ip -4 -o addr show | awk '/10\.8\.77\./ {sub("/.*", "", $4); print $4}')
nfv_in "$srv" ping -c 2 -W 2 -i 0.2 "$client_ip" >/dev/null || nfv_fail "ping server->client"
nfv_log "openvpn<->openvpn tunnel up, client $client_ip"

# A client with another tls-crypt key never gets past the first packet.
openvpn --genkey secret "$NFV_TMP/other.key" >/dev/null
sed "s|tls-crypt $pki/ta.key|tls-crypt $NFV_TMP/other.key|; s|^verb 3|verb 3\nconnect-retry-max 1|" \
  "$NFV_TMP/client.conf" >"$NFV_TMP/bad-client.conf"
cli2=$(nfv_netns_new vcli2)
nfv_veth "$srv" 10.77.1.1/24 "$cli2" 10.77.1.2/24 veth1 veth0
sed -i "s|remote 10.77.0.1 1194|remote 10.77.1.1 1194|" "$NFV_TMP/bad-client.conf"
nfv_spawn "$cli2" openvpn-bad openvpn --config "$NFV_TMP/bad-client.conf" --hand-window 5
nfv_wait_for_log openvpn-server "tls-crypt unwrap error|TLS Error: tls-crypt unwrapping failed" 20
if grep -q "Initialization Sequence Completed" "$(nfv_logfile openvpn-bad)"; then
  nfv_fail "a client with the wrong tls-crypt key connected"
fi
nfv_log "wrong tls-crypt key rejected by the server"
echo "PASS: vpn rig self-test"
