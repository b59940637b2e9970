#!/usr/bin/env bash
# Differential test: real dnsmasq 2.90 and nfv-dnsvizor, started with the SAME config files
# (configs/dnsvizor/{openwrt,libvirt,pihole-like}.conf), are asked the same corpus of questions
# and must give the same rcode, header flags (qr aa tc rd ra ad cd) and sorted answer set (TTLs
# excluded). Every difference must be listed in docs/dnsvizor-differences.md with its reason;
# an unlisted difference fails the test.
#
# Topology (namespaces created here, removed on exit; tags start with "dd"):
#   ddup   bridge br0 with the upstream servers, both real dnsmasq serving local records only:
#          A 10.53.20.11, 10.53.20.13, fd53::11  zones up.example, example.org, www.example.com
#                                                 (CNAME chains, large TXT/A RRsets, NXDOMAIN,
#                                                 NODATA, private addresses for rebind checks)
#          B 10.53.20.12                          corp.example, 10.99/16 reverse, fritz.box,
#                                                 192.168.0/24 reverse (per-domain servers)
#   ddcli  10.53.20.10: dig and kdig
#   ddref-<config> / ddours-<config>: dnsmasq (10.53.20.2) and nfv-dnsvizor (10.53.20.3), each
#          alone in its namespace behind an interface named as the config expects (br-lan,
#          virbr0, eth0), both bridged to br0.
# The config files are used as written, except for a fixed rewrite (localise below): file
# paths move into the test's directory, the public upstream addresses become the ddup ones,
# user/group/log-facility lines are dropped so that both programs run as root and log to stderr.
#
# Corpus: per config a list of "name type" questions, each asked with every variant of
# $VARIANTS (UDP with +ignore so TC is seen, TCP, EDNS buffer sizes 512/1232/4096, no EDNS, DO
# bit, RD clear, and kdig over UDP and TCP). Questions go to dnsmasq first, then to ours, in the
# same order, so both caches see the same history.
source "$NFV_SOURCE_DIR/tests/interop/lib.sh"
nfv_require_root_netns
nfv_require_cmd dnsmasq dig kdig

ours=$(nfv_bin nfv-dnsvizor)
DNSMASQ=$(command -v dnsmasq || echo /usr/sbin/dnsmasq)
ALLOWED_FILE="$NFV_SOURCE_DIR/docs/dnsvizor-differences.md"
CONFIGS=${NFV_DIFF_CONFIGS:-"openwrt libvirt pihole-like"}
T=$NFV_TMP
chmod 755 "$T"

# --- upstream namespace ---------------------------------------------------------------------
up=$(nfv_netns_new ddup)
cli=$(nfv_netns_new ddcli)
ip -n "$up" link add br0 type bridge
ip -n "$up" addr add 10.53.20.11/24 dev br0
ip -n "$up" addr add 10.53.20.12/24 dev br0
ip -n "$up" addr add 10.53.20.13/24 dev br0
ip -n "$up" addr add fd53::11/64 dev br0 nodad
ip -n "$up" link set br0 up

# attach NS IFNAME ADDR...: a veth from br0 to namespace NS, named IFNAME there.
port_no=0
attach() {
  local ns=$1 ifname=$2 addr=$3
  port_no=$((port_no + 1))
  nfv_veth "$up" "" "$ns" "$addr" "p$port_no" "$ifname"
  ip -n "$up" link set "p$port_no" master br0
  shift 3
  local a
  for a in "$@"; do ip -n "$ns" addr add "$a" dev "$ifname" nodad; done
}
attach "$cli" veth0 10.53.20.10/24 fd53::10/64

# Upstream data: hosts files for the multi-address and large answers, TXT RRsets for truncation.
mkdir -p "$T/up"
{
  for i in $(seq 1 40); do echo "192.0.2.$((100 + i)) many.up.example"; done
  echo "198.51.100.99 multi.up.example"
  echo "198.51.100.98 multi.up.example"
  echo "2001:db8::99 multi.up.example"
} >"$T/up/hosts"
filler=$(printf 'x%.0s' $(seq 1 90))
big_txt=()
for i in $(seq 1 40); do big_txt+=(--txt-record="big.up.example,rr$i-$filler"); done
medium_txt=()
for i in $(seq 1 6); do medium_txt+=(--txt-record="medium.up.example,m$i-$filler"); done
chmod -R a+rX "$T/up"

nfv_spawn "$up" upstream-a "$DNSMASQ" --keep-in-foreground --no-resolv --no-hosts --conf-file=/dev/null \
  --listen-address=10.53.20.11,10.53.20.13,fd53::11 --bind-interfaces --pid-file= --log-facility=- \
  --local-ttl=300 --edns-packet-max=4096 --addn-hosts="$T/up/hosts" \
  --local=/up.example/ --local=/example.org/ --local=/www.example.com/ --local=/plex.direct/ \
  --host-record=www.up.example,192.0.2.10,2001:db8::10 --host-record=v4only.up.example,192.0.2.11 \
  --cname=c1.up.example,c2.up.example --cname=c2.up.example,c3.up.example \
  --cname=c3.up.example,www.up.example --cname=dangling.up.example,gone.up.example \
  --mx-host=up.example,mail.up.example,10 --host-record=mail.up.example,192.0.2.25 \
  --srv-host=_sip._udp.up.example,sip.up.example,5060,10,20 \
  --txt-record=txt.up.example,one,two "${big_txt[@]}" "${medium_txt[@]}" \
  --host-record=private.up.example,10.1.2.3 --host-record=lo.up.example,127.0.0.2 \
  --host-record=x.plex.direct,192.168.5.5 --host-record=www.example.org,198.51.100.1 \
  --host-record=www.example.com,198.51.100.80 --host-record=ads.tracker.example,203.0.113.66 \
  --host-record=doubleclick.net,203.0.113.67 --host-record=printer.lan,203.0.113.68
nfv_spawn "$up" upstream-b "$DNSMASQ" --keep-in-foreground --no-resolv --no-hosts --conf-file=/dev/null \
  --listen-address=10.53.20.12 --bind-interfaces --pid-file= --log-facility=- --local-ttl=120 \
  --local=/corp.example/ --local=/99.10.in-addr.arpa/ --local=/fritz.box/ --local=/0.168.192.in-addr.arpa/ \
  --host-record=intranet.corp.example,10.99.1.1 --host-record=pub.corp.example,198.51.100.7 \
  --host-record=box.fritz.box,192.168.0.1 --host-record=pc.fritz.box,192.168.0.20
nfv_wait_until 10 "upstream A answering" nfv_in "$cli" dig +time=1 +tries=1 @10.53.20.11 www.up.example
nfv_wait_until 10 "upstream B answering" nfv_in "$cli" dig +time=1 +tries=1 @10.53.20.12 pub.corp.example

# --- the files the configs name -------------------------------------------------------------
mkdir -p "$T/etc" "$T/dnsmasq.d" "$T/pihole-hosts"
echo "# main file (empty, as on OpenWrt)" >"$T/etc/dnsmasq.conf"
echo "nameserver 10.53.20.11" >"$T/etc/resolv.conf.auto"
printf '192.168.1.20 printer\n192.168.1.21 tv.lan tv\nfd00:1::21 tv.lan\n' >"$T/etc/openwrt-hosts"
echo "1893456000 52:54:00:12:34:56 192.168.1.10 nas 01:52:54:00:12:34:56" >"$T/etc/openwrt.leases"
printf '192.168.122.50 vm1 vm1.example.com\n192.168.122.51 vm2\n' >"$T/etc/default.addnhosts"
printf '0.0.0.0 ads.tracker.example\n0.0.0.0 track.example\n:: track.example\n' >"$T/etc/gravity.list"
printf '192.168.0.5 nas.lan nas\n192.168.0.6 pi.hole\n' >"$T/etc/local.list"
printf '192.168.0.7 custom.lan\n' >"$T/pihole-hosts/custom"
: >"$T/etc/pihole.leases"
chmod -R a+rX "$T"

# localise CONFIG OUT: the fixed rewrite described at the top.
localise() {
  sed -e "s#^conf-file=/etc/dnsmasq.conf#conf-file=$T/etc/dnsmasq.conf#" \
    -e "s#/tmp/resolv.conf.d/resolv.conf.auto#$T/etc/resolv.conf.auto#" \
    -e "s#^addn-hosts=/tmp/hosts#addn-hosts=$T/etc/openwrt-hosts#" \
    -e "s#/tmp/dhcp.leases#$T/etc/openwrt.leases#" \
    -e "s#/tmp/dnsmasq.d#$T/dnsmasq.d#" \
    -e "s#/var/lib/libvirt/dnsmasq/#$T/etc/#" \
    -e "s#^pid-file=.*#pid-file=#" \
    -e "s#/etc/pihole/gravity.list#$T/etc/gravity.list#" \
    -e "s#/etc/pihole/local.list#$T/etc/local.list#" \
    -e "s#/etc/pihole/hosts#$T/pihole-hosts#" \
    -e "s#/etc/pihole/dhcp.leases#$T/etc/pihole.leases#" \
    -e "s#^server=1\.1\.1\.1\$#server=10.53.20.11#" \
    -e "s#^server=1\.0\.0\.1\$#server=10.53.20.13#" \
    -e "s#^server=2606:4700:4700::1111\$#server=fd53::11#" \
    -e "s#192\.168\.0\.1\$#10.53.20.12#" \
    -e '/^user=/d' -e '/^group=/d' -e '/^log-facility=/d' -e '/^enable-ubus/d' \
    "$1" >"$2"
  chmod 644 "$2"
}

# --- corpus ---------------------------------------------------------------------------------
# Questions common to every config: forwarded data of every kind.
common_questions=(
  "www.up.example A" "www.up.example AAAA" "www.up.example TXT" "v4only.up.example AAAA"
  "c1.up.example A" "c2.up.example AAAA" "dangling.up.example A" "nx.up.example A"
  "nx.up.example AAAA" "up.example MX" "_sip._udp.up.example SRV" "txt.up.example TXT"
  "medium.up.example TXT" "big.up.example TXT" "many.up.example A" "multi.up.example A"
  "multi.up.example AAAA" "private.up.example A" "lo.up.example A" "x.plex.direct A"
  "10.2.0.192.in-addr.arpa PTR" "intranet.corp.example A" "pub.corp.example A"
  "nx.corp.example A" "1.1.99.10.in-addr.arpa PTR" "9.9.99.10.in-addr.arpa PTR"
  "5.5.168.192.in-addr.arpa PTR" "1.0.0.127.in-addr.arpa PTR" "nodots A" "nodots MX"
  "other.test A" "www.example.org A" "localhost A"
)
declare -A config_questions
config_questions[openwrt]="router.lan A|router.lan AAAA|router A|printer A|printer.lan A|tv.lan AAAA|tv A|nas.lan A|files.lan A|lan MX|_ldap._tcp.lan SRV|nosuch.lan A|nosuch.lan TXT|ads.example A|sub.ads.example AAAA|1.1.168.192.in-addr.arpa PTR|20.1.168.192.in-addr.arpa PTR|10.1.168.192.in-addr.arpa PTR"
config_questions[libvirt]="vm1.example.com A|vm1 A|vm2.example.com A|vm3.example.com A|www.example.com A|www.example.com AAAA|nosuch.example.com A|example.com TXT|_http._tcp.example.com SRV|50.122.168.192.in-addr.arpa PTR|99.122.168.192.in-addr.arpa PTR"
config_questions[pihole-like]="ads.tracker.example A|ads.tracker.example AAAA|track.example AAAA|doubleclick.net A|sub.doubleclick.net AAAA|telemetry.example A|nas.lan A|nas A|custom.lan A|pi.hole A|box.fritz.box A|pc.fritz.box A|20.0.168.192.in-addr.arpa PTR|5.0.168.192.in-addr.arpa PTR|x.test A|x.localhost A|y.onion A|z.home.arpa A"

# Variants: "dig|options" or "kdig|options". UDP variants use +ignore so the TC bit is seen.
VARIANTS=(
  "dig|+ignore"
  "dig|+tcp"
  "dig|+ignore +bufsize=512"
  "dig|+ignore +bufsize=1232"
  "dig|+ignore +bufsize=4096"
  "dig|+ignore +noedns"
  "dig|+ignore +dnssec"
  "dig|+ignore +norecurse"
  "kdig|+ignore +bufsize=1232"
  "kdig|+tcp"
)

# ask TOOL OPTIONS SERVER NAME TYPE: one line "rcode | flags | sorted answers without TTLs".
# No answer within 2 s is asked once more with 4 s (the machine may be loaded) before it counts
# as NO-ANSWER.
ask() {
  local result
  result=$(ask_once 2 "$@")
  case $result in
    NO-ANSWER*) result=$(ask_once 4 "$@") ;;
  esac
  echo "$result"
}
ask_once() {
  local wait=$1 tool=$2 opts=$3 server=$4 name=$5 type=$6 out status flags answer
  # shellcheck disable=SC2086
  if [ "$tool" = dig ]; then
    out=$(nfv_in "$cli" dig +time="$wait" +tries=1 $opts @"$server" "$name" "$type" 2>&1) || true
    status=$(printf '%s\n' "$out" | sed -n 's/.*status: \([A-Z]*\),.*/\1/p' | head -1)
    flags=$(printf '%s\n' "$out" | sed -n 's/^;; flags: \([a-z ]*\);.*/\1/p' | head -1)
    answer=$(printf '%s\n' "$out" | awk '/^;; ANSWER SECTION:/ {on=1; next} on && /^$/ {on=0} on')
  else
    out=$(nfv_in "$cli" kdig +time="$wait" +retry=0 $opts @"$server" "$name" "$type" 2>&1) || true
    status=$(printf '%s\n' "$out" | sed -n 's/.*status: \([A-Z]*\);.*/\1/p' | head -1)
    flags=$(printf '%s\n' "$out" | sed -n 's/^;; Flags: \([a-z ]*\);.*/\1/p' | head -1)
    answer=$(printf '%s\n' "$out" | awk '/^;; ANSWER SECTION:/ {on=1; next} on && /^$/ {on=0} on')
  fi
  [ -n "$status" ] || status="NO-ANSWER"
  # Drop the TTL column, squeeze blanks, sort.
  answer=$(printf '%s\n' "$answer" | awk 'NF { if ($2 ~ /^[0-9]+$/) $2 = ""; $1 = $1; print }' | sort | paste -sd '|' -)
  flags=$(printf '%s\n' "$flags" | tr ' ' '\n' | grep . | sort | paste -sd ' ' -)
  echo "$status | $flags | $answer"
}

# The allow list: lines "- `config|tool|options|name type`" in docs/dnsvizor-differences.md;
# each field may be a shell pattern (`*`).
allowed=()
if [ -f "$ALLOWED_FILE" ]; then
  while IFS= read -r line; do allowed+=("$line"); done < <(sed -n 's/^- `\([^`]*\)`.*/\1/p' "$ALLOWED_FILE")
fi
is_allowed() {
  local key=$1 pat
  for pat in "${allowed[@]:-}"; do
    [ -n "$pat" ] || continue
    # shellcheck disable=SC2053
    [[ $key == $pat ]] && return 0
  done
  return 1
}

total=0
identical=0
listed=0
unlisted=0
: >"$T/differences.txt"

run_config() {
  local name=$1 ifname=$2 conf="$T/$1.conf"
  localise "$NFV_SOURCE_DIR/configs/dnsvizor/$name.conf" "$conf"
  local nsr nso
  # The previous config's servers used the same addresses: forget their MAC addresses.
  ip -n "$cli" neigh flush all 2>/dev/null || true
  ip -n "$up" neigh flush all 2>/dev/null || true
  nsr=$(nfv_netns_new "ddref-$name")
  nso=$(nfv_netns_new "ddours-$name")
  attach "$nsr" "$ifname" 10.53.20.2/24 fd53::2/64
  attach "$nso" "$ifname" 10.53.20.3/24 fd53::3/64
  "$DNSMASQ" --test -C "$conf" >"$T/$name-ref-test.out" 2>&1 || nfv_fail "dnsmasq rejects $name.conf: $(cat "$T/$name-ref-test.out")"
  "$ours" --test -C "$conf" >"$T/$name-ours-test.out" 2>&1 || nfv_fail "nfv-dnsvizor rejects $name.conf: $(cat "$T/$name-ours-test.out")"
  nfv_spawn "$nsr" "ref-$name" "$DNSMASQ" -k -C "$conf" --log-facility=- --log-queries
  local ref_pid=$NFV_LAST_PID
  nfv_spawn "$nso" "ours-$name" "$ours" -k -C "$conf" --log-facility=- --log-queries
  local our_pid=$NFV_LAST_PID
  local probe="www.up.example"
  nfv_wait_until 15 "dnsmasq ($name) answering" nfv_in "$cli" dig +time=1 +tries=1 @10.53.20.2 "$probe"
  nfv_wait_until 15 "nfv-dnsvizor ($name) answering" nfv_in "$cli" dig +time=1 +tries=1 @10.53.20.3 "$probe"

  local questions=() q v tool opts ref got key n=0 same=0
  IFS='|' read -r -a questions <<<"${config_questions[$name]}"
  questions+=("${common_questions[@]}")
  for q in "${questions[@]}"; do
    for v in "${VARIANTS[@]}"; do
      tool=${v%%|*}
      opts=${v#*|}
      # shellcheck disable=SC2086
      ref=$(ask "$tool" "$opts" 10.53.20.2 $q)
      # shellcheck disable=SC2086
      got=$(ask "$tool" "$opts" 10.53.20.3 $q)
      n=$((n + 1))
      if [ "$ref" = "$got" ]; then
        same=$((same + 1))
        continue
      fi
      key="$name|$tool|$opts|$q"
      if is_allowed "$key"; then
        listed=$((listed + 1))
        printf 'listed:   %s\n  dnsmasq:      %.300s\n  nfv-dnsvizor: %.300s\n' "$key" "$ref" "$got" >>"$T/differences.txt"
      else
        unlisted=$((unlisted + 1))
        printf 'UNLISTED: %s\n  dnsmasq:      %.300s\n  nfv-dnsvizor: %.300s\n' "$key" "$ref" "$got" | tee -a "$T/differences.txt" >&2
      fi
    done
  done
  total=$((total + n))
  identical=$((identical + same))
  nfv_log "$name: $n queries, $same identical"
  kill -0 "$our_pid" 2>/dev/null || nfv_fail "nfv-dnsvizor ($name) died during the corpus"
  kill -0 "$ref_pid" 2>/dev/null || nfv_fail "dnsmasq ($name) died during the corpus"
  kill -TERM "$ref_pid" "$our_pid" 2>/dev/null || true
  wait "$ref_pid" "$our_pid" 2>/dev/null || true
  # NFV_DIFF_LOGDIR=dir keeps both servers' logs (log-queries) for a closer look.
  if [ -n "${NFV_DIFF_LOGDIR:-}" ]; then
    mkdir -p "$NFV_DIFF_LOGDIR"
    cp "$T/ref-$name.log" "$T/ours-$name.log" "$NFV_DIFF_LOGDIR/"
  fi
  ip netns delete "$nsr"
  ip netns delete "$nso"
}

for c in $CONFIGS; do
  case $c in
    openwrt) run_config openwrt br-lan ;;
    libvirt) run_config libvirt virbr0 ;;
    pihole-like) run_config pihole-like eth0 ;;
    *) nfv_fail "unknown config $c" ;;
  esac
done

[ -z "${NFV_DIFF_LOGDIR:-}" ] || cp "$T/differences.txt" "$NFV_DIFF_LOGDIR/"
echo "summary: $total queries, $identical identical, $listed listed differences, $unlisted unlisted"
[ "$total" -ge 300 ] || nfv_fail "corpus too small: $total queries"
[ "$unlisted" -eq 0 ] || nfv_fail "$unlisted differences from dnsmasq are not listed in docs/dnsvizor-differences.md"
nfv_log "ok: every answer matches dnsmasq or is a listed difference"
