// nfv-docgen: prints the supported-options reference of each app from the app's own tables,
// so docs/<app>-options.md and the OPTIONS section of man/<binary>.8 cannot drift from the code.
//
//   nfv-docgen dnsvizor md|man     nfv::dnsvizor::config::all_options() (dnsmasq 2.90 options)
//   nfv-docgen vpn md|man          nfv::vpn::config::option_table() (OpenVPN 2.6 directives)
//   nfv-docgen tls-proxy md|man SCHEMA
//                                  configs/tls-proxy/schema.json, the JSON Schema of the config
//                                  (kept in step with the parser by tests/apps/tls-proxy)
//
// Output goes to stdout; scripts/gen-docs assembles the files and checks them in ctest.
// Exit codes: 0 printed, 2 bad usage, 1 unreadable schema.
#include <cstdio>
#include <span>
#include <string_view>

#include "doc_text.hpp"

using nfv::docgen::Format;

int main(int argc, char** argv) {
    const std::span<char*> args(argv, static_cast<std::size_t>(argc));
    if (args.size() < 3) {
        std::fputs(
            "usage: nfv-docgen dnsvizor|vpn md|man\n"
            "       nfv-docgen tls-proxy md|man SCHEMA\n",
            stderr);
        return 2;
    }
    const std::string_view app = args[1];
    const std::string_view kind = args[2];
    if (kind != "md" && kind != "man") {
        std::fprintf(stderr, "nfv-docgen: format must be md or man, not %s\n", args[2]);
        return 2;
    }
    const Format format = kind == "md" ? Format::kMarkdown : Format::kMan;
    if (app == "dnsvizor" && args.size() == 3) {
        nfv::docgen::print_dnsvizor_options(format);
        return 0;
    }
    if (app == "vpn" && args.size() == 3) {
        nfv::docgen::print_vpn_options(format);
        return 0;
    }
    if (app == "tls-proxy" && args.size() == 4) {
        return nfv::docgen::print_tls_proxy_options(format, args[3]);
    }
    std::fputs("nfv-docgen: unknown app or wrong argument count\n", stderr);
    return 2;
}
