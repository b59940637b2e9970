#include "config/push_reply.hpp"

#include <algorithm>

#include "nfv/net/cidr.hpp"

#include "config/config_lexer.hpp"
#include "config/config_values.hpp"
#include "config/options.hpp"

namespace nfv::vpn::config {
namespace {

constexpr std::string_view kPushReply = "PUSH_REPLY";

PushError error(PushErrorKind kind, std::string message) {
    return PushError{kind, std::move(message)};
}

PushError malformed(std::string_view option, std::string_view why) {
    return error(PushErrorKind::kMalformed,
                 "bad pushed option \"" + std::string(option) + "\": " + std::string(why));
}

// Pushed text must be printable ASCII; the control channel already drops other messages
// (ssl_pkt.c extract_command_buffer()), this keeps the parser safe on its own.
bool printable(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

// Options whose permission class route-nopull removes (OPT_P_ROUTE | OPT_P_DHCPDNS).
bool is_route_or_dns_option(std::string_view name) {
    return name == "route" || name == "route-ipv6" || name == "redirect-gateway" ||
           name == "redirect-private" || name == "route-metric" || name == "block-ipv6" ||
           name == "dhcp-option";
}

// First pull-filter rule whose text is a prefix of the option (leading spaces skipped).
const PullFilter* matching_filter(const PullPolicy& policy, std::string_view option) {
    const std::size_t start = option.find_first_not_of(" \t");
    option = start == std::string_view::npos ? std::string_view{} : option.substr(start);
    for (const PullFilter& filter : policy.filters) {
        if (option.starts_with(filter.prefix)) {
            return &filter;
        }
    }
    return nullptr;
}

class Applier {
public:
    Applier(std::string_view text, const std::vector<std::string>& tokens, PushedOptions& into,
            std::vector<PushWarning>& warnings)
        : text_(text), tokens_(tokens), into_(into), warnings_(warnings) {}

    // Applies one option; an error fails the whole reply.
    Result<void, PushError> apply() {
        const std::string& name = tokens_.front();
        const std::size_t args = tokens_.size() - 1;
        if (name == "ifconfig" && args == 2) {
            return ifconfig();
        }
        if (name == "ifconfig-ipv6" && args == 2) {
            return ifconfig_ipv6();
        }
        if (name == "route" && args >= 1 && args <= 4) {
            return route();
        }
        if (name == "route-ipv6" && args >= 1 && args <= 3) {
            return route_ipv6();
        }
        if (name == "route-gateway" && args == 1) {
            if (tokens_[1] == "dhcp") {
                into_.route_gateway_dhcp = true;
                return {};
            }
            return ipv4(tokens_[1], into_.route_gateway);
        }
        if (name == "route-metric" && args == 1) {
            return number(tokens_[1], 0, 255, into_.route_metric);
        }
        if (name == "topology" && args == 1) {
            return topology();
        }
        if ((name == "redirect-gateway" || name == "redirect-private") && args <= 6) {
            return redirect(name == "redirect-private");
        }
        if (name == "dhcp-option" && args >= 1 && args <= 2) {
            return dhcp_option();
        }
        if (name == "block-ipv6" && args == 0) {
            into_.block_ipv6 = true;
            return {};
        }
        if (name == "ping" && args == 1) {
            return number(tokens_[1], 0, UINT32_MAX, into_.ping);
        }
        if (name == "ping-restart" && args == 1) {
            return number(tokens_[1], 0, UINT32_MAX, into_.ping_restart);
        }
        if (name == "ping-exit" && args == 1) {
            return number(tokens_[1], 0, UINT32_MAX, into_.ping_exit);
        }
        if (name == "inactive" && (args == 1 || args == 2)) {
            return number(tokens_[1], 0, UINT32_MAX, into_.inactive);
        }
        if (name == "peer-id" && args == 1) {
            return number(tokens_[1], 0, 0xFFFFFF, into_.peer_id);
        }
        if (name == "cipher" && args == 1) {
            if (tokens_[1].empty() || tokens_[1].size() > 64) {
                return Unexpected(malformed(text_, "bad cipher name"));
            }
            into_.cipher = tokens_[1];
            return {};
        }
        if (name == "protocol-flags" && args >= 1) {
            return protocol_flags();
        }
        if (name == "key-derivation" && args == 1) {
            if (tokens_[1] == "tls-ekm") {
                into_.key_derivation_tls_ekm = true;
            } else {
                warn("unknown key-derivation method (ignored)");
            }
            return {};
        }
        if (name == "tun-mtu" && (args == 1 || args == 2)) {
            return number(tokens_[1], 576, 65535, into_.tun_mtu);
        }
        if (name == "auth-token" && args == 1) {
            into_.auth_token = tokens_[1];
            return {};
        }
        if (name == "auth-token-user" && args == 1) {
            into_.auth_token_user = tokens_[1];
            return {};
        }
        if (name == "explicit-exit-notify" && args <= 1) {
            into_.explicit_exit_notify = 1;
            return args == 1 ? number(tokens_[1], 0, 255, into_.explicit_exit_notify)
                             : Result<void, PushError>{};
        }
        if ((name == "comp-lzo" && args <= 1) || (name == "compress" && args <= 1)) {
            return compression(name, args == 1 ? tokens_[1] : std::string());
        }
        if (name == "tun-ipv6" && args == 0) {
            warn("has no effect (OpenVPN 2.6 ignores it too)");
            return {};
        }
        const OptionSpec* spec = find_option(name);
        if (spec == nullptr) {
            warn("Unrecognized option or missing or extra parameter(s) (ignored)");
        } else if (spec->support == Support::kRemoved) {
            warn(std::string(spec->note) + " (ignored)");
        } else {
            warn("cannot be pushed to nfv-vpn or has the wrong number of parameters (ignored)");
        }
        return {};
    }

private:
    void warn(std::string message) {
        if (warnings_.size() < kMaxPushOptions) {
            warnings_.push_back(PushWarning{std::string(text_), std::move(message)});
        }
    }

    Result<void, PushError> number(const std::string& text, std::uint64_t min, std::uint64_t max,
                                   std::optional<std::uint32_t>& field) {
        auto value = parse_number(text, min, max);
        if (!value) {
            return Unexpected(malformed(text_, value.error()));
        }
        field = static_cast<std::uint32_t>(*value);
        return {};
    }

    Result<void, PushError> ipv4(const std::string& text, std::optional<net::Ipv4Address>& field) {
        const auto address = net::Ipv4Address::parse(text);
        if (!address) {
            return Unexpected(malformed(text_, "expected an IPv4 address"));
        }
        field = *address;
        return {};
    }

    Result<void, PushError> ifconfig() {
        const auto local = net::Ipv4Address::parse(tokens_[1]);
        const auto remote = net::Ipv4Address::parse(tokens_[2]);
        if (!local || !remote) {
            return Unexpected(malformed(text_, "expected two IPv4 addresses"));
        }
        into_.ifconfig = std::make_pair(*local, *remote);
        return {};
    }

    Result<void, PushError> ifconfig_ipv6() {
        const std::string& local = tokens_[1];
        const std::size_t slash = local.find('/');
        const auto address = net::Ipv6Address::parse(std::string_view(local).substr(0, slash));
        const auto remote = net::Ipv6Address::parse(tokens_[2]);
        if (!address || !remote || slash == std::string::npos) {
            return Unexpected(malformed(text_, "expected ADDRESS/BITS and an IPv6 address"));
        }
        auto bits = parse_number(std::string_view(local).substr(slash + 1), 0, 128);
        if (!bits) {
            return Unexpected(malformed(text_, "bad prefix length"));
        }
        into_.ifconfig_ipv6 = *address;
        into_.ifconfig_ipv6_prefix = static_cast<std::uint8_t>(*bits);
        into_.ifconfig_ipv6_remote = *remote;
        return {};
    }

    Result<void, PushError> room() {
        if (into_.routes.size() + into_.routes_ipv6.size() + into_.dhcp_options.size() >=
            kMaxPushOptions) {
            return Unexpected(error(PushErrorKind::kTooLarge, "too many pushed routes/options"));
        }
        return {};
    }

    Result<void, PushError> route() {
        if (auto ok = room(); !ok) {
            return ok;
        }
        PushedRoute route;
        // Without allow-pull-fqdn (unsupported) pushed networks must be addresses.
        const auto network = net::Ipv4Address::parse(tokens_[1]);
        if (!network) {
            return Unexpected(malformed(text_, "route network must be an IPv4 address"));
        }
        route.network = *network;
        if (tokens_.size() > 2 && tokens_[2] != "default") {
            auto netmask = parse_netmask(tokens_[2]);
            if (!netmask) {
                return Unexpected(malformed(text_, netmask.error()));
            }
            route.netmask = *netmask;
        }
        if (tokens_.size() > 3 && tokens_[3] != "default") {
            const std::string& gateway = tokens_[3];
            if (gateway != "vpn_gateway" && gateway != "net_gateway" && gateway != "remote_host" &&
                !net::Ipv4Address::parse(gateway)) {
                return Unexpected(malformed(text_, "bad route gateway"));
            }
            route.gateway = gateway;
        }
        if (tokens_.size() > 4 && tokens_[4] != "default") {
            if (auto ok = number(tokens_[4], 0, UINT32_MAX, route.metric); !ok) {
                return ok;
            }
        }
        into_.routes.push_back(std::move(route));
        return {};
    }

    Result<void, PushError> route_ipv6() {
        if (auto ok = room(); !ok) {
            return ok;
        }
        PushedRouteIpv6 route;
        const std::string& network = tokens_[1];
        const std::size_t slash = network.find('/');
        const auto address = net::Ipv6Address::parse(std::string_view(network).substr(0, slash));
        if (!address) {
            return Unexpected(malformed(text_, "route-ipv6 network must be an IPv6 address"));
        }
        route.network = *address;
        if (slash != std::string::npos) {
            auto bits = parse_number(std::string_view(network).substr(slash + 1), 0, 128);
            if (!bits) {
                return Unexpected(malformed(text_, "bad prefix length"));
            }
            route.prefix_length = static_cast<std::uint8_t>(*bits);
        }
        if (tokens_.size() > 2) {
            const auto gateway = net::Ipv6Address::parse(tokens_[2]);
            if (!gateway) {
                return Unexpected(malformed(text_, "bad IPv6 gateway"));
            }
            route.gateway = *gateway;
        }
        if (tokens_.size() > 3 && tokens_[3] != "default") {
            if (auto ok = number(tokens_[3], 0, UINT32_MAX, route.metric); !ok) {
                return ok;
            }
        }
        into_.routes_ipv6.push_back(std::move(route));
        return {};
    }

    Result<void, PushError> topology() {
        if (tokens_[1] == "net30") {
            into_.topology = Topology::kNet30;
        } else if (tokens_[1] == "p2p") {
            into_.topology = Topology::kP2p;
        } else if (tokens_[1] == "subnet") {
            into_.topology = Topology::kSubnet;
        } else {
            return Unexpected(malformed(text_, "topology must be net30, p2p or subnet"));
        }
        return {};
    }

    Result<void, PushError> redirect(bool is_private) {
        RedirectGateway redirect;
        redirect.enabled = true;
        redirect.is_private = is_private;
        for (std::size_t i = 1; i < tokens_.size(); ++i) {
            const std::string& flag = tokens_[i];
            if (!set_redirect_flag(redirect, flag)) {
                return Unexpected(malformed(text_, "unknown redirect-gateway flag " + flag));
            }
        }
        into_.redirect_gateway = redirect;
        return {};
    }

    Result<void, PushError> dhcp_option() {
        if (auto ok = room(); !ok) {
            return ok;
        }
        const std::string& type = tokens_[1];
        const std::string value = tokens_.size() > 2 ? tokens_[2] : std::string();
        if (type == "DNS" || type == "DNS6") {
            const auto address = net::IpAddress::parse(value);
            if (!address) {
                return Unexpected(malformed(text_, "DNS needs an IP address"));
            }
            into_.dns_servers.push_back(*address);
        } else if (type == "DOMAIN" || type == "DOMAIN-SEARCH") {
            if (value.empty() || value.size() > 253) {
                return Unexpected(malformed(text_, "bad domain name"));
            }
            into_.search_domains.push_back(value);
        }
        // Other types (NTP, WINS, ...) are only handed to scripts as foreign_option_N.
        into_.dhcp_options.push_back(
            DhcpOption{type, value.empty() ? std::vector<std::string>{} : std::vector{value}});
        return {};
    }

    Result<void, PushError> protocol_flags() {
        ProtocolFlags flags;
        for (std::size_t i = 1; i < tokens_.size(); ++i) {
            const std::string& flag = tokens_[i];
            if (flag == "cc-exit") {
                flags.cc_exit = true;
            } else if (flag == "tls-ekm") {
                flags.tls_ekm = true;
            } else if (flag == "dyn-tls-crypt") {
                flags.dyn_tls_crypt = true;
            } else {
                warn("unknown protocol-flags flag " + flag + " (ignored)");
            }
        }
        into_.protocol_flags = flags;
        return {};
    }

    Result<void, PushError> compression(const std::string& name, const std::string& value) {
        if (name == "comp-lzo" && value == "no") {
            into_.compression = Compression::kLzoStub;
        } else if (name == "compress" && (value.empty() || value == "stub")) {
            into_.compression = Compression::kStub;
        } else if (name == "compress" && value == "stub-v2") {
            into_.compression = Compression::kStubV2;
        } else {
            return Unexpected(error(PushErrorKind::kUnsupported,
                                    "server pushed compression \"" + std::string(text_) +
                                        "\", which nfv-vpn does not support"));
        }
        return {};
    }

    std::string_view text_;
    const std::vector<std::string>& tokens_;
    PushedOptions& into_;
    std::vector<PushWarning>& warnings_;
};

// One comma-separated option: pull-filter, route-nopull, push-continuation, then the option.
Result<void, PushError> apply_option(std::string_view option, const PullPolicy& policy,
                                     PushedOptions& into, std::vector<PushWarning>& warnings,
                                     std::optional<std::uint32_t>& continuation) {
    const auto note = [&](std::string message) {
        if (warnings.size() < kMaxPushOptions) {
            warnings.push_back(PushWarning{std::string(option), std::move(message)});
        }
    };
    if (const PullFilter* filter = matching_filter(policy, option)) {
        if (filter->action == PullFilter::Action::kReject) {
            return Unexpected(
                error(PushErrorKind::kRejectedByFilter,
                      "pushed option \"" + std::string(option) + "\" rejected by pull-filter"));
        }
        if (filter->action == PullFilter::Action::kIgnore) {
            note("removed by pull-filter");
            return {};
        }
    }
    auto tokens = split_line(option);
    if (!tokens) {
        return Unexpected(malformed(option, tokens.error()));
    }
    if (tokens->empty()) {
        return {};
    }
    if (policy.route_nopull && is_route_or_dns_option(tokens->front())) {
        note("ignored (route-nopull)");
        return {};
    }
    if (tokens->front() == "push-continuation") {
        if (tokens->size() != 2 || ((*tokens)[1] != "1" && (*tokens)[1] != "2")) {
            return Unexpected(malformed(option, "push-continuation must be 1 or 2"));
        }
        continuation = (*tokens)[1] == "2" ? 2U : 1U;
        return {};
    }
    Applier applier(option, *tokens, into, warnings);
    return applier.apply();
}

}  // namespace

Result<bool, PushError> apply_push_reply(std::string_view message, const PullPolicy& policy,
                                         PushedOptions& into, std::vector<PushWarning>& warnings) {
    if (message.size() > kMaxPushMessageSize) {
        return Unexpected(error(PushErrorKind::kTooLarge, "PUSH_REPLY is too large"));
    }
    if (!message.starts_with(kPushReply)) {
        return Unexpected(error(PushErrorKind::kNotPushReply, "not a PUSH_REPLY message"));
    }
    if (!printable(message)) {
        return Unexpected(
            error(PushErrorKind::kMalformed, "non-printable character in PUSH_REPLY"));
    }
    std::string_view rest = message.substr(kPushReply.size());
    if (rest.empty()) {
        return true;  // an empty reply: nothing pushed
    }
    if (rest.front() != ',') {
        return Unexpected(error(PushErrorKind::kNotPushReply, "not a PUSH_REPLY message"));
    }
    rest.remove_prefix(1);

    std::optional<std::uint32_t> continuation;
    std::size_t count = 0;
    while (true) {
        const std::size_t comma = rest.find(',');
        const std::string_view option = rest.substr(0, comma);
        if (++count > kMaxPushOptions) {
            return Unexpected(error(PushErrorKind::kTooLarge, "too many pushed options"));
        }
        if (option.size() > kMaxPushOptionLength) {
            return Unexpected(error(PushErrorKind::kTooLarge, "pushed option is too long"));
        }
        if (auto applied = apply_option(option, policy, into, warnings, continuation); !applied) {
            return Unexpected(applied.error());
        }
        if (comma == std::string_view::npos) {
            break;
        }
        rest.remove_prefix(comma + 1);
    }
    return continuation != 2U;
}

Result<std::optional<PushedOptions>, PushError> PushReplyAssembler::add(std::string_view message) {
    if (completed_) {
        pending_ = PushedOptions{};
        warnings_.clear();
        messages_ = 0;
        completed_ = false;
    }
    if (++messages_ > kMaxPushMessages) {
        completed_ = true;  // start afresh next time
        return Unexpected(error(PushErrorKind::kTooLarge, "too many push-continuation messages"));
    }
    auto complete = apply_push_reply(message, policy_, pending_, warnings_);
    if (!complete) {
        completed_ = true;
        return Unexpected(complete.error());
    }
    if (!*complete) {
        return std::optional<PushedOptions>{};
    }
    completed_ = true;
    return std::optional<PushedOptions>{pending_};
}

}  // namespace nfv::vpn::config
