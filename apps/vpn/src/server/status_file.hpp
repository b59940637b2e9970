// OpenVPN's server status file (`status FILE [SECONDS]`, `status-version 1|2|3`).
//
// Reference: OpenVPN 2.6 multi.c multi_print_status(), checked against the files openvpn
// 2.6.14 writes (tests/interop/vpn_server_vs_openvpn.sh compares the two):
//   version 1: "OpenVPN CLIENT LIST", "Updated,<time>", a CSV client list, "ROUTING TABLE",
//              "GLOBAL STATS", "END";
//   version 2: TITLE/TIME/HEADER/CLIENT_LIST/ROUTING_TABLE/GLOBAL_STATS/END rows, comma
//              separated, with the time both as "%Y-%m-%d %H:%M:%S" (local time) and time_t;
//   version 3: version 2 with tabs instead of commas.
// Monitoring tools (openvpn-monitor, Prometheus exporters, PiVPN's `pivpn -c`) parse these by
// position, so the columns and their order are kept exactly. Username is "UNDEF" (nfv-vpn has
// no auth-user-pass-verify yet). Pure: formatting only; the runtime writes the text.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "server/client_snapshot.hpp"

namespace nfv::vpn::server {

struct StatusContext {
    std::uint8_t version = 1;  // 1, 2 or 3
    std::string title;         // version 2/3 TITLE, e.g. "nfv-vpn 0.1.0"
    std::uint32_t now = 0;     // Unix seconds
};

/// The whole file for `clients` (in the order given).
[[nodiscard]] std::string format_status(const StatusContext& context,
                                        std::span<const ClientSnapshot> clients);

/// "%Y-%m-%d %H:%M:%S" in local time, as OpenVPN 2.6 prints times in the status file.
[[nodiscard]] std::string status_time(std::uint32_t unix_seconds);

}  // namespace nfv::vpn::server
