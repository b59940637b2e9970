// DNS over TCP framing: each message is preceded by a 2-byte big-endian length
// (RFC 1035 §4.2.2, RFC 7766 §8). Several queries may be pipelined on one connection
// (RFC 7766 §6.2.1), and a read may end anywhere inside a frame.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "nfv/net/dns/error.hpp"
#include "nfv/platform/result.hpp"

namespace nfv::net::dns {

inline constexpr std::size_t kTcpLengthSize = 2;

/// `message` with its 2-byte length prefix; kFrameTooLarge if it exceeds 65535 bytes.
[[nodiscard]] Result<std::vector<std::byte>, DnsError> frame_tcp(
    std::span<const std::byte> message);

/// Appends `message` with its 2-byte length prefix to `out` (several answers in one write);
/// kFrameTooLarge (and `out` unchanged) if it exceeds 65535 bytes.
[[nodiscard]] Result<void, DnsError> append_tcp_frame(std::vector<std::byte>& out,
                                                      std::span<const std::byte> message);

/// Reassembles framed messages from a TCP byte stream.
///
/// Drain protocol: feed() a chunk, then call next() until it returns nullopt, then feed more.
/// feed() accepts at most free_space() bytes and returns how many it took; if it took fewer than
/// offered, call next() and feed the rest again. The buffer never grows beyond `capacity`,
/// which must be at least 65537 so that any single frame fits.
class TcpFrameSplitter {
public:
    static constexpr std::size_t kDefaultCapacity = 2 * (0xFFFF + kTcpLengthSize);

    explicit TcpFrameSplitter(std::size_t capacity = kDefaultCapacity);

    /// Appends up to free_space() bytes of `chunk`; returns the number appended.
    [[nodiscard]] std::size_t feed(std::span<const std::byte> chunk);

    /// The next complete message (without its length prefix), or nullopt if none is complete.
    /// The span stays valid until the next call to feed() or next(). A zero-length frame yields
    /// an empty span (the caller's parser rejects it).
    [[nodiscard]] std::optional<std::span<const std::byte>> next();

    /// Bytes received but not yet returned by next().
    [[nodiscard]] std::size_t buffered() const { return buffer_.size() - read_; }
    [[nodiscard]] std::size_t free_space() const { return capacity_ - buffered(); }

private:
    void compact();

    std::vector<std::byte> buffer_;
    std::size_t read_ = 0;  // start of the unconsumed bytes in buffer_
    std::size_t capacity_;
};

}  // namespace nfv::net::dns
