#!/usr/bin/env bash
# nfv-vpn as the SERVER, run with the installer-shaped server.conf files of configs/vpn/
# (Nyr, angristan, PiVPN) as they are, against the real Debian openvpn 2.6 client running the
# matching client .ovpn. Three namespaces: the server (10.79.0.1 and 10.79.1.1) and two
# clients (10.79.0.2 and 10.79.1.2), each over its own veth. The server's config files are
# copied into a temporary directory (the server writes ipp.txt next to them); only `local`,
# `log` and, where the installer's user does not exist here, `user`/`group` are given on the
# command line. Clients put `--remote SERVER 1194` before --config so it is tried first.
#
# Cases:
#  1. nyr (UDP, tls-crypt, auth SHA512, AES-256-GCM, IPv4+IPv6 pool, user nobody): ping both
#     ways over IPv4 and IPv6; the PUSH_REPLY carries the pushed DNS servers and
#     redirect-gateway; a pushed route (one more `push` on the server's command line) is in
#     the client's routing table; the pushed DNS reach the client's --up script as
#     foreign_option_N; ifconfig-pool-persist: client2 then client1 connect, the server
#     restarts, client1 alone connects again and gets its old address back (not the first
#     free one).
#  2. nyr over TCP (proto tcp-server / tcp-client): ping both ways.
#  3. angristan (tls-crypt-v2, AES-128-GCM, tls-groups, TLS 1.2+), and angristan-chacha20
#     (tls-crypt, CHACHA20-POLY1305): the negotiated cipher and a ping both ways.
#  4. pivpn (tls-auth key-direction 0, client-to-client) with client1 (AES-256-GCM) and the
#     legacy AES-256-CBC client (client2) at the same time: both ping the server, and client1
#     pings client2's tunnel address through the server (client-to-client). The same
#     server.conf then runs unchanged with the real openvpn 2.6 server: the clients must get
#     the same addresses, and the status file (status-version 3) must have the same rows,
#     columns, clients, virtual addresses, ciphers and routes as openvpn's.
# Each server is stopped with SIGTERM and must exit 0; the clients must log the server's
# RESTART (explicit-exit-notify from the server) when the server stops under them.
source "$NFV_SOURCE_DIR/tests/interop/lib.sh"
nfv_require_root_netns
nfv_require_tun
nfv_require_cmd openvpn ping
vpn=$(nfv_bin nfv-vpn)
nfv_vpn_installer_configs nyr angristan pivpn
work=$NFV_VPN_CONFIGS
# angristan's installer creates the client-config-dir it names (ccd, next to the keys);
# openvpn and nfv-vpn both refuse to start without it.
mkdir -p "$work/pki/ccd"
chown nobody:nogroup "$work/pki/ccd"

srv=$(nfv_netns_new vss)
cl1=$(nfv_netns_new vsa)
cl2=$(nfv_netns_new vsb)
nfv_veth "$srv" 10.79.0.1/24 "$cl1" 10.79.0.2/24 vs0 vs0
nfv_veth "$srv" 10.79.1.1/24 "$cl2" 10.79.1.2/24 vs1 vs0

# The client's up script records the environment OpenVPN gives it (foreign_option_N ...).
cat >"$NFV_TMP/up.sh" <<'SH'
#!/bin/sh
env >"$1"
SH
chmod 755 "$NFV_TMP/up.sh"

server_pid=""
# start_server NAME CONF ARGS...: nfv-vpn --cd pki --config CONF ARGS, waits for its
# "Initialization Sequence Completed".
start_server() {
  local name=$1 conf=$2; shift 2
  nfv_spawn "$srv" "server-$name" "$vpn" --cd "$work/pki" --config "$conf" "$@"
  server_pid=$NFV_LAST_PID
  nfv_wait_for_log "server-$name" "Initialization Sequence Completed" 20
}

# stop_server NAME: SIGTERM; the server must exit 0.
stop_server() {
  local name=$1 rc=0
  kill -TERM "$server_pid"
  wait "$server_pid" || rc=$?
  [ "$rc" -eq 0 ] || nfv_fail "$name: the server exited $rc on SIGTERM"
  nfv_log "ok: $name: server exited 0 on SIGTERM"
}

client_pids=()
# start_client NS NAME REMOTE CONF ARGS...: the real openvpn client; waits until connected.
start_client() {
  local ns=$1 name=$2 remote=$3 conf=$4; shift 4
  nfv_spawn "$ns" "client-$name" openvpn --remote "$remote" 1194 --config "$conf" \
    --verb 4 --script-security 2 --up "$NFV_TMP/up.sh $NFV_TMP/env-$name" \
    --pull-filter ignore redirect-gateway --pull-filter ignore block-outside-dns "$@"
  client_pids+=("$NFV_LAST_PID")
  nfv_wait_for_log "client-$name" "Initialization Sequence Completed|AUTH_FAILED|Exiting" 30
  grep -q "Initialization Sequence Completed" "$(nfv_logfile "client-$name")" ||
    nfv_fail "$name: the openvpn client did not connect"
}

stop_clients() {
  local pid
  for pid in "${client_pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  client_pids=()
}

# The tunnel address the server pushed to a client.
pushed_ipv4() { grep -o "PUSH_REPLY[^']*" "$(nfv_logfile "client-$1")" | head -n 1 |
  grep -oE "ifconfig [0-9.]+" | awk '{print $2}'; }
pushed() { grep -o "PUSH_REPLY[^']*" "$(nfv_logfile "client-$1")" | head -n 1; }

ping_ok() { # NS ADDRESS WHAT
  nfv_in "$1" ping -c 2 -i 0.3 -W 3 "$2" >/dev/null || nfv_fail "$3: no ping reply from $2"
  nfv_log "ok: $3"
}

expect_cipher() { # CLIENT CIPHER
  nfv_expect_match "cipher $2" "$(pushed "$1")" "$1: negotiated $2"
}

# ---- 1. Nyr over UDP ------------------------------------------------------------------------
nyr="$work/nyr/server.conf"
start_server nyr "$nyr" --local 0.0.0.0 --push "route 10.79.50.0 255.255.255.0" \
  --management 127.0.0.1 7505 --log "$NFV_TMP/server-nyr.log"
# Nyr's client.ovpn is client1; client2 gets the same config with its own certificate.
sed -e '/<cert>/,/<\/cert>/d' -e '/<key>/,/<\/key>/d' "$work/nyr/client.ovpn" \
  >"$work/nyr/client2.ovpn"
printf 'cert %s\nkey %s\n' "$work/pki/client2.crt" "$work/pki/client2.key" >>"$work/nyr/client2.ovpn"

start_client "$cl2" nyr-c2 10.79.1.1 "$work/nyr/client2.ovpn"
start_client "$cl1" nyr-c1 10.79.0.1 "$work/nyr/client.ovpn"
c1_address=$(pushed_ipv4 nyr-c1)
c2_address=$(pushed_ipv4 nyr-c2)
nfv_expect_eq 10.8.0.2 "$c2_address" "nyr: first client gets the first pool address"
nfv_expect_eq 10.8.0.3 "$c1_address" "nyr: second client gets the next one"
expect_cipher nyr-c1 AES-256-GCM
nfv_expect_match "dhcp-option DNS 1.1.1.1,dhcp-option DNS 1.0.0.1" "$(pushed nyr-c1)" "nyr: DNS pushed"
nfv_expect_match "redirect-gateway def1 ipv6 bypass-dhcp" "$(pushed nyr-c1)" "nyr: redirect-gateway pushed"
nfv_expect_match "ifconfig-ipv6 fddd:1194:1194:1194::1001/64" "$(pushed nyr-c1)" "nyr: IPv6 pool address"
nfv_expect_match "foreign_option_[0-9]+=dhcp-option DNS 1.1.1.1" "$(cat "$NFV_TMP/env-nyr-c1")" \
  "nyr: pushed DNS reaches the client's up script"
nfv_expect_match "10.79.50.0/24 .*dev tun" "$(nfv_in "$cl1" ip route)" "nyr: pushed route installed"
ping_ok "$cl1" 10.8.0.1 "nyr: client1 -> server over IPv4"
ping_ok "$srv" "$c1_address" "nyr: server -> client1 over IPv4"
ping_ok "$cl1" fddd:1194:1194:1194::1 "nyr: client1 -> server over IPv6"
ping_ok "$srv" fddd:1194:1194:1194::1001 "nyr: server -> client1 over IPv6"
ping_ok "$cl2" 10.8.0.1 "nyr: client2 -> server"
# The first new name is written at once, later ones at the persist interval or at exit.
nfv_expect_match "client2,10.8.0.2,fddd:1194:1194:1194::1000" "$(cat "$work/pki/ipp.txt")" \
  "nyr: ifconfig-pool-persist written at the first connection"
# The management interface: status 2, load-stats, kill (client2 is told to restart).
cat >"$NFV_TMP/mgmt.py" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", 7505), timeout=5)
s.sendall(b"status 2\r\nload-stats\r\nkill client2\r\nkill nobody\r\nquit\r\n")
out = b""
while True:
    data = s.recv(65536)
    if not data:
        break
    out += data
sys.stdout.write(out.decode())
PY
mgmt=$(nfv_in "$srv" python3 "$NFV_TMP/mgmt.py") || nfv_fail "management: no session"
nfv_expect_match "^>INFO:OpenVPN Management Interface Version 5" "$mgmt" "nyr: management greeting"
nfv_expect_match "^CLIENT_LIST,client1,10.79.0.2:[0-9]+,$c1_address," "$(tr -d '\r' <<<"$mgmt")" \
  "nyr: management status 2 lists client1"
nfv_expect_match "SUCCESS: nclients=2,bytesin=[0-9]+,bytesout=[0-9]+" "$mgmt" "nyr: management load-stats"
nfv_expect_match "SUCCESS: common name 'client2' found, 1 client\(s\) killed" "$mgmt" \
  "nyr: management kill client2"
nfv_expect_match "ERROR: common name 'nobody' not found" "$mgmt" "nyr: management kill of an unknown name"
nfv_wait_for_log client-nyr-c2 "RESTART|restart" 10
stop_server nyr
nfv_expect_match "client1,10.8.0.3,fddd:1194:1194:1194::1001" "$(cat "$work/pki/ipp.txt")" \
  "nyr: ifconfig-pool-persist written at exit"
# The server told the clients to restart (explicit-exit-notify from the server side).
nfv_wait_for_log client-nyr-c1 "RESTART|restart" 10
stop_clients

# After a restart, client1 alone gets 10.8.0.3 again (the persisted address), not 10.8.0.2.
start_server nyr-again "$nyr" --local 0.0.0.0 --log "$NFV_TMP/server-nyr-again.log"
start_client "$cl1" nyr-c1-again 10.79.0.1 "$work/nyr/client.ovpn"
nfv_expect_eq 10.8.0.3 "$(pushed_ipv4 nyr-c1-again)" "nyr: ifconfig-pool-persist keeps the address"
ping_ok "$cl1" 10.8.0.1 "nyr: client1 -> server after the restart"
stop_clients
stop_server nyr-again

# ---- 2. Nyr over TCP ------------------------------------------------------------------------
start_server nyr-tcp "$nyr" --local 10.79.0.1 --proto tcp-server --log "$NFV_TMP/server-nyr-tcp.log"
start_client "$cl1" nyr-tcp 10.79.0.1 "$work/nyr/client.ovpn" --proto tcp-client
ping_ok "$cl1" 10.8.0.1 "nyr/tcp: client -> server"
ping_ok "$srv" "$(pushed_ipv4 nyr-tcp)" "nyr/tcp: server -> client"
stop_clients
stop_server nyr-tcp

# ---- 2b. Server scripts: tls-verify, auth-user-pass-verify, client-connect, client-disconnect --
# The Nyr server.conf plus the three hooks (run as nobody, as Nyr's user); the same scripts and
# checks against nfv-vpn and the real openvpn server. The client sends a username and password
# (--auth-user-pass); auth.sh accepts alice/wonderland only; connect.sh pushes one more route
# through its dynamic config file; disconnect.sh records its environment.
hooks="$NFV_TMP/hooks"
mkdir -p "$hooks/out"
chmod 777 "$hooks/out"
cat >"$hooks/auth.sh" <<SH
#!/bin/sh
if [ -n "\$1" ]; then user=\$(sed -n 1p "\$1"); pass=\$(sed -n 2p "\$1"); else user=\$username; pass=\$password; fi
env >"$hooks/out/auth-env-\$user"
[ "\$user" = alice ] && [ "\$pass" = wonderland ]
SH
cat >"$hooks/connect.sh" <<SH
#!/bin/sh
env >"$hooks/out/connect-env"
echo 'push "route 10.79.88.0 255.255.255.0"' >"\$1"
SH
cat >"$hooks/verify.sh" <<SH
#!/bin/sh
# tls-verify DEPTH SUBJECT: record what each depth sees, accept.
echo "\$1 \$2" >>"$hooks/out/verify-args"
env | grep -E '^(tls_id|tls_serial|tls_digest|X509)_' | sort >"$hooks/out/verify-env-\$1"
SH
cat >"$hooks/disconnect.sh" <<SH
#!/bin/sh
env >"$hooks/out/disconnect-env"
SH
chmod 755 "$hooks"/*.sh
printf 'alice\nwonderland\n' >"$work/alice.txt"
printf 'bob\nguess\n' >"$work/bob.txt"
chmod 600 "$work/alice.txt" "$work/bob.txt"

run_hooks() { # KIND (nfv-vpn|openvpn) METHOD (via-file|via-env)
  local kind=$1 method=$2 name="hooks-$1-$2" security=2 program=$vpn
  [ "$method" = via-env ] && security=3
  [ "$kind" = openvpn ] && program=openvpn
  rm -f "$hooks/out"/*
  nfv_spawn "$srv" "server-$name" "$program" --cd "$work/pki" --config "$nyr" --local 0.0.0.0 \
    --script-security "$security" --auth-user-pass-verify "$hooks/auth.sh" "$method" \
    --tls-verify "$hooks/verify.sh" \
    --client-connect "$hooks/connect.sh" --client-disconnect "$hooks/disconnect.sh" \
    --log "$NFV_TMP/server-$name.log"
  server_pid=$NFV_LAST_PID
  nfv_wait_for_log "server-$name" "Initialization Sequence Completed" 20
  # explicit-exit-notify: the server learns at once that alice left (client-disconnect).
  start_client "$cl1" "$name" 10.79.0.1 "$work/nyr/client.ovpn" --auth-user-pass "$work/alice.txt" \
    --explicit-exit-notify 1
  ping_ok "$cl1" 10.8.0.1 "$name: alice -> server"
  nfv_expect_match "10.79.88.0/24 .*dev tun" "$(nfv_in "$cl1" ip route)" \
    "$name: the route client-connect wrote is pushed"
  local auth_env connect_env address
  auth_env=$(cat "$hooks/out/auth-env-alice")
  connect_env=$(cat "$hooks/out/connect-env")
  address=$(pushed_ipv4 "$name")
  nfv_expect_match "^script_type=user-pass-verify$" "$auth_env" "$name: auth script_type"
  nfv_expect_match "^untrusted_ip=10.79.0.2$" "$auth_env" "$name: auth untrusted_ip"
  nfv_expect_match "^common_name=client1$" "$auth_env" "$name: auth common_name"
  if [ "$method" = via-env ]; then
    nfv_expect_match "^password=wonderland$" "$auth_env" "$name: the password in the environment"
  elif grep -q "^password=" <<<"$auth_env"; then
    nfv_fail "$name: via-file put the password into the environment"
  fi
  nfv_expect_match "^script_type=client-connect$" "$connect_env" "$name: connect script_type"
  nfv_expect_match "^username=alice$" "$connect_env" "$name: connect username"
  nfv_expect_match "^trusted_ip=10.79.0.2$" "$connect_env" "$name: connect trusted_ip"
  nfv_expect_match "^ifconfig_pool_remote_ip=$address$" "$connect_env" \
    "$name: connect ifconfig_pool_remote_ip is the pushed address"
  nfv_expect_match "^IV_VER=2\.6" "$connect_env" "$name: the client's IV_VER"
  nfv_expect_match "^0 CN=client1$" "$(cat "$hooks/out/verify-args")" "$name: tls-verify of depth 0"
  nfv_expect_match "^1 CN=nfv TEST CA" "$(cat "$hooks/out/verify-args")" "$name: tls-verify of depth 1"
  cp "$hooks/out/verify-env-0" "$NFV_TMP/verify-env-0-$kind-$method"
  # A wrong password is refused.
  nfv_spawn "$cl2" "client-$name-bob" openvpn --remote 10.79.1.1 1194 --config "$work/nyr/client2.ovpn" \
    --verb 3 --auth-user-pass "$work/bob.txt" --pull-filter ignore redirect-gateway \
    --pull-filter ignore block-outside-dns
  client_pids+=("$NFV_LAST_PID")
  nfv_wait_for_log "client-$name-bob" "AUTH_FAILED|Initialization Sequence Completed" 30
  nfv_expect_match "AUTH_FAILED" "$(cat "$(nfv_logfile "client-$name-bob")")" \
    "$name: bob's wrong password gets AUTH_FAILED"
  stop_clients
  nfv_wait_until 15 "$name: client-disconnect ran" test -s "$hooks/out/disconnect-env"
  nfv_expect_match "^bytes_received=[1-9][0-9]*$" "$(cat "$hooks/out/disconnect-env")" \
    "$name: disconnect bytes_received"
  nfv_expect_match "^common_name=client1$" "$(cat "$hooks/out/disconnect-env")" \
    "$name: disconnect common_name"
  stop_server "$name"
}
run_hooks nfv-vpn via-file
run_hooks nfv-vpn via-env
run_hooks openvpn via-file
# tls-verify's certificate variables (tls_id_N, tls_serial_N, tls_serial_hex_N, tls_digest_N,
# tls_digest_sha256_N, X509_N_*) for alice's certificate: the same as openvpn's.
if ! diff -u "$NFV_TMP/verify-env-0-openvpn-via-file" "$NFV_TMP/verify-env-0-nfv-vpn-via-file" >&2; then
  nfv_fail "tls-verify: the certificate variables differ from openvpn's (diff above)"
fi
nfv_log "ok: tls-verify certificate variables equal openvpn's ($(wc -l <"$NFV_TMP/verify-env-0-openvpn-via-file") lines)"

# ---- 3. angristan: tls-crypt-v2 (with a tls-crypt-v2-verify hook) and CHACHA20 ---------------
# The hook records its environment and a copy of the metadata file; the same is done with the
# real openvpn server and both records must be equal (the client key's metadata is the
# timestamp openvpn --genkey wrote).
cat >"$hooks/tc2.sh" <<SH
#!/bin/sh
env | grep -E '^(script_type|metadata_type)=' | sort >"$hooks/out/tc2-env"
od -An -tx1 "\$metadata_file" >"$hooks/out/tc2-metadata"
SH
chmod 755 "$hooks/tc2.sh"
for kind in nfv-vpn openvpn; do
  rm -f "$hooks/out"/tc2-*
  program=$vpn
  [ "$kind" = openvpn ] && program=openvpn
  nfv_spawn "$srv" "server-angristan-$kind" "$program" --cd "$work/pki" \
    --config "$work/angristan/server.conf" --local 10.79.0.1 --script-security 2 \
    --tls-crypt-v2-verify "$hooks/tc2.sh" --log "$NFV_TMP/server-angristan-$kind.log"
  server_pid=$NFV_LAST_PID
  nfv_wait_for_log "server-angristan-$kind" "Initialization Sequence Completed" 20
  start_client "$cl1" "angristan-$kind" 10.79.0.1 "$work/angristan/client.ovpn"
  expect_cipher "angristan-$kind" AES-128-GCM
  ping_ok "$cl1" 10.8.0.1 "angristan ($kind, tls-crypt-v2): client -> server"
  ping_ok "$srv" "$(pushed_ipv4 "angristan-$kind")" "angristan ($kind, tls-crypt-v2): server -> client"
  nfv_expect_match "^script_type=tls-crypt-v2-verify$" "$(cat "$hooks/out/tc2-env")" \
    "angristan ($kind): tls-crypt-v2-verify ran"
  [ -s "$hooks/out/tc2-metadata" ] || nfv_fail "angristan ($kind): empty metadata file"
  cat "$hooks/out/tc2-env" "$hooks/out/tc2-metadata" >"$NFV_TMP/tc2-$kind"
  stop_clients
  stop_server "angristan ($kind)"
done
if ! diff -u "$NFV_TMP/tc2-openvpn" "$NFV_TMP/tc2-nfv-vpn" >&2; then
  nfv_fail "tls-crypt-v2-verify: metadata_type or the metadata file differ from openvpn's"
fi
nfv_log "ok: tls-crypt-v2-verify: metadata_type and metadata file equal openvpn's"
# A hook that refuses: no session is made (the client keeps trying; the server logs why).
start_server angristan-refused "$work/angristan/server.conf" --local 10.79.0.1 \
  --script-security 2 --tls-crypt-v2-verify /bin/false --log "$NFV_TMP/server-angristan-refused.log"
nfv_spawn "$cl1" client-angristan-refused openvpn --remote 10.79.0.1 1194 \
  --config "$work/angristan/client.ovpn" --verb 3
client_pids+=("$NFV_LAST_PID")
nfv_wait_for_log server-angristan-refused "tls-crypt-v2-verify refused the client key" 20
grep -q "Initialization Sequence Completed" "$(nfv_logfile client-angristan-refused)" &&
  nfv_fail "angristan: a client whose key the hook refused connected"
nfv_log "ok: angristan: tls-crypt-v2-verify refusing the key keeps the client out"
stop_clients
stop_server angristan-refused

start_server chacha "$work/angristan/server-chacha20.conf" --local 10.79.0.1 \
  --log "$NFV_TMP/server-chacha.log"
start_client "$cl1" chacha 10.79.0.1 "$work/angristan/client-chacha20.ovpn"
expect_cipher chacha CHACHA20-POLY1305
ping_ok "$cl1" 10.8.0.1 "angristan-chacha20: client -> server"
ping_ok "$srv" "$(pushed_ipv4 chacha)" "angristan-chacha20: server -> client"
stop_clients
stop_server chacha

# ---- 4. PiVPN: tls-auth, client-to-client, a legacy CBC client; the same file with openvpn ----
# The status file (status-version 3 in PiVPN's file) goes to this test's directory; it is
# written every second so the check below waits for the clients to appear in it.
status_summary() { # STATUS_FILE: what must match between openvpn and nfv-vpn
  tr '\t' ',' <"$1" | awk -F, '
    $1 == "HEADER" { print }
    $1 == "CLIENT_LIST" { print $1, $2, $4, NF, $13 }
    $1 == "ROUTING_TABLE" { print $1, $2, $3, NF }
    $1 == "GLOBAL_STATS" { print $1, $2 }  # the values are runtime counters
    $1 == "END" { print }' | sort
}

run_pivpn() { # KIND (nfv-vpn|openvpn)
  local kind=$1 status="$NFV_TMP/status-pivpn-$1.txt"
  # PiVPN's client-config-dir is /etc/openvpn/ccd; both servers refuse to start without it.
  mkdir -p "$work/pivpn-ccd"
  local -a args=(--cd "$work/pki" --config "$work/pivpn/server.conf" --user nobody --group nogroup
    --status "$status" 1 --client-config-dir "$work/pivpn-ccd"
    --log "$NFV_TMP/server-pivpn-$kind.log")
  if [ "$kind" = openvpn ]; then
    nfv_spawn "$srv" "server-pivpn-$kind" openvpn "${args[@]}"
  else
    nfv_spawn "$srv" "server-pivpn-$kind" "$vpn" "${args[@]}"
  fi
  server_pid=$NFV_LAST_PID
  nfv_wait_for_log "server-pivpn-$kind" "Initialization Sequence Completed" 20
  start_client "$cl1" "pivpn-$kind" 10.79.0.1 "$work/pivpn/client.ovpn"
  start_client "$cl2" "pivpn-cbc-$kind" 10.79.1.1 "$work/pivpn/client-legacy-cbc.ovpn"
  expect_cipher "pivpn-$kind" AES-256-GCM
  expect_cipher "pivpn-cbc-$kind" AES-256-CBC
  ping_ok "$cl1" 10.8.0.1 "pivpn ($kind): client1 -> server"
  ping_ok "$cl2" 10.8.0.1 "pivpn ($kind): legacy CBC client -> server"
  ping_ok "$cl1" "$(pushed_ipv4 "pivpn-cbc-$kind")" "pivpn ($kind): client1 -> client2 (client-to-client)"
  ping_ok "$cl2" "$(pushed_ipv4 "pivpn-$kind")" "pivpn ($kind): client2 -> client1 (client-to-client)"
  nfv_wait_until 10 "pivpn ($kind): both clients in the status file" \
    sh -c "grep -q '^CLIENT_LIST.client1.' '$status' && grep -q '^CLIENT_LIST.client2.' '$status'"
  status_summary "$status" >"$NFV_TMP/status-summary-$kind.txt"
  stop_clients
  stop_server "pivpn ($kind)"
}

run_pivpn nfv-vpn
run_pivpn openvpn
nfv_expect_eq 10.8.0.2 "$(pushed_ipv4 pivpn-nfv-vpn)" "pivpn: client1's address from nfv-vpn"
nfv_expect_eq "$(pushed_ipv4 pivpn-openvpn)" "$(pushed_ipv4 pivpn-nfv-vpn)" \
  "pivpn: client1's address is the one openvpn gives"
nfv_expect_eq "$(pushed_ipv4 pivpn-cbc-openvpn)" "$(pushed_ipv4 pivpn-cbc-nfv-vpn)" \
  "pivpn: client2's address is the one openvpn gives"
if ! diff -u "$NFV_TMP/status-summary-openvpn.txt" "$NFV_TMP/status-summary-nfv-vpn.txt" >&2; then
  nfv_fail "pivpn: the status file (version 3) differs from openvpn's (diff above)"
fi
nfv_log "ok: pivpn: status-version 3 file has openvpn's rows, columns, clients and routes"
nfv_expect_match "ROUTING_TABLE 10.8.0.3 client2 6" "$(cat "$NFV_TMP/status-summary-nfv-vpn.txt")" \
  "pivpn: nfv-vpn's routing table lists client2's address"
grep -q "^TITLE	nfv-vpn" "$NFV_TMP/status-pivpn-nfv-vpn.txt" ||
  nfv_fail "pivpn: the status file has no TITLE row naming nfv-vpn"
nfv_log "PASS"
