#!/usr/bin/env bash
# Builds the Debian package from the current build tree (cpack -G DEB) and checks it:
# the binaries, hardened systemd units, sysusers file, the /etc conffile and the examples are
# in it; maintainer scripts are executable; the units pass `systemd-analyze verify` (with
# ExecStart pointed at the unpacked binaries) without any warning; each unit keeps the
# hardening settings issue 9 requires. Usage: packaging_test.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: packaging_test.sh BUILD_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

for bin in nfv-vpn nfv-dnsvizor nfv-tls-proxy; do
  [ -x "$(find "$build/apps" -name "$bin" -type f | head -1)" ] || fail "$bin not built in $build"
done
command -v cpack >/dev/null || fail "cpack missing"
command -v dpkg-deb >/dev/null || { echo "SKIP: dpkg-deb not installed"; exit 77; }

(cd "$build" && cpack -G DEB -B "$tmp/out" >"$tmp/cpack.log" 2>&1) || { cat "$tmp/cpack.log"; fail "cpack failed"; }
deb=$(find "$tmp/out" -maxdepth 1 -name 'nfv_*_amd64.deb' | head -1)
[ -n "$deb" ] || fail "no .deb produced"

dpkg-deb -c "$deb" | awk '{print $6}' >"$tmp/contents"
for path in ./usr/sbin/nfv-vpn ./usr/sbin/nfv-dnsvizor ./usr/sbin/nfv-tls-proxy \
            ./usr/lib/systemd/system/nfv-dnsvizor.service \
            ./usr/lib/systemd/system/nfv-tls-proxy.service \
            ./usr/lib/systemd/system/nfv-vpn@.service \
            ./usr/lib/sysusers.d/nfv.conf ./etc/nfv/dnsvizor.conf ./usr/share/doc/nfv/examples/ \
            ./usr/share/man/man8/nfv-vpn.8 ./usr/share/man/man8/nfv-dnsvizor.8 \
            ./usr/share/man/man8/nfv-tls-proxy.8 ./usr/share/doc/nfv/nfv-vpn.md \
            ./usr/share/doc/nfv/nfv-dnsvizor.md ./usr/share/doc/nfv/nfv-tls-proxy.md; do
  grep -qxF "$path" "$tmp/contents" || fail "$path missing from the package"
done
dpkg-deb -I "$deb" >"$tmp/info"
grep -q "Package: nfv" "$tmp/info" || fail "control: package name"
grep -q "Depends:.*libssl3" "$tmp/info" || fail "control: runtime dependencies"
mkdir "$tmp/control"
dpkg-deb -e "$deb" "$tmp/control"
[ -x "$tmp/control/postinst" ] || fail "postinst not executable"
grep -qxF /etc/nfv/dnsvizor.conf "$tmp/control/conffiles" || fail "dnsvizor.conf not a conffile"

mkdir "$tmp/root" "$tmp/units"
dpkg-deb -x "$deb" "$tmp/root"
for unit in "$tmp"/root/usr/lib/systemd/system/*.service; do
  name=$(basename "$unit")
  for key in User= CapabilityBoundingSet= ProtectSystem=strict PrivateTmp=yes NoNewPrivileges=yes; do
    grep -q "^$key" "$unit" || fail "$name lacks $key"
  done
  # Only the three capabilities the apps may need.
  caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$unit" | tr ' ' '\n' |
         grep -vxE 'CAP_NET_ADMIN|CAP_NET_BIND_SERVICE|CAP_NET_RAW' || true)
  [ -z "$caps" ] || fail "$name allows more capabilities: $caps"
  target=$name
  [ "$name" = "nfv-vpn@.service" ] && target=nfv-vpn@office.service
  sed "s|/usr/sbin/|$tmp/root/usr/sbin/|g" "$unit" >"$tmp/units/$target"
done
if command -v systemd-analyze >/dev/null; then
  if ! systemd-analyze verify --man=no "$tmp"/units/*.service >"$tmp/verify.log" 2>&1 ||
     [ -s "$tmp/verify.log" ]; then
    cat "$tmp/verify.log" >&2
    fail "systemd-analyze verify reported problems"
  fi
else
  echo "note: systemd-analyze missing, unit syntax not verified"
fi
echo "packaging: $(basename "$deb") OK ($(wc -l <"$tmp/contents") entries)"
