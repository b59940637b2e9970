#include "config/options.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <string>

namespace nfv::vpn::config {
namespace {

constexpr Scope kC = Scope::kClient;
constexpr Scope kS = Scope::kServer;
constexpr Scope kB = Scope::kBoth;

constexpr OptionSpec sup(std::string_view name, std::uint8_t min, std::uint8_t max, Scope scope,
                         std::string_view note = "") {
    return {name, min, max, scope, Support::kSupported, false, note};
}
constexpr OptionSpec sup_inline(std::string_view name, std::uint8_t min, std::uint8_t max,
                                Scope scope, std::string_view note = "") {
    return {name, min, max, scope, Support::kSupported, true, note};
}
constexpr OptionSpec ign(std::string_view name, std::uint8_t min, std::uint8_t max, Scope scope,
                         std::string_view note) {
    return {name, min, max, scope, Support::kIgnored, false, note};
}
constexpr OptionSpec uns(std::string_view name, std::uint8_t min, std::uint8_t max, Scope scope,
                         std::string_view note, bool inline_allowed = false) {
    return {name, min, max, scope, Support::kUnsupported, inline_allowed, note};
}
constexpr OptionSpec rem(std::string_view name, std::uint8_t min, std::uint8_t max,
                         std::string_view note) {
    return {name, min, max, kB, Support::kRemoved, false, note};
}

constexpr std::string_view kWindows = "Windows only; OpenVPN on Linux rejects it as well";
constexpr std::string_view kPushOnly = "only meaningful when pushed by a server";
constexpr std::string_view kManagement = "management interface feature not implemented";
constexpr std::string_view kStandalone = "standalone OpenVPN operation, not a tunnel setting";
constexpr std::string_view kProxy = "connecting through a proxy is not implemented";
constexpr std::string_view kPkcs11 = "PKCS#11 tokens are not supported; use cert/key or pkcs12";

// Sorted by name (a unit test checks the order; find_option() relies on it).
constexpr auto kOptions = std::to_array<OptionSpec>({
    sup("allow-compression", 1, 1, kB),
    rem("allow-nonadmin", 0, 1, kWindows),
    uns("allow-pull-fqdn", 0, 0, kC, "host names in pushed routes are not resolved"),
    ign("allow-recursive-routing", 0, 0, kC, "nfv-vpn does not check for recursive routes"),
    uns("askpass", 0, 1, kB, "encrypted private keys are not supported"),
    sup("auth", 1, 1, kB),
    uns("auth-gen-token", 0, 4, kS, "server-generated auth tokens are not implemented"),
    uns("auth-gen-token-secret", 1, 2, kS, "server-generated auth tokens are not implemented",
        true),
    sup("auth-nocache", 0, 0, kC),
    sup("auth-retry", 1, 1, kC),
    uns("auth-token", 1, 1, kC, kPushOnly),
    uns("auth-token-user", 1, 1, kC, kPushOnly),
    sup_inline("auth-user-pass", 0, 2, kC),
    uns("auth-user-pass-optional", 0, 0, kS, "optional client authentication is not implemented"),
    sup("auth-user-pass-verify", 2, 2, kS),
    ign("bcast-buffers", 1, 1, kB, "buffer counts are managed by nfv-vpn"),
    sup("bind", 0, 1, kB),
    uns("bind-dev", 1, 1, kB, "VRF binding is not implemented"),
    sup("block-ipv6", 0, 0, kB),
    rem("block-outside-dns", 0, 0, kWindows),
    sup_inline("ca", 1, 1, kB),
    uns("capath", 1, 1, kB, "CA directories are not supported; use ca"),
    sup("ccd-exclusive", 0, 0, kS),
    sup("cd", 1, 1, kB),
    sup_inline("cert", 1, 1, kB),
    uns("chroot", 1, 1, kB, "chroot is not implemented"),
    sup("cipher", 1, 1, kB),
    sup("client", 0, 0, kC),
    rem("client-cert-not-required", 0, 0, "removed in OpenVPN 2.5; use verify-client-cert none"),
    sup("client-config-dir", 1, 1, kS),
    sup("client-connect", 1, 1, kS),
    uns("client-crresponse", 1, 1, kS, "challenge/response scripts are not implemented"),
    sup("client-disconnect", 1, 1, kS),
    uns("client-nat", 4, 4, kC, "client-side NAT is not implemented"),
    sup("client-to-client", 0, 0, kS),
    sup("comp-lzo", 0, 1, kB),
    ign("comp-noadapt", 0, 0, kB, "nfv-vpn never compresses"),
    uns("compat-mode", 1, 1, kB, "nfv-vpn implements OpenVPN 2.6 defaults only"),
    rem("compat-names", 0, 1, "removed in OpenVPN 2.5"),
    sup("compress", 0, 1, kB),
    sup("config", 1, 1, kB),
    uns("connect-freq", 2, 2, kS, "connection rate limiting is not implemented"),
    uns("connect-freq-initial", 2, 2, kS, "connection rate limiting is not implemented"),
    sup("connect-retry", 1, 2, kC),
    sup("connect-retry-max", 1, 1, kC),
    sup("connect-timeout", 1, 1, kC),
    uns("connection", 1, 1, kC, "<connection> profiles are not supported; use several remote lines",
        true),
    sup_inline("crl-verify", 1, 2, kS),
    rem("cryptoapicert", 1, 1, kWindows),
    sup("daemon", 0, 1, kB),
    sup("data-ciphers", 1, 1, kB),
    sup("data-ciphers-fallback", 1, 1, kB),
    sup("dev", 1, 1, kB),
    uns("dev-node", 1, 1, kB, "nfv-vpn creates its own TUN device"),
    sup("dev-type", 1, 1, kB),
    sup_inline("dh", 1, 1, kS),
    rem("dhcp-internal", 1, 1, kWindows),
    sup("dhcp-option", 1, 3, kB),
    rem("dhcp-pre-release", 0, 0, kWindows),
    rem("dhcp-release", 0, 0, kWindows),
    rem("dhcp-renew", 0, 0, kWindows),
    sup("disable", 0, 0, kS),
    ign("disable-dco", 0, 0, kB, "nfv-vpn never uses data channel offload"),
    ign("disable-occ", 0, 0, kB, "deprecated; option consistency checks only log"),
    uns("dns", 1, 5, kB, "the 2.6 --dns option is not implemented; use dhcp-option"),
    sup("down", 1, 1, kB),
    sup("down-pre", 0, 0, kB),
    sup("duplicate-cn", 0, 0, kS),
    ign("ecdh-curve", 1, 1, kB, "OpenSSL 3 chooses curves itself; use tls-groups"),
    ign("echo", 0, kAnyArgs, kB, "management echo messages are not implemented"),
    uns("engine", 0, 1, kB, "OpenSSL engines are not supported"),
    ign("errors-to-stderr", 0, 0, kB, "errors always go to the log"),
    sup("explicit-exit-notify", 0, 1, kB),
    sup_inline("extra-certs", 1, 1, kB),
    ign("fast-io", 0, 0, kB, "nfv-vpn's event loop is always non-blocking"),
    sup("float", 0, 0, kB),
    uns("force-tls-key-material-export", 0, 0, kB, "not implemented"),
    uns("fragment", 1, 2, kB, "internal fragmentation is not implemented; use mssfix"),
    uns("genkey", 0, 3, kB, kStandalone),
    uns("gremlin", 1, 1, kB, "a test-only OpenVPN feature"),
    sup("group", 1, 1, kB),
    sup("hand-window", 1, 1, kB),
    ign("hash-size", 2, 2, kS, "nfv-vpn sizes its tables itself"),
    uns("help", 0, 0, kB, kStandalone),
    uns("http-proxy", 1, 4, kC, kProxy),
    uns("http-proxy-option", 1, 2, kC, kProxy),
    uns("http-proxy-override", 2, 3, kC, kProxy),
    uns("http-proxy-retry", 0, 0, kC, kProxy),
    uns("http-proxy-timeout", 1, 1, kC, kProxy),
    uns("http-proxy-user-pass", 1, 1, kC, kProxy, true),
    sup("ifconfig", 2, 2, kB),
    sup("ifconfig-ipv6", 2, 2, kB),
    sup("ifconfig-ipv6-pool", 1, 1, kS),
    sup("ifconfig-ipv6-push", 1, 2, kS),
    sup("ifconfig-noexec", 0, 0, kB),
    ign("ifconfig-nowarn", 0, 0, kB, "nfv-vpn does not compare ifconfig settings with the peer"),
    sup("ifconfig-pool", 2, 3, kS),
    rem("ifconfig-pool-linear", 0, 0, "removed in OpenVPN 2.5; use topology p2p"),
    sup("ifconfig-pool-persist", 1, 2, kS),
    sup("ifconfig-push", 2, 3, kS),
    uns("ifconfig-push-constraint", 2, 2, kS, "not implemented"),
    sup("ignore-unknown-option", 1, kAnyArgs, kB),
    sup("inactive", 1, 2, kB),
    rem("ip-remote-hint", 0, 1, kWindows),
    rem("ip-win32", 1, 3, kWindows),
    uns("ipchange", 1, 1, kB, "the ipchange script is not implemented"),
    uns("iproute", 1, 1, kB, "nfv-vpn configures routes through netlink"),
    sup("iroute", 1, 2, kS),
    sup("iroute-ipv6", 1, 1, kS),
    sup("keepalive", 2, 2, kB),
    sup_inline("key", 1, 1, kB),
    uns("key-derivation", 1, 1, kC, kPushOnly),
    sup("key-direction", 1, 1, kB),
    rem("key-method", 1, 1, "removed in OpenVPN 2.5; key-method 2 is the only method"),
    uns("keying-material-exporter", 2, 2, kB, "not implemented"),
    rem("keysize", 1, 1, "removed in OpenVPN 2.6; the cipher name fixes the key size"),
    uns("learn-address", 1, 1, kS, "the learn-address script is not implemented"),
    uns("link-mtu", 1, 1, kB, "deprecated; use tun-mtu"),
    uns("lladdr", 1, 1, kB, "TAP devices are not supported"),
    sup("local", 1, 3, kB,
        "HOST alone sets the bind address (the last one wins, as openvpn 2.6); HOST PORT [PROTO] "
        "adds a listening socket per line (openvpn 2.7 multi-socket server)"),
    sup("log", 1, 1, kB),
    sup("log-append", 1, 1, kB),
    sup("lport", 1, 1, kB),
    ign("machine-readable-output", 0, 0, kB, "the log format is nfv's own"),
    sup("management", 2, 3, kB,
        "server: TCP, the status/kill/load-stats/signal subset (docs/nfv-vpn.md); unix sockets and "
        "client mode warn"),
    uns("management-client", 0, 0, kB, kManagement),
    uns("management-client-auth", 0, 0, kS, kManagement),
    uns("management-client-group", 1, 1, kB, kManagement),
    uns("management-client-user", 1, 1, kB, kManagement),
    uns("management-external-cert", 1, 1, kB, kManagement),
    uns("management-external-key", 0, 3, kB, kManagement),
    uns("management-forget-disconnect", 0, 0, kB, kManagement),
    uns("management-hold", 0, 0, kB, kManagement),
    uns("management-log-cache", 1, 1, kB, kManagement),
    uns("management-query-passwords", 0, 0, kB, kManagement),
    uns("management-query-proxy", 0, 0, kC, kManagement),
    uns("management-query-remote", 0, 0, kC, kManagement),
    uns("management-signal", 0, 0, kB, kManagement),
    uns("management-up-down", 0, 0, kB, kManagement),
    uns("mark", 1, 1, kB, "socket marks are not implemented"),
    sup("max-clients", 1, 1, kS),
    uns("max-packet-size", 1, 1, kB, "not implemented"),
    ign("max-routes", 1, 1, kB, "deprecated in OpenVPN 2.4; routes are unlimited"),
    uns("max-routes-per-client", 1, 1, kS, "not implemented"),
    uns("memstats", 1, 1, kB, "not implemented"),
    uns("mktun", 0, 0, kB, kStandalone),
    ign("mlock", 0, 0, kB, "memory locking is not implemented"),
    sup("mode", 1, 1, kB),
    rem("msg-channel", 1, 1, kWindows),
    sup("mssfix", 0, 2, kB),
    uns("mtu-disc", 1, 1, kB, "path MTU discovery modes are not implemented"),
    rem("mtu-dynamic", 0, 2, "removed in OpenVPN 2.0"),
    uns("mtu-test", 0, 0, kB, "not implemented"),
    uns("multihome", 0, 1, kS, "not implemented"),
    ign("mute", 1, 1, kB, "repeated log lines are not muted yet"),
    ign("mute-replay-warnings", 0, 0, kB, "replayed packets are counted, never logged"),
    sup("ncp-ciphers", 1, 1, kB, "old name of data-ciphers"),
    rem("ncp-disable", 0, 0,
        "removed in OpenVPN 2.6; cipher negotiation is always on (set data-ciphers)"),
    ign("nice", 1, 1, kB, "process priority is left to the service manager"),
    rem("no-iv", 0, 0, "removed in OpenVPN 2.5"),
    ign("no-name-remapping", 0, 0, kS, "deprecated; names are not remapped"),
    uns("no-replay", 0, 0, kB, "replay protection cannot be disabled"),
    sup("nobind", 0, 0, kC),
    uns("ns-cert-type", 1, 1, kC, "deprecated; use remote-cert-tls"),
    ign("opt-verify", 0, 0, kB, "deprecated; option strings are only logged"),
    uns("parameter", 2, 2, kB, "not implemented"),
    ign("passtos", 0, 0, kB, "TOS copying is not implemented"),
    rem("pause-exit", 0, 0, kWindows),
    sup_inline("peer-fingerprint", 1, 1, kB),
    uns("peer-id", 1, 1, kC, kPushOnly),
    sup("persist-key", 0, 0, kB),
    ign("persist-local-ip", 0, 0, kB, "addresses are resolved on every restart"),
    ign("persist-remote-ip", 0, 0, kB, "addresses are resolved on every restart"),
    sup("persist-tun", 0, 0, kB),
    sup("ping", 1, 1, kB),
    sup("ping-exit", 1, 1, kB),
    sup("ping-restart", 1, 1, kB),
    ign("ping-timer-rem", 0, 0, kB, "timers always run"),
    uns("pkcs11-cert-private", 1, kAnyArgs, kB, kPkcs11),
    uns("pkcs11-id", 1, 1, kB, kPkcs11),
    uns("pkcs11-id-management", 0, 0, kB, kPkcs11),
    uns("pkcs11-pin-cache", 1, 1, kB, kPkcs11),
    uns("pkcs11-private-mode", 1, kAnyArgs, kB, kPkcs11),
    uns("pkcs11-protected-authentication", 1, kAnyArgs, kB, kPkcs11),
    uns("pkcs11-providers", 1, kAnyArgs, kB, kPkcs11),
    uns("pkcs12", 1, 1, kB, "PKCS#12 files are not loaded yet; use ca, cert and key", true),
    uns("plugin", 1, kAnyArgs, kB, "plugins are not supported"),
    sup("port", 1, 1, kB),
    uns("port-share", 2, 3, kS, "port sharing is not implemented"),
    uns("preresolve", 0, 0, kC, "not implemented"),
    rem("prng", 0, 2, "removed in OpenVPN 2.5"),
    sup("proto", 1, 1, kB),
    uns("proto-force", 1, 1, kB, "not implemented"),
    uns("protocol-flags", 1, kAnyArgs, kC, kPushOnly),
    uns("providers", 1, kAnyArgs, kB, "OpenSSL providers are not supported"),
    sup("pull", 0, 0, kC),
    sup("pull-filter", 2, 2, kC),
    sup("push", 1, 1, kS),
    uns("push-continuation", 1, 1, kC, kPushOnly),
    ign("push-peer-info", 0, 0, kC, "nfv-vpn sends a fixed, truthful peer-info"),
    sup("push-remove", 1, 1, kS),
    sup("push-reset", 0, 0, kS),
    ign("rcvbuf", 1, 1, kB, "socket buffers are sized by nfv-vpn"),
    rem("rdns-internal", 0, 0, kWindows),
    sup("redirect-gateway", 0, 6, kB),
    sup("redirect-private", 0, 6, kB),
    rem("register-dns", 0, 0, kWindows),
    ign("remap-usr1", 1, 1, kB, "signals keep their OpenVPN default meaning"),
    sup("remote", 1, 3, kC),
    uns("remote-cert-eku", 1, 1, kC, "not implemented; use remote-cert-tls"),
    uns("remote-cert-ku", 0, kAnyArgs, kC, "not implemented; use remote-cert-tls"),
    sup("remote-cert-tls", 1, 1, kB),
    sup("remote-random", 0, 0, kC),
    uns("remote-random-hostname", 0, 0, kC, "not implemented"),
    sup("reneg-bytes", 1, 1, kB),
    sup("reneg-pkts", 1, 1, kB),
    sup("reneg-sec", 1, 2, kB),
    uns("replay-persist", 1, 1, kB, "not implemented"),
    sup("replay-window", 1, 2, kB),
    sup("resolv-retry", 1, 1, kC),
    uns("rmtun", 0, 0, kB, kStandalone),
    sup("route", 1, 4, kB),
    ign("route-delay", 0, 2, kB, "routes are added as soon as the tunnel is up"),
    sup("route-gateway", 1, 1, kB),
    sup("route-ipv6", 1, 3, kB),
    sup("route-ipv6-gateway", 1, 1, kB),
    rem("route-method", 1, 1, kWindows),
    sup("route-metric", 1, 1, kB),
    sup("route-noexec", 0, 0, kB),
    sup("route-nopull", 0, 0, kC),
    sup("route-pre-down", 1, 1, kB),
    sup("route-up", 1, 1, kB),
    sup("rport", 1, 1, kC),
    sup("script-security", 1, 2, kB),
    uns("secret", 1, 2, kB, "static-key mode is deprecated and not implemented; use TLS", true),
    sup("server", 2, 3, kS),
    uns("server-bridge", 0, 4, kS, "TAP bridging is not supported"),
    sup("server-ipv6", 1, 1, kS),
    sup("server-poll-timeout", 1, 1, kC),
    rem("service", 1, 2, kWindows),
    uns("session-timeout", 1, 1, kB, "not implemented"),
    uns("setcon", 1, 1, kB, "SELinux contexts are not implemented"),
    sup("setenv", 1, 2, kB),
    sup("setenv-safe", 1, 2, kB),
    uns("shaper", 1, 1, kB, "traffic shaping is not implemented"),
    uns("show-adapters", 0, 0, kB, kStandalone),
    uns("show-ciphers", 0, 0, kB, kStandalone),
    uns("show-curves", 0, 0, kB, kStandalone),
    uns("show-digests", 0, 0, kB, kStandalone),
    uns("show-engines", 0, 0, kB, kStandalone),
    uns("show-gateway", 0, 1, kB, kStandalone),
    uns("show-groups", 0, 0, kB, kStandalone),
    uns("show-net", 0, 0, kB, kStandalone),
    uns("show-net-up", 0, 0, kB, kStandalone),
    uns("show-pkcs11-ids", 0, 2, kB, kStandalone),
    uns("show-tls", 0, 0, kB, kStandalone),
    uns("show-valid-subnets", 0, 0, kB, kStandalone),
    uns("single-session", 0, 0, kS, "not implemented"),
    ign("sndbuf", 1, 1, kB, "socket buffers are sized by nfv-vpn"),
    ign("socket-flags", 1, kAnyArgs, kB, "socket flags are chosen by nfv-vpn"),
    uns("socks-proxy", 1, 3, kC, kProxy),
    uns("socks-proxy-retry", 0, 0, kC, kProxy),
    uns("stale-routes-check", 1, 2, kS, "not implemented"),
    uns("static-challenge", 2, 3, kC, "challenge/response authentication is not implemented"),
    sup("status", 1, 2, kB,
        "server: written every SECONDS (default 60) in the status-version format; client: warns, "
        "not written yet"),
    sup("status-version", 1, 1, kS, "1, 2 or 3, as OpenVPN 2.6 writes them"),
    ign("suppress-timestamps", 0, 0, kB, "the log format is nfv's own"),
    sup("syslog", 0, 1, kB),
    rem("tap-sleep", 1, 1, kWindows),
    ign("tcp-nodelay", 0, 0, kB, "nfv-vpn always disables Nagle on TCP transports"),
    ign("tcp-queue-limit", 1, 1, kB, "queue sizes are managed by nfv-vpn"),
    uns("test-crypto", 0, 0, kB, kStandalone),
    sup_inline("tls-auth", 1, 2, kB),
    sup("tls-cert-profile", 1, 1, kB),
    sup("tls-cipher", 1, 1, kB),
    sup("tls-ciphersuites", 1, 1, kB),
    sup("tls-client", 0, 0, kC),
    sup_inline("tls-crypt", 1, 1, kB),
    sup_inline("tls-crypt-v2", 1, 2, kB),
    sup("tls-crypt-v2-verify", 1, 1, kS,
        "run before any session state, with metadata_type and metadata_file"),
    sup("tls-exit", 0, 0, kB),
    uns("tls-export-cert", 1, 1, kS, "not implemented"),
    sup("tls-groups", 1, 1, kB),
    rem("tls-remote", 1, 1, "removed in OpenVPN 2.4; use verify-x509-name"),
    sup("tls-server", 0, 0, kS),
    sup("tls-timeout", 1, 1, kB),
    sup("tls-verify", 1, 2, kB,
        "server: run for each certificate of the client's chain (after the handshake); client: "
        "refused (use verify-x509-name, remote-cert-tls or peer-fingerprint)"),
    sup("tls-version-max", 1, 1, kB),
    sup("tls-version-min", 1, 2, kB),
    sup("tmp-dir", 1, 1, kB),
    sup("topology", 1, 1, kB),
    sup("tran-window", 1, 1, kB),
    ign("tun-ipv6", 0, 0, kB, "IPv6 needs no special TUN handling (OpenVPN ignores it too)"),
    sup("tun-mtu", 1, 2, kB),
    uns("tun-mtu-extra", 1, 1, kB, "TAP devices are not supported"),
    uns("tun-mtu-max", 1, 1, kC, "not implemented"),
    ign("txqueuelen", 1, 1, kB, "the TUN queue length is left at the kernel default"),
    uns("udp-mtu", 1, 1, kB, "deprecated alias of link-mtu; use tun-mtu"),
    sup("up", 1, 1, kB),
    uns("up-delay", 0, 0, kB, "not implemented"),
    ign("up-restart", 0, 0, kB, "up runs on every (re)connect"),
    ign("use-prediction-resistance", 0, 0, kB, "the OS random generator is used directly"),
    sup("user", 1, 1, kB),
    sup("username-as-common-name", 0, 0, kS),
    sup("verb", 1, 1, kB),
    sup("verify-client-cert", 1, 1, kS),
    uns("verify-hash", 1, 2, kC, "deprecated; use peer-fingerprint"),
    sup("verify-x509-name", 1, 2, kB),
    uns("version", 0, 0, kB, kStandalone),
    uns("vlan-accept", 1, 1, kS, "TAP VLANs are not supported"),
    uns("vlan-pvid", 1, 1, kS, "TAP VLANs are not supported"),
    uns("vlan-tagging", 0, 0, kS, "TAP VLANs are not supported"),
    rem("win-sys", 1, 1, kWindows),
    rem("windows-driver", 1, 1, kWindows),
    sup("writepid", 1, 1, kB),
    uns("x509-track", 1, 1, kS, "not implemented"),
    uns("x509-username-field", 1, kAnyArgs, kS, "not implemented"),
});

std::string count_text(const OptionSpec& spec) {
    if (spec.min_args == spec.max_args) {
        return std::to_string(spec.min_args);
    }
    if (spec.max_args == kAnyArgs) {
        return "at least " + std::to_string(spec.min_args);
    }
    return std::to_string(spec.min_args) + " to " + std::to_string(spec.max_args);
}

// State of OpenVPN's "optional directive" rules while walking a config in order.
class OptionalRules {
public:
    void add_ignored(std::string_view name) {
        if (name.starts_with("--")) {
            name.remove_prefix(2);
        }
        ignored_.emplace(name);
    }
    void set_forward_compatible() { forward_compatible_ = true; }
    [[nodiscard]] bool is_optional(std::string_view name, bool setenv_opt) const {
        return setenv_opt || forward_compatible_ || ignored_.contains(std::string(name));
    }

private:
    std::set<std::string, std::less<>> ignored_;
    bool forward_compatible_ = false;
};

void report(Diagnostics& diagnostics, bool as_warning, const Directive& directive,
            std::string message) {
    ConfigError entry{directive.file, directive.line, directive.name, std::move(message)};
    if (as_warning) {
        entry.message += " (ignored)";
        diagnostics.warnings.push_back(std::move(entry));
    } else {
        diagnostics.errors.push_back(std::move(entry));
    }
}

}  // namespace

std::span<const OptionSpec> option_table() {
    return kOptions;
}

const OptionSpec* find_option(std::string_view name) {
    const auto* found = std::lower_bound(
        kOptions.begin(), kOptions.end(), name,
        [](const OptionSpec& spec, std::string_view key) { return spec.name < key; });
    if (found == kOptions.end() || found->name != name) {
        return nullptr;
    }
    return found;
}

std::string_view support_name(Support support) {
    switch (support) {
        case Support::kSupported:
            return "supported";
        case Support::kIgnored:
            return "ignored";
        case Support::kUnsupported:
            return "unsupported";
        case Support::kRemoved:
            return "removed";
    }
    return "unknown";
}

FilteredDirectives filter_directives(std::span<const Directive> directives) {
    FilteredDirectives out;
    OptionalRules rules;

    for (const Directive& original : directives) {
        Directive directive = original;
        bool setenv_opt = false;
        if (directive.name == "setenv" && !directive.is_inline && !directive.args.empty() &&
            directive.args.front() == "opt") {
            setenv_opt = true;
            if (directive.args.size() == 1) {
                report(out.diagnostics, true, directive, "setenv opt without a directive");
                continue;
            }
            directive.name = directive.args[1];
            directive.args.erase(directive.args.begin(), directive.args.begin() + 2);
        }
        const bool optional = rules.is_optional(directive.name, setenv_opt);
        const OptionSpec* spec = find_option(directive.name);
        if (spec == nullptr) {
            report(out.diagnostics, optional, directive,
                   "Unrecognized option or missing or extra parameter(s)");
            continue;
        }
        if (directive.is_inline && !spec->inline_allowed) {
            report(out.diagnostics, optional, directive, "cannot be given as an inline block");
            continue;
        }
        if (!directive.is_inline &&
            (directive.args.size() < spec->min_args || directive.args.size() > spec->max_args)) {
            report(out.diagnostics, optional, directive,
                   "expects " + count_text(*spec) + " parameter(s), got " +
                       std::to_string(directive.args.size()));
            continue;
        }
        switch (spec->support) {
            case Support::kSupported:
                break;
            case Support::kIgnored:
                out.diagnostics.warnings.push_back(ConfigWarning{
                    directive.file, directive.line, directive.name,
                    "has no effect in nfv-vpn: " + std::string(spec->note) + " (ignored)"});
                continue;
            case Support::kUnsupported:
                report(out.diagnostics, optional, directive,
                       "not supported by nfv-vpn: " + std::string(spec->note));
                continue;
            case Support::kRemoved:
                report(out.diagnostics, optional, directive,
                       "not accepted by OpenVPN 2.6 either: " + std::string(spec->note));
                continue;
        }
        if (directive.name == "ignore-unknown-option") {
            for (const std::string& name : directive.args) {
                rules.add_ignored(name);
            }
        } else if (directive.name == "setenv" && directive.args.size() == 2 &&
                   directive.args[0] == "FORWARD_COMPATIBLE" && directive.args[1] == "1") {
            rules.set_forward_compatible();
        }
        out.directives.push_back(std::move(directive));
    }
    return out;
}

}  // namespace nfv::vpn::config
