# shellcheck shell=bash
# The interop rig: helpers for tests that run our binaries against real peers (dnsmasq, dig,
# openvpn, nginx, curl, dhclient, ...) inside network namespaces the test creates.
#
# Usage in a test script (registered with nfv_add_interop_test in CMake):
#   source "$NFV_SOURCE_DIR/tests/interop/lib.sh"
#   nfv_require_root_netns              # skips (exit 77, with the reason) if not possible
#   nfv_require_cmd dig dnsmasq         # skips if a peer program is missing
#   a=$(nfv_netns_new srv); b=$(nfv_netns_new cli)
#   nfv_veth "$a" 10.99.0.1/24 "$b" 10.99.0.2/24
#   nfv_spawn "$a" srv.log "$(nfv_bin nfv-dnsvizor)" -d -C conf
#   nfv_wait_for_udp_port "$a" 53 10
#   out=$(nfv_in "$b" dig +short @10.99.0.1 host.lan) ; nfv_expect_eq "10.0.0.5" "$out" "A record"
#
# Contract: every namespace, process and temporary directory made through these helpers is
# removed on exit, whatever the exit path (EXIT trap). Namespace names carry the test's pid so
# tests can run side by side. Waits are bounded in time and poll readiness (port bound, log
# line present), never sleep blindly. Traffic stays inside the namespaces made here.
set -euo pipefail

NFV_SKIP_CODE=77
_nfv_pids=()
NFV_TMP=$(mktemp -d "${TMPDIR:-/tmp}/nfv-interop.XXXXXX")
export NFV_TMP

_nfv_cleanup() {
  local rc=$?
  local pid ns
  for pid in "${_nfv_pids[@]:-}"; do
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${_nfv_pids[@]:-}"; do
    [ -z "$pid" ] && continue
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  # Namespaces are found by their name prefix (this shell's pid), so ones created inside
  # command substitutions (subshells) are removed too.
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^nfv$$-" || true); do
    # Kill anything still running inside (a daemonised peer) before deleting the namespace.
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
    ip netns delete "$ns" 2>/dev/null || true
  done
  if [ "$rc" -ne 0 ] && [ "$rc" -ne "$NFV_SKIP_CODE" ] && [ -z "${NFV_KEEP_LOGS:-}" ]; then
    # On failure, show the logs of the processes we started: they explain most failures.
    local f
    for f in "$NFV_TMP"/*.log; do
      [ -f "$f" ] || continue
      echo "----- $f (last 40 lines)" >&2
      tail -n 40 "$f" >&2 || true
    done
  fi
  rm -rf "$NFV_TMP"
  exit "$rc"
}
trap _nfv_cleanup EXIT
trap 'exit 130' INT TERM

# nfv_fail MESSAGE: fail the test with a message.
nfv_fail() { echo "FAIL: $*" >&2; exit 1; }

# nfv_skip REASON: skip the test (ctest shows it as skipped) and say why.
nfv_skip() { echo "SKIP: $*"; exit "$NFV_SKIP_CODE"; }

# nfv_log MESSAGE: progress line.
nfv_log() { echo "[$(date +%H:%M:%S.%N | cut -c1-12)] $*"; }

# nfv_require_root_netns: skip unless we are root and can create network namespaces.
nfv_require_root_netns() {
  [ "$(id -u)" -eq 0 ] || nfv_skip "needs root to create network namespaces"
  command -v ip >/dev/null || nfv_skip "iproute2 (ip) not installed"
  local probe="nfvprobe$$"
  ip netns add "$probe" 2>/dev/null || nfv_skip "cannot create network namespaces here"
  ip netns delete "$probe"
}

# nfv_require_tun: skip unless /dev/net/tun is usable.
nfv_require_tun() {
  [ -c /dev/net/tun ] || nfv_skip "/dev/net/tun is absent"
}

# nfv_require_cmd CMD...: skip if a peer program is missing (scripts/setup installs them all).
nfv_require_cmd() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || [ -x "/usr/sbin/$c" ] || nfv_skip "$c is not installed (run scripts/setup)"
  done
}

# nfv_bin NAME: path of one of our binaries in the build tree under test.
nfv_bin() {
  local name=$1 app=${1#nfv-}
  local p="$NFV_BUILD_DIR/apps/$app/$name"
  [ -x "$p" ] || p="$NFV_BUILD_DIR/tools/$app/$name"  # nfv-vpn-load: tools/vpn-load/
  [ -x "$p" ] || nfv_fail "binary $p not built"
  echo "$p"
}

# nfv_netns_new TAG: create a namespace with loopback up; prints its name.
nfv_netns_new() {
  local ns="nfv$$-$1"
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  echo "$ns"
}

# nfv_in NS CMD...: run a command inside a namespace.
nfv_in() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# nfv_veth NS1 ADDR1/LEN NS2 ADDR2/LEN [IFNAME1 IFNAME2]: join two namespaces with a veth pair.
# Interface names default to veth0 on both sides (they live in different namespaces).
nfv_veth() {
  local ns1=$1 a1=$2 ns2=$3 a2=$4 if1=${5:-veth0} if2=${6:-veth0}
  local tmp1="nv$$a${RANDOM}" tmp2="nv$$b${RANDOM}"
  ip link add "${tmp1:0:15}" type veth peer name "${tmp2:0:15}"
  ip link set "${tmp1:0:15}" netns "$ns1"
  ip link set "${tmp2:0:15}" netns "$ns2"
  ip -n "$ns1" link set "${tmp1:0:15}" name "$if1"
  ip -n "$ns2" link set "${tmp2:0:15}" name "$if2"
  _nfv_addr_add "$ns1" "$a1" "$if1"
  _nfv_addr_add "$ns2" "$a2" "$if2"
  ip -n "$ns1" link set "$if1" up
  ip -n "$ns2" link set "$if2" up
}

_nfv_addr_add() { # NS ADDR IF: IPv6 addresses skip duplicate address detection
  [ -n "$2" ] || return 0
  case $2 in
    *:*) ip -n "$1" addr add "$2" dev "$3" nodad ;;
    *) ip -n "$1" addr add "$2" dev "$3" ;;
  esac
}

# nfv_spawn NS LOGNAME CMD...: (call it directly, not in $(...)) start a process in a namespace
# in the background, its stdout and
# stderr in $NFV_TMP/LOGNAME.log; it is killed on exit. Sets NFV_LAST_PID.
nfv_spawn() {
  local ns=$1 log=$2; shift 2
  ip netns exec "$ns" "$@" >"$NFV_TMP/$log.log" 2>&1 &
  NFV_LAST_PID=$!
  _nfv_pids+=("$NFV_LAST_PID")
}

# nfv_logfile LOGNAME: path of a spawned process's log.
nfv_logfile() { echo "$NFV_TMP/$1.log"; }

# nfv_wait_until TIMEOUT_S DESCRIPTION CMD...: poll CMD every 50 ms until it succeeds; fail
# with DESCRIPTION after TIMEOUT_S seconds.
nfv_wait_until() {
  local timeout=$1 what=$2; shift 2
  local deadline=$(( $(date +%s%N) + timeout * 1000000000 ))
  while ! "$@" >/dev/null 2>&1; do
    if [ "$(date +%s%N)" -ge "$deadline" ]; then
      nfv_fail "timed out after ${timeout}s waiting for $what"
    fi
    sleep 0.05
  done
}

_nfv_port_bound() { # NS PROTO PORT
  ip netns exec "$1" ss -Hln"$2" "sport = :$3" | grep -q .
}

# nfv_wait_for_udp_port NS PORT TIMEOUT_S / nfv_wait_for_tcp_port NS PORT TIMEOUT_S:
# wait until something listens on the port inside the namespace.
nfv_wait_for_udp_port() { nfv_wait_until "$3" "udp port $2 in $1" _nfv_port_bound "$1" u "$2"; }
nfv_wait_for_tcp_port() { nfv_wait_until "$3" "tcp port $2 in $1" _nfv_port_bound "$1" t "$2"; }

# nfv_wait_for_log LOGNAME REGEX TIMEOUT_S: wait until a spawned process's log matches.
nfv_wait_for_log() {
  nfv_wait_until "$3" "'$2' in $1.log" grep -Eq "$2" "$NFV_TMP/$1.log"
}

# nfv_vpn_installer_configs NAME...: copies configs/vpn/pki and the named installer folders
# (nyr, angristan, pivpn) to $NFV_TMP/configs and sets NFV_VPN_CONFIGS to it (not printed: a
# skip inside a command substitution would only leave the subshell). Their server.conf
# files drop to nobody:nogroup after start and write ipp.txt beside the keys, so pki belongs to
# nobody; the test is skipped (exit 77) when that user or group does not exist.
nfv_vpn_installer_configs() {
  id nobody >/dev/null 2>&1 || nfv_skip "user nobody does not exist"
  getent group nogroup >/dev/null || nfv_skip "group nogroup does not exist"
  local work="$NFV_TMP/configs" name
  chmod 755 "$NFV_TMP"
  mkdir -p "$work"
  cp -r "$NFV_SOURCE_DIR/configs/vpn/pki" "$work/"
  for name in "$@"; do
    cp -r "$NFV_SOURCE_DIR/configs/vpn/$name" "$work/"
  done
  chown -R nobody:nogroup "$work/pki"
  NFV_VPN_CONFIGS=$work
}

# nfv_transfer NAME FILE FROM_NS TO_NS TO_ADDR PORT TIMEOUT_S: sends FILE over TCP (socat) from
# FROM_NS to TO_ADDR:PORT in TO_NS (an IPv4 or IPv6 address) and asserts that the receiver's
# SHA-256 equals the file's; logs the time taken. TIMEOUT_S bounds the send.
nfv_transfer() {
  local name=$1 file=$2 from=$3 to=$4 addr=$5 port=$6 limit=$7 sum="$NFV_TMP/sum-$1"
  local listen="TCP-LISTEN:$port,bind=$addr,reuseaddr" connect="TCP:$addr:$port"
  if [[ $addr == *:* ]]; then
    listen="TCP6-LISTEN:$port,bind=[$addr],reuseaddr"
    connect="TCP6:[$addr]:$port"
  fi
  local expected
  expected=$(sha256sum <"$file" | cut -d' ' -f1)
  rm -f "$sum"
  nfv_spawn "$to" "sink-$name" bash -c \
    "socat -u $listen STDOUT | sha256sum >'$sum.tmp' && mv '$sum.tmp' '$sum'"
  local sink=$NFV_LAST_PID
  nfv_wait_for_tcp_port "$to" "$port" 10
  local start end
  start=$(date +%s%N)
  nfv_in "$from" timeout "$limit" socat -u "FILE:$file" "$connect" ||
    nfv_fail "$name: sending $(basename "$file") failed"
  nfv_wait_until 30 "$name: receiver's checksum" test -s "$sum"
  end=$(date +%s%N)
  wait "$sink" 2>/dev/null || true
  nfv_expect_eq "$expected" "$(cut -d' ' -f1 <"$sum")" \
    "$name: SHA-256 of $(basename "$file") received"
  nfv_log "$name: $(basename "$file") in $(((end - start) / 1000000)) ms"
}

# nfv_expect_eq EXPECTED ACTUAL WHAT: assert equality.
nfv_expect_eq() {
  [ "$1" = "$2" ] || nfv_fail "$3: expected '$1', got '$2'"
  nfv_log "ok: $3 = '$2'"
}

# nfv_expect_match REGEX ACTUAL WHAT: assert that ACTUAL matches REGEX (grep -E).
nfv_expect_match() {
  # A here-string, not a pipe: grep -q exits at the first match, and under pipefail the
  # writer's SIGPIPE on a long text would turn a match into a failure.
  grep -Eq -- "$1" <<<"$2" || nfv_fail "$3: '$2' does not match /$1/"
  nfv_log "ok: $3"
}
