#!/usr/bin/env bash
# nfv-tls-proxy: 10,000 concurrent idle TLS connections (slowloris style) do not stop new
# clients from being served, memory stays bounded, and every descriptor is given back.
#   cli (10.46.0.2) --veth-- proxy (10.46.0.1 | 10.46.0.129) --veth-- be (10.46.0.130)
# The idle connections (tests/apps/tls-proxy/tools/idle_tls_clients.cpp) come in three kinds:
#   full     handshake completed, backend connected (nginx in `be`), then silence
#   partial  half a ClientHello, then silence
#   tcp      TCP connect, then silence
# The fd hard limit here is `ulimit -Hn` (20000 on the CI machines, and raising it needs
# CAP_SYS_RESOURCE): a full connection costs the proxy two descriptors, the others one, so the
# mix is FULL full + the rest split between partial and tcp, 10,000 in all.
# Memory: a first batch of each kind is measured (RSS growth / count = the per-connection figure,
# printed); the growth for all 10,000 must stay within twice what those figures predict plus
# 16 MiB, and under 64 KiB per connection on average (nginx stream+ssl uses about 32 KiB, see
# bench/tls-proxy.sh).
source "$NFV_SOURCE_DIR/tests/interop/lib.sh"
nfv_require_root_netns
nfv_require_cmd nginx curl openssl ss

proxy_bin=$(nfv_bin nfv-tls-proxy)
tool="$NFV_BUILD_DIR/tests/apps/tls-proxy/tls_proxy_idle_clients"
[ -x "$tool" ] || nfv_skip "$tool not built (a build with tests is needed)"
T=$NFV_TMP
TOTAL=10000
FULL=${NFV_IDLE_FULL:-4000}
PARTIAL=$(((TOTAL - FULL) / 2))
TCP=$((TOTAL - FULL - PARTIAL))
CALIBRATE=500
hard=$(ulimit -Hn)
[ "$hard" = unlimited ] || [ "$hard" -ge $((TOTAL + FULL + 200)) ] ||
  nfv_skip "ulimit -Hn is $hard; $((TOTAL + FULL + 200)) descriptors are needed"
ulimit -n "$hard"

cli=$(nfv_netns_new tp-cli)
px=$(nfv_netns_new tp-px)
be=$(nfv_netns_new tp-be)
nfv_veth "$cli" 10.46.0.2/25 "$px" 10.46.0.1/25
nfv_veth "$px" 10.46.0.129/25 "$be" 10.46.0.130/25 veth1 veth1
# 10,000 connections from one address to one port need more than the default 28,000-port
# ephemeral range only if reused quickly; widen it anyway to stay clear of TIME_WAIT.
nfv_in "$cli" sysctl -qw net.ipv4.ip_local_port_range="10000 65000"
nfv_in "$px" sysctl -qw net.ipv4.ip_local_port_range="10000 65000"
nfv_in "$px" sysctl -qw net.core.somaxconn=4096

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -keyout "$T/idle.key" -out "$T/idle.pem" -subj /CN=idle.test \
  -addext "subjectAltName=DNS:idle.test" 2>/dev/null

mkdir -p "$T/nginx"
cat >"$T/nginx/nginx.conf" <<NGINX
user root;
worker_processes 1;
worker_rlimit_nofile $hard;
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log;
events { worker_connections $((FULL + 500)); }
http {
  access_log off;
  client_header_timeout 600s;
  keepalive_timeout 600s;
  client_body_temp_path $T/nginx/body;
  proxy_temp_path $T/nginx/proxy;
  fastcgi_temp_path $T/nginx/fastcgi;
  uwsgi_temp_path $T/nginx/uwsgi;
  scgi_temp_path $T/nginx/scgi;
  server {
    listen 10.46.0.130:8080 backlog=4096;
    location / { default_type text/plain; return 200 "served\n"; }
  }
}
NGINX
nfv_spawn "$be" nginx nginx -c "$T/nginx/nginx.conf" -g 'daemon off;'
nfv_wait_for_tcp_port "$be" 8080 10

# Timeouts longer than the test, so that the idle connections are really held; a connection
# limit above the 10,000 idle ones, so that new clients have room.
cat >"$T/proxy.json" <<JSON
{
  "listeners": [{"address": "10.46.0.1:443"}],
  "certificates": [{"names": ["idle.test"], "chain": "idle.pem", "key": "idle.key"}],
  "routes": [{"name": "web", "sni": ["idle.test"], "backends": ["10.46.0.130:8080"], "http": true}],
  "timeouts": {"handshake": 600, "idle": 600, "connect": 5},
  "limits": {"max_connections": $((TOTAL + 1000))},
  "log_level": "warning"
}
JSON
nfv_spawn "$px" proxy "$proxy_bin" --config "$T/proxy.json"
proxy_pid=$NFV_LAST_PID
nfv_wait_for_tcp_port "$px" 443 10

serve_check() { # WHAT: a new client gets a full response through the proxy
  local body
  body=$(nfv_in "$cli" curl -sS --max-time 10 --resolve idle.test:443:10.46.0.1 \
    --cacert "$T/idle.pem" https://idle.test/ 2>&1) || true
  nfv_expect_eq "served" "$body" "$1"
}
serve_check "served before the idle connections"
fds() { find "/proc/$proxy_pid/fd" -mindepth 1 -maxdepth 1 | wc -l; }
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$proxy_pid/status"; }
base_fds=$(fds)
base_rss=$(rss)

# hold NAME COUNT MODE: start a tool holding COUNT idle connections; waits for "ready".
holders=()
hold() {
  local name=$1 count=$2 mode=$3 fifo="$T/$1.in"
  mkfifo "$fifo"
  nfv_in "$cli" "$tool" 10.46.0.1 443 idle.test "$count" "$mode" <"$fifo" >"$T/$name.out" 2>&1 &
  _nfv_pids+=("$!")
  local pid=$!
  exec {fd}>"$fifo"  # the tool holds its connections until this closes
  holders+=("$fd")
  local deadline=$((SECONDS + 120))
  until grep -q '^ready' "$T/$name.out"; do
    [ "$SECONDS" -lt "$deadline" ] || nfv_fail "$name: not ready after 120 s"
    kill -0 "$pid" 2>/dev/null || nfv_fail "$name: the tool exited: $(cat "$T/$name.out")"
    sleep 0.1
  done
  read -r _ ready failed <"$T/$name.out"
  nfv_expect_eq "$count 0" "$ready $failed" "$name: connections held, failures"
}

# Calibration batches: the per-connection figure of each kind.
declare -A per
previous=$base_rss
for mode in full partial tcp; do
  hold "cal-$mode" "$CALIBRATE" "$mode"
  now=$(rss)
  per[$mode]=$(awk -v a="$now" -v b="$previous" -v n="$CALIBRATE" 'BEGIN { printf "%.2f", (a - b) / n }')
  nfv_log "measured: $mode idle connection costs ${per[$mode]} KiB of proxy RSS"
  previous=$now
done
serve_check "served with $((3 * CALIBRATE)) idle connections"

hold rest-full $((FULL - CALIBRATE)) full
hold rest-partial $((PARTIAL - CALIBRATE)) partial
hold rest-tcp $((TCP - CALIBRATE)) tcp
held=$(nfv_in "$px" ss -Htn state established '( sport = :443 )' | wc -l)
[ "$held" -ge "$TOTAL" ] || nfv_fail "only $held connections established on :443, expected $TOTAL"
nfv_log "ok: $held idle connections held ($FULL full, $PARTIAL partial, $TCP tcp)"

for i in 1 2 3 4 5; do
  serve_check "new client $i served while $TOTAL idle connections are held"
done

total_rss=$(rss)
growth=$((total_rss - base_rss))
predicted=$(awk -v f="${per[full]}" -v p="${per[partial]}" -v t="${per[tcp]}" \
  -v nf="$FULL" -v np="$PARTIAL" -v nt="$TCP" 'BEGIN { printf "%d", f * nf + p * np + t * nt }')
bound=$((2 * predicted + 16384))
average=$(awk -v g="$growth" -v n="$TOTAL" 'BEGIN { printf "%.2f", g / n }')
nfv_log "RSS: $base_rss KiB idle, $total_rss KiB with $TOTAL connections: growth $growth KiB" \
  "(${average} KiB per connection; predicted $predicted KiB, bound $bound KiB)"
[ "$growth" -le "$bound" ] || nfv_fail "RSS grew by $growth KiB, more than the bound $bound KiB"
awk -v a="$average" 'BEGIN { exit !(a <= 64) }' ||
  nfv_fail "$average KiB per idle connection is above 64 KiB"
nfv_log "ok: memory bounded"

# Release everything: the proxy must give every descriptor back (no fd leak).
for fd in "${holders[@]}"; do
  exec {fd}>&-
done
nfv_wait_until 60 "proxy descriptors back to $base_fds" \
  bash -c "[ \$(find /proc/$proxy_pid/fd -mindepth 1 -maxdepth 1 | wc -l) -le $base_fds ]"
nfv_log "ok: descriptors back to $(fds) (baseline $base_fds)"
serve_check "served after the idle connections left"
nfv_log "PASS"
