#!/usr/bin/env bash
# nfv-vpn (client) against the real OpenVPN 2.6 server (Debian openvpn), in two network
# namespaces over a veth (10.78.0.1 server, 10.78.0.2 client; 10.78.50.1/24 on the server's
# loopback is the network behind the VPN).
#
# 1. The matrix: every cell of VPN_CELLS (protocol x control-channel wrapping x data cipher)
#    connects; the negotiated cipher is the one asked for on both ends; the pushed route is in
#    the client's table; the pushed `dhcp-option DNS`/`DOMAIN` reach the client's up script as
#    foreign_option_N (OpenVPN's script environment; route-up and down run too); pings pass
#    both ways; 100 MB go through the tunnel (upload and download in alternate cells) with the
#    same SHA-256 at both ends; SIGTERM sends explicit-exit-notify (UDP) and the server drops
#    the client at once. One server runs per (protocol, wrapping) and the cells choose the
#    cipher on the client side.
# 2. With `reneg-sec 10` on the server, a 35 s stream survives at least two renegotiations with
#    every byte delivered (checksum).
# 3. After the server is killed (SIGKILL, no notification) and started again, the client
#    notices (UDP: ping-restart; TCP: the connection reset) and reconnects by itself: a ping
#    through the tunnel works again.
# 4. The installer-shaped configs in configs/vpn/ (angristan, Nyr, PiVPN): the real server runs
#    its server.conf (copied into a temporary directory; only the log, status file, user and
#    listen address are overridden on the command line) and nfv-vpn runs the matching
#    client.ovpn unchanged, with `--remote 10.78.0.1 1194` on the command line placed before
#    --config so that it is the first remote tried, as with openvpn.
source "$NFV_SOURCE_DIR/tests/interop/lib.sh"
source "$NFV_SOURCE_DIR/tests/interop/vpn_pki.sh"
nfv_require_root_netns
nfv_require_tun
nfv_require_cmd openvpn openssl ping socat sha256sum

# The matrix, one cell per line: PROTO WRAP CIPHER. WRAP is a name known to wrap_config
# below; CIPHER is the data cipher the cell must end up with (client_cipher_config below).
VPN_CELLS=(
  "udp tls-crypt AES-256-GCM"
  "udp tls-crypt CHACHA20-POLY1305"
  "udp tls-crypt AES-256-CBC"
  "udp tls-auth AES-256-GCM"
  "udp tls-auth CHACHA20-POLY1305"
  "udp tls-auth AES-256-CBC"
  "udp none AES-256-GCM"
  "udp none CHACHA20-POLY1305"
  "udp none AES-256-CBC"
  "tcp tls-crypt AES-256-GCM"
  "tcp tls-crypt CHACHA20-POLY1305"
  "tcp tls-crypt AES-256-CBC"
  "tcp tls-auth AES-256-GCM"
  "tcp tls-auth CHACHA20-POLY1305"
  "tcp tls-auth AES-256-CBC"
  "tcp none AES-256-GCM"
  "tcp none CHACHA20-POLY1305"
  "tcp none AES-256-CBC"
  "udp tls-crypt-v2 AES-256-GCM"
  "udp tls-crypt-v2 CHACHA20-POLY1305"
  "udp tls-crypt-v2 AES-256-CBC"
  "tcp tls-crypt-v2 AES-256-GCM"
  "tcp tls-crypt-v2 CHACHA20-POLY1305"
  "tcp tls-crypt-v2 AES-256-CBC"
)
# NFV_VPN_CELLS="udp tls-crypt AES-256-GCM;tcp none AES-256-CBC" runs only those cells.
if [ -n "${NFV_VPN_CELLS:-}" ]; then
  IFS=';' read -r -a VPN_CELLS <<<"$NFV_VPN_CELLS"
fi

pki="$NFV_TMP/pki"
nfv_vpn_pki "$pki"
# tls-crypt-v2: a server key and one client key wrapped with it, both made by openvpn itself.
openvpn --genkey tls-crypt-v2-server "$pki/tc2-server.key" >/dev/null
openvpn --tls-crypt-v2 "$pki/tc2-server.key" --genkey tls-crypt-v2-client "$pki/tc2-client.key" \
  >/dev/null
srv=$(nfv_netns_new vmsrv)
cli=$(nfv_netns_new vmcli)
nfv_veth "$srv" 10.78.0.1/24 "$cli" 10.78.0.2/24
nfv_in "$srv" ip addr add 10.78.50.1/24 dev lo

# wrap_config SIDE WRAP: the control-channel directives of SIDE (server|client) for WRAP.
wrap_config() {
  case "$2" in
    tls-crypt) echo "tls-crypt $pki/ta.key" ;;
    tls-auth) if [ "$1" = server ]; then echo "tls-auth $pki/ta.key 0"; else echo "tls-auth $pki/ta.key 1"; fi ;;
    # force-cookie: over UDP the server answers our early-negotiation V3 reset statelessly
    # (HMAC cookie, EARLY_NEG_FLAGS RESEND_WKC) and refuses a client that does not resend its
    # WKc in P_CONTROL_WKC_V1; over TCP it keeps state and sends no TLVs.
    tls-crypt-v2) if [ "$1" = server ]; then echo "tls-crypt-v2 $pki/tc2-server.key force-cookie"; else echo "tls-crypt-v2 $pki/tc2-client.key"; fi ;;
    none) echo "" ;;
    *) nfv_fail "unknown control-channel wrapping '$2'" ;;
  esac
}

# client_cipher_config CIPHER: the client directives that make the server settle on CIPHER.
# The server is set up the way PiVPN's is for legacy clients: AES-256-CBC last in data-ciphers
# and as data-ciphers-fallback. An OpenVPN 2.6 server picks the fallback only for a client that
# announces no IV_CIPHERS (before 2.4); a 2.6 client (and nfv-vpn) announces them, so the
# CBC client has data-ciphers AES-256-CBC (as configs/vpn/pivpn/client-legacy-cbc.ovpn) and the
# server pushes `cipher AES-256-CBC`; with `auth SHA256` both ends use HMAC-SHA256.
client_cipher_config() {
  case "$1" in
    AES-256-GCM | CHACHA20-POLY1305) echo "data-ciphers $1" ;;
    AES-256-CBC) printf 'data-ciphers AES-256-CBC\ndata-ciphers-fallback AES-256-CBC\n' ;;
    *) nfv_fail "unknown cipher '$1'" ;;
  esac
}

# The up script: records its arguments and environment for the checks.
cat >"$NFV_TMP/up.sh" <<'SH'
#!/bin/sh
out=$1
shift
{ echo "args=$*"; env; } >"$out.tmp" && mv "$out.tmp" "$out"
SH
chmod +x "$NFV_TMP/up.sh"

# start_server NAME PROTO WRAP [EXTRA]: start openvpn; sets SERVER_PID.
start_server() {
  local name=$1 proto=$2 wrap=$3 extra=${4:-}
  cat >"$NFV_TMP/server-$name.conf" <<CONF
port 1194
proto $proto
dev tun
topology subnet
server 10.8.78.0 255.255.255.0
push "route 10.78.50.0 255.255.255.0"
push "dhcp-option DNS 10.78.50.53"
push "dhcp-option DOMAIN vm.test"
ca $pki/ca.crt
cert $pki/server.crt
key $pki/server.key
dh none
$(wrap_config server "$wrap")
data-ciphers AES-256-GCM:CHACHA20-POLY1305:AES-256-CBC
data-ciphers-fallback AES-256-CBC
auth SHA256
keepalive 10 60
verb 3
$extra
CONF
  nfv_spawn "$srv" "openvpn-$name" openvpn --config "$NFV_TMP/server-$name.conf"
  SERVER_PID=$NFV_LAST_PID
  nfv_wait_for_log "openvpn-$name" "Initialization Sequence Completed" 20
}

stop_server() { # NAME PID
  kill -TERM "$2" 2>/dev/null || true
  nfv_wait_until 10 "openvpn $1 exits" bash -c "! kill -0 $2 2>/dev/null"
}

# start_client NAME PROTO WRAP CIPHER: start nfv-vpn and wait for the tunnel; sets CLIENT_PID.
start_client() {
  local name=$1 proto=$2 wrap=$3 cipher=$4 exit_notify="explicit-exit-notify 1"
  [ "$proto" = tcp ] && exit_notify=""  # over TCP the server sees the connection close
  rm -f "$NFV_TMP/env-$name"
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
$(wrap_config client "$wrap")
$(client_cipher_config "$cipher")
auth SHA256
$exit_notify
script-security 2
up "$NFV_TMP/up.sh $NFV_TMP/env-$name"
route-up "$NFV_TMP/up.sh $NFV_TMP/route-up-$name"
down "$NFV_TMP/up.sh $NFV_TMP/down-$name"
verb 3
CONF
  "$(nfv_bin nfv-vpn)" --check-config --config "$NFV_TMP/client-$name.conf" >/dev/null ||
    nfv_fail "$name: --check-config rejected the client config"
  nfv_spawn "$cli" "nfv-vpn-$name" "$(nfv_bin nfv-vpn)" --config "$NFV_TMP/client-$name.conf"
  CLIENT_PID=$NFV_LAST_PID
  nfv_wait_for_log "nfv-vpn-$name" "Initialization Sequence Completed" 30
}

# expect_clean_exit NAME PID: nfv-vpn stopped by SIGTERM exits with status 0 (a sanitizer
# report, a leak or a failing down script would make it non-zero).
expect_clean_exit() {
  local rc=0
  wait "$2" || rc=$?
  nfv_expect_eq 0 "$rc" "$1: nfv-vpn exit status"
}

client_ip() {
  nfv_in "$cli" ip -4 -o addr show | awk '/10\.8\.78\./ {sub("/.*", "", $4); print $4}'
}

head -c 100M /dev/urandom >"$NFV_TMP/blob"

# transfer NAME FROM_NS TO_NS TO_ADDR: 100 MB over TCP through the tunnel, SHA-256 checked.
transfer() { nfv_transfer "$1" "$NFV_TMP/blob" "$2" "$3" "$4" 5301 180; }

# run_cell PROTO WRAP CIPHER: the checks of one matrix cell; the server for (PROTO, WRAP) runs.
run_cell() {
  local proto=$1 wrap=$2 cipher=$3
  local name="$proto-$wrap-$cipher" server="$proto-$wrap"
  nfv_log "cell $name"
  start_client "$name" "$proto" "$wrap" "$cipher"
  local log
  log=$(cat "$(nfv_logfile "nfv-vpn-$name")")
  nfv_expect_match "cipher=$cipher" "$log" "$name: data cipher (client)"
  local server_line="Data Channel: cipher '$cipher'"
  [ "$cipher" = AES-256-CBC ] && server_line="$server_line, auth 'SHA256'"
  nfv_wait_for_log "openvpn-$server" "$server_line" 10
  nfv_log "ok: $name: the server uses $server_line"
  nfv_expect_match "10\.78\.50\.0/24 via 10\.8\.78\.1 dev tun" "$(nfv_in "$cli" ip route)" \
    "$name: pushed route"
  nfv_wait_until 5 "$name: up script ran" test -s "$NFV_TMP/env-$name"
  local env
  env=$(cat "$NFV_TMP/env-$name")
  nfv_expect_match "^foreign_option_1=dhcp-option DNS 10\.78\.50\.53$" "$env" "$name: pushed DNS"
  nfv_expect_match "^foreign_option_2=dhcp-option DOMAIN vm\.test$" "$env" "$name: pushed domain"
  nfv_expect_match "^script_type=up$" "$env" "$name: up script type"
  nfv_expect_match "^args=tun[0-9]+ 1500 0 10\.8\.78\.[0-9]+ 255\.255\.255\.0 init$" "$env" \
    "$name: up script arguments"
  nfv_in "$cli" ping -c 3 -W 2 -i 0.2 10.78.50.1 >/dev/null || nfv_fail "$name: ping client->server"
  local ip
  ip=$(client_ip)
  nfv_in "$srv" ping -c 3 -W 2 -i 0.2 "$ip" >/dev/null || nfv_fail "$name: ping server->client"
  # 100 MB one way, alternating between cells (the pings went both ways) to bound the run time.
  if [ $((cell_index % 2)) -eq 0 ]; then
    transfer "$name-up" "$cli" "$srv" 10.78.50.1
  else
    transfer "$name-down" "$srv" "$cli" "$ip"
  fi

  kill -TERM "$CLIENT_PID"
  if [ "$proto" = udp ]; then
    # explicit-exit-notify: the server learns at once that the client left.
    nfv_wait_for_log "openvpn-$server" "exit notification|SIGTERM\[soft,remote-exit\]|remote-exit" 15
  fi
  nfv_wait_until 10 "nfv-vpn $name exits" bash -c "! kill -0 $CLIENT_PID 2>/dev/null"
  expect_clean_exit "$name" "$CLIENT_PID"
  local hooks
  hooks=$(cat "$NFV_TMP/route-up-$name" "$NFV_TMP/down-$name" 2>/dev/null || true)
  nfv_expect_match "^script_type=route-up$" "$hooks" "$name: route-up script ran"
  nfv_expect_match "^route_network_1=10\.78\.50\.0$" "$hooks" "$name: route-up sees the route"
  nfv_expect_match "^script_type=down$" "$hooks" "$name: down script ran on exit"
  nfv_log "cell $name passed"
}

# 1. The matrix, one server per (protocol, wrapping) in the order of VPN_CELLS.
current_server="" current_pid="" cell_index=0
for cell in "${VPN_CELLS[@]}"; do
  read -r proto wrap cipher <<<"$cell"
  if [ "$current_server" != "$proto-$wrap" ]; then
    [ -n "$current_pid" ] && stop_server "$current_server" "$current_pid"
    current_server="$proto-$wrap"
    start_server "$current_server" "$proto" "$wrap"
    current_pid=$SERVER_PID
  fi
  run_cell "$proto" "$wrap" "$cipher"
  cell_index=$((cell_index + 1))
done
[ -n "$current_pid" ] && stop_server "$current_server" "$current_pid"
echo "PASS: matrix (${#VPN_CELLS[@]} cells)"

# 2. reneg-sec 10: a 35 s stream through the tunnel survives the renegotiations, every byte
#    delivered; the client must see at least two of them while the stream runs.
# 3. The same server killed without notice and started again: the client reconnects by itself
#    (ping-restart 10 from the pushed keepalive, then connect-retry); the same over TCP, where
#    the client sees the connection reset.
reneg_extra="reneg-sec 10
keepalive 2 10"
start_server reneg udp tls-crypt "$reneg_extra"
reneg_pid=$SERVER_PID
start_client reneg udp tls-crypt AES-256-GCM
reneg_log=$(nfv_logfile nfv-vpn-reneg)
renegs_before=$(grep -c "data channel key renegotiated" "$reneg_log" || true)
# The stream: 35 chunks of 3 MiB, one a second.
stream() { for _ in $(seq 1 35); do head -c 3145728 "$NFV_TMP/blob"; sleep 1; done; }
stream_sum=$(for _ in $(seq 1 35); do head -c 3145728 "$NFV_TMP/blob"; done | sha256sum | cut -d' ' -f1)
rm -f "$NFV_TMP/sum-stream"
nfv_spawn "$srv" sink-stream bash -c \
  "socat -u TCP-LISTEN:5302,bind=10.78.50.1,reuseaddr STDOUT | sha256sum >'$NFV_TMP/sum-stream.tmp' && mv '$NFV_TMP/sum-stream.tmp' '$NFV_TMP/sum-stream'"
nfv_wait_for_tcp_port "$srv" 5302 10
export -f stream
export NFV_TMP
nfv_in "$cli" timeout 120 bash -c "stream | socat -u STDIN TCP:10.78.50.1:5302" ||
  nfv_fail "reneg: the stream failed"
nfv_wait_until 30 "reneg: receiver's checksum" test -s "$NFV_TMP/sum-stream"
renegs_after=$(grep -c "data channel key renegotiated" "$reneg_log" || true)
nfv_expect_eq "$stream_sum" "$(cut -d' ' -f1 <"$NFV_TMP/sum-stream")" \
  "reneg: SHA-256 of the 105 MiB stream received"
renegs=$((renegs_after - renegs_before))
# The server logs each finished TLS handshake (the first one and every renegotiation).
server_handshakes=$(grep -c "Control Channel: TLS" "$(nfv_logfile openvpn-reneg)" || true)
nfv_log "reneg: $renegs renegotiations during the stream; $server_handshakes handshakes in the server log"
[ "$renegs" -ge 2 ] || nfv_fail "reneg: only $renegs renegotiations during the 35 s stream"
[ "$server_handshakes" -ge 3 ] ||
  nfv_fail "reneg: the server log shows $server_handshakes handshakes, expected at least 3"
nfv_log "ok: reneg: the stream survived $renegs renegotiations"

# restart_check NAME PID: kill server NAME (started by start_server, its client running) with
# SIGKILL, start it again, and wait for the client to reconnect by itself.
restart_check() {
  local name=$1 pid=$2 client_log
  client_log=$(nfv_logfile "nfv-vpn-$name")
  local before after
  before=$(grep -c "restarting the connection" "$client_log" || true)
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null || true
  nfv_spawn "$srv" "openvpn-$name-again" openvpn --config "$NFV_TMP/server-$name.conf"
  SERVER_PID=$NFV_LAST_PID
  nfv_wait_for_log "openvpn-$name-again" "Initialization Sequence Completed" 20
  nfv_wait_for_log "openvpn-$name-again" "Data Channel: cipher 'AES-256-GCM'" 90
  nfv_wait_until 30 "$name: ping through the new tunnel" nfv_in "$cli" ping -c 1 -W 1 10.78.50.1
  after=$(grep -c "restarting the connection" "$client_log" || true)
  [ "$after" -gt "$before" ] || nfv_fail "$name: the client never restarted"
  nfv_log "ok: $name: the client reconnected to the restarted server by itself"
  kill -TERM "$CLIENT_PID"
  nfv_wait_until 10 "nfv-vpn $name exits" bash -c "! kill -0 $CLIENT_PID 2>/dev/null"
  expect_clean_exit "$name" "$CLIENT_PID"
  stop_server "$name" "$SERVER_PID"
}
# UDP: the client notices by ping-restart (keepalive 2 10 pushed).
restart_check reneg "$reneg_pid"
# TCP: the client sees the connection reset.
start_server restart-tcp tcp tls-crypt "keepalive 2 10"
start_client restart-tcp tcp tls-crypt AES-256-GCM
restart_check restart-tcp "$SERVER_PID"
echo "PASS: renegotiation under load and reconnection after a server restart"

# 4. Installer configs: each server.conf as written (in a copy of configs/vpn, since the server
#    writes ipp.txt next to its keys), each client.ovpn unchanged.
inst="$NFV_TMP/installers"
cp -r "$NFV_SOURCE_DIR/configs/vpn" "$inst"
mkdir -p "$inst/pki/ccd"
# redirect-gateway def1 keeps the way to the server through the host's default gateway.
nfv_in "$cli" ip route add default via 10.78.0.1
# installer_pair NAME SERVER_CONF CLIENT_OVPN EXPECTED_CIPHER
installer_pair() {
  local name=$1 server_conf=$2 client_ovpn=$3 cipher=$4
  nfv_log "installer $name"
  # Overridden on the command line, after the file (openvpn applies options in order): where
  # it listens (Nyr binds 127.0.0.1), the user (PiVPN's openvpn user does not exist here), the
  # client-config-dir (PiVPN's is in /etc), the status file and the log (PiVPN logs to syslog).
  nfv_spawn "$srv" "openvpn-$name" openvpn --cd "$inst/pki" --config "$inst/$server_conf" \
    --local 10.78.0.1 --user nobody --group nogroup --client-config-dir ccd \
    --status "$NFV_TMP/status-$name.log" --log "$NFV_TMP/openvpn-$name.log"
  local server_pid=$NFV_LAST_PID
  nfv_wait_for_log "openvpn-$name" "Initialization Sequence Completed" 20
  "$(nfv_bin nfv-vpn)" --check-config --config "$inst/$client_ovpn" >/dev/null ||
    nfv_fail "$name: --check-config rejected $client_ovpn"
  cmp -s "$inst/$client_ovpn" "$NFV_SOURCE_DIR/configs/vpn/$client_ovpn" ||
    nfv_fail "$name: $client_ovpn differs from the repository's"
  nfv_spawn "$cli" "nfv-vpn-$name" "$(nfv_bin nfv-vpn)" --remote 10.78.0.1 1194 \
    --config "$inst/$client_ovpn"
  local client_pid=$NFV_LAST_PID
  nfv_wait_for_log "nfv-vpn-$name" "Initialization Sequence Completed" 30
  nfv_expect_match "cipher=$cipher" "$(cat "$(nfv_logfile "nfv-vpn-$name")")" "$name: data cipher"
  nfv_wait_for_log "openvpn-$name" "Data Channel: cipher '$cipher'" 10
  nfv_in "$cli" ping -c 3 -W 2 -i 0.2 10.8.0.1 >/dev/null || nfv_fail "$name: ping through the tunnel"
  nfv_log "ok: $name: ping through the tunnel"
  kill -TERM "$client_pid"
  nfv_wait_until 10 "nfv-vpn $name exits" bash -c "! kill -0 $client_pid 2>/dev/null"
  expect_clean_exit "$name" "$client_pid"
  stop_server "$name" "$server_pid"
}
installer_pair nyr nyr/server.conf nyr/client.ovpn AES-256-GCM
installer_pair angristan angristan/server.conf angristan/client.ovpn AES-128-GCM
installer_pair angristan-chacha20 angristan/server-chacha20.conf angristan/client-chacha20.ovpn \
  CHACHA20-POLY1305
installer_pair pivpn pivpn/server.conf pivpn/client.ovpn AES-256-GCM
installer_pair pivpn-legacy-cbc pivpn/server.conf pivpn/client-legacy-cbc.ovpn AES-256-CBC
echo "PASS: nfv-vpn client interoperates with openvpn 2.6 servers"
