#include "config/listen_sockets.hpp"

#include <algorithm>

namespace nfv::vpn::config {

namespace {

std::string default_host(AddressFamily family) {
    return family == AddressFamily::kIpv6 ? "::" : "0.0.0.0";
}

}  // namespace

Result<std::vector<ListenSocket>, ConfigError> listen_sockets(const VpnConfig& config) {
    const std::uint16_t default_port = config.lport.value_or(config.port);
    const bool multi = std::any_of(config.locals.begin(), config.locals.end(),
                                   [](const LocalLine& line) { return line.multi_socket(); });
    if (!multi) {
        const std::string host = config.locals.empty() ? default_host(config.protocol.family)
                                                       : config.locals.back().host;
        return std::vector<ListenSocket>{{host, default_port, config.protocol.transport}};
    }
    std::vector<ListenSocket> sockets;
    for (const LocalLine& line : config.locals) {
        const Protocol protocol = line.protocol.value_or(config.protocol);
        ListenSocket socket{line.host, line.port.value_or(default_port), protocol.transport};
        if (std::find(sockets.begin(), sockets.end(), socket) != sockets.end()) {
            return Unexpected(ConfigError{
                line.origin.file, line.origin.line, "local",
                socket.host + " port " + std::to_string(socket.port) +
                    (socket.transport == Transport::kTcp ? " tcp" : " udp") + " is listed twice"});
        }
        sockets.push_back(std::move(socket));
    }
    return sockets;
}

}  // namespace nfv::vpn::config
