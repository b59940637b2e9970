#!/usr/bin/env bash
# nfv-dnsvizor's DHCPv4 server against real clients: busybox udhcpc and ISC dhclient.
#
# Two namespaces joined by a veth (10.67.0.0/24): the server on 10.67.0.1, the clients on the
# other end. Checked: an address from the dhcp-range; the dhcp-host gets its fixed address and
# name; router, DNS servers, domain and classless static routes (RFC 3442) arrive as configured;
# renew (udhcpc SIGUSR1, dhclient INIT-REBOOT) and release (udhcpc SIGUSR2, dhclient -r) work;
# the lease file (dnsmasq format) holds the lease while bound and loses it after the release.
# The server also serves DNS (port 53): each client's host name (udhcpc's option 12, the
# dhcp-host name overriding dhclient's) answers A for name and name.domain and the PTR right
# after the ACK, and stops answering after the release. Then the server restarts with port=0:
# DHCP only (nothing on port 53) on the same lease file, and a SIGTERM leaves the lease on disk.
# Last, real dnsmasq serves the same config and must give dhclient the same static address.
#
# NFV_DHCP_REFERENCE=dnsmasq runs the same checks against dnsmasq 2.90 (to validate the test);
# NFV_DHCP_SERVER=/path/to/binary against another binary taking dnsmasq's flags.
# shellcheck source=tests/interop/lib.sh
source "$NFV_SOURCE_DIR/tests/interop/lib.sh"

nfv_require_root_netns
nfv_require_cmd busybox dhclient dig

if [ "${NFV_DHCP_REFERENCE:-}" = dnsmasq ]; then
  nfv_require_cmd dnsmasq
  server_cmd=(dnsmasq)
elif [ -n "${NFV_DHCP_SERVER:-}" ]; then
  server_cmd=("$NFV_DHCP_SERVER")
else
  server_cmd=("$(nfv_bin nfv-dnsvizor)")
fi

srv=$(nfv_netns_new srv)
cli=$(nfv_netns_new cli)
nfv_veth "$srv" 10.67.0.1/24 "$cli" ""

leases="$NFV_TMP/dnsmasq.leases"
conf="$NFV_TMP/dnsmasq.conf"
cat >"$conf" <<EOF
dhcp-range=10.67.0.50,10.67.0.99,255.255.255.0,10m
dhcp-host=52:54:00:67:00:02,10.67.0.20,statichost
dhcp-option=option:router,10.67.0.1
dhcp-option=option:dns-server,10.67.0.1,10.67.0.53
dhcp-option=option:classless-static-route,10.20.0.0/16,10.67.0.254
domain=home.lan
dhcp-leasefile=$leases
dhcp-authoritative
no-resolv
EOF

# start_server LOGNAME ARGS...: start the server under test in $srv; wait for port 67.
start_server() {
  local log=$1; shift
  nfv_spawn "$srv" "$log" "$@" --no-daemon --conf-file="$conf" --pid-file="$NFV_TMP/$log.pid"
  server_pid=$NFV_LAST_PID
  local deadline=$(( $(date +%s) + 10 ))
  until _nfv_port_bound "$srv" u 67; do
    kill -0 "$server_pid" 2>/dev/null ||
      nfv_fail "$log exited: $(tail -n 5 "$(nfv_logfile "$log")")"
    [ "$(date +%s)" -lt "$deadline" ] || nfv_fail "$log did not bind port 67 within 10 s"
    sleep 0.05
  done
}
# stop_server: SIGTERM, bounded wait for the exit, which must be clean (code 0).
stop_server() {
  kill -TERM "$server_pid"
  timeout 10 tail --pid="$server_pid" -f /dev/null || nfv_fail "the server ignored SIGTERM"
  local rc=0
  wait "$server_pid" || rc=$?
  nfv_expect_eq 0 "$rc" "server exit code on SIGTERM"
}
# rev_name A.B.C.D: D.C.B.A.in-addr.arpa
rev_name() { local IFS=.; set -- $1; echo "$4.$3.$2.$1.in-addr.arpa"; }
# ask NS TYPE NAME: the server's answer (dig +short), empty when there is none.
ask() { nfv_in "$1" dig +short +time=2 +tries=2 @10.67.0.1 "$3" "$2" || true; }

start_server server "${server_cmd[@]}" --port=53
nfv_wait_for_udp_port "$srv" 53 10
nfv_log "server up (DHCP and DNS)"

# ---- busybox udhcpc: dynamic address, options, renew, release ----------------------------
ip -n "$cli" link set veth0 address 52:54:00:67:00:10
ucript="$NFV_TMP/udhcpc.sh"
cat >"$ucript" <<EOF
#!/bin/sh
case "\$1" in
  bound) ip addr add "\$ip/\$subnet" dev "\$interface"; env > "$NFV_TMP/udhcpc.bound" ;;
  renew) env > "$NFV_TMP/udhcpc.renew" ;;
  deconfig) ip addr flush dev "\$interface" ;;
esac
exit 0
EOF
chmod +x "$ucript"
nfv_spawn "$cli" udhcpc busybox udhcpc -f -n -t 5 -T 1 -i veth0 -s "$ucript" \
  -x hostname:busyclient -O staticroutes
udhcpc_pid=$NFV_LAST_PID
nfv_wait_until 20 "udhcpc bound" test -s "$NFV_TMP/udhcpc.bound"
uenv() { sed -n "s/^$1=//p" "$NFV_TMP/udhcpc.$2"; }
uip=$(uenv ip bound)
nfv_expect_match '^10\.67\.0\.([5-9][0-9])$' "$uip" "udhcpc address from the range"
nfv_expect_eq "255.255.255.0" "$(uenv subnet bound)" "udhcpc subnet"
nfv_expect_eq "10.67.0.1" "$(uenv router bound)" "udhcpc router"
nfv_expect_eq "10.67.0.1 10.67.0.53" "$(uenv dns bound)" "udhcpc dns"
nfv_expect_eq "home.lan" "$(uenv domain bound)" "udhcpc domain"
nfv_expect_eq "10.20.0.0/16 10.67.0.254" "$(uenv staticroutes bound)" "udhcpc classless routes"
nfv_expect_eq "600" "$(uenv lease bound)" "udhcpc lease time"
nfv_wait_until 5 "udhcpc lease in the lease file" \
  grep -Eq "^[0-9]+ 52:54:00:67:00:10 $uip busyclient " "$leases"
nfv_log "ok: lease file: $(grep 52:54:00:67:00:10 "$leases")"
# The leased name in DNS, asked by the client itself right after it was bound.
nfv_expect_eq "$uip" "$(ask "$cli" A busyclient.home.lan)" "A busyclient.home.lan (lease)"
nfv_expect_eq "$uip" "$(ask "$cli" A busyclient)" "A busyclient (lease, bare name)"
nfv_expect_eq "busyclient.home.lan." "$(ask "$cli" PTR "$(rev_name "$uip")")" "PTR of $uip"
# SIGHUP re-reads hosts files and clears the cache; lease names stay.
hosts_reads() { grep -c "read /etc/hosts" "$(nfv_logfile server)" || true; }
before=$(hosts_reads)
kill -HUP "$server_pid"
nfv_wait_until 5 "the SIGHUP reload (hosts file read again)" \
  sh -c "[ \$(grep -c 'read /etc/hosts' '$(nfv_logfile server)') -gt $before ]"
nfv_expect_eq "$uip" "$(ask "$cli" A busyclient.home.lan)" "A busyclient.home.lan after SIGHUP"

kill -USR1 "$udhcpc_pid"
nfv_wait_until 10 "udhcpc renewal" test -s "$NFV_TMP/udhcpc.renew"
nfv_expect_eq "$uip" "$(uenv ip renew)" "udhcpc keeps its address on renew"

kill -USR2 "$udhcpc_pid"
nfv_wait_until 10 "udhcpc lease released from the lease file" \
  sh -c "! grep -q 52:54:00:67:00:10 '$leases'"
nfv_log "ok: release removed the udhcpc lease"
nfv_expect_eq "" "$(ask "$srv" A busyclient.home.lan)" "no A busyclient.home.lan after release"
nfv_expect_eq "" "$(ask "$srv" PTR "$(rev_name "$uip")")" "no PTR of $uip after release"
kill "$udhcpc_pid" 2>/dev/null || true
wait "$udhcpc_pid" 2>/dev/null || true
ip -n "$cli" addr flush dev veth0

# ---- ISC dhclient: static host, options, renew (INIT-REBOOT), release ---------------------
ip -n "$cli" link set veth0 address 52:54:00:67:00:02
dscript="$NFV_TMP/dhclient.sh"
cat >"$dscript" <<EOF
#!/bin/sh
case "\$reason" in
  BOUND|RENEW|REBIND|REBOOT)
    ip addr add "\$new_ip_address/\$new_subnet_mask" dev "\$interface" 2>/dev/null
    env > "$NFV_TMP/dhclient.\$reason" ;;
  RELEASE|EXPIRE|STOP) ip addr flush dev "\$interface" ;;
esac
exit 0
EOF
chmod +x "$dscript"
dconf="$NFV_TMP/dhclient.conf"
cat >"$dconf" <<'EOF'
option rfc3442-classless-static-routes code 121 = array of unsigned integer 8;
send host-name "isclient";
request subnet-mask, broadcast-address, routers, domain-name, domain-name-servers, host-name,
        rfc3442-classless-static-routes;
EOF
dh=(dhclient -v -cf "$dconf" -sf "$dscript" -lf "$NFV_TMP/dhclient.leases" \
    -pf "$NFV_TMP/dhclient.pid")
timeout 30 ip netns exec "$cli" "${dh[@]}" -1 veth0 >"$NFV_TMP/dhclient1.log" 2>&1 ||
  nfv_fail "dhclient got no lease: $(tail -n 5 "$NFV_TMP/dhclient1.log")"
denv() { sed -n "s/^$1=//p" "$NFV_TMP/dhclient.$2" | tr -d "'"; }
nfv_expect_eq "10.67.0.20" "$(denv new_ip_address BOUND)" "dhclient static address"
nfv_expect_eq "10.67.0.1" "$(denv new_routers BOUND)" "dhclient router"
nfv_expect_eq "10.67.0.1 10.67.0.53" "$(denv new_domain_name_servers BOUND)" "dhclient dns"
nfv_expect_eq "home.lan" "$(denv new_domain_name BOUND)" "dhclient domain"
nfv_expect_eq "16 10 20 10 67 0 254" "$(denv new_rfc3442_classless_static_routes BOUND)" \
  "dhclient classless routes"
nfv_expect_eq "10.67.0.1" "$(denv new_dhcp_server_identifier BOUND)" "dhclient server id"
nfv_wait_until 5 "static lease in the lease file" \
  grep -Eq "^[0-9]+ 52:54:00:67:00:02 10\.67\.0\.20 statichost " "$leases"
nfv_log "ok: lease file: $(grep 52:54:00:67:00:02 "$leases")"
# dhcp-host's name overrides the client's "isclient".
nfv_expect_eq "10.67.0.20" "$(ask "$cli" A statichost.home.lan)" "A statichost.home.lan (lease)"
nfv_expect_eq "statichost.home.lan." "$(ask "$cli" PTR 20.0.67.10.in-addr.arpa)" \
  "PTR of 10.67.0.20"
nfv_expect_eq "" "$(ask "$cli" A isclient.home.lan)" "the client's own name is not used"

# dhclient stops (keeping its lease file), then starts again: INIT-REBOOT for the same address.
ip netns exec "$cli" "${dh[@]}" -x veth0 >/dev/null 2>&1 || true
timeout 30 ip netns exec "$cli" "${dh[@]}" -1 veth0 >"$NFV_TMP/dhclient2.log" 2>&1 ||
  nfv_fail "dhclient reboot failed: $(tail -n 5 "$NFV_TMP/dhclient2.log")"
[ -s "$NFV_TMP/dhclient.REBOOT" ] || nfv_fail "dhclient did not reboot into its lease: $(cat "$NFV_TMP/dhclient2.log")"
nfv_expect_eq "10.67.0.20" "$(denv new_ip_address REBOOT)" "dhclient keeps the address on reboot"

timeout 30 ip netns exec "$cli" "${dh[@]}" -r veth0 >"$NFV_TMP/dhclient3.log" 2>&1 || true
nfv_wait_until 10 "static lease released from the lease file" \
  sh -c "! grep -q 52:54:00:67:00:02 '$leases'"
nfv_log "ok: dhclient release removed the lease"

nfv_expect_eq "" "$(ask "$srv" A statichost.home.lan)" "no A statichost.home.lan after release"
kill -0 "$server_pid" 2>/dev/null || nfv_fail "the server died"
stop_server

# ---- port=0: DHCP only, same lease file -----------------------------------------------------
# static_lease TAG: dhclient -1 with the static MAC, then -x (leave without a release, so the
# lease stays in the server's file); prints the address bound.
static_lease() {
  rm -f "$NFV_TMP/dhclient.BOUND" "$NFV_TMP/dhclient.leases"
  timeout 30 ip netns exec "$cli" "${dh[@]}" -1 veth0 >"$NFV_TMP/dhclient-$1.log" 2>&1 ||
    nfv_fail "dhclient ($1) got no lease: $(tail -n 5 "$NFV_TMP/dhclient-$1.log")"
  ip netns exec "$cli" "${dh[@]}" -x veth0 >/dev/null 2>&1 || true
  ip -n "$cli" addr flush dev veth0
  denv new_ip_address BOUND
}
start_server server-port0 "${server_cmd[@]}" --port=0
if _nfv_port_bound "$srv" u 53; then nfv_fail "port=0 still serves DNS on port 53"; fi
nfv_log "ok: port=0 serves DHCP only"
ours=$(static_lease ours)
nfv_expect_eq "10.67.0.20" "$ours" "static address with port=0"
stop_server
nfv_expect_match "^[0-9]+ 52:54:00:67:00:02 10\.67\.0\.20 statichost " \
  "$(grep 52:54:00:67:00:02 "$leases" || true)" "lease on disk after SIGTERM"

# ---- the same config against real dnsmasq: the same static address --------------------------
if [ "${NFV_DHCP_REFERENCE:-}" != dnsmasq ] && command -v dnsmasq >/dev/null 2>&1; then
  sed -i "s|^dhcp-leasefile=.*|dhcp-leasefile=$NFV_TMP/reference.leases|" "$conf"
  start_server dnsmasq dnsmasq --port=0
  theirs=$(static_lease dnsmasq)
  nfv_expect_eq "$ours" "$theirs" "dnsmasq gives dhclient the same static address"
  stop_server
else
  nfv_log "dnsmasq comparison not run (dnsmasq is the server under test, or not installed)"
fi
nfv_log "PASS"
