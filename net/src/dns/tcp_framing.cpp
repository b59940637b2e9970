#include "nfv/net/dns/tcp_framing.hpp"

#include <algorithm>

namespace nfv::net::dns {
namespace {

constexpr std::size_t kMaxFrame = 0xFFFF;
constexpr std::size_t kMinCapacity = kMaxFrame + kTcpLengthSize;

}  // namespace

Result<void, DnsError> append_tcp_frame(std::vector<std::byte>& out,
                                        std::span<const std::byte> message) {
    if (message.size() > kMaxFrame) {
        return Unexpected(DnsError::kFrameTooLarge);
    }
    out.push_back(static_cast<std::byte>(message.size() >> 8U));
    out.push_back(static_cast<std::byte>(message.size() & 0xFFU));
    out.insert(out.end(), message.begin(), message.end());
    return {};
}

Result<std::vector<std::byte>, DnsError> frame_tcp(std::span<const std::byte> message) {
    std::vector<std::byte> framed;
    framed.reserve(kTcpLengthSize + message.size());
    if (auto appended = append_tcp_frame(framed, message); !appended) {
        return Unexpected(appended.error());
    }
    return framed;
}

TcpFrameSplitter::TcpFrameSplitter(std::size_t capacity)
    : capacity_(std::max(capacity, kMinCapacity)) {}

void TcpFrameSplitter::compact() {
    if (read_ == 0) {
        return;
    }
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(read_));
    read_ = 0;
}

std::size_t TcpFrameSplitter::feed(std::span<const std::byte> chunk) {
    compact();
    const std::size_t take = std::min(chunk.size(), free_space());
    buffer_.insert(buffer_.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(take));
    return take;
}

std::optional<std::span<const std::byte>> TcpFrameSplitter::next() {
    // Compact lazily: only once the consumed prefix outweighs what is left, so pipelined small
    // frames do not cause a memmove each.
    if (read_ > buffered()) {
        compact();
    }
    if (buffered() < kTcpLengthSize) {
        return std::nullopt;
    }
    const std::size_t length = (std::to_integer<std::size_t>(buffer_[read_]) << 8U) |
                               std::to_integer<std::size_t>(buffer_[read_ + 1]);
    if (buffered() < kTcpLengthSize + length) {
        return std::nullopt;
    }
    const auto message =
        std::span<const std::byte>(buffer_).subspan(read_ + kTcpLengthSize, length);
    read_ += kTcpLengthSize + length;
    return message;
}

}  // namespace nfv::net::dns
