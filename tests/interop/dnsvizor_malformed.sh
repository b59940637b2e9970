#!/usr/bin/env bash
# Malformed DNS messages against a running nfv-dnsvizor: it must keep answering and count every
# one of them as malformed (the "malformed N" figure of its SIGUSR1 statistics, the
# dnsvizor_malformed_total metric).
#
# Topology: namespace "ddmal-srv" runs nfv-dnsvizor on 10.53.30.1 with local data only (no
# upstream); namespace "ddmal-cli" (10.53.30.10) sends the messages with bash's /dev/udp and
# /dev/tcp redirections, so the exact bytes are under the test's control.
# Messages (all RFC 1035 §4.1 violations the parser must reject):
#   * truncated: 1, 5 and 11 bytes (shorter than the 12-byte header);
#   * a header announcing one question and nothing after it;
#   * a question name cut in the middle of a label, and one without its type/class;
#   * compression loops: a name that points at itself, and two pointers pointing at each other;
#   * a pointer past the end of the message, and a forward pointer;
#   * label-type bits 01 and 10 (reserved, RFC 6891 §5 / RFC 2673 obsolete): length bytes 0x40, 0x80;
#   * a name longer than 255 bytes (five 63-byte labels);
#   * bad counts: QDCOUNT 1 and ANCOUNT 3 with no records, QDCOUNT 0xffff;
#   * a response (QR set) sent as a query;
#   * 20 pseudo-random messages (seeded, 40 bytes, QDCOUNT forced to 0xffff so none can parse;
#     no 0x0a byte, since bash's printf writes a line at a time and would split the datagram);
#   * over TCP: a length-prefixed truncated header and a length-prefixed compression loop.
source "$NFV_SOURCE_DIR/tests/interop/lib.sh"
nfv_require_root_netns
nfv_require_cmd dig

ours=$(nfv_bin nfv-dnsvizor)
srv=$(nfv_netns_new ddmal-srv)
cli=$(nfv_netns_new ddmal-cli)
nfv_veth "$srv" 10.53.30.1/24 "$cli" 10.53.30.10/24
chmod 755 "$NFV_TMP"
cat >"$NFV_TMP/malformed.conf" <<'EOF'
no-resolv
no-hosts
bind-interfaces
listen-address=10.53.30.1
host-record=alive.test,10.53.30.99
EOF
chmod 644 "$NFV_TMP/malformed.conf"
nfv_spawn "$srv" ours "$ours" --keep-in-foreground --conf-file="$NFV_TMP/malformed.conf" \
  --pid-file= --log-facility=-
pid=$NFV_LAST_PID

alive() { [ "$(nfv_in "$cli" dig +short +time=1 +tries=1 @10.53.30.1 alive.test A)" = 10.53.30.99 ]; }
nfv_wait_until 10 "nfv-dnsvizor answering" alive

# malformed_count: the "malformed N" figure of a fresh SIGUSR1 statistics dump.
stats_round=0
malformed_count() {
  stats_round=$((stats_round + 1))
  local before
  before=$(grep -c 'malformed [0-9]' "$(nfv_logfile ours)" || true)
  kill -USR1 "$pid"
  nfv_wait_until 5 "statistics dump $stats_round" \
    sh -c "[ \"\$(grep -c 'malformed [0-9]' '$(nfv_logfile ours)')\" -gt $before ]"
  grep -o 'malformed [0-9]*' "$(nfv_logfile ours)" | tail -1 | awk '{print $2}'
}

# Header helpers (hex): id 0x1234, flags RD.
H_Q1='\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00'   # one question
udp_messages=(
  '\x12'                                                # 1 byte
  '\x12\x34\x01\x00\x00'                                # 5 bytes
  '\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00'        # 11 bytes
  "$H_Q1"                                               # QDCOUNT 1, no question
  "$H_Q1"'\x05ali'                                      # label cut short
  "$H_Q1"'\x05alive\x04test\x00'                        # no type/class
  "$H_Q1"'\xc0\x0c\x00\x01\x00\x01'                     # name points at itself
  "$H_Q1"'\x01a\xc0\x10\x00\x01\x00\x01'                # a -> pointer to 16 -> pointer 16... loop
  "$H_Q1"'\xc0\xff\x00\x01\x00\x01'                     # pointer past the end
  "$H_Q1"'\xc0\x12\x00\x01\x00\x01\x01a\x00'            # forward pointer
  "$H_Q1"'\x40alive\x00\x00\x01\x00\x01'                # label type 01
  "$H_Q1"'\x80alive\x00\x00\x01\x00\x01'                # label type 10
  '\x12\x34\x01\x00\x00\x01\x00\x03\x00\x00\x00\x00\x05alive\x04test\x00\x00\x01\x00\x01' # ANCOUNT 3, none
  '\x12\x34\x01\x00\xff\xff\x00\x00\x00\x00\x00\x00\x05alive\x04test\x00\x00\x01\x00\x01' # QDCOUNT 65535
  '\x12\x34\x81\x80\x00\x01\x00\x00\x00\x00\x00\x00\x05alive\x04test\x00\x00\x01\x00\x01' # QR set
)
# A name of five 63-byte labels: 320 bytes, over the 255-byte limit (RFC 1035 §2.3.4).
long_label='\x3f'$(printf 'a%.0s' $(seq 1 63))
udp_messages+=("$H_Q1$long_label$long_label$long_label$long_label$long_label"'\x00\x00\x01\x00\x01')
# Seeded pseudo-random messages with QDCOUNT 0xffff.
while IFS= read -r random_tail; do
  udp_messages+=('\x12\x34\x01\x00\xff\xff'"$random_tail")
done < <(awk 'BEGIN { srand(20261203); for (m = 0; m < 20; m++) { s = "";
  for (i = 0; i < 34; i++) { b = int(rand() * 256); if (b == 10) b = 11; s = s sprintf("\\x%02x", b) }
  print s } }')

tcp_messages=(
  '\x00\x05\x12\x34\x01\x00\x00'                                        # truncated header
  '\x00\x12\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\xc0\x0c\x00\x01\x00\x01' # loop
)

start=$(malformed_count)
nfv_log "malformed before: $start"
for m in "${udp_messages[@]}"; do
  # shellcheck disable=SC2059
  nfv_in "$cli" bash -c 'printf "$1" >/dev/udp/10.53.30.1/53' _ "$m"
done
for m in "${tcp_messages[@]}"; do
  # One connection per message: our server closes a connection after a malformed frame.
  nfv_in "$cli" bash -c 'exec 3<>/dev/tcp/10.53.30.1/53 && printf "$1" >&3 && exec 3>&-' _ "$m"
done
sent=$(( ${#udp_messages[@]} + ${#tcp_messages[@]} ))

# The server still answers, over UDP and TCP.
nfv_wait_until 5 "nfv-dnsvizor still answering over UDP" alive
tcp_answer=$(nfv_in "$cli" dig +short +tcp +time=1 +tries=1 @10.53.30.1 alive.test A)
nfv_expect_eq 10.53.30.99 "$tcp_answer" "answer over TCP after the malformed messages"
kill -0 "$pid" 2>/dev/null || nfv_fail "nfv-dnsvizor died"

# Every message was counted. UDP datagrams may in principle be lost, so poll until the count
# is reached (bounded), then require it exactly.
expected=$((start + sent))
deadline=$(( $(date +%s) + 5 ))
now_count=$(malformed_count)
while [ "$now_count" -lt "$expected" ] && [ "$(date +%s)" -lt "$deadline" ]; do
  now_count=$(malformed_count)
done
nfv_expect_eq "$expected" "$now_count" "malformed counter after $sent malformed messages"
