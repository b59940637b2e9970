#include "nfv/platform/io/udp_socket.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>

#include <poll.h>

#include "socket_util.hpp"

namespace nfv::platform::io {

namespace {

// sendmmsg accepts at most UIO_MAXIOV (1024) messages per call.
constexpr std::size_t kMaxSendBatch = 1024;
// One control message per slot: UDP_SEGMENT (u16) on send, UDP_GRO (int) on receive.
constexpr std::size_t kControlSpace = CMSG_SPACE(sizeof(int));
constexpr std::size_t kGroMinimumSlot = 65535;

bool is_would_block(int error) {
    return error == EAGAIN || error == EWOULDBLOCK || error == ENOBUFS;
}

}  // namespace

IoResult<std::unique_ptr<UdpSocket>> UdpSocket::bind(EventLoop& loop, const SocketAddress& local,
                                                     const UdpOptions& options,
                                                     UdpReceiveHandler on_receive) {
    if (local.family() != AF_INET && local.family() != AF_INET6) {
        return Unexpected(make_error("bind", EAFNOSUPPORT));
    }
    if (options.receive_batch == 0 || options.max_datagram_size == 0 ||
        options.send_queue_datagrams == 0 || options.send_queue_bytes == 0) {
        return Unexpected(make_error("UdpOptions", EINVAL));
    }
    auto fd = detail::open_socket(local.family(), SOCK_DGRAM);
    if (!fd) {
        return Unexpected(fd.error());
    }
    const int s = fd->get();
    if (options.reuse_address) {
        if (auto r = detail::set_int_option(s, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR"); !r) {
            return Unexpected(r.error());
        }
    }
    if (local.family() == AF_INET6) {
        if (auto r = detail::set_int_option(s, IPPROTO_IPV6, IPV6_V6ONLY, options.ipv6_only ? 1 : 0,
                                            "IPV6_V6ONLY");
            !r) {
            return Unexpected(r.error());
        }
    }
    if (options.receive_buffer_bytes) {
        if (auto r = detail::set_int_option(s, SOL_SOCKET, SO_RCVBUF, *options.receive_buffer_bytes,
                                            "SO_RCVBUF");
            !r) {
            return Unexpected(r.error());
        }
    }
    if (options.send_buffer_bytes) {
        if (auto r = detail::set_int_option(s, SOL_SOCKET, SO_SNDBUF, *options.send_buffer_bytes,
                                            "SO_SNDBUF");
            !r) {
            return Unexpected(r.error());
        }
    }
    if (options.receive_offload) {
        if (options.max_datagram_size < kGroMinimumSlot) {
            return Unexpected(make_error("UdpOptions receive_offload", EINVAL));
        }
        // Best effort: without GRO the kernel simply delivers datagrams one by one.
        (void)detail::set_int_option(s, SOL_UDP, UDP_GRO, 1, "UDP_GRO");
    }
    if (::bind(s, local.data(), local.length()) != 0) {
        return Unexpected(last_error("bind"));
    }
    auto bound = detail::local_address_of(s);
    if (!bound) {
        return Unexpected(bound.error());
    }
    return std::unique_ptr<UdpSocket>(
        new UdpSocket(loop, std::move(*fd), *bound, options, std::move(on_receive)));
}

UdpSocket::UdpSocket(EventLoop& loop, UniqueFd fd, const SocketAddress& local,
                     const UdpOptions& options, UdpReceiveHandler on_receive)
    : fd_(std::move(fd)),
      local_(local),
      options_(options),
      on_receive_(std::move(on_receive)),
      read_watch_(loop, *this, kRead),
      write_watch_(loop, *this, kWrite),
      receive_pool_(options.receive_batch * options.max_datagram_size),
      receive_peers_(options.receive_batch),
      receive_iov_(options.receive_batch),
      receive_msgs_(options.receive_batch),
      send_arena_(options.send_queue_bytes),
      send_iov_(std::min(options.send_queue_datagrams, kMaxSendBatch)),
      send_msgs_(std::min(options.send_queue_datagrams, kMaxSendBatch)),
      send_control_(options.segmentation_offload ? send_msgs_.size() * kControlSpace : 0),
      send_counts_(send_msgs_.size()),
      gso_(options.segmentation_offload),
      dual_stack_(local.family() == AF_INET6 && !options.ipv6_only) {
    if (options.receive_offload) {
        receive_control_.resize(options.receive_batch * kControlSpace);
    }
    delivered_.reserve(options.receive_batch);
    queue_.reserve(options.send_queue_datagrams);
    // The iovecs point at fixed pool slots for the socket's whole life.
    for (std::size_t i = 0; i < options.receive_batch; ++i) {
        receive_iov_[i].iov_base = receive_pool_.data() + i * options.max_datagram_size;
        receive_iov_[i].iov_len = options.max_datagram_size;
    }
    read_watch_.arm(fd_.get(), POLLIN, /*multishot=*/true,
                    options.multishot_receive ? PollMode::kMultishot : PollMode::kRearmed);
}

UdpSocket::~UdpSocket() {
    if (destroyed_flag_ != nullptr) {
        *destroyed_flag_ = true;
    }
}

void UdpSocket::on_ready(int tag, std::uint32_t /*revents*/) {
    if (tag == kRead) {
        receive();
        return;
    }
    // Writable again: resume the flush that hit EAGAIN.
    flush();
}

void UdpSocket::on_flush(int /*tag*/) {
    flush();
}

void UdpSocket::receive() {
    const std::size_t batch = options_.receive_batch;
    for (int call = 0; call < kMaxReceiveCallsPerWakeup; ++call) {
        for (std::size_t i = 0; i < batch; ++i) {
            msghdr& h = receive_msgs_[i].msg_hdr;
            h = msghdr{};
            h.msg_name = receive_peers_[i].data();
            h.msg_namelen = SocketAddress::capacity();
            h.msg_iov = &receive_iov_[i];
            h.msg_iovlen = 1;
            if (!receive_control_.empty()) {
                h.msg_control = receive_control_.data() + i * kControlSpace;
                h.msg_controllen = kControlSpace;
            }
            receive_msgs_[i].msg_len = 0;
        }
        const int n = ::recvmmsg(fd_.get(), receive_msgs_.data(), static_cast<unsigned>(batch),
                                 MSG_DONTWAIT, nullptr);
        if (n <= 0) {
            if (n < 0 && !is_would_block(errno) && errno != EINTR) {
                // e.g. ECONNREFUSED queued by an ICMP error: it is consumed by this call.
                ++stats_.receive_errors;
                continue;
            }
            return;  // drained; the read watch reports the next arrival
        }
        ++stats_.receive_calls;
        const auto count = static_cast<std::size_t>(n);
        delivered_.clear();
        for (std::size_t i = 0; i < count; ++i) {
            const msghdr& h = receive_msgs_[i].msg_hdr;
            if ((h.msg_flags & MSG_TRUNC) != 0) {
                ++stats_.truncated;
                continue;
            }
            deliver_received(i);
        }
        if (!delivered_.empty() && on_receive_) {
            stats_.received += delivered_.size();
            ++stats_.receive_batches;
            // The handler may destroy this socket; detect that and stop touching members.
            bool destroyed = false;
            destroyed_flag_ = &destroyed;
            on_receive_(std::span<const ReceivedDatagram>(delivered_));
            if (destroyed) {
                return;
            }
            destroyed_flag_ = nullptr;
        }
        if (count < batch) {
            return;  // the socket is empty
        }
    }
    // Still full after our share of this wake-up: come back next iteration without waiting.
    read_watch_.defer(POLLIN);
}

void UdpSocket::deliver_received(std::size_t index) {
    msghdr& h = receive_msgs_[index].msg_hdr;
    receive_peers_[index].set_length(h.msg_namelen);
    if (dual_stack_ && receive_peers_[index].is_ipv4_mapped()) {
        receive_peers_[index] = receive_peers_[index].unmapped();
    }
    const std::span<const std::byte> buffer(
        receive_pool_.data() + index * options_.max_datagram_size, receive_msgs_[index].msg_len);
    std::size_t segment = 0;
    if (!receive_control_.empty()) {
        for (cmsghdr* c = CMSG_FIRSTHDR(&h); c != nullptr; c = CMSG_NXTHDR(&h, c)) {
            if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO) {
                int size = 0;
                std::memcpy(&size, CMSG_DATA(c), sizeof(size));
                segment = size > 0 ? static_cast<std::size_t>(size) : 0;
            }
        }
    }
    if (segment == 0 || segment >= buffer.size()) {
        delivered_.push_back(ReceivedDatagram{receive_peers_[index], buffer});
        return;
    }
    // GRO: same-size datagrams (the last may be shorter) from one sender, back to back.
    ++stats_.gro_buffers;
    for (std::size_t offset = 0; offset < buffer.size(); offset += segment) {
        delivered_.push_back(
            ReceivedDatagram{receive_peers_[index],
                             buffer.subspan(offset, std::min(segment, buffer.size() - offset))});
    }
}

IoResult<SendStatus> UdpSocket::send_to(const SocketAddress& peer,
                                        std::span<const std::byte> payload) {
    const bool map = dual_stack_ && peer.family() == AF_INET;
    if (peer.family() != local_.family() && !map) {
        return Unexpected(make_error("send_to", EAFNOSUPPORT));
    }
    if (payload.size() > send_arena_.size()) {
        return Unexpected(make_error("send_to", EMSGSIZE));
    }
    const auto full = [&] {
        return queue_.size() == options_.send_queue_datagrams ||
               send_arena_.size() - arena_used_ < payload.size();
    };
    if (full()) {
        compact_queue();  // reclaims room only after a partial flush
        if (full()) {
            report_writable_ = true;
            return SendStatus::kQueueFull;
        }
    }
    if (!payload.empty()) {
        std::memcpy(send_arena_.data() + arena_used_, payload.data(), payload.size());
    }
    queue_.push_back(Queued{map ? peer.ipv4_mapped() : peer, arena_used_, payload.size()});
    arena_used_ += payload.size();
    if (!write_watch_.armed()) {
        write_watch_.request_flush();  // coalesce: one sendmmsg per wake-up
    }
    return SendStatus::kQueued;
}

void UdpSocket::compact_queue() {
    // Only after a partial flush: move the unsent tail to the front.
    if (queue_head_ == 0) {
        return;
    }
    if (queue_head_ == queue_.size()) {
        queue_.clear();
        queue_head_ = 0;
        arena_used_ = 0;
        return;
    }
    const std::size_t base = queue_[queue_head_].offset;
    std::memmove(send_arena_.data(), send_arena_.data() + base, arena_used_ - base);
    arena_used_ -= base;
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(queue_head_));
    queue_head_ = 0;
    for (Queued& q : queue_) {
        q.offset -= base;
    }
}

std::size_t UdpSocket::build_messages() {
    std::size_t messages = 0;
    std::size_t next = queue_head_;
    while (next < queue_.size() && messages < send_msgs_.size()) {
        const Queued& first = queue_[next];
        std::size_t count = 1;
        std::size_t bytes = first.length;
        if (gso_ && first.length > 0 && first.length < gso_segment_limit_) {
            // Extend the run: same peer, contiguous in the arena, same size (a shorter one ends
            // it), within the kernel's GSO limits.
            while (next + count < queue_.size() && count < kMaxGsoSegments) {
                const Queued& q = queue_[next + count];
                if (q.length == 0 || q.length > first.length || bytes + q.length > kMaxGsoBytes ||
                    q.offset != first.offset + bytes || !(q.peer == first.peer)) {
                    break;
                }
                bytes += q.length;
                ++count;
                if (q.length < first.length) {
                    break;
                }
            }
        }
        send_iov_[messages].iov_base = send_arena_.data() + first.offset;
        send_iov_[messages].iov_len = bytes;
        msghdr& h = send_msgs_[messages].msg_hdr;
        h = msghdr{};
        h.msg_name = queue_[next].peer.data();
        h.msg_namelen = first.peer.length();
        h.msg_iov = &send_iov_[messages];
        h.msg_iovlen = 1;
        if (count > 1) {
            h.msg_control = send_control_.data() + messages * kControlSpace;
            h.msg_controllen = CMSG_SPACE(sizeof(std::uint16_t));
            cmsghdr* c = CMSG_FIRSTHDR(&h);
            c->cmsg_level = SOL_UDP;
            c->cmsg_type = UDP_SEGMENT;
            c->cmsg_len = CMSG_LEN(sizeof(std::uint16_t));
            const auto size = static_cast<std::uint16_t>(first.length);
            std::memcpy(CMSG_DATA(c), &size, sizeof(size));
        }
        send_counts_[messages] = count;
        ++messages;
        next += count;
    }
    return messages;
}

std::size_t UdpSocket::flush() {
    while (queue_head_ < queue_.size()) {
        const std::size_t messages = build_messages();
        ++stats_.send_calls;
        const int n =
            ::sendmmsg(fd_.get(), send_msgs_.data(), static_cast<unsigned>(messages), MSG_DONTWAIT);
        if (n < 0) {
            const int error = errno;
            if (error == EINTR) {
                continue;
            }
            if (is_would_block(error)) {
                // Keep everything queued, in order; resume when writable.
                ++stats_.send_would_block;
                write_watch_.arm(fd_.get(), POLLOUT, /*multishot=*/false);
                return queued();
            }
            if (send_counts_[0] > 1 && error == EMSGSIZE) {
                // Segments of this size exceed the path MTU (the kernel would have to fragment
                // each one, which GSO cannot do): send datagrams this long one by one.
                gso_segment_limit_ = std::min(gso_segment_limit_, queue_[queue_head_].length);
                continue;
            }
            if (send_counts_[0] > 1 &&
                (error == EIO || error == EINVAL || error == ENOPROTOOPT || error == EOPNOTSUPP)) {
                // The path cannot segment (no UDP GSO, or no checksum offload): one by one.
                gso_ = false;
                stats_.gso_disabled = true;
                continue;
            }
            // This datagram is undeliverable (EHOSTUNREACH, EACCES, ...): drop it, keep going.
            stats_.send_errors += send_counts_[0];
            stats_.last_send_error = make_error("sendmmsg", error);
            queue_head_ += send_counts_[0];
            continue;
        }
        for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
            stats_.sent += send_counts_[i];
            queue_head_ += send_counts_[i];
            stats_.gso_messages += send_counts_[i] > 1 ? 1U : 0U;
        }
    }
    queue_.clear();
    queue_head_ = 0;
    arena_used_ = 0;
    if (report_writable_) {
        report_writable_ = false;
        if (on_writable_) {
            on_writable_();  // may queue more (or destroy this socket): touch nothing after
        }
    }
    return 0;
}

}  // namespace nfv::platform::io
