// SocketAddress: an IPv4 or IPv6 socket address (sockaddr_in / sockaddr_in6) held by value.
//
// This is the OS-edge representation handed to and from the kernel; protocol cores use the
// nfv::net address types and runtime code converts at the boundary. The storage is a
// sockaddr_storage so the kernel can write into it directly (recvmmsg, accept4) without a copy.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <sys/socket.h>

namespace nfv::platform::io {

class SocketAddress {
public:
    /// An empty address (family AF_UNSPEC, length 0).
    SocketAddress() = default;

    /// 0.0.0.0-style construction from four octets in network order and a host-order port.
    [[nodiscard]] static SocketAddress ipv4(std::array<std::uint8_t, 4> octets, std::uint16_t port);
    /// From sixteen octets in network order and a host-order port (scope id 0).
    [[nodiscard]] static SocketAddress ipv6(std::array<std::uint8_t, 16> octets,
                                            std::uint16_t port);
    /// Parses a numeric IPv4 ("127.0.0.1") or IPv6 ("::1") literal; nullopt if neither.
    [[nodiscard]] static std::optional<SocketAddress> parse(std::string_view ip,
                                                            std::uint16_t port);
    /// Copies a kernel-provided address; nullopt unless it is AF_INET/AF_INET6 of sane length.
    [[nodiscard]] static std::optional<SocketAddress> from_sockaddr(const sockaddr* address,
                                                                    socklen_t length);

    /// AF_INET, AF_INET6 or AF_UNSPEC.
    [[nodiscard]] int family() const { return storage_.ss_family; }
    /// Port in host order (0 for AF_UNSPEC).
    [[nodiscard]] std::uint16_t port() const;
    /// "127.0.0.1:53" or "[::1]:53".
    [[nodiscard]] std::string to_string() const;

    [[nodiscard]] const sockaddr* data() const;
    [[nodiscard]] sockaddr* data();
    [[nodiscard]] socklen_t length() const { return length_; }
    /// For the kernel to fill in: the full capacity, then set_length() with what it wrote.
    [[nodiscard]] static constexpr socklen_t capacity() { return sizeof(sockaddr_storage); }
    void set_length(socklen_t length) { length_ = length; }

    /// The address octets, in network order: of an AF_INET address (nullopt otherwise)...
    [[nodiscard]] std::optional<std::array<std::uint8_t, 4>> ipv4_octets() const;
    /// ... and of an AF_INET6 one (nullopt otherwise).
    [[nodiscard]] std::optional<std::array<std::uint8_t, 16>> ipv6_octets() const;
    /// True for 0.0.0.0 and :: (a listener bound there takes connections to any local address).
    [[nodiscard]] bool is_unspecified() const;

    /// True for an IPv4-mapped IPv6 address (::ffff:a.b.c.d, RFC 4291 §2.5.5.2), which a
    /// dual-stack AF_INET6 socket reports for IPv4 peers.
    [[nodiscard]] bool is_ipv4_mapped() const;
    /// The AF_INET address of an IPv4-mapped one (same port); *this for anything else.
    [[nodiscard]] SocketAddress unmapped() const;
    /// The IPv4-mapped AF_INET6 form of an AF_INET address (same port); *this otherwise.
    [[nodiscard]] SocketAddress ipv4_mapped() const;

    /// Same family, address bytes and port.
    friend bool operator==(const SocketAddress& a, const SocketAddress& b);

private:
    sockaddr_storage storage_{};
    socklen_t length_ = 0;
};

}  // namespace nfv::platform::io
