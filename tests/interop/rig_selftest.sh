#!/usr/bin/env bash
# Self-test of the interop rig (tests/interop/lib.sh) with real peers: two namespaces joined by a
# veth pair, a real dnsmasq serving a record in one, real dig querying it from the other; then
# the rig's failure paths (a bounded wait that times out, a failed expectation) fail as they must,
# and every namespace is gone after the run.
source "$NFV_SOURCE_DIR/tests/interop/lib.sh"
nfv_require_root_netns
nfv_require_cmd dnsmasq dig ping

srv=$(nfv_netns_new srv)
cli=$(nfv_netns_new cli)
nfv_veth "$srv" 10.231.0.1/24 "$cli" 10.231.0.2/24
nfv_veth "$srv" fd00:231::1/64 "$cli" fd00:231::2/64 veth6 veth6

nfv_in "$cli" ping -c1 -W2 10.231.0.1 >/dev/null || nfv_fail "no IPv4 path over the veth pair"
nfv_in "$cli" ping -c1 -W2 fd00:231::1 >/dev/null || nfv_fail "no IPv6 path over the veth pair"
nfv_log "ok: veth pair carries IPv4 and IPv6"

nfv_spawn "$srv" dnsmasq dnsmasq --keep-in-foreground --no-resolv --no-hosts --conf-file=/dev/null \
  --listen-address=10.231.0.1 --bind-interfaces --port=5353 --pid-file= --log-facility=- \
  --host-record=rig.test,10.231.0.77
nfv_wait_for_udp_port "$srv" 5353 10
answer=$(nfv_in "$cli" dig +short +time=2 +tries=2 -p 5353 @10.231.0.1 rig.test A)
nfv_expect_eq "10.231.0.77" "$answer" "dig through the rig gets dnsmasq's host-record"

# Failure paths: a wait that cannot succeed must fail after its timeout, an expectation must fail.
if (nfv_wait_until 1 "something impossible" false) 2>/dev/null; then
  nfv_fail "nfv_wait_until returned success for a condition that never holds"
fi
if (nfv_expect_eq a b "mismatch") 2>/dev/null; then
  nfv_fail "nfv_expect_eq accepted a mismatch"
fi
nfv_log "ok: bounded waits and expectations fail when they must"

# Cleanup check: a nested run of a tiny rig script leaves no namespace behind.
child=$(NFV_SOURCE_DIR=$NFV_SOURCE_DIR bash -c 'source "$NFV_SOURCE_DIR/tests/interop/lib.sh"; n=$(nfv_netns_new tmp); echo "$n"; exit 3' || true)
[ -n "$child" ] || nfv_fail "nested rig did not create a namespace"
if ip netns list | grep -qw "$child"; then
  nfv_fail "namespace $child survived its test's exit"
fi
nfv_log "ok: namespaces are removed on a failing exit"
