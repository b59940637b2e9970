#include "server/client_config.hpp"

#include "config/config_lexer.hpp"

namespace nfv::vpn::server {
namespace {

config::ConfigError error(const config::Directive& d, std::string message) {
    return config::ConfigError{d.file, d.line, d.name, std::move(message)};
}

// OpenVPN's argument counts for the directives below: min..max after the name.
bool arity(const config::Directive& d, std::size_t min, std::size_t max) {
    return d.args.size() >= min && d.args.size() <= max;
}

}  // namespace

Result<ClientConfig, config::ConfigError> parse_client_config(std::string_view text,
                                                              std::string_view file_name) {
    auto directives = config::lex_config(text, file_name);
    if (!directives) {
        return Unexpected(directives.error());
    }
    ClientConfig out;
    for (const auto& d : *directives) {
        if (d.name == "iroute" && arity(d, 1, 2)) {
            const auto network = net::Ipv4Address::parse(d.args[0]);
            const auto netmask = d.args.size() == 2 ? net::Ipv4Address::parse(d.args[1])
                                                    : net::Ipv4Address::from_u32(0xffffffffU);
            const auto prefix =
                netmask ? net::Ipv4Cidr::prefix_from_netmask(*netmask) : std::nullopt;
            if (!network || !prefix) {
                return Unexpected(error(d, "expects an IPv4 network and a contiguous netmask"));
            }
            out.iroutes.emplace_back(net::Ipv4Cidr(*network, *prefix));
        } else if (d.name == "iroute-ipv6" && arity(d, 1, 1)) {
            const auto network = net::Ipv6Cidr::parse(d.args[0]);
            if (!network) {
                return Unexpected(error(d, "expects an IPv6 NETWORK/BITS"));
            }
            out.iroutes.emplace_back(*network);
        } else if (d.name == "ifconfig-push" && arity(d, 2, 3)) {
            const auto local = net::Ipv4Address::parse(d.args[0]);
            const auto second = net::Ipv4Address::parse(d.args[1]);
            if (!local || !second) {
                return Unexpected(error(d, "expects two IPv4 addresses"));
            }
            if (d.args.size() == 3) {
                return Unexpected(error(d, "the alias argument is not supported by nfv-vpn"));
            }
            out.ifconfig_push = std::pair(*local, *second);
        } else if (d.name == "ifconfig-ipv6-push" && arity(d, 1, 2)) {
            const auto address = net::Ipv6Cidr::parse(d.args[0]);
            if (!address || d.args[0].find('/') == std::string::npos) {
                return Unexpected(error(d, "expects an IPv6 ADDRESS/BITS"));
            }
            out.ifconfig_ipv6_push = address;
            if (d.args.size() == 2) {
                out.ifconfig_ipv6_push_remote = net::Ipv6Address::parse(d.args[1]);
                if (!out.ifconfig_ipv6_push_remote) {
                    return Unexpected(error(d, "the remote is not an IPv6 address"));
                }
            }
        } else if (d.name == "push" && arity(d, 1, 1)) {
            out.push.push_back(d.args[0]);
        } else if (d.name == "push-reset" && arity(d, 0, 0)) {
            out.push_reset = true;
        } else if (d.name == "disable" && arity(d, 0, 0)) {
            out.disable = true;
        } else if (d.name == "iroute" || d.name == "iroute-ipv6" || d.name == "ifconfig-push" ||
                   d.name == "ifconfig-ipv6-push" || d.name == "push" || d.name == "push-reset" ||
                   d.name == "disable") {
            return Unexpected(error(d, "wrong number of arguments"));
        } else {
            return Unexpected(error(d, "not supported in a client-config-dir file by nfv-vpn yet"));
        }
    }
    return out;
}

}  // namespace nfv::vpn::server
