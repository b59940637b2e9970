// Server directives of parse_vpn_config(): the server helper, address pools, client-config-dir,
// push, client authentication and status (OpenVPN 2.6 options.c add_option(), helper.c; man
// openvpn, "Server Options").
#include <algorithm>
#include <string>

#include "config/directive_handlers.hpp"

namespace nfv::vpn::config::detail {
namespace {

void apply_server(const Directive& d, VpnConfig& config, DirectiveContext& context) {
    auto network = parse_ipv4(d.args[0]);
    if (!network) {
        context.error(d, network.error());
        return;
    }
    auto netmask = parse_netmask(d.args[1]);
    if (!netmask) {
        context.error(d, netmask.error());
        return;
    }
    if ((network->to_u32() & ~netmask->to_u32()) != 0) {
        context.error(d, "network " + d.args[0] + " has host bits set for netmask " + d.args[1]);
        return;
    }
    if (d.args.size() == 3 && d.args[2] != "nopool") {
        context.error(d, "the third parameter can only be nopool");
        return;
    }
    config.server.network = *network;
    config.server.netmask = *netmask;
    config.server.nopool = d.args.size() == 3;
    config.role = Role::kServer;
    config.tls_server = true;
}

void apply_push_remove(const Directive& d, VpnConfig& config) {
    // push-remove OPT removes pushed options whose first word is OPT (push.c push_remove_option).
    auto& push = config.server.push;
    push.erase(std::remove_if(push.begin(), push.end(),
                              [&](const std::string& option) {
                                  const std::string first = option.substr(0, option.find(' '));
                                  return first == d.args[0];
                              }),
               push.end());
}

void apply_verify_client_cert(const Directive& d, VpnConfig& config, DirectiveContext& context) {
    using Verify = ServerConfig::VerifyClientCert;
    if (d.args[0] == "none") {
        config.server.verify_client_cert = Verify::kNone;
    } else if (d.args[0] == "optional") {
        config.server.verify_client_cert = Verify::kOptional;
    } else if (d.args[0] == "require") {
        config.server.verify_client_cert = Verify::kRequire;
    } else {
        context.error(d, "expected none, optional or require");
    }
}

void apply_ifconfig_pool(const Directive& d, VpnConfig& config, DirectiveContext& context) {
    auto start = parse_ipv4(d.args[0]);
    auto end = parse_ipv4(d.args[1]);
    if (!start || !end) {
        context.error(d, !start ? start.error() : end.error());
        return;
    }
    if (end->to_u32() < start->to_u32()) {
        context.error(d, "the end of the pool is before its start");
        return;
    }
    config.server.ifconfig_pool = std::make_pair(*start, *end);
}

}  // namespace

bool apply_server_directive(const Directive& d, VpnConfig& config, DirectiveContext& context) {
    ServerConfig& server = config.server;
    const std::string& name = d.name;
    if (name == "server") {
        apply_server(d, config, context);
    } else if (name == "server-ipv6") {
        auto network = parse_ipv6_prefix(d.args[0]);
        if (!network) {
            context.error(d, network.error());
        } else {
            server.network_ipv6 = *network;
            config.role = Role::kServer;
            config.tls_server = true;
        }
    } else if (name == "mode") {
        if (d.args[0] == "server") {
            config.role = Role::kServer;
        } else if (d.args[0] != "p2p") {
            context.error(d, "expected p2p or server");
        }
    } else if (name == "tls-server") {
        config.tls_server = true;
    } else if (name == "ifconfig-pool") {
        apply_ifconfig_pool(d, config, context);
    } else if (name == "ifconfig-ipv6-pool") {
        auto pool = parse_ipv6_prefix(d.args[0]);
        if (!pool) {
            context.error(d, pool.error());
        } else {
            server.ifconfig_ipv6_pool = *pool;
        }
    } else if (name == "ifconfig-pool-persist") {
        server.ifconfig_pool_persist = d.args[0];
        if (d.args.size() == 2) {
            set_number(d, 1, server.ifconfig_pool_persist_seconds, context);
        }
    } else if (name == "client-config-dir") {
        server.client_config_dir = d.args[0];
    } else if (name == "ccd-exclusive") {
        server.ccd_exclusive = true;
    } else if (name == "push") {
        server.push.push_back(d.args[0]);
    } else if (name == "push-reset") {
        server.push.clear();
    } else if (name == "push-remove") {
        apply_push_remove(d, config);
    } else if (name == "client-to-client") {
        server.client_to_client = true;
    } else if (name == "duplicate-cn") {
        server.duplicate_cn = true;
    } else if (name == "max-clients") {
        set_number(d, 0, server.max_clients, context, 1);
    } else if (name == "dh") {
        server.dh = file_or_inline(d);
    } else if (name == "verify-client-cert") {
        apply_verify_client_cert(d, config, context);
    } else if (name == "auth-user-pass-verify") {
        if (d.args[1] != "via-file" && d.args[1] != "via-env") {
            context.error(d, "method must be via-file or via-env");
        } else {
            server.auth_user_pass_verify = d.args[0];
            server.auth_user_pass_via_file = d.args[1] == "via-file";
        }
    } else if (name == "username-as-common-name") {
        server.username_as_common_name = true;
    } else if (name == "crl-verify") {
        server.crl_verify = file_or_inline(d);
        if (d.args.size() == 2 && !d.is_inline) {
            if (d.args[1] != "dir") {
                context.error(d, "the second parameter can only be dir");
            } else {
                server.crl_verify_dir = true;
            }
        }
    } else if (name == "client-connect") {
        server.client_connect = d.args[0];
    } else if (name == "client-disconnect") {
        server.client_disconnect = d.args[0];
    } else if (name == "tls-crypt-v2-verify") {
        server.tls_crypt_v2_verify = d.args[0];
    } else if (name == "status-version") {
        set_number(d, 0, server.status_version, context, 1, 3);
    } else if (name == "management") {
        server.management_address = d.args[0];
        server.management_port = d.args[1];
        if (d.args.size() == 3) {
            server.management_password_file = d.args[2];
            if (d.args[2] == "stdin") {
                context.error(d, "a password from stdin cannot be asked for; give a file");
            }
        }
        if (d.args[1] == "unix") {
            context.warning(d,
                            "management over a unix socket is not implemented (no management "
                            "interface is opened); use `management 127.0.0.1 PORT`");
        } else {
            auto port = parse_port(d.args[1]);
            if (!port) {
                context.error(d, port.error());
            }
        }
    } else if (name == "iroute" || name == "iroute-ipv6" || name == "ifconfig-push" ||
               name == "ifconfig-ipv6-push" || name == "disable") {
        context.error(d, "only valid in a client-config-dir file");
    } else {
        return false;
    }
    return true;
}

}  // namespace nfv::vpn::config::detail
