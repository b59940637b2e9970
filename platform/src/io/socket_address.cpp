#include "nfv/platform/io/socket_address.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include <arpa/inet.h>
#include <netinet/in.h>

namespace nfv::platform::io {

namespace {

// The kernel structures are read field by field through memcpy into typed locals, never by
// casting the storage pointer (the storage is suitably aligned, but this keeps UBSan quiet about
// strict aliasing and keeps -Wcast-align happy).
sockaddr_in read_in4(const sockaddr_storage& storage) {
    sockaddr_in out{};
    std::memcpy(&out, &storage, sizeof(out));
    return out;
}

sockaddr_in6 read_in6(const sockaddr_storage& storage) {
    sockaddr_in6 out{};
    std::memcpy(&out, &storage, sizeof(out));
    return out;
}

}  // namespace

SocketAddress SocketAddress::ipv4(std::array<std::uint8_t, 4> octets, std::uint16_t port) {
    sockaddr_in in{};
    in.sin_family = AF_INET;
    in.sin_port = htons(port);
    std::memcpy(&in.sin_addr, octets.data(), octets.size());
    SocketAddress out;
    std::memcpy(&out.storage_, &in, sizeof(in));
    out.length_ = sizeof(in);
    return out;
}

SocketAddress SocketAddress::ipv6(std::array<std::uint8_t, 16> octets, std::uint16_t port) {
    sockaddr_in6 in6{};
    in6.sin6_family = AF_INET6;
    in6.sin6_port = htons(port);
    std::memcpy(&in6.sin6_addr, octets.data(), octets.size());
    SocketAddress out;
    std::memcpy(&out.storage_, &in6, sizeof(in6));
    out.length_ = sizeof(in6);
    return out;
}

std::optional<SocketAddress> SocketAddress::parse(std::string_view ip, std::uint16_t port) {
    const std::string text(ip);  // inet_pton needs a terminator
    std::array<std::uint8_t, 4> v4{};
    if (::inet_pton(AF_INET, text.c_str(), v4.data()) == 1) {
        return ipv4(v4, port);
    }
    std::array<std::uint8_t, 16> v6{};
    if (::inet_pton(AF_INET6, text.c_str(), v6.data()) == 1) {
        return ipv6(v6, port);
    }
    return std::nullopt;
}

std::optional<SocketAddress> SocketAddress::from_sockaddr(const sockaddr* address,
                                                          socklen_t length) {
    if (address == nullptr) {
        return std::nullopt;
    }
    if (address->sa_family == AF_INET && length >= sizeof(sockaddr_in)) {
        SocketAddress out;
        std::memcpy(&out.storage_, address, sizeof(sockaddr_in));
        out.length_ = sizeof(sockaddr_in);
        return out;
    }
    if (address->sa_family == AF_INET6 && length >= sizeof(sockaddr_in6)) {
        SocketAddress out;
        std::memcpy(&out.storage_, address, sizeof(sockaddr_in6));
        out.length_ = sizeof(sockaddr_in6);
        return out;
    }
    return std::nullopt;
}

std::uint16_t SocketAddress::port() const {
    if (family() == AF_INET) {
        return ntohs(read_in4(storage_).sin_port);
    }
    if (family() == AF_INET6) {
        return ntohs(read_in6(storage_).sin6_port);
    }
    return 0;
}

std::string SocketAddress::to_string() const {
    std::array<char, INET6_ADDRSTRLEN> text{};
    if (family() == AF_INET) {
        const sockaddr_in in = read_in4(storage_);
        ::inet_ntop(AF_INET, &in.sin_addr, text.data(), text.size());
        return std::string(text.data()) + ":" + std::to_string(port());
    }
    if (family() == AF_INET6) {
        const sockaddr_in6 in6 = read_in6(storage_);
        ::inet_ntop(AF_INET6, &in6.sin6_addr, text.data(), text.size());
        return "[" + std::string(text.data()) + "]:" + std::to_string(port());
    }
    return "(unspecified)";
}

const sockaddr* SocketAddress::data() const {
    // sockaddr_storage is the documented common-initial-sequence container for sockaddr.
    return reinterpret_cast<const sockaddr*>(&storage_);  // NOLINT
}

sockaddr* SocketAddress::data() {
    return reinterpret_cast<sockaddr*>(&storage_);  // NOLINT
}

bool operator==(const SocketAddress& a, const SocketAddress& b) {
    if (a.family() != b.family()) {
        return false;
    }
    if (a.family() == AF_INET) {
        const sockaddr_in x = read_in4(a.storage_);
        const sockaddr_in y = read_in4(b.storage_);
        return x.sin_port == y.sin_port &&
               std::memcmp(&x.sin_addr, &y.sin_addr, sizeof(x.sin_addr)) == 0;
    }
    if (a.family() == AF_INET6) {
        const sockaddr_in6 x = read_in6(a.storage_);
        const sockaddr_in6 y = read_in6(b.storage_);
        return x.sin6_port == y.sin6_port &&
               std::memcmp(&x.sin6_addr, &y.sin6_addr, sizeof(x.sin6_addr)) == 0;
    }
    return true;
}

std::optional<std::array<std::uint8_t, 4>> SocketAddress::ipv4_octets() const {
    if (family() != AF_INET) {
        return std::nullopt;
    }
    sockaddr_in in{};
    std::memcpy(&in, &storage_, sizeof(in));
    std::array<std::uint8_t, 4> octets{};
    std::memcpy(octets.data(), &in.sin_addr, octets.size());
    return octets;
}

std::optional<std::array<std::uint8_t, 16>> SocketAddress::ipv6_octets() const {
    if (family() != AF_INET6) {
        return std::nullopt;
    }
    sockaddr_in6 in6{};
    std::memcpy(&in6, &storage_, sizeof(in6));
    std::array<std::uint8_t, 16> octets{};
    std::memcpy(octets.data(), &in6.sin6_addr, octets.size());
    return octets;
}

bool SocketAddress::is_unspecified() const {
    const auto all_zero = [](const auto& octets) {
        return std::ranges::all_of(octets, [](std::uint8_t octet) { return octet == 0; });
    };
    if (const auto v4 = ipv4_octets()) {
        return all_zero(*v4);
    }
    if (const auto v6 = ipv6_octets()) {
        return all_zero(*v6);
    }
    return false;
}

bool SocketAddress::is_ipv4_mapped() const {
    static constexpr std::array<std::uint8_t, 12> kPrefix = {0, 0, 0, 0, 0,    0,
                                                             0, 0, 0, 0, 0xff, 0xff};
    const auto v6 = ipv6_octets();
    return v6 && std::equal(kPrefix.begin(), kPrefix.end(), v6->begin());
}

SocketAddress SocketAddress::unmapped() const {
    if (!is_ipv4_mapped()) {
        return *this;
    }
    const auto v6 = *ipv6_octets();
    std::array<std::uint8_t, 4> octets{};
    std::copy(v6.end() - 4, v6.end(), octets.begin());
    return ipv4(octets, port());
}

SocketAddress SocketAddress::ipv4_mapped() const {
    if (family() != AF_INET) {
        return *this;
    }
    sockaddr_in in{};
    std::memcpy(&in, &storage_, sizeof(in));
    std::array<std::uint8_t, 16> octets{};
    octets[10] = 0xff;
    octets[11] = 0xff;
    std::memcpy(octets.data() + 12, &in.sin_addr, 4);
    return ipv6(octets, port());
}

}  // namespace nfv::platform::io
