// OffloadTun: the VPN's TUN device with Linux segmentation offloads, so that bulk TCP through the
// tunnel costs one system call per 64 KiB instead of one per packet on each side.
//
//   * Reads (TunOptions::vnet_header, TUN_F_TSO4/TSO6/CSUM): the kernel hands over TCP
//     super-packets of up to 64 KiB; split_offloaded_packet cuts them into ordinary IP packets
//     with complete checksums, and the handler sees a batch of those, exactly as without
//     offload (the data channel encrypts each one, OpenVPN's wire format is unchanged).
//   * Writes: write_packet() queues the packet in a TcpCoalescer; before the event loop next
//     blocks (Watch::request_flush) the queue is written with one writev per super-packet. So a
//     batch of decrypted packets of one TCP flow enters the kernel as one GSO packet.
// With offload off (or a kernel that refuses IFF_VNET_HDR) reads and writes are plain packets,
// written at once. If the kernel refuses a super-packet, its segments are written one by one and
// coalescing stops for the rest of the device's life (stats().coalescing_disabled).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "nfv/net/tcp_coalescer.hpp"
#include "nfv/platform/byte_buffer.hpp"
#include "nfv/platform/io/event_loop.hpp"
#include "nfv/platform/io/tun_device.hpp"
#include "nfv/platform/io/udp_socket.hpp"
#include "nfv/platform/log.hpp"

namespace nfv::vpn::tunnel {

struct OffloadTunStats {
    std::uint64_t super_packets_read = 0;  // reads that carried a TCP super-packet
    std::uint64_t segments_read = 0;       // packets made from those
    std::uint64_t malformed_reads = 0;     // reads dropped: bad header, unsupported GSO, no room
    std::uint64_t super_packets_written = 0;
    std::uint64_t segments_written = 0;  // packets carried by those
    std::uint64_t write_errors = 0;
    bool coalescing_disabled = false;
};

/// UDP socket options for the tunnel's transport: GSO on send and GRO on receive when
/// `offload`, with buffers sized for bursts of 64 KiB reads from the TUN.
[[nodiscard]] platform::io::UdpOptions transport_udp_options(bool offload);

class OffloadTun final : private platform::io::PollTarget {
public:
    /// Opens the TUN device (name as TunOptions::name); `offload` asks for the virtio-net
    /// header mode. `on_packets` receives plain IP packets in batches.
    [[nodiscard]] static platform::io::IoResult<std::unique_ptr<OffloadTun>> open(
        platform::io::EventLoop& loop, const std::string& name, bool offload,
        platform::io::TunReadHandler on_packets);
    ~OffloadTun() = default;
    OffloadTun(const OffloadTun&) = delete;
    OffloadTun& operator=(const OffloadTun&) = delete;

    [[nodiscard]] const std::string& name() const { return device_->name(); }
    [[nodiscard]] platform::io::IoResult<void> set_mtu(int mtu) { return device_->set_mtu(mtu); }
    [[nodiscard]] platform::io::IoResult<void> set_up() { return device_->set_up(); }
    /// True when reads and writes use the kernel's offloads.
    [[nodiscard]] bool offloading() const { return device_->offloads(); }

    /// Hands one IP packet to the kernel: at once without offload, else queued for coalescing
    /// (it reaches the kernel before the loop next blocks; errors then count in stats()).
    [[nodiscard]] platform::io::IoResult<void> write_packet(std::span<const std::byte> packet);
    /// Writes everything queued now.
    void flush();

    [[nodiscard]] const OffloadTunStats& stats() const { return stats_; }
    [[nodiscard]] const platform::io::TunStats& device_stats() const { return device_->stats(); }
    [[nodiscard]] const net::TcpCoalescer::Stats& coalescer_stats() const {
        return coalescer_.stats();
    }

private:
    OffloadTun(platform::io::EventLoop& loop, platform::io::TunReadHandler on_packets);
    void on_ready(int /*tag*/, std::uint32_t /*revents*/) override {}
    void on_flush(int /*tag*/) override { flush(); }
    void on_frames(std::span<const std::span<const std::byte>> frames);
    void write_segments_of(const net::TcpCoalescer::Output& output);

    platform::io::TunReadHandler on_packets_;
    std::unique_ptr<platform::io::TunDevice> device_;
    platform::io::Watch flush_watch_;
    net::TcpCoalescer coalescer_;
    bool coalesce_ = false;
    platform::ByteBuffer split_arena_;  // segments of one read batch
    platform::ByteBuffer resegment_arena_;
    std::vector<std::span<const std::byte>> packets_;
    OffloadTunStats stats_;
};

/// Logs one "offload statistics" line: TUN super-packets read and written (and the segments
/// they carried), UDP GSO messages and GRO buffers, and any fallback the kernel forced.
void log_offload_statistics(platform::Logger& log, const OffloadTun& tun,
                            std::span<const platform::io::UdpSocket* const> sockets);

}  // namespace nfv::vpn::tunnel
