// nfv-tls-proxy: A TLS-terminating reverse proxy that routes by SNI.
#include <cstdio>
#include <string_view>

namespace {

constexpr const char* kUsage =
    "Usage: nfv-tls-proxy [--help] [--version]\n"
    "\n"
    "A TLS-terminating reverse proxy that routes by SNI.\n"
    "Replaces: nginx stream/haproxy TLS termination.\n"
    "\n"
    "Status: this build contains the shared platform only. The tls-proxy protocol core,\n"
    "config import and runtime are not built yet, so nfv-tls-proxy refuses to start.\n"
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
            std::puts("nfv-tls-proxy " NFV_VERSION);
            return 0;
        }
    }
    std::fputs("nfv-tls-proxy: not implemented in this build; see --help\n", stderr);
    return 2;
}
