// TunDevice: a Linux TUN interface (layer 3, IFF_TUN | IFF_NO_PI: every read/write is exactly one
// bare IPv4 or IPv6 packet) driven by an EventLoop.
//
// Reads are batched: on readiness the device read()s packets into a fixed pool of `read_batch`
// slots until the queue is empty or the pool is full, then hands the batch to one callback; the
// spans are valid only during that call and the slots are reused afterwards. If the pool filled,
// the device defers itself to the next loop iteration. A packet longer than max_packet_size is
// dropped and counted (stats().truncated).
// Writes go straight to the kernel (a TUN write never partially succeeds: the packet is injected
// whole or not at all). EAGAIN is returned as an error and the packet is the caller's to drop, as
// a congested link would.
// Virtio-net header mode (TunOptions::vnet_header): the device is opened with IFF_VNET_HDR and
// asks for TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6, so every read starts with a 10-byte virtio-net
// header and may carry a TCP super-packet of up to 64 KiB with its checksum left to the reader;
// every write must start with such a header (write_frame). Reads hand over the header and the
// packet as one span; the caller (who knows IP, see nfv::net::split_offloaded_packet) segments.
// offloads() says whether the kernel accepted the offload flags (if not, headers are still
// present but never describe GSO or a partial checksum).
// Link configuration (MTU, up, IPv4 address) uses SIOCSIF* ioctls on an AF_INET socket, which
// needs CAP_NET_ADMIN in the interface's network namespace.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "nfv/platform/byte_buffer.hpp"
#include "nfv/platform/io/error.hpp"
#include "nfv/platform/io/event_loop.hpp"
#include "nfv/platform/io/unique_fd.hpp"

namespace nfv::platform::io {

struct TunOptions {
    std::string name;                    // requested name, e.g. "tun0" or "vpn%d"; empty = kernel's
    std::size_t read_batch = 32;         // packets per callback at most
    std::size_t max_packet_size = 9216;  // read slot size (jumbo MTU); longer packets are dropped
    bool vnet_header = false;            // IFF_VNET_HDR + offloads; see above
};

struct TunStats {
    std::uint64_t packets_read = 0;
    std::uint64_t read_batches = 0;
    std::uint64_t truncated = 0;
    std::uint64_t read_errors = 0;
    std::uint64_t packets_written = 0;
    std::uint64_t write_errors = 0;  // frames the kernel refused (write_frame)
};

/// Called with every packet of one batch; spans valid only during the call.
using TunReadHandler = std::function<void(std::span<const std::span<const std::byte>> packets)>;

class TunDevice final : private PollTarget {
public:
    /// Opens /dev/net/tun and creates (or attaches to) the interface. The link starts down.
    [[nodiscard]] static IoResult<std::unique_ptr<TunDevice>> open(EventLoop& loop,
                                                                   const TunOptions& options,
                                                                   TunReadHandler on_packets);
    ~TunDevice();
    TunDevice(const TunDevice&) = delete;
    TunDevice& operator=(const TunDevice&) = delete;

    /// The interface name the kernel assigned (e.g. "tun0").
    [[nodiscard]] const std::string& name() const { return name_; }
    [[nodiscard]] int fd() const { return fd_.get(); }

    /// SIOCSIFMTU / SIOCGIFMTU.
    [[nodiscard]] IoResult<void> set_mtu(int mtu);
    [[nodiscard]] IoResult<int> mtu() const;
    /// Sets IFF_UP (and IFF_RUNNING) on the link.
    [[nodiscard]] IoResult<void> set_up();
    /// Assigns an IPv4 address and netmask (SIOCSIFADDR + SIOCSIFNETMASK); the kernel then adds
    /// the connected route once the link is up. prefix_length must be 0..32.
    [[nodiscard]] IoResult<void> set_ipv4_address(std::array<std::uint8_t, 4> address,
                                                  int prefix_length);

    /// Injects one IP packet into the kernel as if it arrived on the interface. In virtio-net
    /// header mode an all-zero header (no offload) is put in front.
    [[nodiscard]] IoResult<void> write_packet(std::span<const std::byte> packet);
    /// Virtio-net header mode only: one write of `header` (10 bytes) followed by `packet`.
    [[nodiscard]] IoResult<void> write_frame(std::span<const std::byte> header,
                                             std::span<const std::byte> packet);

    /// True when reads and writes carry a virtio-net header.
    [[nodiscard]] bool vnet_header() const { return vnet_header_; }
    /// True when the kernel also accepted the checksum and TSO offload flags.
    [[nodiscard]] bool offloads() const { return offloads_; }

    [[nodiscard]] const TunStats& stats() const { return stats_; }

private:
    TunDevice(EventLoop& loop, UniqueFd fd, std::string name, const TunOptions& options,
              TunReadHandler handler, bool vnet_header, bool offloads);
    void on_ready(int tag, std::uint32_t revents) override;

    UniqueFd fd_;
    std::string name_;
    TunOptions options_;
    TunReadHandler on_packets_;
    Watch watch_;
    bool* destroyed_flag_ = nullptr;
    ByteBuffer pool_;
    std::vector<std::span<const std::byte>> batch_;
    TunStats stats_;
    bool vnet_header_ = false;
    bool offloads_ = false;
};

}  // namespace nfv::platform::io
