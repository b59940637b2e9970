#!/usr/bin/env bash
# nfv-dnsvizor against real dnsmasq 2.90, answer for answer.
#
# Topology: namespace "srv" holds three addresses on one veth: an upstream dnsmasq (10.53.1.1)
# with address=/host-record= data, a reference dnsmasq (10.53.1.2) and nfv-dnsvizor (10.53.1.3),
# the last two started with the SAME config file (hosts file, address=, cname=, local=, mx-host=,
# txt-record=, host-record=, server= to the upstream). From namespace "cli", dig asks both the
# same questions (local data, PTR, MX, TXT, NXDOMAIN, NODATA, forwarded, cached, over TCP); the
# rcode and the answer section (TTLs hidden, lines sorted) must be identical.
# Then `--test` must exit 0 on a good config and 1 on a bad one, like dnsmasq.
source "$NFV_SOURCE_DIR/tests/interop/lib.sh"
nfv_require_root_netns
nfv_require_cmd dnsmasq dig

ours=$(nfv_bin nfv-dnsvizor)
DNSMASQ=$(command -v dnsmasq || echo /usr/sbin/dnsmasq)

srv=$(nfv_netns_new srv)
cli=$(nfv_netns_new cli)
nfv_veth "$srv" 10.53.1.1/24 "$cli" 10.53.1.10/24
ip -n "$srv" addr add 10.53.1.2/24 dev veth0
ip -n "$srv" addr add 10.53.1.3/24 dev veth0

# dnsmasq drops root and must still read these files.
chmod 755 "$NFV_TMP"
cat >"$NFV_TMP/hosts" <<'EOF'
10.53.5.1   host1.lan host1
10.53.5.2   host2.lan
fd00:53::2  host2.lan
EOF
cat >"$NFV_TMP/dnsvizor.conf" <<EOF
# Shared by the reference dnsmasq and nfv-dnsvizor.
no-resolv
no-hosts
addn-hosts=$NFV_TMP/hosts
bind-interfaces
server=10.53.1.1
local=/lan/
domain-needed
address=/blocked.test/10.53.9.9
address=/nx.test/
cname=alias.lan,host1.lan
mx-host=lan,mail.lan,10
host-record=mail.lan,10.53.5.25
txt-record=txt.lan,"hello world"
log-queries
EOF
chmod 644 "$NFV_TMP/hosts" "$NFV_TMP/dnsvizor.conf"

nfv_spawn "$srv" upstream "$DNSMASQ" --keep-in-foreground --no-resolv --no-hosts --conf-file=/dev/null \
  --listen-address=10.53.1.1 --bind-interfaces --pid-file= --log-facility=- --log-queries --local-ttl=300 \
  --address=/up.example/10.53.7.7 --address=/nxup.example/ \
  --host-record=v6.other.example,fd00:53::77 --txt-record=txt.other.example,upstream-text
nfv_spawn "$srv" dnsmasq "$DNSMASQ" --keep-in-foreground --conf-file="$NFV_TMP/dnsvizor.conf" \
  --listen-address=10.53.1.2 --pid-file= --log-facility=-
ref_pid=$NFV_LAST_PID
nfv_spawn "$srv" ours "$ours" --keep-in-foreground --conf-file="$NFV_TMP/dnsvizor.conf" \
  --listen-address=10.53.1.3 --pid-file= --log-facility=-
ours_pid=$NFV_LAST_PID

probe() { nfv_in "$cli" dig +time=1 +tries=1 @"$1" host1.lan A | grep -q 'status: NOERROR'; }
nfv_wait_until 10 "upstream dnsmasq answering" nfv_in "$cli" dig +time=1 +tries=1 @10.53.1.1 up.example
nfv_wait_until 10 "reference dnsmasq answering" probe 10.53.1.2
nfv_wait_until 10 "nfv-dnsvizor answering" probe 10.53.1.3

# ask SERVER NAME TYPE [dig options]: "rcode | sorted answer lines without TTL".
ask() {
  local server=$1 name=$2 type=$3; shift 3
  local out status answer
  out=$(nfv_in "$cli" dig +time=2 +tries=2 "$@" @"$server" "$name" "$type" +noall +comments +answer +nottlid)
  status=$(printf '%s\n' "$out" | sed -n 's/.*status: \([A-Z]*\),.*/\1/p')
  answer=$(printf '%s\n' "$out" | grep -v '^;' | grep -v '^$' | sort | tr -s ' \t' ' ' | paste -sd '|' -)
  echo "$status | $answer"
}

cases=(
  "host1.lan A"                 # hosts file
  "host2.lan AAAA"              # hosts file, IPv6
  "host1 A"                     # unqualified name from the hosts file
  "alias.lan A"                 # cname= to local data
  "1.5.53.10.in-addr.arpa PTR"  # reverse of a hosts entry
  "25.5.53.10.in-addr.arpa PTR" # reverse of a host-record
  "lan MX"                      # mx-host=
  "txt.lan TXT"                 # txt-record=
  "mail.lan A"                  # host-record=
  "blocked.test A"              # address=
  "sub.blocked.test A"          # address= covers subdomains
  "nx.test A"                   # address= without address: NXDOMAIN
  "nosuch.lan A"                # local=/lan/: NXDOMAIN, never forwarded
  "host1.lan AAAA"              # name with only an IPv4 address: NODATA
  "up.example A"                # forwarded
  "up.example A"                # the same again: from the cache
  "nxup.example A"              # forwarded NXDOMAIN
  "nxup.example A"              # cached NXDOMAIN
  "v6.other.example A"          # every upstream REFUSED: passed on
  "v6.other.example AAAA"       # forwarded AAAA
  "txt.other.example TXT"       # forwarded TXT
  "nodots A"                    # domain-needed: unqualified, unknown
  "host1.lan A +tcp"            # local data over TCP
  "up.example A +tcp"           # forwarded/cached over TCP
  "v6.other.example AAAA +tcp"  # over TCP
)
failures=0
for c in "${cases[@]}"; do
  # shellcheck disable=SC2086
  set -- $c
  ref=$(ask 10.53.1.2 "$@")
  got=$(ask 10.53.1.3 "$@")
  if [ "$ref" = "$got" ]; then
    nfv_log "ok: $c -> $got"
  else
    echo "MISMATCH: $c" >&2
    echo "  dnsmasq:      $ref" >&2
    echo "  nfv-dnsvizor: $got" >&2
    failures=$((failures + 1))
  fi
done
[ "$failures" -eq 0 ] || nfv_fail "$failures of ${#cases[@]} answers differ from dnsmasq"

# The forwarded name must have been answered from our cache after the first time: our
# log-queries lines show exactly one "forwarded up.example" for its three queries (as dnsmasq's).
for who in dnsmasq ours; do
  forwards=$(grep -c 'forwarded up.example to' "$(nfv_logfile "$who")" || true)
  nfv_expect_eq 1 "$forwards" "$who forwarded up.example once (then cached)"
done

# SIGHUP re-reads the hosts files (both programs); SIGUSR1 logs statistics.
echo "10.53.5.99  newhost.lan" >>"$NFV_TMP/hosts"
kill -HUP "$ref_pid" "$ours_pid"
nfv_wait_until 5 "dnsmasq reloaded hosts" sh -c "[ \"\$(ip netns exec $cli dig +short +time=1 +tries=1 @10.53.1.2 newhost.lan)\" = 10.53.5.99 ]"
nfv_wait_until 5 "nfv-dnsvizor reloaded hosts" sh -c "[ \"\$(ip netns exec $cli dig +short +time=1 +tries=1 @10.53.1.3 newhost.lan)\" = 10.53.5.99 ]"
nfv_log "ok: SIGHUP reloads the hosts file"
kill -USR1 "$ours_pid"
nfv_wait_for_log ours 'queries forwarded [0-9]+, queries answered locally [0-9]+' 5
nfv_log "ok: SIGUSR1 logs statistics"

# --test: 0 and a syntax-OK line on a good config, 1 on a bad one, for both programs.
"$DNSMASQ" --test --conf-file="$NFV_TMP/dnsvizor.conf" >/dev/null 2>&1 || nfv_fail "dnsmasq --test rejects the good config"
"$ours" --test --conf-file="$NFV_TMP/dnsvizor.conf" >"$NFV_TMP/test-good.out" 2>&1 \
  || nfv_fail "nfv-dnsvizor --test rejects the good config: $(cat "$NFV_TMP/test-good.out")"
nfv_expect_match 'syntax check OK' "$(cat "$NFV_TMP/test-good.out")" "--test prints the syntax-OK line"
printf 'no-resolv\nthis-is-not-an-option=1\n' >"$NFV_TMP/bad.conf"
set +e
"$DNSMASQ" --test --conf-file="$NFV_TMP/bad.conf" >/dev/null 2>&1; ref_rc=$?
"$ours" --test --conf-file="$NFV_TMP/bad.conf" >"$NFV_TMP/test-bad.out" 2>&1; our_rc=$?
set -e
nfv_expect_eq "$ref_rc" "$our_rc" "--test exit code on a bad config (dnsmasq's is $ref_rc)"
nfv_expect_match 'bad.conf:2' "$(cat "$NFV_TMP/test-bad.out")" "--test names file and line of the bad option"

# SIGTERM stops nfv-dnsvizor cleanly (exit 0).
kill -0 "$ours_pid" 2>/dev/null || nfv_fail "nfv-dnsvizor is not running"
kill -TERM "$ours_pid"
nfv_wait_for_log ours 'exiting on receipt of SIGTERM' 5
nfv_log "ok: all ${#cases[@]} answers match dnsmasq"
