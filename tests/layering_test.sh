#!/usr/bin/env bash
# Checks the one-way layering of docs/architecture.md on the include lines of the source tree.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
violates() { # DESCRIPTION DIRS... -- PATTERN
  local what=$1; shift
  local dirs=()
  while [ "$1" != -- ]; do [ -d "$1" ] && dirs+=("$1"); shift; done
  shift
  [ "${#dirs[@]}" -gt 0 ] || return 0
  local hits
  hits=$(grep -rEn --include='*.hpp' --include='*.cpp' "^#include [<\"]($1)" "${dirs[@]}" || true)
  if [ -n "$hits" ]; then
    echo "layering violation: $what"
    echo "$hits"
    fail=1
  fi
}
violates "net/ must not include platform/io or apps" net -- 'nfv/platform/io/|apps/'
violates "platform/ must not include net/ or apps" platform -- 'nfv/net/|apps/'
violates "sans-I/O cores must not include platform/io" \
  apps/vpn/src/proto apps/vpn/src/config apps/dnsvizor/src/dns apps/dnsvizor/src/forward \
  apps/dnsvizor/src/config apps/tls-proxy/src/config -- 'nfv/platform/io/'
for app in vpn dnsvizor tls-proxy; do
  others=$(printf '%s\n' vpn dnsvizor tls-proxy | grep -vx "$app" | paste -sd'|')
  violates "apps/$app must not include another app" "apps/$app" -- "apps/($others)/"
done
# Self-check: the checker must notice a violation it is shown.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/net"; echo '#include <nfv/platform/io/event_loop.hpp>' > "$tmp/net/x.cpp"
if ! grep -rEq '^#include [<"](nfv/platform/io/)' "$tmp/net"; then echo "checker self-test failed"; fail=1; fi
[ "$fail" = 0 ] && echo "layering ok"
exit "$fail"
