#!/usr/bin/env bash
# nfv-tls-proxy vs nginx `stream` + `ssl` (TLS termination, one worker per core), same run.
#
# Topology (namespaces made here, removed on exit):
#   cli (10.47.0.2) --veth-- px (10.47.0.1 | 10.47.0.129) --veth-- be (10.47.0.130)
# `be` runs one plain HTTP nginx (the shared backend, :8080): /small answers 13 bytes, /big a
# 4 MiB file. In `px`, nginx stream terminates TLS on :8443 and nfv-tls-proxy on :443 (each
# with one worker process per core: worker_processes / "workers" = nproc), both with
# the SAME ECDSA P-256 certificate, TLS 1.2-1.3, proxying to the same backend. wrk runs in `cli`.
# Metrics, each the median of NFV_BENCH_REPEAT runs of NFV_BENCH_SECONDS (wrk -t2):
#   keep-alive req/s     GET /small over 50 kept-alive connections
#   new conns/s          GET /small with `Connection: close` (the backend closes; every request
#                        is a new TCP connection and TLS handshake; wrk keeps the SSL object and
#                        resumes with the session ticket it got last, as browsers do)
#   full handshakes/s    the same against a second listener of each with session tickets off
#                        (nginx `ssl_session_tickets off`, ours "session_tickets": {"enabled":
#                        false}, a second nfv-tls-proxy process): every handshake is a full one
#   4MiB body MB/s       GET /big over 8 connections (wrk Transfer/sec)
#   proxy CPU            utime+stime of the proxy (master and workers, from /proc/PID/stat)
#                        during each run, per request (µs) or per GB moved (s): wrk and the
#                        backend share the same 2 cores, so this is the fairer efficiency figure
#   idle conn memory     RSS growth (all processes, masters and workers, of each) with
#                        NFV_BENCH_IDLE idle TLS connections (handshake done, then silence),
#                        per connection; the backend's side is not counted for either
# Usage: sudo bench/tls-proxy.sh   (NFV_BUILD_DIR selects the build; default build/release)
source "$(dirname "$0")/lib.sh"
nfv_require_root_netns
nfv_require_cmd nginx wrk openssl g++
bench_build nfv-tls-proxy
ours=$(nfv_bin nfv-tls-proxy)
SECONDS_PER_RUN=${NFV_BENCH_SECONDS:-10}
IDLE=${NFV_BENCH_IDLE:-2000}  # each costs 2 fds in the proxy: keep 2*IDLE under `ulimit -Hn`
WORKERS=$(nproc)
NGINX_STREAM_MODULE=${NGINX_STREAM_MODULE:-/usr/lib/nginx/modules/ngx_stream_module.so}
[ -f "$NGINX_STREAM_MODULE" ] || nfv_skip "nginx stream module not found at $NGINX_STREAM_MODULE"
T=$NFV_TMP
chmod 755 "$T"

# The idle-connection tool: from the build if it has tests, else compiled here.
idle_tool="$NFV_BUILD_DIR/tests/apps/tls-proxy/tls_proxy_idle_clients"
if [ ! -x "$idle_tool" ]; then
  idle_tool="$T/idle_tls_clients"
  g++ -O2 -std=c++20 -o "$idle_tool" "$NFV_SOURCE_DIR/tests/apps/tls-proxy/tools/idle_tls_clients.cpp" \
    -lssl -lcrypto
fi

cli=$(nfv_netns_new tp-cli)
px=$(nfv_netns_new tp-px)
be=$(nfv_netns_new tp-be)
nfv_veth "$cli" 10.47.0.2/25 "$px" 10.47.0.1/25
nfv_veth "$px" 10.47.0.129/25 "$be" 10.47.0.130/25 veth1 veth1

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -keyout "$T/bench.key" -out "$T/bench.pem" -subj /CN=bench.test \
  -addext "subjectAltName=DNS:bench.test" 2>/dev/null
head -c $((4 * 1024 * 1024)) /dev/urandom >"$T/big.bin"
chmod 644 "$T/bench.key" "$T/bench.pem" "$T/big.bin"

nginx_common() { # $1 = directory
  cat <<EOF
user root;
pid $1/nginx.pid;
error_log $1/error.log warn;
worker_rlimit_nofile $(ulimit -Hn);
events { worker_connections $(ulimit -Hn); }
EOF
}
mkdir -p "$T/backend" "$T/front"
{
  nginx_common "$T/backend"
  cat <<EOF
worker_processes $WORKERS;
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $T/backend/body;
  proxy_temp_path $T/backend/proxy;
  fastcgi_temp_path $T/backend/fastcgi;
  uwsgi_temp_path $T/backend/uwsgi;
  scgi_temp_path $T/backend/scgi;
  server {
    listen 10.47.0.130:8080 backlog=4096;
    location = /small { default_type text/plain; return 200 "hello, bench\n"; }
    location = /big { default_type application/octet-stream; alias $T/big.bin; }
  }
}
EOF
} >"$T/backend/nginx.conf"
{
  echo "load_module $NGINX_STREAM_MODULE;"
  nginx_common "$T/front"
  cat <<EOF
worker_processes $WORKERS;
stream {
  server {
    listen 10.47.0.1:8443 ssl backlog=4096;
    ssl_certificate $T/bench.pem;
    ssl_certificate_key $T/bench.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    proxy_pass 10.47.0.130:8080;
  }
  server {
    listen 10.47.0.1:8444 ssl backlog=4096;
    ssl_certificate $T/bench.pem;
    ssl_certificate_key $T/bench.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_tickets off;
    proxy_pass 10.47.0.130:8080;
  }
}
EOF
} >"$T/front/nginx.conf"
cat >"$T/proxy.json" <<EOF
{
  "listeners": [{"address": "10.47.0.1:443"}],
  "certificates": [{"names": ["bench.test"], "chain": "$T/bench.pem", "key": "$T/bench.key"}],
  "routes": [{"name": "bench", "sni": ["bench.test"], "backends": ["10.47.0.130:8080"]}],
  "default_route": "bench",
  "limits": {"max_connections": 30000},
  "workers": $WORKERS,
  "log_level": "warning"
}
EOF

# The same on :444 without session tickets (the full-handshake metric).
sed -e 's/10.47.0.1:443/10.47.0.1:444/' \
  -e 's/"log_level"/"session_tickets": {"enabled": false},\n  "log_level"/' \
  "$T/proxy.json" >"$T/proxy-full.json"

nfv_spawn "$be" backend nginx -c "$T/backend/nginx.conf" -g 'daemon off;'
nfv_spawn "$px" nginx nginx -c "$T/front/nginx.conf" -g 'daemon off;'
ref_pid=$NFV_LAST_PID
nfv_spawn "$px" ours "$ours" --config "$T/proxy.json"
our_pid=$NFV_LAST_PID
nfv_spawn "$px" ours-full "$ours" --config "$T/proxy-full.json"
our_full_pid=$NFV_LAST_PID
nfv_wait_for_tcp_port "$be" 8080 10
nfv_wait_for_tcp_port "$px" 8444 10
nfv_wait_for_tcp_port "$px" 444 10
nfv_wait_for_tcp_port "$px" 8443 10
nfv_wait_for_tcp_port "$px" 443 10
for url in https://10.47.0.1:8443/small https://10.47.0.1:443/small https://10.47.0.1:8444/small \
  https://10.47.0.1:444/small; do
  body=$(nfv_in "$cli" curl -sSk --max-time 10 "$url")
  nfv_expect_eq "hello, bench" "$body" "$url answers through the proxy"
done
# Everything the ip-netns-exec wrapper started, and their children (nginx workers).
tree_pids() { echo "$1"; pgrep -P "$1" | while read -r c; do tree_pids "$c"; done; }
tree_rss_kib() {
  local total=0 p r
  for p in $(tree_pids "$1"); do
    r=$(bench_rss_kib "$p" 2>/dev/null || echo 0)
    total=$((total + ${r:-0}))
  done
  echo "$total"
}

TICKS=$(getconf CLK_TCK)
# tree_cpu_ticks PID: utime + stime of a process and its descendants (fields 14 and 15 of
# /proc/PID/stat, counted after the ")" that ends the command name, which may hold spaces).
tree_cpu_ticks() {
  local total=0 p t
  for p in $(tree_pids "$1"); do
    t=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}')
    total=$((total + ${t:-0}))
  done
  echo "$total"
}

# wrk_metric PID PORT PATH CONNECTIONS KIND [wrk args]: "RATE CPU" where RATE is req/s
# (KIND=rps) or MB/s (KIND=mbs) and CPU is the proxy tree PID's CPU time per request in µs
# (rps) or per GB transferred in s (mbs).
wrk_metric() {
  local pid=$1 port=$2 path=$3 conns=$4 kind=$5; shift 5
  local out before after
  before=$(tree_cpu_ticks "$pid")
  out=$(nfv_in "$cli" wrk -t2 -c"$conns" -d"${SECONDS_PER_RUN}s" "$@" "https://10.47.0.1:$port$path" 2>&1)
  after=$(tree_cpu_ticks "$pid")
  if grep -qE "Non-2xx|Socket errors: connect [1-9]" <<<"$out"; then
    nfv_log "wrk reported errors on :$port$path: $(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ')"
  fi
  # "  123456 requests in 10.00s, 1.23GB read"
  awk -v kind="$kind" -v ticks=$((after - before)) -v hz="$TICKS" '
    function mib(v, u) { if (u == "GB") return v * 1024; if (u == "KB") return v / 1024;
                         if (u == "B") return v / 1048576; return v }
    / requests in / { n = $1; r = $5; u = r; sub(/[0-9.]+/, "", u); sub(/[A-Za-z]+$/, "", r)
                      read_mib = mib(r, u) }
    /^Requests\/sec:/ { rps = $2 }
    /^Transfer\/sec:/ { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[A-Za-z]+$/, "", v); mbs = mib(v, u) }
    END { cpu = ticks / hz
          if (kind == "rps") printf "%s %.1f\n", rps, (n > 0 ? cpu * 1000000 / n : 0)
          else printf "%.1f %.2f\n", mbs, (read_mib > 0 ? cpu / (read_mib / 1024) : 0) }' <<<"$out"
}

declare -A runs cpu
for round in $(seq 1 "$NFV_BENCH_REPEAT"); do
  for who in ref ours; do
    port=8443 pid=$ref_pid full_pid=$ref_pid
    [ "$who" = ours ] && port=443 pid=$our_pid full_pid=$our_full_pid
    read -r rate use < <(wrk_metric "$pid" "$port" /small 50 rps)
    runs[$who-ka]+=" $rate" cpu[$who-ka]+=" $use"
    read -r rate use < <(wrk_metric "$pid" "$port" /small 50 rps -H 'Connection: close')
    runs[$who-hs]+=" $rate" cpu[$who-hs]+=" $use"
    read -r rate use < <(wrk_metric "$full_pid" "$((port + 1))" /small 50 rps -H 'Connection: close')
    runs[$who-full]+=" $rate" cpu[$who-full]+=" $use"
    read -r rate use < <(wrk_metric "$pid" "$port" /big 8 mbs)
    runs[$who-big]+=" $rate" cpu[$who-big]+=" $use"
    nfv_log "round $round $who: keep-alive${runs[$who-ka]##* } req/s (${cpu[$who-ka]##* } us/req)," \
      "close${runs[$who-hs]##* } conns/s (${cpu[$who-hs]##* } us)," \
      "full${runs[$who-full]##* } handshakes/s (${cpu[$who-full]##* } us)," \
      "big${runs[$who-big]##* } MB/s (${cpu[$who-big]##* } s/GB)"
  done
done

# Memory per idle connection: RSS before, open IDLE silent TLS connections, RSS after.
idle_kib() { # PORT PID
  local port=$1 pid=$2 before after fifo="$T/idle-$1.in"
  before=$(tree_rss_kib "$pid")
  mkfifo "$fifo"
  nfv_in "$cli" "$idle_tool" 10.47.0.1 "$port" bench.test "$IDLE" full \
    <"$fifo" >"$T/idle-$port.out" 2>&1 &
  local tool=$!
  exec 9>"$fifo"  # holds the tool's stdin open until we close it
  local deadline=$((SECONDS + 120))
  until grep -q '^ready' "$T/idle-$port.out"; do
    [ "$SECONDS" -lt "$deadline" ] || nfv_fail "idle clients on :$port not ready in 120 s"
    kill -0 "$tool" 2>/dev/null || nfv_fail "idle client tool died: $(cat "$T/idle-$port.out")"
    sleep 0.2
  done
  after=$(tree_rss_kib "$pid")
  exec 9>&-
  wait "$tool" || nfv_log "idle tool on :$port: $(cat "$T/idle-$port.out")"
  nfv_log "idle :$port: $(cat "$T/idle-$port.out"), RSS $before -> $after KiB" >&2
  awk -v b="$before" -v a="$after" -v n="$IDLE" 'BEGIN { printf "%.2f\n", (a - b) / n }'
}
ref_idle=$(idle_kib 8443 "$ref_pid")
our_idle=$(idle_kib 443 "$our_pid")

median() { # shellcheck disable=SC2086
  bench_median $1
}
echo
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (shared machines vary)"
bench_header
bench_report "keep-alive req/s" "$(median "${runs[ours-ka]}")" "$(median "${runs[ref-ka]}")" req/s higher
bench_report "new conns/s" "$(median "${runs[ours-hs]}")" "$(median "${runs[ref-hs]}")" conn/s higher
bench_report "full handshakes/s" "$(median "${runs[ours-full]}")" "$(median "${runs[ref-full]}")" conn/s higher
bench_report "4MiB body MB/s" "$(median "${runs[ours-big]}")" "$(median "${runs[ref-big]}")" MB/s higher
bench_report "keep-alive cpu/req" "$(median "${cpu[ours-ka]}")" "$(median "${cpu[ref-ka]}")" us lower
bench_report "new conn cpu/conn" "$(median "${cpu[ours-hs]}")" "$(median "${cpu[ref-hs]}")" us lower
bench_report "full handshake cpu" "$(median "${cpu[ours-full]}")" "$(median "${cpu[ref-full]}")" us lower
bench_report "4MiB body cpu/GB" "$(median "${cpu[ours-big]}")" "$(median "${cpu[ref-big]}")" s lower
bench_report "idle conn memory" "$our_idle" "$ref_idle" KiB/conn lower
bench_report "rss after" "$(tree_rss_kib "$our_pid")" "$(tree_rss_kib "$ref_pid")" KiB lower
