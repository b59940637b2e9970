#!/usr/bin/env bash
# nfv-tls-proxy against real peers in network namespaces (subnet 10.44.0.0/24):
#   cli (10.44.0.2) --veth-- proxy (10.44.0.1 | 10.44.0.129) --veth-- be (10.44.0.130)
# Backends in `be`: a real nginx (plain HTTP on :8080, `listen ... proxy_protocol` on :8081), a
# socat echo (:7007) and socats that record the raw bytes they receive (:7008, :7009).
# Proves: curl with SNI a.test reaches nginx (ALPN http/1.1 seen by curl); openssl s_client with
# SNI x.b.test reaches the echo backend and gets its bytes back, ALPN h2 negotiated; an unknown
# SNI gets the alert unrecognized_name (112); PROXY v2 arrives at nginx (its $proxy_protocol_addr
# is the client's address) and carries the ALPN, SNI and SSL TLVs (raw capture, also with a
# client certificate: its common name and verification); a dead backend on an
# http route answers 502; a client_ca route serves only clients with a trusted certificate;
# the plain listener redirects to https; --check-config names a missing
# or expired certificate and exits 1; SIGHUP adds a route without dropping an established
# connection, and a session ticket from before it still resumes; SIGTERM stops the proxy cleanly.
source "$NFV_SOURCE_DIR/tests/interop/lib.sh"
nfv_require_root_netns
nfv_require_cmd nginx socat curl openssl xxd

proxy_bin=$(nfv_bin nfv-tls-proxy)
T=$NFV_TMP

cli=$(nfv_netns_new cli)
px=$(nfv_netns_new proxy)
be=$(nfv_netns_new be)
nfv_veth "$cli" 10.44.0.2/25 "$px" 10.44.0.1/25
nfv_veth "$px" 10.44.0.129/25 "$be" 10.44.0.130/25 veth1 veth1

# --- certificates (self-signed; curl trusts them through --cacert) -------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -keyout "$T/a.key" -out "$T/a.pem" -subj /CN=a.test \
  -addext "subjectAltName=DNS:a.test,DNS:pp.test,DNS:down.test,DNS:c.test,DNS:mtls.test" 2>/dev/null
# Client certificates: one from the CA the "mtls" route trusts, one self-signed stranger.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -keyout "$T/clientca.key" -out "$T/clientca.pem" -subj /CN=client-ca 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/client.key" \
  -out "$T/client.csr" -subj /CN=client 2>/dev/null
openssl x509 -req -in "$T/client.csr" -CA "$T/clientca.pem" -CAkey "$T/clientca.key" \
  -CAcreateserial -days 2 -out "$T/client.pem" 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -keyout "$T/stranger.key" -out "$T/stranger.pem" -subj /CN=client 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -keyout "$T/b.key" -out "$T/b.pem" \
  -subj "/CN=*.b.test" -addext "subjectAltName=DNS:*.b.test" 2>/dev/null
# An expired certificate, made with `openssl ca` (req cannot back-date in OpenSSL 3.0).
mkdir -p "$T/ca/newcerts" && : >"$T/ca/index.txt" && echo 01 >"$T/ca/serial"
cat >"$T/ca/ca.cnf" <<CNF
[ca]
default_ca = d
[d]
dir = $T/ca
database = $T/ca/index.txt
new_certs_dir = $T/ca/newcerts
serial = $T/ca/serial
default_md = sha256
policy = p
[p]
commonName = supplied
CNF
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/old.key" \
  -out "$T/old.csr" -subj /CN=old.test 2>/dev/null
openssl ca -batch -config "$T/ca/ca.cnf" -selfsign -keyfile "$T/old.key" -in "$T/old.csr" \
  -startdate 20200101000000Z -enddate 20200102000000Z -out "$T/old.pem" -notext >/dev/null 2>&1

# --- backends -------------------------------------------------------------------------------
mkdir -p "$T/nginx"
cat >"$T/nginx/nginx.conf" <<NGINX
user root;
worker_processes 1;
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log;
events { worker_connections 256; }
http {
  log_format pp '\$proxy_protocol_addr \$remote_addr \$proxy_protocol_server_addr:\$proxy_protocol_server_port "\$request"';
  access_log $T/nginx/access.log pp;
  client_body_temp_path $T/nginx/body;
  proxy_temp_path $T/nginx/proxy;
  fastcgi_temp_path $T/nginx/fastcgi;
  uwsgi_temp_path $T/nginx/uwsgi;
  scgi_temp_path $T/nginx/scgi;
  server {
    listen 10.44.0.130:8080;
    location / { default_type text/plain; return 200 "hello from nginx\n"; }
  }
  server {
    listen 10.44.0.130:8081 proxy_protocol;
    location / { default_type text/plain; return 200 "pp:\$proxy_protocol_addr\n"; }
  }
}
NGINX
nfv_spawn "$be" nginx nginx -c "$T/nginx/nginx.conf" -g 'daemon off;'
nfv_spawn "$be" echo socat TCP-LISTEN:7007,bind=10.44.0.130,reuseaddr,fork EXEC:cat
nfv_spawn "$be" raw socat -u TCP-LISTEN:7008,bind=10.44.0.130,reuseaddr OPEN:"$T/raw.bin",creat,trunc
nfv_spawn "$be" rawmtls socat -u TCP-LISTEN:7009,bind=10.44.0.130,reuseaddr \
  OPEN:"$T/raw-mtls.bin",creat,trunc
nfv_wait_for_tcp_port "$be" 8080 10
nfv_wait_for_tcp_port "$be" 8081 10
nfv_wait_for_tcp_port "$be" 7007 10
nfv_wait_for_tcp_port "$be" 7008 10
nfv_wait_for_tcp_port "$be" 7009 10

# --- proxy config -----------------------------------------------------------------------------
write_config() { # $1 = extra route JSON ("" or ', {...}')
  cat >"$T/proxy.json" <<JSON
{
  "listeners": [{"address": "10.44.0.1:443"}, {"address": "10.44.0.1:80", "http_redirect": true}],
  "certificates": [
    {"names": ["a.test", "pp.test", "down.test", "c.test", "mtls.test"], "chain": "a.pem",
     "key": "a.key"},
    {"names": ["*.b.test"], "chain": "b.pem", "key": "b.key"}
  ],
  "routes": [
    {"name": "web", "sni": ["a.test"], "backends": ["10.44.0.130:8080"], "alpn": ["http/1.1"],
     "http": true},
    {"name": "echo", "sni": ["*.b.test"], "backends": ["10.44.0.130:7007"], "alpn": ["h2", "http/1.1"]},
    {"name": "pp", "sni": ["pp.test"], "backends": ["10.44.0.130:8081"], "proxy_protocol": "v2"},
    {"name": "raw", "sni": ["raw.b.test"], "backends": ["10.44.0.130:7008"], "proxy_protocol": "v2",
     "alpn": ["h2"]},
    {"name": "rawmtls", "sni": ["mtls.b.test"], "backends": ["10.44.0.130:7009"],
     "proxy_protocol": "v2", "client_ca": "clientca.pem"},
    {"name": "down", "sni": ["down.test"], "backends": ["10.44.0.130:9"], "http": true},
    {"name": "mtls", "sni": ["mtls.test"], "backends": ["10.44.0.130:8080"], "client_ca": "clientca.pem"}$1
  ],
  "timeouts": {"handshake": 5, "idle": 30, "connect": 2},
  "log_level": "debug"
}
JSON
}
write_config ""

# --- --check-config -------------------------------------------------------------------------
out=$("$proxy_bin" --config "$T/proxy.json" --check-config 2>&1) || nfv_fail "check-config rejected a valid config: $out"
nfv_log "ok: --check-config accepts the config"
sed 's#"chain": "b.pem"#"chain": "missing.pem"#' "$T/proxy.json" >"$T/bad1.json"
rc=0; out=$("$proxy_bin" --config "$T/bad1.json" --check-config 2>&1) || rc=$?
nfv_expect_eq 1 "$rc" "--check-config exit code for a missing certificate"
nfv_expect_match "missing.pem: cannot open the certificate chain" "$out" "missing certificate is named"
sed 's#"chain": "b.pem", "key": "b.key"#"chain": "old.pem", "key": "old.key"#' "$T/proxy.json" >"$T/bad2.json"
rc=0; out=$("$proxy_bin" --config "$T/bad2.json" --check-config 2>&1) || rc=$?
nfv_expect_eq 1 "$rc" "--check-config exit code for an expired certificate"
nfv_expect_match "old.pem: the certificate has expired" "$out" "expired certificate is named"
sed 's#"log_level"#"loglevel"#' "$T/proxy.json" >"$T/bad3.json"
rc=0; out=$("$proxy_bin" --config "$T/bad3.json" --check-config 2>&1) || rc=$?
nfv_expect_eq 1 "$rc" "--check-config exit code for an unknown key"
nfv_expect_match "bad3.json: /loglevel: unknown key" "$out" "unknown key is named with its path"

# --- start the proxy --------------------------------------------------------------------------
nfv_spawn "$px" proxy "$proxy_bin" --config "$T/proxy.json"
proxy_pid=$NFV_LAST_PID
nfv_wait_for_tcp_port "$px" 443 10
nfv_wait_for_tcp_port "$px" 80 10

# curl -> a.test -> nginx, ALPN http/1.1
body=$(nfv_in "$cli" curl -sS --max-time 10 --resolve a.test:443:10.44.0.1 --cacert "$T/a.pem" \
  https://a.test/ 2>&1)
nfv_expect_eq "hello from nginx" "$body" "curl with SNI a.test reaches nginx"
verbose=$(nfv_in "$cli" curl -sS -v --max-time 10 --resolve a.test:443:10.44.0.1 --cacert "$T/a.pem" \
  https://a.test/ 2>&1 >/dev/null)
nfv_expect_match "ALPN: server accepted http/1.1" "$verbose" "curl sees ALPN http/1.1"
nfv_expect_match "TLSv1.3" "$verbose" "curl negotiates TLS 1.3"

# s_client -> x.b.test -> echo, ALPN h2
# (s_client -ign_eof keeps the connection open; `timeout 3` ends it after the echo is back.)
echo_out=$( (printf 'ping-through-proxy\n'; sleep 1) | nfv_in "$cli" timeout 3 openssl s_client \
  -connect 10.44.0.1:443 -servername x.b.test -alpn h2,http/1.1 -ign_eof 2>&1 || true)
nfv_expect_match "^ping-through-proxy$" "$echo_out" "s_client with SNI x.b.test gets the echo back"
nfv_expect_match "ALPN protocol: h2" "$echo_out" "s_client negotiates ALPN h2 on the echo route"
nfv_expect_match "CN ?= ?\*\.b\.test" "$echo_out" "the wildcard certificate is served for x.b.test"

# unknown SNI -> alert unrecognized_name
bad=$(echo | nfv_in "$cli" timeout 10 openssl s_client -connect 10.44.0.1:443 \
  -servername nobody.test 2>&1 || true)
nfv_expect_match "alert number 112|unrecognized name" "$bad" "unknown SNI gets alert unrecognized_name"

# PROXY v2 to nginx
pp=$(nfv_in "$cli" curl -sS --max-time 10 --resolve pp.test:443:10.44.0.1 --cacert "$T/a.pem" \
  https://pp.test/ 2>&1)
nfv_expect_eq "pp:10.44.0.2" "$pp" "nginx (listen proxy_protocol) sees the client address via PROXY v2"
nfv_wait_until 5 "nginx access log line" grep -q "^10.44.0.2 10.44.0.129 10.44.0.1:443 " "$T/nginx/access.log"
nfv_log "ok: nginx logged \$proxy_protocol_addr=10.44.0.2 from peer 10.44.0.129, destination 10.44.0.1:443 (the listener)"

# PROXY v2 TLVs (ALPN, authority, SSL) in a raw capture (socat records what arrives: no
# Debian package reads PP2_TYPE_SSL back; nginx 1.22 has no TLV variables)
(printf 'payload'; sleep 1) | nfv_in "$cli" timeout 3 openssl s_client -connect 10.44.0.1:443 \
  -servername raw.b.test -alpn h2 -quiet >/dev/null 2>&1 || true
nfv_wait_until 5 "raw capture" test -s "$T/raw.bin"
hex=$(xxd -p "$T/raw.bin" | tr -d '\n')
# signature, v2 PROXY, TCP4, length, 10.44.0.2 -> 10.44.0.1, ports
nfv_expect_match "^0d0a0d0a000d0a515549540a2111....0a2c00020a2c0001" "$hex" "PROXY v2 header layout"
# the length field counts everything after the 16-byte header up to the 7 payload bytes
nfv_expect_eq $(($(stat -c %s "$T/raw.bin") - 16 - 7)) $((16#${hex:28:4})) "PROXY v2 length field"
nfv_expect_match "01000268320200" "$hex" "PROXY v2 ALPN TLV (0x01, \"h2\")"
nfv_expect_match "02000a7261772e622e74657374" "$hex" "PROXY v2 authority TLV (0x02, \"raw.b.test\")"
# PP2_TYPE_SSL: client = SSL only, verify = 1 (no certificate), version "TLSv1.3", then the
# cipher (0x23, "TLS_...")
nfv_expect_match "2000..0100000001210007544c5376312e332300..544c535f" "$hex" \
  "PROXY v2 SSL TLV (0x20: TLS, no client certificate, TLSv1.3, cipher)"
nfv_expect_match "7061796c6f6164$" "$hex" "payload follows the header"

# The same with a verified client certificate: client = SSL|CERT_CONN|CERT_SESS, verify = 0,
# and its common name "client" (0x22)
(printf 'payload'; sleep 1) | nfv_in "$cli" timeout 3 openssl s_client -connect 10.44.0.1:443 \
  -servername mtls.b.test -cert "$T/client.pem" -key "$T/client.key" -quiet >/dev/null 2>&1 || true
nfv_wait_until 5 "raw capture (client certificate)" test -s "$T/raw-mtls.bin"
hex=$(xxd -p "$T/raw-mtls.bin" | tr -d '\n')
nfv_expect_match "2000..0700000000210007544c5376312e33220006636c69656e742300..544c535f" "$hex" \
  "PROXY v2 SSL TLV with the verified client certificate's common name"
nfv_expect_match "7061796c6f6164$" "$hex" "payload follows the header (client certificate)"

# dead backend on an http route -> 502
code=$(nfv_in "$cli" curl -sS -o /dev/null -w '%{http_code}' --max-time 10 \
  --resolve down.test:443:10.44.0.1 --cacert "$T/a.pem" https://down.test/ 2>&1 || true)
nfv_expect_eq "502" "$code" "a dead backend on an http route answers 502"

# client-certificate route: refused without a certificate or with an untrusted one
mtls() { # curl options...
  nfv_in "$cli" curl -sS --max-time 10 --resolve mtls.test:443:10.44.0.1 --cacert "$T/a.pem" "$@" \
    https://mtls.test/ 2>&1
}
nfv_expect_eq "hello from nginx" "$(mtls --cert "$T/client.pem" --key "$T/client.key")" \
  "curl with a client certificate from client_ca reaches the mtls route"
out=$(mtls || true)
[[ $out != *"hello from nginx"* ]] || nfv_fail "the mtls route served a client without a certificate"
nfv_log "ok: no client certificate, no service ($out)"
out=$(mtls --cert "$T/stranger.pem" --key "$T/stranger.key" || true)
[[ $out != *"hello from nginx"* ]] || nfv_fail "the mtls route served an untrusted client certificate"
nfv_log "ok: untrusted client certificate refused ($out)"

# plain HTTP listener -> 301 to https
loc=$(nfv_in "$cli" curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' --max-time 10 \
  -H 'Host: a.test' http://10.44.0.1/some/path?q=1)
nfv_expect_eq "301 https://a.test/some/path?q=1" "$loc" "plain HTTP redirects to https"

# --- SIGHUP: add route c.test while a connection is established -------------------------------
mkfifo "$T/held.in"
nfv_spawn "$cli" held bash -c "exec 3<>'$T/held.in'; openssl s_client -connect 10.44.0.1:443 \
  -servername y.b.test -quiet <&3"
nfv_wait_until 10 "held connection relaying" grep -q "route=echo" "$(nfv_logfile proxy)"
echo "before-reload" >"$T/held.in"
nfv_wait_until 10 "echo before reload" grep -q "before-reload" "$(nfv_logfile held)"
c_before=$(echo | nfv_in "$cli" timeout 10 openssl s_client -connect 10.44.0.1:443 \
  -servername c.test 2>&1 || true)
nfv_expect_match "alert number 112|unrecognized name" "$c_before" "c.test is unknown before the reload"
# A session ticket taken before the reload (TLS 1.3, s_client -sess_out) ...
(printf 'x\n'; sleep 1) | nfv_in "$cli" timeout 5 openssl s_client -connect 10.44.0.1:443 \
  -servername x.b.test -sess_out "$T/ticket.pem" -ign_eof >/dev/null 2>&1 || true
[ -s "$T/ticket.pem" ] || nfv_fail "s_client saved no session ticket"
write_config ', {"name": "c", "sni": ["c.test"], "backends": ["10.44.0.130:8080"]}'
kill -HUP "$proxy_pid"
nfv_wait_for_log proxy "configuration reloaded" 10
# ... resumes after it: the ticket keys belong to the process, not to the configuration.
resumed=$(echo | nfv_in "$cli" timeout 5 openssl s_client -connect 10.44.0.1:443 \
  -servername x.b.test -sess_in "$T/ticket.pem" 2>&1 || true)
nfv_expect_match "^Reused, TLSv1.3" "$resumed" "a session ticket from before SIGHUP resumes after it"
c_after=$(nfv_in "$cli" curl -sS --max-time 10 --resolve c.test:443:10.44.0.1 --cacert "$T/a.pem" \
  https://c.test/ 2>&1)
nfv_expect_eq "hello from nginx" "$c_after" "the route added by SIGHUP serves c.test"
echo "after-reload" >"$T/held.in"
nfv_wait_until 10 "echo after reload on the old connection" grep -q "after-reload" "$(nfv_logfile held)"
nfv_log "ok: the connection established before SIGHUP still relays"

# --- SIGTERM: clean stop -------------------------------------------------------------------------
kill -TERM "$proxy_pid"
nfv_wait_until 10 "proxy exit" bash -c "! kill -0 $proxy_pid 2>/dev/null"
rc=0; wait "$proxy_pid" || rc=$?
nfv_expect_eq 0 "$rc" "nfv-tls-proxy exit code after SIGTERM"
grep -q "stopped" "$(nfv_logfile proxy)" || nfv_fail "no 'stopped' line in the proxy log"
nfv_log "PASS"
