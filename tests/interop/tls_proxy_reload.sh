#!/usr/bin/env bash
# nfv-tls-proxy: SIGHUP reloads under a running wrk load lose no request.
#   cli (10.45.0.2) --veth-- proxy (10.45.0.1 | 10.45.0.129) --veth-- be (10.45.0.130)
# `be` runs nginx with two plain HTTP servers: :8080 answers "one", :8081 answers "two". The
# proxy config alternates between two versions: (A) route -> :8080 with certificate CN=one.test,
# (B) route -> :8081 with certificate CN=two.test (both certificates carry reload.test).
# While wrk (keep-alive, 2 threads, 20 connections) and a Connection: close wrk (new handshakes
# all the time) run through the proxy, the config is swapped and SIGHUP sent RELOADS times; after
# each reload a new connection must see the new backend and the new certificate. At the end both
# wrk runs must report requests, zero socket errors and zero non-2xx responses.
source "$NFV_SOURCE_DIR/tests/interop/lib.sh"
nfv_require_root_netns
nfv_require_cmd nginx wrk curl openssl

proxy_bin=$(nfv_bin nfv-tls-proxy)
T=$NFV_TMP
RELOADS=6

cli=$(nfv_netns_new tp-cli)
px=$(nfv_netns_new tp-px)
be=$(nfv_netns_new tp-be)
nfv_veth "$cli" 10.45.0.2/25 "$px" 10.45.0.1/25
nfv_veth "$px" 10.45.0.129/25 "$be" 10.45.0.130/25 veth1 veth1

for name in one two; do
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -keyout "$T/$name.key" -out "$T/$name.pem" -subj "/CN=$name.test" \
    -addext "subjectAltName=DNS:reload.test" 2>/dev/null
done

mkdir -p "$T/nginx"
cat >"$T/nginx/nginx.conf" <<NGINX
user root;
worker_processes 1;
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $T/nginx/body;
  proxy_temp_path $T/nginx/proxy;
  fastcgi_temp_path $T/nginx/fastcgi;
  uwsgi_temp_path $T/nginx/uwsgi;
  scgi_temp_path $T/nginx/scgi;
  server {
    listen 10.45.0.130:8080;
    location / { default_type text/plain; return 200 "one\n"; }
  }
  server {
    listen 10.45.0.130:8081;
    location / { default_type text/plain; return 200 "two\n"; }
  }
}
NGINX
nfv_spawn "$be" nginx nginx -c "$T/nginx/nginx.conf" -g 'daemon off;'
nfv_wait_for_tcp_port "$be" 8080 10
nfv_wait_for_tcp_port "$be" 8081 10

write_config() { # $1 = one|two (certificate and backend)
  local port=8080
  [ "$1" = two ] && port=8081
  cat >"$T/proxy.json.new" <<JSON
{
  "listeners": [{"address": "10.45.0.1:443"}],
  "certificates": [{"names": ["reload.test"], "chain": "$1.pem", "key": "$1.key"}],
  "routes": [{"name": "web", "sni": ["reload.test"], "backends": ["10.45.0.130:$port"],
              "http": true}],
  "default_route": "web",
  "timeouts": {"handshake": 5, "idle": 60, "connect": 2},
  "log_level": "info"
}
JSON
  mv "$T/proxy.json.new" "$T/proxy.json"  # atomic: the proxy never reads half a file
}
write_config one

nfv_spawn "$px" proxy "$proxy_bin" --config "$T/proxy.json"
proxy_pid=$NFV_LAST_PID
nfv_wait_for_tcp_port "$px" 443 10

# What a NEW connection sees: "<body> <certificate CN>".
probe() {
  local body cn
  body=$(nfv_in "$cli" curl -sS --max-time 5 --resolve reload.test:443:10.45.0.1 \
    --cacert "$T/$1.pem" https://reload.test/ 2>&1) || true
  cn=$(nfv_in "$cli" timeout 5 openssl s_client -connect 10.45.0.1:443 -servername reload.test \
    </dev/null 2>/dev/null | sed -En 's/^subject=CN ?= ?(.*)$/\1/p' | tr -d ' ')
  echo "$body $cn"
}
nfv_expect_eq "one one.test" "$(probe one)" "before any reload"

# Two loads at once: kept-alive connections, and a fresh handshake per request.
duration=$((RELOADS * 2 + 4))
nfv_spawn "$cli" wrk-keepalive wrk -t1 -c20 -d"${duration}s" https://10.45.0.1/
ka_pid=$NFV_LAST_PID
nfv_spawn "$cli" wrk-close wrk -t1 -c10 -d"${duration}s" -H 'Connection: close' https://10.45.0.1/
close_pid=$NFV_LAST_PID
# wrk prints nothing until the end; the proxy's accepted-connection count proves the load runs.
nfv_wait_until 10 "wrk connections through the proxy" \
  bash -c "nfv_count() { ip netns exec '$px' ss -Htn state established '( sport = :443 )' | wc -l; }; [ \$(nfv_count) -ge 20 ]"

current=one
for i in $(seq 1 "$RELOADS"); do
  if [ "$current" = one ]; then current=two; else current=one; fi
  write_config "$current"
  kill -HUP "$proxy_pid"
  nfv_wait_until 10 "reload $i logged" \
    bash -c "[ \$(grep -c 'configuration reloaded' '$(nfv_logfile proxy)') -ge $i ]"
  nfv_expect_eq "$current $current.test" "$(probe "$current")" "new connections after reload $i"
  # Pace the reloads over the run (not a synchronisation: the wait above is).
  sleep 1
done
kill -0 "$ka_pid" 2>/dev/null || nfv_fail "wrk (keep-alive) ended before the reloads did"

nfv_wait_until $((duration + 30)) "wrk runs to finish" \
  bash -c "! kill -0 $ka_pid 2>/dev/null && ! kill -0 $close_pid 2>/dev/null"
for run in wrk-keepalive wrk-close; do
  out=$(cat "$(nfv_logfile "$run")")
  echo "$out" | sed "s/^/[$run] /"
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  [ -n "$requests" ] && [ "$requests" -gt 0 ] || nfv_fail "$run made no requests"
  if grep -qE "Socket errors|Non-2xx" <<<"$out"; then
    nfv_fail "$run saw errors across $RELOADS reloads: $(grep -E 'Socket errors|Non-2xx' <<<"$out")"
  fi
  nfv_log "ok: $run: $requests requests, no socket error, no non-2xx across $RELOADS reloads"
done
nfv_log "PASS"
