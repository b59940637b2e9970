#!/usr/bin/env bash
# nfv-tls-proxy with "workers": 2 (a master and two worker processes sharing the listener with
# SO_REUSEPORT), against curl, openssl s_client and an nginx backend in network namespaces:
#   cli (10.49.0.2) --veth-- proxy (10.49.0.1 | 10.49.0.129) --veth-- be (10.49.0.130)
# Proves: two worker processes run under the master and both serve clients; the metrics
# endpoint is bound once (by the first worker); a session ticket issued by one worker resumes
# on any worker (shared ticket keys); SIGHUP to the master reloads every worker (a new route
# answers on all of them); SIGTERM to the master stops everything with exit code 0.
# With "user": "nobody" (nginx's `user`), the master and both workers run as nobody once the
# sockets are bound, the workers keeping only CAP_NET_BIND_SERVICE, and the reload still reads
# the configuration and certificate as nobody.
# A worker killed with SIGKILL is replaced by a new one that serves (and rebinds the metrics
# endpoint) the configuration last loaded, even if the file was edited since without SIGHUP; a
# sixth crash within a minute makes the master give up with exit code 1. A SIGHUP with a file
# that parses but does not load (a missing certificate) changes nothing: a worker restarted
# after it still runs the last configuration that loaded.
source "$NFV_SOURCE_DIR/tests/interop/lib.sh"
nfv_require_root_netns
nfv_require_cmd nginx curl openssl

proxy_bin=$(nfv_bin nfv-tls-proxy)
T=$NFV_TMP
id nobody >/dev/null 2>&1 || nfv_skip "user nobody does not exist"
chmod 755 "$T"  # the workers re-read the config and certificate as nobody on SIGHUP

cli=$(nfv_netns_new tp-cli)
px=$(nfv_netns_new tp-px)
be=$(nfv_netns_new tp-be)
nfv_veth "$cli" 10.49.0.2/25 "$px" 10.49.0.1/25
nfv_veth "$px" 10.49.0.129/25 "$be" 10.49.0.130/25 veth1 veth1

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -keyout "$T/w.key" -out "$T/w.pem" -subj /CN=w.test \
  -addext "subjectAltName=DNS:w.test,DNS:new.test" 2>/dev/null
chmod 644 "$T/w.key"  # a throwaway test key, readable by nobody for the reload

mkdir -p "$T/nginx"
cat >"$T/nginx/nginx.conf" <<NGINX
user root;
worker_processes 1;
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $T/nginx/body;
  proxy_temp_path $T/nginx/proxy;
  fastcgi_temp_path $T/nginx/fastcgi;
  uwsgi_temp_path $T/nginx/uwsgi;
  scgi_temp_path $T/nginx/scgi;
  server {
    listen 10.49.0.130:8080;
    location / { default_type text/plain; return 200 "hello\n"; }
  }
}
NGINX
nfv_spawn "$be" nginx nginx -c "$T/nginx/nginx.conf" -g 'daemon off;'
nfv_wait_for_tcp_port "$be" 8080 10

write_config() { # $1 = extra route JSON, $2 = certificate chain file (default w.pem)
  cat >"$T/proxy.json.new" <<JSON
{
  "listeners": [{"address": "10.49.0.1:443"}],
  "certificates": [{"names": ["w.test", "new.test"], "chain": "${2:-w.pem}", "key": "w.key"}],
  "routes": [{"name": "web", "sni": ["w.test"], "backends": ["10.49.0.130:8080"]}$1],
  "workers": 2,
  "metrics": {"address": "10.49.0.1:9100"},
  "log_level": "debug",
  "user": "nobody"
}
JSON
  mv "$T/proxy.json.new" "$T/proxy.json"
}
write_config ""

nfv_spawn "$px" proxy "$proxy_bin" --config "$T/proxy.json"
proxy_pid=$NFV_LAST_PID
nfv_wait_for_tcp_port "$px" 443 10
nfv_wait_for_tcp_port "$px" 9100 10
nfv_wait_until 10 "two workers listening" \
  bash -c "[ \$(ip netns exec '$px' ss -Hltn 'sport = :443' | wc -l) -eq 2 ]"
workers=$(pgrep -P "$proxy_pid" | wc -l)
nfv_expect_eq 2 "$workers" "worker processes under the master"
metrics_listeners=$(nfv_in "$px" ss -Hltn 'sport = :9100' | wc -l)
nfv_expect_eq 1 "$metrics_listeners" "metrics listeners"
nobody_uid=$(id -u nobody)
for pid in "$proxy_pid" $(pgrep -P "$proxy_pid"); do
  nfv_wait_until 10 "process $pid running as nobody" \
    bash -c "[ \$(awk '/^Uid:/ {print \$2 \$3 \$4}' /proc/$pid/status) = $nobody_uid$nobody_uid$nobody_uid ]"
done
for pid in $(pgrep -P "$proxy_pid"); do
  nfv_expect_eq 0000000000000400 "$(awk '/^CapEff:/ {print $2}' "/proc/$pid/status")" \
    "worker $pid effective capabilities (CAP_NET_BIND_SERVICE only)"
done
nfv_log "ok: the master and both workers run as nobody"

# kill -9 worker PID $1; wait until the master has started another and both listen on 443.
kill_worker_and_await_its_replacement() {
  kill -KILL "$1"
  nfv_wait_until 10 "a new worker in place of $1" \
    bash -c "[ \$(pgrep -P $proxy_pid | grep -vxc $1) -eq 2 ]"
  nfv_wait_until 10 "two workers listening again" \
    bash -c "[ \$(ip netns exec '$px' ss -Hltn 'sport = :443' | wc -l) -eq 2 ]"
}
get() { # SNI
  nfv_in "$cli" curl -sS --max-time 10 --resolve "$1:443:10.49.0.1" --cacert "$T/w.pem" \
    "https://$1/" 2>&1
}
for i in $(seq 1 24); do
  body=$(get w.test)
  [ "$body" = hello ] || nfv_fail "request $i through the workers: $body"
done
nfv_log "ok: 24 requests served"
for w in 0 1; do
  grep -q "tls-proxy/$w: handshake done" "$(nfv_logfile proxy)" ||
    nfv_fail "worker $w served none of 24 connections"
done
nfv_log "ok: both workers served connections"

# One ticket, sixteen resumptions: both workers must resume it (one of them did not issue it);
# the chance that SO_REUSEPORT sends all sixteen to one worker is 2^-15.
(printf 'GET / HTTP/1.0\r\n\r\n'; sleep 1) | nfv_in "$cli" timeout 5 openssl s_client \
  -connect 10.49.0.1:443 -servername w.test -sess_out "$T/ticket.pem" -ign_eof >/dev/null 2>&1 || true
[ -s "$T/ticket.pem" ] || nfv_fail "s_client saved no session ticket"
for i in $(seq 1 16); do
  out=$(echo | nfv_in "$cli" timeout 5 openssl s_client -connect 10.49.0.1:443 \
    -servername w.test -sess_in "$T/ticket.pem" 2>&1 || true)
  grep -q "^Reused, TLSv1.3" <<<"$out" || nfv_fail "resumption $i: not reused"
done
for w in 0 1; do
  grep -q "tls-proxy/$w: handshake done.*resumed=true" "$(nfv_logfile proxy)" ||
    nfv_fail "worker $w resumed none of the 16 sessions (tickets not shared?)"
done
nfv_log "ok: 16 of 16 resumptions reused the ticket, on both workers"

# SIGHUP to the master reaches every worker.
write_config ', {"name": "new", "sni": ["new.test"], "backends": ["10.49.0.130:8080"]}'
kill -HUP "$proxy_pid"
nfv_wait_until 10 "both workers reloaded" \
  bash -c "[ \$(grep -c 'configuration reloaded' '$(nfv_logfile proxy)') -ge 2 ]"
for i in $(seq 1 12); do
  body=$(get new.test)
  [ "$body" = hello ] || nfv_fail "new route after SIGHUP, request $i: $body"
done
nfv_log "ok: the route added by SIGHUP answers on every worker (12 requests)"

# A worker killed by a signal is started again by the master (as nginx does): kill -9 the one
# that owns the metrics endpoint; a new worker (as nobody, CAP_NET_BIND_SERVICE only) takes its
# place, binds 443 and the metrics endpoint again, and both serve. The file is edited first
# (the "new" route removed) without a reload: like nginx's, the new worker runs the
# configuration the master holds (the last one loaded), not the edited file.
write_config ""
victim=$(nfv_in "$px" ss -Hltnp 'sport = :9100' | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
[ -n "$victim" ] || nfv_fail "no process owns the metrics listener"
kill_worker_and_await_its_replacement "$victim"
nfv_wait_for_tcp_port "$px" 9100 10
grep -q "worker restarted" "$(nfv_logfile proxy)" || nfv_fail "the master logged no restart"
for pid in $(pgrep -P "$proxy_pid"); do
  nfv_expect_eq "$nobody_uid" "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")" "worker $pid uid"
  nfv_expect_eq 0000000000000400 "$(awk '/^CapEff:/ {print $2}' "/proc/$pid/status")" \
    "worker $pid effective capabilities after the restart"
done
for i in $(seq 1 12); do
  body=$(get w.test)
  [ "$body" = hello ] || nfv_fail "request $i after a worker restart: $body"
  body=$(get new.test)
  [ "$body" = hello ] || nfv_fail "request $i to the reloaded route after a worker restart: $body"
done
metrics=$(nfv_in "$cli" curl -sS --max-time 10 http://10.49.0.1:9100/metrics)
grep -q "^tls_proxy_route_connections_total" <<<"$metrics" || nfv_fail "the restarted worker serves no metrics: $metrics"
nfv_log "ok: worker $victim killed with SIGKILL was replaced; it runs the last reloaded configuration; 24 requests and metrics served"

# A reload that parses but does not load (the certificate chain is missing): the workers keep
# the running configuration, and so does the master for a worker it restarts afterwards.
write_config "" missing.pem
kill -HUP "$proxy_pid"
nfv_wait_until 10 "the master refused the reload" \
  grep -q "reload: the configuration does not load" "$(nfv_logfile proxy)"
nfv_wait_until 10 "both workers refused the reload" \
  bash -c "[ \$(grep -c 'reload failed' '$(nfv_logfile proxy)') -ge 2 ]"
victim=$(pgrep -P "$proxy_pid" | head -1)
kill_worker_and_await_its_replacement "$victim"
for i in $(seq 1 12); do
  body=$(get new.test)
  [ "$body" = hello ] || nfv_fail "request $i after a refused reload and a worker restart: $body"
done
nfv_log "ok: a reload that does not load is refused by the master too; a worker restarted after it serves the running configuration (12 requests)"
write_config ""

kill -TERM "$proxy_pid"
nfv_wait_until 15 "master exit" bash -c "! kill -0 $proxy_pid 2>/dev/null"
rc=0; wait "$proxy_pid" || rc=$?
nfv_expect_eq 0 "$rc" "master exit code after SIGTERM"
nfv_expect_eq 0 "$(nfv_in "$px" ss -Hltn 'sport = :443' | wc -l)" "listeners left after SIGTERM"

# The restart budget: workers that keep dying (5 restarts within a minute) make the master give
# up, stop the rest and exit 1, leaving the restart to the service manager.
nfv_spawn "$px" proxy2 "$proxy_bin" --config "$T/proxy.json"
proxy_pid=$NFV_LAST_PID
nfv_wait_until 10 "two workers listening" \
  bash -c "[ \$(ip netns exec '$px' ss -Hltn 'sport = :443' | wc -l) -eq 2 ]"
for round in 1 2 3 4 5 6; do
  victim=$(pgrep -P "$proxy_pid" | head -1)
  [ -n "$victim" ] || nfv_fail "round $round: no worker to kill"
  kill -KILL "$victim"
  [ "$round" -eq 6 ] && break
  nfv_wait_until 10 "round $round: a new worker in place of $victim" \
    bash -c "[ \$(pgrep -P $proxy_pid | grep -vxc $victim) -eq 2 ]"
done
nfv_wait_until 15 "master gives up" bash -c "! kill -0 $proxy_pid 2>/dev/null"
rc=0; wait "$proxy_pid" || rc=$?
nfv_expect_eq 1 "$rc" "master exit code after the sixth crash within a minute"
grep -q "workers keep dying; giving up" "$(nfv_logfile proxy2)" || nfv_fail "no give-up message"
nfv_expect_eq 0 "$(nfv_in "$px" ss -Hltn 'sport = :443' | wc -l)" "listeners left after giving up"
nfv_log "ok: five restarts, then the sixth crash stops the proxy with exit code 1"
nfv_log "PASS"
