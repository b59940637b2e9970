// UdpSocket: a bound UDP socket (IPv4 or IPv6) driven by an EventLoop, batched both ways.
//
// Receive: a multishot poll reports readiness; the socket then calls recvmmsg(2) into a fixed pool
// of `receive_batch` slots of `max_datagram_size` bytes each and hands the whole batch to ONE
// callback invocation. The payload spans point into the pool and are valid only during the
// callback; the slots are reused as soon as it returns. At most kMaxReceiveCallsPerWakeup
// recvmmsg calls are made per wake-up; if data remains, the socket defers itself to the next loop
// iteration so other fds are served too. Datagrams longer than a slot are dropped and counted
// (stats().truncated), never delivered cut short.
//
// Send: send_to() copies the datagram into a bounded send queue (no allocation after bind). The
// queue is flushed with sendmmsg(2) before the loop next blocks (so everything a callback queues
// during one wake-up leaves in as few system calls as possible), or at once with flush().
// Back-pressure contract:
//   * send_to() returns SendStatus::kQueued when the datagram was accepted; it will be sent (or
//     counted in stats().send_errors if the kernel rejects that one datagram, e.g. EHOSTUNREACH).
//   * send_to() returns SendStatus::kQueueFull when the queue has no room; the datagram was NOT
//     accepted. The on_writable callback fires once the queue has drained completely.
//   * If the kernel would block (EAGAIN/ENOBUFS), datagrams stay queued in order, a one-shot
//     POLLOUT watch is armed, and the flush resumes when the socket is writable.
// Offloads (Linux UDP GSO/GRO, both off by default):
//   * segmentation_offload: a run of queued datagrams to the same peer, all of one size except a
//     shorter last one, leaves as ONE message with a UDP_SEGMENT control message (at most
//     kMaxGsoSegments datagrams and kMaxGsoBytes bytes); the kernel cuts it into the same
//     datagrams on the wire. If the kernel refuses a GSO message, the socket stops using GSO
//     and sends the datagrams one by one (stats().gso_disabled). Datagrams longer than the
//     path MTU (EMSGSIZE for a GSO message) are sent one by one from then on, and the kernel
//     fragments them as it would without GSO.
//   * receive_offload: UDP_GRO; the kernel may deliver several datagrams of one sender as one
//     buffer with their size in a control message. They are cut apart again, so the handler
//     still sees one ReceivedDatagram per datagram. Needs max_datagram_size >= 65535.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include <sys/socket.h>
#include <sys/uio.h>

#include "nfv/platform/byte_buffer.hpp"
#include "nfv/platform/io/error.hpp"
#include "nfv/platform/io/event_loop.hpp"
#include "nfv/platform/io/socket_address.hpp"
#include "nfv/platform/io/unique_fd.hpp"

namespace nfv::platform::io {

struct UdpOptions {
    bool reuse_address = true;                  // SO_REUSEADDR
    bool ipv6_only = true;                      // IPV6_V6ONLY for AF_INET6 sockets; when false
                                                // (dual stack) IPv4 peers appear as AF_INET
                                                // addresses both ways, never ::ffff:a.b.c.d
    std::optional<int> receive_buffer_bytes;    // SO_RCVBUF (the kernel caps at rmem_max)
    std::optional<int> send_buffer_bytes;       // SO_SNDBUF (capped at wmem_max)
    std::size_t receive_batch = 64;             // datagrams per recvmmsg call
    std::size_t max_datagram_size = 4096;       // receive slot size in bytes
    std::size_t send_queue_datagrams = 256;     // send queue capacity in datagrams
    std::size_t send_queue_bytes = 256 * 1024;  // send queue capacity in payload bytes
    bool segmentation_offload = false;          // UDP GSO on send (see above)
    bool receive_offload = false;               // UDP GRO on receive (see above)
    // Receive readiness as PollMode::kMultishot (true) or kRearmed (false). Under a steady
    // stream of datagrams a multishot poll makes the kernel queue a completion for every arrival
    // while the socket is being drained anyway; a re-armed one-shot poll stays quiet until the
    // next loop iteration (nfv-dnsvizor under dnsperf: ~10% less CPU per query).
    bool multishot_receive = true;
};

struct ReceivedDatagram {
    SocketAddress peer;
    std::span<const std::byte> payload;  // valid only during the receive callback
};

struct UdpStats {
    std::uint64_t received = 0;          // datagrams delivered
    std::uint64_t receive_batches = 0;   // receive callback invocations
    std::uint64_t receive_calls = 0;     // recvmmsg calls that returned data
    std::uint64_t truncated = 0;         // dropped: longer than max_datagram_size
    std::uint64_t receive_errors = 0;    // recvmmsg failures other than EAGAIN
    std::uint64_t sent = 0;              // datagrams accepted by the kernel
    std::uint64_t send_calls = 0;        // sendmmsg calls
    std::uint64_t send_would_block = 0;  // flushes stopped by EAGAIN/ENOBUFS
    std::uint64_t send_errors = 0;       // datagrams the kernel rejected (dropped)
    std::uint64_t gso_messages = 0;      // messages that carried several datagrams (UDP GSO)
    std::uint64_t gro_buffers = 0;       // received buffers that held several datagrams (GRO)
    bool gso_disabled = false;           // the kernel refused GSO; sending one by one
    std::optional<IoError> last_send_error;
};

enum class SendStatus { kQueued, kQueueFull };

/// Called with every datagram of one batch; spans valid only during the call.
using UdpReceiveHandler = std::function<void(std::span<const ReceivedDatagram> batch)>;

class UdpSocket final : private PollTarget {
public:
    /// Creates, configures and binds a socket on `local` (port 0 = kernel-chosen) and starts
    /// receiving into `on_receive`. Fails with the system call that failed and its errno.
    [[nodiscard]] static IoResult<std::unique_ptr<UdpSocket>> bind(EventLoop& loop,
                                                                   const SocketAddress& local,
                                                                   const UdpOptions& options,
                                                                   UdpReceiveHandler on_receive);
    ~UdpSocket();
    UdpSocket(const UdpSocket&) = delete;
    UdpSocket& operator=(const UdpSocket&) = delete;

    /// The bound address, with the kernel-chosen port filled in.
    [[nodiscard]] const SocketAddress& local_address() const { return local_; }
    [[nodiscard]] int fd() const { return fd_.get(); }

    /// Queues one datagram (see the back-pressure contract above). Fails with EMSGSIZE when the
    /// payload could never fit the queue, or EAFNOSUPPORT for a peer of the wrong family.
    [[nodiscard]] IoResult<SendStatus> send_to(const SocketAddress& peer,
                                               std::span<const std::byte> payload);
    /// Sends queued datagrams now, until the queue is empty or the kernel would block.
    /// Returns the number of datagrams still queued.
    std::size_t flush();
    /// Called (on the loop thread) when the queue has drained after send_to() returned kQueueFull.
    void set_on_writable(std::function<void()> on_writable) {
        on_writable_ = std::move(on_writable);
    }
    [[nodiscard]] std::size_t queued() const { return queue_.size() - queue_head_; }
    [[nodiscard]] const UdpStats& stats() const { return stats_; }

    static constexpr int kMaxReceiveCallsPerWakeup = 4;
    static constexpr std::size_t kMaxGsoSegments = 64;  // UDP_MAX_SEGMENTS of older kernels
    static constexpr std::size_t kMaxGsoBytes = 65000;  // below the 64 KiB IP datagram limit

private:
    struct Queued {
        SocketAddress peer;
        std::size_t offset;
        std::size_t length;
    };
    enum Tag : int { kRead = 0, kWrite = 1 };

    UdpSocket(EventLoop& loop, UniqueFd fd, const SocketAddress& local, const UdpOptions& options,
              UdpReceiveHandler on_receive);
    void on_ready(int tag, std::uint32_t revents) override;
    void on_flush(int tag) override;
    void receive();
    void deliver_received(std::size_t index);
    void compact_queue();
    std::size_t build_messages();

    UniqueFd fd_;
    SocketAddress local_;
    UdpOptions options_;
    UdpReceiveHandler on_receive_;
    std::function<void()> on_writable_;
    Watch read_watch_;
    Watch write_watch_;
    bool* destroyed_flag_ = nullptr;  // set while a callback runs; see receive()
    bool report_writable_ = false;

    // Receive pool: slots, their iovecs/mmsghdrs and peer addresses, all sized at bind time.
    ByteBuffer receive_pool_;
    std::vector<SocketAddress> receive_peers_;
    std::vector<iovec> receive_iov_;
    std::vector<mmsghdr> receive_msgs_;
    std::vector<ReceivedDatagram> delivered_;
    std::vector<std::byte> receive_control_;  // one control buffer per slot (UDP_GRO size)

    // Send queue: entries [queue_head_, size) with payloads in send_arena_[0, arena_used_).
    std::vector<Queued> queue_;
    std::size_t queue_head_ = 0;
    ByteBuffer send_arena_;
    std::size_t arena_used_ = 0;
    std::vector<iovec> send_iov_;
    std::vector<mmsghdr> send_msgs_;
    std::vector<std::byte> send_control_;   // one control buffer per message (UDP_SEGMENT)
    std::vector<std::size_t> send_counts_;  // datagrams in each built message
    bool gso_ = false;
    bool dual_stack_ = false;  // AF_INET6 without IPV6_V6ONLY: IPv4 peers are mapped
    // Datagrams this long or longer are never sent with GSO (set when the kernel answered
    // EMSGSIZE: they need IP fragmentation, which GSO cannot do).
    std::size_t gso_segment_limit_ = SIZE_MAX;

    UdpStats stats_;
};

}  // namespace nfv::platform::io
