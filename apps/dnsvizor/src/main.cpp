// nfv-dnsvizor: A dnsmasq-compatible DNS forwarder, cache and DHCP server.
#include <cstdio>
#include <string_view>

namespace {

constexpr const char* kUsage =
    "Usage: nfv-dnsvizor [--help] [--version]\n"
    "\n"
    "A dnsmasq-compatible DNS forwarder, cache and DHCP server.\n"
    "Replaces: dnsmasq (DNS forwarder and cache, local records, DHCPv4).\n"
    "\n"
    "Status: this build contains the shared platform only. The dnsvizor protocol core,\n"
    "config import and runtime are not built yet, so nfv-dnsvizor refuses to start.\n"
    "\n"
    "Options:\n"
    "  --help      print this text and exit\n"
    "  --version   print the version and exit\n";

}  // namespace

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg(
            argv[i]);  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
        if (arg == "--help" || arg == "-h") {
            std::fputs(kUsage, stdout);
            return 0;
        }
        if (arg == "--version") {
            std::puts("nfv-dnsvizor " NFV_VERSION);
            return 0;
        }
    }
    std::fputs("nfv-dnsvizor: not implemented in this build; see --help\n", stderr);
    return 2;
}
