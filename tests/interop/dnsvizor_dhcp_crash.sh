#!/usr/bin/env bash
# Fault test: nfv-dnsvizor is killed with SIGKILL in the middle of a perfdhcp run and restarted
# on the same lease file. Contract (issue 4, lease file): an ACK leaves only after its lease is
# on disk, so every lease whose ACK reached the client side is in the lease file after the
# crash and the restart (nfv-dnsvizor: in its journal at the crash, folded into the lease file by
# the restart), and the restarted server honours it.
#
# Two namespaces (prefix of the rig + "hdc") joined by a veth, 10.69.0.1/16 (server) and
# 10.69.0.2/16 (perfdhcp as a relay: replies come back unicast to 10.69.0.2:67). tcpdump
# captures the client side; the ACKs (chaddr, yiaddr) are read back from the capture with
# tcpdump -r. After the restart, for a few of them, busybox udhcpc with that MAC asks for its
# address (option 50) and must get it, while a fresh MAC asking for the same address must not.
# Bounded: perfdhcp runs at most 20 s, every wait is bounded; the whole test stays under 60 s.
# shellcheck source=tests/interop/lib.sh
source "$NFV_SOURCE_DIR/tests/interop/lib.sh"

nfv_require_root_netns
nfv_require_cmd perfdhcp tcpdump busybox

server=$(nfv_bin nfv-dnsvizor)
srv=$(nfv_netns_new hdcsrv)
cli=$(nfv_netns_new hdccli)
nfv_veth "$srv" 10.69.0.1/16 "$cli" 10.69.0.2/16
chmod 755 "$NFV_TMP"

leases="$NFV_TMP/dnsmasq.leases"
conf="$NFV_TMP/dnsmasq.conf"
cat >"$conf" <<EOF
dhcp-range=10.69.1.0,10.69.250.255,255.255.0.0,12h
dhcp-lease-max=200000
dhcp-authoritative
no-ping
quiet-dhcp
dhcp-leasefile=$leases
EOF

start_server() { # LOGNAME
  nfv_spawn "$srv" "$1" "$server" --port=0 --keep-in-foreground --pid-file= --log-facility=- \
    --conf-file="$conf"
  server_pid=$NFV_LAST_PID
  nfv_wait_for_udp_port "$srv" 67 10
}

start_server server1
nfv_spawn "$cli" tcpdump tcpdump -Z root --immediate-mode -U -n -i veth0 -w "$NFV_TMP/cap.pcap" \
  udp port 67
tcpdump_pid=$NFV_LAST_PID
nfv_wait_for_log tcpdump "listening on" 10

nfv_spawn "$cli" perfdhcp timeout 20 perfdhcp -4 -l 10.69.0.2 -r 2000 -R 50000 -n 40000 \
  10.69.0.1
perfdhcp_pid=$NFV_LAST_PID
# Kill the server while leases are being written: once 300 lease records are on disk. Between
# compactions nfv-dnsvizor appends them to "$leases.journal" (one line per change); dnsmasq
# writes no journal.
records_on_disk() { cat "$leases" "$leases.journal" 2>/dev/null | grep -c . || true; }
nfv_wait_until 15 "300 lease records on disk" \
  sh -c "[ \$(cat '$leases' '$leases.journal' 2>/dev/null | grep -c .) -ge 300 ]"
kill -KILL "$server_pid"
wait "$server_pid" 2>/dev/null || true
nfv_log "server killed with SIGKILL at $(records_on_disk) lease records on disk"
kill -TERM "$perfdhcp_pid" 2>/dev/null || true
wait "$perfdhcp_pid" 2>/dev/null || true
kill -INT "$tcpdump_pid"
timeout 10 tail --pid="$tcpdump_pid" -f /dev/null || nfv_fail "tcpdump did not stop"
[ ! -e "$leases.tmp" ] || nfv_log "a temp file was left (the crash hit a write); it is ignored"

# The ACKs that reached the client side: "mac ip" per ACK.
tcpdump -r "$NFV_TMP/cap.pcap" -n -vv 2>/dev/null | awk '
  function flush() { if (ack && mac != "" && ip != "") print mac, ip; ack = 0; mac = ""; ip = "" }
  /^[0-9][0-9]:[0-9][0-9]:/ { flush() }
  /Your-IP/ { ip = $2 }
  /Client-Ethernet-Address/ { mac = $2 }
  /DHCP-Message \(53\), length 1: ACK/ { ack = 1 }
  END { flush() }' | sort -u >"$NFV_TMP/acks"
acked=$(grep -c . "$NFV_TMP/acks" || true)
[ "$acked" -ge 100 ] || nfv_fail "only $acked ACKs captured before the kill; the test needs 100"
nfv_log "ACKs captured: $acked"

start_server server2
# The restart replays the journal over the lease file and compacts before it logs its start.
nfv_wait_for_log server2 "DHCP server started" 10
missing=0
while read -r mac ip; do
  if ! grep -Eq "^[0-9]+ $mac $ip " "$leases"; then
    missing=$((missing + 1))
    if [ "$missing" -le 5 ]; then echo "acknowledged but not on disk: $mac $ip" >&2; fi
  fi
done <"$NFV_TMP/acks"
nfv_expect_eq 0 "$missing" "acknowledged leases missing from the lease file after SIGKILL"
nfv_expect_match "leases=[1-9]" "$(grep 'DHCP server started' "$(nfv_logfile server2)")" \
  "the restarted server loaded the lease file"

# Honoured: the owner gets its address back; another client asking for it does not.
script="$NFV_TMP/udhcpc.sh"
printf '#!/bin/sh\n[ "$1" = bound ] && echo "$ip" > "%s/udhcpc.ip"\nexit 0\n' "$NFV_TMP" >"$script"
chmod +x "$script"
ask_for() { # MAC IP: udhcpc with MAC requesting IP; prints the address bound
  rm -f "$NFV_TMP/udhcpc.ip"
  ip -n "$cli" link set veth0 address "$1"
  timeout 15 ip netns exec "$cli" busybox udhcpc -q -n -f -t 3 -T 1 -i veth0 -s "$script" \
    -r "$2" >>"$NFV_TMP/udhcpc.log" 2>&1 || true
  cat "$NFV_TMP/udhcpc.ip" 2>/dev/null || true
}
checked=0
while read -r mac ip && [ "$checked" -lt 3 ]; do
  nfv_expect_eq "$ip" "$(ask_for "$mac" "$ip")" "after the restart $mac gets its acknowledged address"
  checked=$((checked + 1))
done < <(shuf -n 3 --random-source=<(yes) "$NFV_TMP/acks")
first_ip=$(head -n 1 "$NFV_TMP/acks" | cut -d' ' -f2)
other=$(ask_for 02:69:00:00:00:01 "$first_ip")
[ -n "$other" ] || nfv_fail "a new client got no address"
[ "$other" != "$first_ip" ] || nfv_fail "a new client was given $first_ip, leased to another"
nfv_log "ok: a new client asking for $first_ip got $other instead"
kill -0 "$server_pid" 2>/dev/null || nfv_fail "the restarted server died"
nfv_log "PASS"
