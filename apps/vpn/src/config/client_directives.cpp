// Client directives of parse_vpn_config(): remotes and reconnection, pull, authentication
// (OpenVPN 2.6 options.c add_option(); man openvpn, "Client Options").
#include <string>

#include "config/directive_handlers.hpp"

namespace nfv::vpn::config::detail {
namespace {

void apply_remote(const Directive& d, VpnConfig& config, DirectiveContext& context) {
    Remote remote;
    remote.host = d.args[0];
    remote.origin = Origin{d.file, d.line};
    if (d.args.size() >= 2) {
        auto port = parse_port(d.args[1]);
        if (!port) {
            context.error(d, port.error());
            return;
        }
        remote.port = *port;
    }
    if (d.args.size() >= 3) {
        auto protocol = parse_protocol(d.args[2]);
        if (!protocol) {
            context.error(d, protocol.error());
            return;
        }
        remote.protocol = *protocol;
    }
    config.client.remotes.push_back(std::move(remote));
}

void apply_auth_user_pass(const Directive& d, VpnConfig& config) {
    AuthUserPass auth;
    if (d.is_inline) {
        auth.source = AuthUserPass::Source::kInline;
        auth.credentials = file_or_inline(d);
    } else if (!d.args.empty()) {
        auth.source = AuthUserPass::Source::kFile;
        auth.credentials = file_or_inline(d);
    } else {
        auth.source = AuthUserPass::Source::kPrompt;
        auth.credentials.origin = Origin{d.file, d.line};
    }
    config.client.auth_user_pass = std::move(auth);
}

void apply_pull_filter(const Directive& d, VpnConfig& config, DirectiveContext& context) {
    PullFilter filter;
    if (d.args[0] == "accept") {
        filter.action = PullFilter::Action::kAccept;
    } else if (d.args[0] == "ignore") {
        filter.action = PullFilter::Action::kIgnore;
    } else if (d.args[0] == "reject") {
        filter.action = PullFilter::Action::kReject;
    } else {
        context.error(d, "action must be accept, ignore or reject");
        return;
    }
    filter.prefix = d.args[1];
    config.client.pull_filters.push_back(std::move(filter));
}

}  // namespace

bool apply_client_directive(const Directive& d, VpnConfig& config, DirectiveContext& context) {
    ClientConfig& client = config.client;
    const std::string& name = d.name;
    if (name == "client") {
        client.pull = true;
        config.tls_client = true;
    } else if (name == "pull") {
        client.pull = true;
    } else if (name == "tls-client") {
        config.tls_client = true;
    } else if (name == "remote") {
        apply_remote(d, config, context);
    } else if (name == "remote-random") {
        client.remote_random = true;
    } else if (name == "connect-retry") {
        set_number(d, 0, client.connect_retry_seconds, context);
        if (d.args.size() == 2) {
            set_number(d, 1, client.connect_retry_max_seconds, context, 1);
        }
    } else if (name == "connect-retry-max") {
        std::uint32_t attempts = 0;
        if (set_number(d, 0, attempts, context, 1)) {
            client.connect_retry_max = attempts;
        }
    } else if (name == "connect-timeout" || name == "server-poll-timeout") {
        set_number(d, 0, client.server_poll_timeout, context);
    } else if (name == "resolv-retry") {
        if (d.args[0] == "infinite") {
            client.resolv_retry_seconds.reset();
        } else {
            std::uint32_t seconds = 0;
            if (set_number(d, 0, seconds, context)) {
                client.resolv_retry_seconds = seconds;
            }
        }
    } else if (name == "nobind") {
        client.nobind = true;
        config.bind = false;
    } else if (name == "auth-user-pass") {
        apply_auth_user_pass(d, config);
    } else if (name == "auth-nocache") {
        client.auth_nocache = true;
    } else if (name == "auth-retry") {
        if (d.args[0] != "none" && d.args[0] != "nointeract" && d.args[0] != "interact") {
            context.error(d, "expected none, nointeract or interact");
        } else if (d.args[0] == "interact") {
            context.error(d, "interactive re-authentication needs a terminal; use nointeract");
        } else {
            client.auth_retry = d.args[0];
        }
    } else if (name == "route-nopull") {
        client.route_nopull = true;
    } else if (name == "pull-filter") {
        apply_pull_filter(d, config, context);
    } else {
        return false;
    }
    return true;
}

}  // namespace nfv::vpn::config::detail
