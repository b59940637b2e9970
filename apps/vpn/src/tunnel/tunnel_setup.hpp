// TunnelSetup: applies a TunnelPlan to the host with rtnetlink and undoes it, like openvpn's
// do_ifconfig / add_routes at "Initialization Sequence Completed" and delete_routes / ifconfig
// removal on exit. Routes through the tunnel name the TUN device; bypass routes (redirect-gateway's
// host route to the server, net_gateway routes) let the kernel pick the interface from the
// gateway.
//
// Contract: apply() makes the changes in plan order and remembers each one that succeeded; on the
// first failure it undoes those and returns the error (so a failed start leaves the host as it
// was). undo() removes what apply() added, in reverse order, and is also run by the destructor.
// The TUN device's MTU and up state are set by its owner (TunDevice), not here.
#pragma once

#include <string>
#include <vector>

#include "nfv/platform/io/route_table.hpp"
#include "nfv/platform/result.hpp"

#include "tunnel/tunnel_plan.hpp"

namespace nfv::vpn::tunnel {

class TunnelSetup {
public:
    TunnelSetup(platform::io::RouteTable& table, int tun_ifindex)
        : table_(&table), tun_ifindex_(tun_ifindex) {}
    TunnelSetup(const TunnelSetup&) = delete;
    TunnelSetup& operator=(const TunnelSetup&) = delete;
    ~TunnelSetup() { undo(); }

    /// Applies `plan`; on error nothing of it stays applied. The message names the change.
    [[nodiscard]] Result<void, std::string> apply(const TunnelPlan& plan);
    /// Removes everything apply() added (errors are ignored: the tunnel is going away and the
    /// kernel drops addresses and routes of a deleted TUN device itself).
    void undo();

    [[nodiscard]] std::size_t applied_count() const { return applied_.size(); }

private:
    struct Applied {
        bool is_route = false;
        platform::io::IpPrefix address;  // address change, or route destination
        platform::io::RouteSpec route;
    };

    platform::io::RouteTable* table_;
    int tun_ifindex_;
    std::vector<Applied> applied_;
};

/// The rtnetlink form of an address (with its prefix length).
[[nodiscard]] platform::io::IpPrefix to_prefix(const net::IpAddress& address,
                                               std::uint8_t prefix_length);

}  // namespace nfv::vpn::tunnel
