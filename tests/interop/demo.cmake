# The demo site (scripts/demo, issue 9) against this build tree's binaries: a DHCP lease, DNS,
# a ping through nfv-vpn to a real openvpn server and a page through nfv-tls-proxy. With
# NFV_BUILD_DIR set (nfv_add_interop_test does) the script skips scripts/setup and the build.
nfv_add_interop_test(interop.demo SCRIPT ${PROJECT_SOURCE_DIR}/scripts/demo)

# Each packaged systemd unit's ExecStartPre/ExecStart, run as systemd would (unprivileged user,
# the unit's ambient capabilities, its working directory) with the example configurations.
nfv_add_interop_test(interop.units_start SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/units_start.sh)
