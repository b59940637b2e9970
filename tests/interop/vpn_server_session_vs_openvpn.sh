#!/usr/bin/env bash
# The server protocol core (ServerSession + stateless reset cookie, run by the test probe
# tests/apps/vpn/session/server_session_probe.cpp on loopback inside a namespace) against the
# real Debian openvpn 2.6 client with `dev null`: the cookie exchange, TLS, key-method 2, cipher
# negotiation, PUSH_REPLY, EKM data keys, keepalives both ways, and renegotiations started by
# the server and by the client. The server runtime with a TUN device is not built yet; this
# checks the protocol with a real peer until it is.
source "$NFV_SOURCE_DIR/tests/interop/lib.sh"
source "$NFV_SOURCE_DIR/tests/interop/vpn_pki.sh"
nfv_require_root_netns
nfv_require_cmd openvpn openssl
probe="$NFV_BUILD_DIR/tests/apps/vpn/vpn_server_session_probe"
[ -x "$probe" ] || nfv_fail "probe $probe not built"

pki="$NFV_TMP/pki"
nfv_vpn_pki "$pki"
ns=$(nfv_netns_new vs)
port=11940

# run_case NAME WRAP PROBE_ARGS CLIENT_EXTRA...: one probe + one openvpn client; both must
# succeed. WRAP: tls-crypt, tls-auth or tls-crypt-v2.
run_case() {
  local name=$1 wrap=$2 probe_args=$3; shift 3
  local conf="$NFV_TMP/$name.conf" client_wrap server_key
  case "$wrap" in
    tls-crypt) client_wrap="tls-crypt $pki/ta.key"; server_key=$pki/ta.key ;;
    tls-auth) client_wrap="tls-auth $pki/ta.key 1"; server_key=$pki/ta.key ;;
    tls-crypt-v2) client_wrap="tls-crypt-v2 $pki/tc2-client.key"; server_key=$pki/tc2-server.key ;;
  esac
  {
    printf '%s\n' client "dev null" "proto udp" "remote 127.0.0.1 $port" nobind \
      "ca $pki/ca.crt" "cert $pki/client.crt" "key $pki/client.key" "$client_wrap" \
      "remote-cert-tls server" ifconfig-noexec route-noexec "verb 4"
    printf '%s\n' "$@"
  } >"$conf"
  # shellcheck disable=SC2086
  nfv_spawn "$ns" "probe-$name" "$probe" --port "$port" --ca "$pki/ca.crt" \
    --cert "$pki/server.crt" --key "$pki/server.key" --wrap "$wrap" --wrap-key "$server_key" \
    --seconds 45 $probe_args
  local probe_pid=$NFV_LAST_PID
  nfv_wait_for_udp_port "$ns" "$port" 10
  nfv_spawn "$ns" "openvpn-$name" openvpn --config "$conf"
  local client_pid=$NFV_LAST_PID
  local rc=0
  wait "$probe_pid" || rc=$?
  kill -TERM "$client_pid" 2>/dev/null || true
  wait "$client_pid" 2>/dev/null || true
  local plog ovlog
  plog=$(nfv_logfile "probe-$name"); ovlog=$(nfv_logfile "openvpn-$name")
  [ "$rc" -eq 0 ] || nfv_fail "$name: probe exited $rc: $(tail -n 3 "$plog" | tr '\n' ' ')"
  grep -q "Initialization Sequence Completed" "$ovlog" || nfv_fail "$name: openvpn never connected"
  if grep -Eq "Decrypt error|Authenticate/Decrypt packet error|TLS Error" "$ovlog"; then
    nfv_fail "$name: openvpn reported: $(grep -Em1 "Decrypt error|Authenticate/Decrypt packet error|TLS Error" "$ovlog")"
  fi
  nfv_log "$name: $(grep 'probe: OK' "$plog")"
  nfv_log "$name: client got: $(grep -o "PUSH_REPLY[^']*" "$ovlog" | head -n 1)"
}

run_case server-reneg tls-crypt "--renegotiations 2 --reneg-sec 5" "data-ciphers AES-256-GCM:CHACHA20-POLY1305"
push=$(grep -o "PUSH_REPLY[^']*" "$(nfv_logfile openvpn-server-reneg)" | head -n 1)
nfv_expect_match "ifconfig 10.8.0.2 255.255.255.0" "$push" "pushed address"
nfv_expect_match "cipher AES-256-GCM" "$push" "negotiated cipher"
nfv_expect_match "tls-ekm" "$push" "EKM key derivation"
grep -q "probe: stateless reset reply" "$(nfv_logfile probe-server-reneg)" || nfv_fail "no cookie reply"

run_case client-reneg tls-crypt "--renegotiations 2" "reneg-sec 5" "data-ciphers CHACHA20-POLY1305"
push=$(grep -o "PUSH_REPLY[^']*" "$(nfv_logfile openvpn-client-reneg)" | head -n 1)
nfv_expect_match "cipher CHACHA20-POLY1305" "$push" "the client's only cipher"
run_case tls-auth tls-auth "--renegotiations 1 --reneg-sec 5" "data-ciphers AES-256-GCM"
grep -q "probe: stateless reset reply" "$(nfv_logfile probe-tls-auth)" || nfv_fail "tls-auth: no cookie reply"

# A client that only has AES-256-CBC (data-ciphers and cipher, compat-mode 2.4.0) gets it when
# the server's data-ciphers list it (HMAC-SHA1, the default --auth on both sides).
run_case cbc tls-crypt "--renegotiations 1 --reneg-sec 5 --data-ciphers AES-256-GCM:AES-256-CBC" \
  "compat-mode 2.4.0" "data-ciphers AES-256-CBC" "cipher AES-256-CBC"
push=$(grep -o "PUSH_REPLY[^']*" "$(nfv_logfile openvpn-cbc)" | head -n 1)
nfv_expect_match "cipher AES-256-CBC" "$push" "CBC for the CBC-only client"

# tls-crypt-v2: the client announces early negotiation, gets the cookie with RESEND_WKC and
# repeats its WKc in P_CONTROL_WKC_V1; the probe recovers Kc and the metadata from it.
run_case tls-crypt-v2 tls-crypt-v2 "--renegotiations 1 --reneg-sec 5" "data-ciphers AES-256-GCM"
plog=$(nfv_logfile probe-tls-crypt-v2)
grep -q "probe: stateless reset reply" "$plog" || nfv_fail "tls-crypt-v2: no cookie reply"
grep -q "probe: cookie echoed" "$plog" || nfv_fail "tls-crypt-v2: the WKc echo was not accepted"
grep -q "probe: tls-crypt-v2 client key" "$plog" || nfv_fail "tls-crypt-v2: no client key"
nfv_log "PASS"
