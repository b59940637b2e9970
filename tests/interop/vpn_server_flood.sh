#!/usr/bin/env bash
# Unauthenticated packets against the nfv-vpn server (issue 6): with one real openvpn 2.6
# client connected (the Nyr server.conf: UDP, tls-crypt), a flooder in the client's namespace
# sends, from its own sockets:
#   junk    60,000 datagrams of random bytes (1 to 1400 bytes, random first byte)
#   forged  40,000 HARD_RESET_CLIENT_V2-shaped datagrams (opcode byte 0x38, tls-crypt sized)
#           whose wrap is not made with the server's tls-crypt key
#   replay  2,000 copies of a real client's HARD_RESET_CLIENT_V2 (captured from openvpn)
# The flood runs twice (the first warms the allocator up). Asserts, for the second: no reply
# at all to junk and forged packets; replayed resets get at most one
# stateless reply each, at most 12 bytes larger than the reset (the ACK of the client's packet
# id and session id that OpenVPN 2.6's own stateless reply carries too: 54 -> 66 bytes for a
# tls-crypt reset, so one packet per packet and at most 1.23x the bytes), and create no client
# (the status file still lists only the connected client, with the same connection time);
# the server's resident memory grows by less than 2 MiB over the second flood; the server counted
# the dropped packets (SIGUSR2 statistics); the connected client still pings through the
# tunnel afterwards. The flood is not timed: nothing here depends on speed.
source "$NFV_SOURCE_DIR/tests/interop/lib.sh"
nfv_require_root_netns
nfv_require_tun
nfv_require_cmd openvpn ping python3
vpn=$(nfv_bin nfv-vpn)
nfv_vpn_installer_configs nyr
work=$NFV_VPN_CONFIGS

# Under AddressSanitizer freed memory sits in a quarantine (up to 256 MiB) instead of being
# reused, so RSS would grow with every transient allocation; without the quarantine the RSS
# check measures what it means to (retained memory). No effect on a build without ASan.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"

srv=$(nfv_netns_new vfs)
cli=$(nfv_netns_new vfc)
nfv_veth "$srv" 10.79.0.1/24 "$cli" 10.79.0.2/24 vf0 vf0

status="$NFV_TMP/status.txt"
nfv_spawn "$srv" server "$vpn" --cd "$work/pki" --config "$work/nyr/server.conf" \
  --local 10.79.0.1 --status "$status" 1 --status-version 2 \
  --log "$NFV_TMP/server-file.log"
server_pid=$NFV_LAST_PID
nfv_wait_for_log server-file "Initialization Sequence Completed" 20

# A real client's first packet, captured by a one-shot UDP listener on another port.
cat >"$NFV_TMP/capture.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.79.0.1", 1195))
s.settimeout(20)
data, _ = s.recvfrom(4096)
open(sys.argv[1], "wb").write(data)
PY
nfv_spawn "$srv" capture python3 "$NFV_TMP/capture.py" "$NFV_TMP/reset.bin"
capture_pid=$NFV_LAST_PID
nfv_wait_for_udp_port "$srv" 1195 10
nfv_spawn "$cli" capture-client openvpn --remote 10.79.0.1 1195 --config "$work/nyr/client.ovpn" \
  --verb 3 --pull-filter ignore redirect-gateway --pull-filter ignore block-outside-dns \
  --dev tun9
capture_client=$NFV_LAST_PID
wait "$capture_pid" || nfv_fail "no reset captured from the openvpn client"
kill -TERM "$capture_client" 2>/dev/null || true
wait "$capture_client" 2>/dev/null || true
[ "$(head -c 1 "$NFV_TMP/reset.bin" | od -An -tx1 | tr -d ' ')" = 38 ] ||
  nfv_fail "the captured packet is not a P_CONTROL_HARD_RESET_CLIENT_V2"
nfv_log "ok: captured a real HARD_RESET_CLIENT_V2 ($(stat -c %s "$NFV_TMP/reset.bin") bytes)"

# The connected client.
nfv_spawn "$cli" client openvpn --remote 10.79.0.1 1194 --config "$work/nyr/client.ovpn" \
  --verb 3 --pull-filter ignore redirect-gateway --pull-filter ignore block-outside-dns
client_pid=$NFV_LAST_PID
nfv_wait_for_log client "Initialization Sequence Completed|AUTH_FAILED|Exiting" 30
grep -q "Initialization Sequence Completed" "$(nfv_logfile client)" ||
  nfv_fail "the openvpn client did not connect"
nfv_in "$cli" ping -c 2 -i 0.3 -W 3 10.8.0.1 >/dev/null || nfv_fail "no ping before the flood"
nfv_wait_until 10 "the client in the status file" grep -q '^CLIENT_LIST,client1,' "$status"
since_before=$(awk -F, '$1 == "CLIENT_LIST" {print $9}' "$status")

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status"; }

# The flooder: each kind from its own socket, then a bounded wait for any reply (a window of
# 2 s after the last packet: replies to a flood cannot be awaited by a readiness signal).
cat >"$NFV_TMP/flood.py" <<'PY'
import os, random, select, socket, sys, time
target = ("10.79.0.1", 1194)
reset = open(sys.argv[1], "rb").read()
rng = random.Random(1194)

def sock():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("10.79.0.2", 0))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    return s

def replies(s, window=2.0):
    count, largest = 0, 0
    deadline = time.monotonic() + window
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([s], [], [], left)[0]:
            return count, largest
        data = s.recv(65536)
        count += 1
        largest = max(largest, len(data))

junk, forged, replay = sock(), sock(), sock()
for _ in range(60000):
    junk.sendto(os.urandom(rng.randint(1, 1400)), target)
for _ in range(40000):
    forged.sendto(b"\x38" + os.urandom(len(reset) - 1), target)
for _ in range(2000):
    replay.sendto(reset, target)
j, _ = replies(junk)
f, _ = replies(forged, 0.1)
r, largest = replies(replay, 0.1)
print(f"junk_replies={j} forged_replies={f} replay_replies={r} largest_reply={largest} reset_size={len(reset)}")
PY
# A first flood warms the allocator up (size classes, sanitizer shadow pages); memory must then
# stay flat over a second, identical flood: growth there would scale with the packets.
nfv_in "$cli" python3 "$NFV_TMP/flood.py" "$NFV_TMP/reset.bin" >/dev/null ||
  nfv_fail "the warm-up flood failed"
rss_before=$(rss_kib)
result=$(nfv_in "$cli" python3 "$NFV_TMP/flood.py" "$NFV_TMP/reset.bin") ||
  nfv_fail "the flooder failed: $result"
nfv_log "flood: $result"
value() { sed -nE "s/.*\b$1=([0-9]+).*/\1/p" <<<"$result"; }
nfv_expect_eq 0 "$(value junk_replies)" "no reply to 60,000 random datagrams"
nfv_expect_eq 0 "$(value forged_replies)" "no reply to 40,000 resets wrapped with the wrong key"
[ "$(value replay_replies)" -le 2000 ] || nfv_fail "more replies than replayed resets"
[ "$(value largest_reply)" -le $(( $(value reset_size) + 12 )) ] ||
  nfv_fail "a reply is more than 12 bytes larger than the reset that caused it (amplification)"
nfv_log "ok: replayed resets: $(value replay_replies) stateless replies of at most reset + 12 bytes"

# No state: the status file (rewritten every second) still lists one client, the same one.
flood_done=$(date +%s)
written_since() { [ "$(stat -c %Y "$status")" -gt "$1" ]; }
nfv_wait_until 10 "a status file written after the flood" written_since "$flood_done"
status_now=$(cat "$status")
nfv_expect_eq 1 "$(grep -c '^CLIENT_LIST,' <<<"$status_now")" "one client after the flood"
nfv_expect_eq "$since_before" "$(awk -F, '$1 == "CLIENT_LIST" {print $9}' <<<"$status_now")" \
  "the connected client's session survived the flood"

rss_after=$(rss_kib)
nfv_log "server RSS: $rss_before KiB before, $rss_after KiB after the second flood"
[ $(( rss_after - rss_before )) -lt 2048 ] ||
  nfv_fail "server memory grew by $(( rss_after - rss_before )) KiB over the second flood"
nfv_log "ok: server memory flat over the second flood (+$(( rss_after - rss_before )) KiB)"

nfv_in "$cli" ping -c 2 -i 0.3 -W 3 10.8.0.1 >/dev/null || nfv_fail "no ping after the flood"
nfv_log "ok: the connected client still reaches the server through the tunnel"

kill -USR2 "$server_pid"
nfv_wait_for_log server-file " statistics clients=" 10
stats=$(grep " statistics clients=" "$NFV_TMP/server-file.log" | tail -n 1)
dropped=$(sed -nE 's/.*dropped_first_packets=([0-9]+).*/\1/p' <<<"$stats")
nfv_log "server: $stats"
# Every flood packet that reached the socket is counted once (the kernel may drop some under
# load, so the count is bounded, not exact).
if [ "${dropped:-0}" -lt 1 ] || [ "$dropped" -gt 200000 ]; then
  nfv_fail "dropped_first_packets=$dropped: not between 1 and the 200,000 packets sent"
fi
nfv_log "ok: the server counted $dropped dropped first packets"

kill -TERM "$client_pid" 2>/dev/null || true
wait "$client_pid" 2>/dev/null || true
kill -TERM "$server_pid"
rc=0
wait "$server_pid" || rc=$?
[ "$rc" -eq 0 ] || nfv_fail "the server exited $rc on SIGTERM"
nfv_log "PASS"
