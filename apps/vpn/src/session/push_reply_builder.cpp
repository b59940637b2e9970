#include "session/push_reply_builder.hpp"

namespace nfv::vpn::session {
namespace {

constexpr std::string_view kPrefix = "PUSH_REPLY";
constexpr std::string_view kMore = ",push-continuation 2";
constexpr std::string_view kLast = ",push-continuation 1";

}  // namespace

std::vector<std::string> push_reply_options(const PushReplyParams& params) {
    std::vector<std::string> options = params.options;
    if (params.ifconfig_ipv6) {
        std::string option = "ifconfig-ipv6 " + params.ifconfig_ipv6->to_string() + "/" +
                             std::to_string(params.ifconfig_ipv6_prefix);
        if (params.ifconfig_ipv6_remote) {
            option += " " + params.ifconfig_ipv6_remote->to_string();
        }
        options.push_back(std::move(option));
    }
    if (params.ifconfig) {
        options.push_back("ifconfig " + params.ifconfig->first.to_string() + " " +
                          params.ifconfig->second.to_string());
    }
    if (params.peer_id) {
        options.push_back("peer-id " + std::to_string(*params.peer_id));
    }
    if (!params.cipher.empty()) {
        options.push_back("cipher " + params.cipher);
    }
    if (params.cc_exit || params.tls_ekm) {
        std::string flags = "protocol-flags";
        if (params.cc_exit) {
            flags += " cc-exit";
        }
        if (params.tls_ekm) {
            flags += " tls-ekm";
        }
        options.push_back(std::move(flags));
    }
    if (params.tun_mtu) {
        options.push_back("tun-mtu " + std::to_string(*params.tun_mtu));
    }
    return options;
}

std::vector<std::string> build_push_reply(const PushReplyParams& params, std::size_t bundle_size) {
    const auto options = push_reply_options(params);
    std::vector<std::string> messages;
    std::string current(kPrefix);
    bool current_empty = true;
    for (const auto& option : options) {
        // Room for ",option" and a continuation marker must remain in this message.
        const std::size_t needed = current.size() + 1 + option.size() + kMore.size();
        if (!current_empty && needed > bundle_size) {
            current += kMore;
            messages.push_back(std::move(current));
            current = std::string(kPrefix);
            current_empty = true;
        }
        current += ",";
        current += option;
        current_empty = false;
    }
    if (!messages.empty()) {
        current += kLast;
    }
    messages.push_back(std::move(current));
    return messages;
}

}  // namespace nfv::vpn::session
