#!/usr/bin/env bash
# The packaged systemd units (packaging/systemd/, issue 9): each unit's ExecStartPre and
# ExecStart lines, run the way systemd runs them: as an unprivileged user (daemon, standing in
# for the unit's own nfv-* user) holding exactly the unit's AmbientCapabilities, in its
# WorkingDirectory, with /usr/sbin/ pointing at this build and /etc/nfv/ at a copy of the
# example configurations (packaging/dnsvizor.conf as installed, the Nyr server.conf for
# nfv-vpn@office, a one-route proxy JSON). Each must pass its check and start serving, in a
# network namespace made here: nfv-dnsvizor answers a query, nfv-vpn completes its
# initialization, nfv-tls-proxy listens on 443; each still runs as daemon afterwards.
source "$NFV_SOURCE_DIR/tests/interop/lib.sh"
nfv_require_root_netns
nfv_require_tun
nfv_require_cmd setpriv dig openssl
id daemon >/dev/null 2>&1 || nfv_skip "user daemon does not exist"

units="$NFV_SOURCE_DIR/packaging/systemd"
etc="$NFV_TMP/etc/nfv"
mkdir -p "$etc/vpn"
chmod 755 "$NFV_TMP" "$NFV_TMP/etc"
cp "$NFV_SOURCE_DIR/packaging/dnsvizor.conf" "$etc/dnsvizor.conf"
cp "$NFV_SOURCE_DIR/configs/vpn/nyr/server.conf" "$etc/vpn/office.conf"
cp "$NFV_SOURCE_DIR"/configs/vpn/pki/* "$etc/vpn/"  # the files office.conf names, beside it
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -keyout "$etc/proxy.key" -out "$etc/proxy.pem" -subj /CN=unit.test \
  -addext "subjectAltName=DNS:unit.test" 2>/dev/null
cat >"$etc/tls-proxy.json" <<JSON
{"listeners": [{"address": "0.0.0.0:443"}],
 "certificates": [{"names": ["unit.test"], "chain": "$etc/proxy.pem", "key": "$etc/proxy.key"}],
 "routes": [{"name": "web", "sni": ["unit.test"], "backends": ["127.0.0.1:8080"]}],
 "default_route": "web"}
JSON
chmod -R a+rX "$etc"  # test keys only: readable by daemon

ns=$(nfv_netns_new units)
daemon_uid=$(id -u daemon)

# unit_line UNIT KEY INSTANCE: the unit's KEY= line with this build's binaries and /etc copy.
unit_line() {
  sed -n "s/^$2=//p" "$units/$1" | sed -e "s|%i|$3|g" -e "s|/etc/nfv/|$etc/|g" \
    -e "s|/usr/sbin/nfv-vpn|$(nfv_bin nfv-vpn)|" \
    -e "s|/usr/sbin/nfv-dnsvizor|$(nfv_bin nfv-dnsvizor)|" \
    -e "s|/usr/sbin/nfv-tls-proxy|$(nfv_bin nfv-tls-proxy)|"
}
# setpriv capability list of a unit: "CAP_NET_ADMIN CAP_X" -> "+net_admin,+x".
caps_of() {
  local caps
  caps=$(sed -n 's/^AmbientCapabilities=//p' "$units/$1" | tr 'A-Z ' 'a-z\n' |
    sed -n 's/^cap_/+/p' | paste -sd, -)
  if [ "$1" = nfv-vpn@.service ] && [ "$(stat -c %a /dev/net/tun)" != 666 ]; then
    # Debian makes /dev/net/tun 0666; this machine does not (a property of the machine).
    caps="$caps,+dac_override"
  fi
  echo "$caps"
}

# start UNIT INSTANCE READY_DESCRIPTION READY_CMD...: ExecStartPre, then ExecStart in the
# background; waits for READY_CMD; checks the process runs as daemon.
start() {
  local unit=$1 instance=$2 what=$3; shift 3
  local caps dir pre main
  caps=$(caps_of "$unit")
  dir=$(unit_line "$unit" WorkingDirectory "$instance")
  pre=$(unit_line "$unit" ExecStartPre "$instance")
  main=$(unit_line "$unit" ExecStart "$instance")
  local as=(setpriv --reuid=daemon --regid=daemon --clear-groups --inh-caps="$caps"
    --ambient-caps="$caps")
  # shellcheck disable=SC2086  # the unit lines are word lists, as systemd splits them
  (cd "${dir:-/}" && ip netns exec "$ns" "${as[@]}" $pre) >"$NFV_TMP/$unit-pre.log" 2>&1 ||
    nfv_fail "$unit: ExecStartPre failed: $(tail -n 5 "$NFV_TMP/$unit-pre.log")"
  # shellcheck disable=SC2086
  nfv_spawn "$ns" "$unit" bash -c "cd '${dir:-/}' && exec ${as[*]} $main"
  local pid=$NFV_LAST_PID
  nfv_wait_until 20 "$unit: $what" "$@"
  kill -0 "$pid" 2>/dev/null || nfv_fail "$unit exited: $(tail -n 5 "$(nfv_logfile "$unit")")"
  local child
  child=$(pgrep -P "$pid" | head -1 || true)  # ip netns exec, bash and setpriv exec in place
  nfv_expect_eq "$daemon_uid" "$(awk '/^Uid:/ {print $3}' "/proc/${child:-$pid}/status")" \
    "$unit: effective uid"
  nfv_log "ok: $unit starts as an unprivileged user with its capabilities ($caps)"
}

answers() { [ "$(nfv_in "$ns" dig +short +time=1 +tries=1 @127.0.0.1 localhost A)" = 127.0.0.1 ]; }
start nfv-dnsvizor.service "" "answers localhost" answers
start nfv-vpn@.service office "Initialization Sequence Completed" \
  grep -q "Initialization Sequence Completed" "$NFV_TMP/nfv-vpn@.service.log"
grep -q "warning: user nobody: not switching users" "$NFV_TMP/nfv-vpn@.service.log" ||
  nfv_fail "nfv-vpn@: no named warning for the file's user nobody"
start nfv-tls-proxy.service "" "listens on 443" _nfv_port_bound "$ns" t 443
nfv_log PASS
