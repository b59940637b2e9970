#include "nfv/platform/io/route_table.hpp"

#include <cerrno>
#include <cstring>
#include <string>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>

#include <unistd.h>

namespace nfv::platform::io {
namespace {

// One rtnetlink request: nlmsghdr, the family header (ifaddrmsg or rtmsg) and attributes,
// each padded to 4 bytes (NLMSG_ALIGN / RTA_ALIGN). Built with memcpy, so no aliasing tricks.
class Request {
public:
    Request(std::uint16_t type, std::uint16_t flags, const void* header, std::size_t size) {
        nlmsghdr message{};
        message.nlmsg_type = type;
        message.nlmsg_flags = static_cast<std::uint16_t>(flags | NLM_F_REQUEST | NLM_F_ACK);
        append(&message, sizeof message);
        append(header, size);
    }

    void attribute(std::uint16_t type, const void* data, std::size_t size) {
        rtattr attribute{};
        attribute.rta_type = type;
        attribute.rta_len = static_cast<std::uint16_t>(RTA_LENGTH(size));
        append(&attribute, sizeof attribute);
        append(data, size);
    }
    void attribute_u32(std::uint16_t type, std::uint32_t value) {
        attribute(type, &value, sizeof value);
    }

    // Finalises the length and sequence number; returns the bytes to send.
    std::uint32_t finish(std::uint32_t sequence) {
        nlmsghdr message{};
        std::memcpy(&message, buffer_.data(), sizeof message);
        message.nlmsg_len = static_cast<std::uint32_t>(size_);
        message.nlmsg_seq = sequence;
        std::memcpy(buffer_.data(), &message, sizeof message);
        return message.nlmsg_len;
    }
    void* data() { return buffer_.data(); }
    [[nodiscard]] bool overflowed() const { return overflow_; }

private:
    void append(const void* data, std::size_t size) {
        const std::size_t padded = (size + 3U) & ~std::size_t{3};
        if (size_ + padded > buffer_.size()) {
            overflow_ = true;
            return;
        }
        std::memcpy(buffer_.data() + size_, data, size);
        size_ += padded;
    }

    std::array<std::byte, 512> buffer_{};
    std::size_t size_ = 0;
    bool overflow_ = false;
};

std::size_t address_size(const IpPrefix& prefix) {
    return prefix.family == AF_INET ? 4 : 16;
}

Request address_request(std::uint16_t type, std::uint16_t flags, int ifindex,
                        const IpPrefix& address, const std::optional<IpPrefix>& peer) {
    ifaddrmsg header{};
    header.ifa_family = static_cast<std::uint8_t>(address.family);
    header.ifa_prefixlen = address.prefix_length;
    header.ifa_index = static_cast<std::uint32_t>(ifindex);
    Request request(type, flags, &header, sizeof header);
    request.attribute(IFA_LOCAL, address.bytes.data(), address_size(address));
    const IpPrefix& remote = peer ? *peer : address;
    request.attribute(IFA_ADDRESS, remote.bytes.data(), address_size(remote));
    return request;
}

Request route_request(std::uint16_t type, std::uint16_t flags, const RouteSpec& route) {
    rtmsg header{};
    header.rtm_family = static_cast<std::uint8_t>(route.destination.family);
    header.rtm_dst_len = route.destination.prefix_length;
    header.rtm_table = static_cast<std::uint8_t>(route.table < 256 ? route.table : RT_TABLE_UNSPEC);
    header.rtm_protocol = RTPROT_BOOT;
    header.rtm_scope = route.gateway ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
    header.rtm_type = RTN_UNICAST;
    Request request(type, flags, &header, sizeof header);
    request.attribute(RTA_DST, route.destination.bytes.data(), address_size(route.destination));
    if (route.gateway) {
        request.attribute(RTA_GATEWAY, route.gateway->bytes.data(), address_size(*route.gateway));
    }
    if (route.ifindex > 0) {
        request.attribute_u32(RTA_OIF, static_cast<std::uint32_t>(route.ifindex));
    }
    if (route.metric > 0) {
        request.attribute_u32(RTA_PRIORITY, route.metric);
    }
    if (route.table >= 256) {
        request.attribute_u32(RTA_TABLE, route.table);
    }
    return request;
}

}  // namespace

IpPrefix IpPrefix::ipv4(std::array<std::uint8_t, 4> address, std::uint8_t prefix_length) {
    IpPrefix prefix;
    prefix.family = AF_INET;
    std::memcpy(prefix.bytes.data(), address.data(), address.size());
    prefix.prefix_length = prefix_length;
    return prefix;
}

IpPrefix IpPrefix::ipv6(const std::array<std::uint8_t, 16>& address, std::uint8_t prefix_length) {
    IpPrefix prefix;
    prefix.family = AF_INET6;
    prefix.bytes = address;
    prefix.prefix_length = prefix_length;
    return prefix;
}

IoResult<RouteTable> RouteTable::open() {
    const int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) {
        return Unexpected(last_error("socket(AF_NETLINK)"));
    }
    UniqueFd owned(fd);
    sockaddr_nl local{};
    local.nl_family = AF_NETLINK;
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) {  // NOLINT
        return Unexpected(last_error("bind(AF_NETLINK)"));
    }
    return RouteTable(std::move(owned));
}

IoResult<int> RouteTable::interface_index(std::string_view name) {
    const std::string copy(name);
    const unsigned index = ::if_nametoindex(copy.c_str());
    if (index == 0) {
        return Unexpected(last_error("if_nametoindex"));
    }
    return static_cast<int>(index);
}

IoResult<void> RouteTable::request(void* message, std::uint32_t length, const char* what) {
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (::sendto(fd_.get(), message, length, 0,
                 reinterpret_cast<const sockaddr*>(&kernel),  // NOLINT
                 sizeof kernel) != static_cast<ssize_t>(length)) {
        return Unexpected(last_error(what));
    }
    // Read until the acknowledgement (an NLMSG_ERROR with our sequence number) arrives. The
    // socket is private and only carries our requests, so the loop ends with that message.
    std::array<std::byte, 4096> reply{};
    for (int attempts = 0; attempts < 16; ++attempts) {
        const ssize_t got = ::recv(fd_.get(), reply.data(), reply.size(), 0);
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            return Unexpected(last_error(what));
        }
        std::size_t offset = 0;
        while (offset + sizeof(nlmsghdr) <= static_cast<std::size_t>(got)) {
            nlmsghdr header{};
            std::memcpy(&header, reply.data() + offset, sizeof header);
            if (header.nlmsg_len < sizeof header ||
                offset + header.nlmsg_len > static_cast<std::size_t>(got)) {
                return Unexpected(make_error(what, EPROTO));
            }
            if (header.nlmsg_type == NLMSG_ERROR && header.nlmsg_seq == sequence_) {
                nlmsgerr error{};
                if (header.nlmsg_len < NLMSG_LENGTH(sizeof error)) {
                    return Unexpected(make_error(what, EPROTO));
                }
                std::memcpy(&error, reply.data() + offset + NLMSG_HDRLEN, sizeof error);
                if (error.error != 0) {
                    return Unexpected(make_error(what, -error.error));
                }
                return {};
            }
            offset += NLMSG_ALIGN(header.nlmsg_len);
        }
    }
    return Unexpected(make_error(what, ETIMEDOUT));
}

IoResult<void> RouteTable::add_address(int ifindex, const IpPrefix& address,
                                       const std::optional<IpPrefix>& peer) {
    auto message = address_request(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, ifindex, address, peer);
    if (message.overflowed()) {
        return Unexpected(make_error("RTM_NEWADDR", EMSGSIZE));
    }
    const auto length = message.finish(++sequence_);
    return request(message.data(), length, "RTM_NEWADDR");
}

IoResult<void> RouteTable::delete_address(int ifindex, const IpPrefix& address) {
    auto message = address_request(RTM_DELADDR, 0, ifindex, address, std::nullopt);
    const auto length = message.finish(++sequence_);
    return request(message.data(), length, "RTM_DELADDR");
}

IoResult<void> RouteTable::add_route(const RouteSpec& route) {
    auto message = route_request(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, route);
    const auto length = message.finish(++sequence_);
    return request(message.data(), length, "RTM_NEWROUTE");
}

IoResult<void> RouteTable::delete_route(const RouteSpec& route) {
    auto message = route_request(RTM_DELROUTE, 0, route);
    const auto length = message.finish(++sequence_);
    return request(message.data(), length, "RTM_DELROUTE");
}

}  // namespace nfv::platform::io
