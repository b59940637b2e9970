// nfv-vpn: An OpenVPN-compatible VPN client and server.
#include <cstdio>
#include <string_view>

namespace {

constexpr const char* kUsage =
    "Usage: nfv-vpn [--help] [--version]\n"
    "\n"
    "An OpenVPN-compatible VPN client and server.\n"
    "Replaces: OpenVPN 2.6 client and server.\n"
    "\n"
    "Status: this build contains the shared platform only. The vpn protocol core,\n"
    "config import and runtime are not built yet, so nfv-vpn refuses to start.\n"
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
            std::puts("nfv-vpn " NFV_VERSION);
            return 0;
        }
    }
    std::fputs("nfv-vpn: not implemented in this build; see --help\n", stderr);
    return 2;
}
