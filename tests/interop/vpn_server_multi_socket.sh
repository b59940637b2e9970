#!/usr/bin/env bash
# One nfv-vpn server process on a UDP and a TCP socket at once (issue 6: "UDP and TCP listeners,
# several at once"), with the OpenVPN 2.7 multi-socket syntax `local HOST PORT PROTO` added to
# the Nyr server.conf on the command line:
#   --local 10.79.0.1 1194 udp   reached by a real openvpn 2.6 client over UDP (namespace vmu)
#   --local 10.79.1.1 1194 tcp   reached by a real openvpn 2.6 client over TCP (namespace vmt)
# (the config's own `local 127.0.0.1` becomes a third socket, as in openvpn 2.7).
# Asserts: the server logs three listening sockets; both clients connect; each pings the
# server's tunnel address and the other client's (client-to-client: switched inside the
# server from one socket to the other); the status file lists
# both with their real addresses. A second server started as the systemd unit starts it
# (user daemon with an ambient CAP_NET_ADMIN) keeps that user despite the file's `user nobody`
# and says so in a named warning. Then a config that lists one socket twice is refused with
# its line named and a non-zero exit.
source "$NFV_SOURCE_DIR/tests/interop/lib.sh"
nfv_require_root_netns
nfv_require_tun
nfv_require_cmd openvpn ping
vpn=$(nfv_bin nfv-vpn)
nfv_vpn_installer_configs nyr
work=$NFV_VPN_CONFIGS

srv=$(nfv_netns_new vms)
udp_cli=$(nfv_netns_new vmu)
tcp_cli=$(nfv_netns_new vmt)
nfv_veth "$srv" 10.79.0.1/24 "$udp_cli" 10.79.0.2/24 vm0 vm0
nfv_veth "$srv" 10.79.1.1/24 "$tcp_cli" 10.79.1.2/24 vm1 vm0

status="$NFV_TMP/status.txt"
# Both clients carry client1's certificate (the Nyr PKI has one client): duplicate-cn.
nfv_spawn "$srv" server "$vpn" --cd "$work/pki" --config "$work/nyr/server.conf" \
  --local 10.79.0.1 1194 udp --local 10.79.1.1 1194 tcp --duplicate-cn --client-to-client \
  --status "$status" 1 --status-version 2 --log "$NFV_TMP/server-file.log"
nfv_wait_for_log server-file "Initialization Sequence Completed" 20
listening=$(grep -c ' listening proto=' "$NFV_TMP/server-file.log" || true)
nfv_expect_eq 3 "$listening" "listening sockets logged"
nfv_wait_for_udp_port "$srv" 1194 10
nfv_wait_for_tcp_port "$srv" 1194 10

start_client() { # NAME NS REMOTE PROTO
  # --remote before --config: the first remote is tried first (the file's is 127.0.0.1).
  nfv_spawn "$2" "$1" openvpn --remote "$3" 1194 "$4" --config "$work/nyr/client.ovpn" \
    --verb 3 --pull-filter ignore redirect-gateway --pull-filter ignore block-outside-dns \
    --dev tun7
  nfv_wait_for_log "$1" "Initialization Sequence Completed|AUTH_FAILED|Exiting" 30
  grep -q "Initialization Sequence Completed" "$(nfv_logfile "$1")" ||
    nfv_fail "$1: the openvpn client did not connect"
  nfv_log "ok: $1 connected over $4"
}
start_client udp-client "$udp_cli" 10.79.0.1 udp
start_client tcp-client "$tcp_cli" 10.79.1.1 tcp-client

tunnel_ip() { # NS
  nfv_in "$1" ip -4 -o addr show dev tun7 | awk '{sub("/.*", "", $4); print $4}'
}
udp_ip=$(tunnel_ip "$udp_cli")
tcp_ip=$(tunnel_ip "$tcp_cli")
[ -n "$udp_ip" ] && [ -n "$tcp_ip" ] && [ "$udp_ip" != "$tcp_ip" ] ||
  nfv_fail "tunnel addresses: udp '$udp_ip', tcp '$tcp_ip'"
for pair in "$udp_cli 10.8.0.1" "$tcp_cli 10.8.0.1" "$udp_cli $tcp_ip" "$tcp_cli $udp_ip"; do
  read -r ns target <<<"$pair"
  nfv_in "$ns" ping -c 2 -i 0.3 -W 3 "$target" >/dev/null || nfv_fail "no ping from $ns to $target"
  nfv_log "ok: $ns reaches $target"
done
nfv_wait_until 10 "both clients in the status file" \
  bash -c "grep -q '^CLIENT_LIST,client1,10.79.0.2:' '$status' && grep -q '^CLIENT_LIST,client1,10.79.1.2:' '$status'"
nfv_log "ok: the status file lists the UDP and the TCP client"

# As the packaged unit starts it: already unprivileged (user daemon, ambient CAP_NET_ADMIN),
# with the Nyr file's `user nobody`. It must start, stay `daemon` and say why in a warning.
if command -v setpriv >/dev/null && id daemon >/dev/null 2>&1; then
  chmod -R a+rX "$work/pki"  # test keys: readable by daemon
  caps=+net_admin
  if [ "$(stat -c %a /dev/net/tun)" != 666 ]; then
    # Debian makes /dev/net/tun 0666; where it is not, the unprivileged process also needs
    # CAP_DAC_OVERRIDE to open it (a property of this machine, not of the user option).
    caps=+net_admin,+dac_override
    nfv_log "note: /dev/net/tun is mode $(stat -c %a /dev/net/tun): adding CAP_DAC_OVERRIDE"
  fi
  nfv_spawn "$srv" unit-like setpriv --reuid=daemon --regid=daemon --clear-groups \
    --inh-caps="$caps" --ambient-caps="$caps" \
    "$vpn" --cd "$work/pki" --config "$work/nyr/server.conf" --local 10.79.0.1 1197 udp \
    --server 10.8.9.0 255.255.255.0 --dev tun8
  unit_pid=$NFV_LAST_PID
  nfv_wait_for_log unit-like "Initialization Sequence Completed|error" 20
  nfv_expect_match "warning: user nobody: not switching users" \
    "$(cat "$(nfv_logfile unit-like)")" "unprivileged start keeps its user with a named warning"
  grep -q "Initialization Sequence Completed" "$(nfv_logfile unit-like)" ||
    nfv_fail "the unprivileged server did not start"
  nfv_expect_eq "$(id -u daemon)" "$(awk '/^Uid:/ {print $3}' /proc/"$unit_pid"/status)" \
    "effective uid of the unit-like server"
  kill -TERM "$unit_pid"
else
  nfv_log "skip: unit-like start (setpriv or user daemon missing)"
fi

# One socket listed twice: a config error naming the line, before anything is opened.
set +e
out=$(nfv_in "$srv" "$vpn" --cd "$work/pki" --config "$work/nyr/server.conf" \
  --local 10.79.0.1 1196 udp --local 10.79.0.1 1196 2>&1)
rc=$?
set -e
[ "$rc" -ne 0 ] || nfv_fail "a socket listed twice was accepted"
nfv_expect_match "local: 10\.79\.0\.1 port 1196 udp is listed twice" "$out" "duplicate socket refused"
nfv_log PASS
