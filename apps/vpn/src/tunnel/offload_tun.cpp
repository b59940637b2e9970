#include "tunnel/offload_tun.hpp"

#include <cerrno>
#include <cstring>
#include <utility>

#include "nfv/net/offload.hpp"

namespace nfv::vpn::tunnel {

namespace {

constexpr std::size_t kReadBatch = 8;  // super-packets per read batch
// A virtio-net header and the largest super-packet: IPv4 65535, IPv6 40 + 65535 bytes.
constexpr std::size_t kFrameSize = 10 + 40 + 65535;
constexpr std::size_t kSplitRoom = 2 * 65536;  // segments of one super-packet
constexpr std::size_t kPlainReadBatch = 32;
constexpr std::size_t kPlainPacketSize = 9216;

}  // namespace

void log_offload_statistics(platform::Logger& log, const OffloadTun& tun,
                            std::span<const platform::io::UdpSocket* const> sockets) {
    const auto& s = tun.stats();
    const auto& c = tun.coalescer_stats();
    platform::io::UdpStats u;  // summed over the sockets
    for (const auto* socket : sockets) {
        if (socket != nullptr) {
            u.gso_messages += socket->stats().gso_messages;
            u.gso_disabled = u.gso_disabled || socket->stats().gso_disabled;
            u.gro_buffers += socket->stats().gro_buffers;
        }
    }
    log.info("offload statistics", {{"tun_offload", tun.offloading()},
                                    {"tun_super_packets_read", s.super_packets_read},
                                    {"tun_segments_read", s.segments_read},
                                    {"tun_malformed_reads", s.malformed_reads},
                                    {"tun_super_packets_written", s.super_packets_written},
                                    {"tun_segments_written", s.segments_written},
                                    {"tun_packets_merged", c.packets_merged},
                                    {"tun_write_errors", s.write_errors},
                                    {"tun_coalescing_disabled", s.coalescing_disabled},
                                    {"udp_gso_messages", u.gso_messages},
                                    {"udp_gso_disabled", u.gso_disabled},
                                    {"udp_gro_buffers", u.gro_buffers}});
}

platform::io::UdpOptions transport_udp_options(bool offload) {
    platform::io::UdpOptions options;
    options.receive_buffer_bytes = 4 * 1024 * 1024;
    options.send_buffer_bytes = 4 * 1024 * 1024;
    options.send_queue_datagrams = 1024;
    options.send_queue_bytes = 2 * 1024 * 1024;
    if (offload) {
        options.segmentation_offload = true;
        options.receive_offload = true;
        options.max_datagram_size = 65535;
        options.receive_batch = 16;
    }
    return options;
}

platform::io::IoResult<std::unique_ptr<OffloadTun>> OffloadTun::open(
    platform::io::EventLoop& loop, const std::string& name, bool offload,
    platform::io::TunReadHandler on_packets) {
    std::unique_ptr<OffloadTun> tun(new OffloadTun(loop, std::move(on_packets)));
    platform::io::TunOptions options;
    options.name = name;
    options.vnet_header = offload;
    options.read_batch = offload ? kReadBatch : kPlainReadBatch;
    options.max_packet_size = offload ? kFrameSize : kPlainPacketSize;
    OffloadTun* self = tun.get();
    auto device = platform::io::TunDevice::open(loop, options,
                                                [self](auto frames) { self->on_frames(frames); });
    if (!device) {
        return Unexpected(device.error());
    }
    tun->device_ = std::move(*device);
    tun->coalesce_ = tun->device_->vnet_header();
    if (tun->device_->vnet_header()) {
        tun->split_arena_.resize(kReadBatch * kSplitRoom);
        tun->resegment_arena_.resize(kSplitRoom);
    }
    return tun;
}

OffloadTun::OffloadTun(platform::io::EventLoop& loop, platform::io::TunReadHandler on_packets)
    : on_packets_(std::move(on_packets)), flush_watch_(loop, *this, 0) {}

void OffloadTun::on_frames(std::span<const std::span<const std::byte>> frames) {
    if (!device_->vnet_header()) {
        on_packets_(frames);
        return;
    }
    packets_.clear();
    std::size_t used = 0;
    for (const auto frame : frames) {
        if (frame.size() < net::kVirtioNetHeaderSize) {
            ++stats_.malformed_reads;
            continue;
        }
        const auto header = net::decode_virtio_net_header(frame.first<net::kVirtioNetHeaderSize>());
        const auto packet = frame.subspan(net::kVirtioNetHeaderSize);
        const bool gso = (header.gso_type & ~net::kGsoEcn) != 0;
        if (!gso && !header.needs_checksum) {
            packets_.push_back(packet);  // nothing to do: pass the read slot through
            continue;
        }
        const auto room = split_arena_.span().subspan(used);
        if (!gso) {
            // Checksum completion writes into the packet: complete it in a copy in the arena.
            if (room.size() < packet.size()) {
                ++stats_.malformed_reads;
                continue;
            }
            const auto copy = room.first(packet.size());
            std::memcpy(copy.data(), packet.data(), packet.size());
            if (!net::complete_partial_checksum(copy, header.checksum_start,
                                                header.checksum_offset)) {
                ++stats_.malformed_reads;
                continue;
            }
            used += copy.size();
            packets_.emplace_back(copy);
            continue;
        }
        const std::size_t before = packets_.size();
        auto segmented = net::segment_tcp_super_packet(header, packet, room, packets_);
        if (!segmented) {
            ++stats_.malformed_reads;
            continue;
        }
        used += *segmented;
        ++stats_.super_packets_read;
        stats_.segments_read += packets_.size() - before;
    }
    if (!packets_.empty()) {
        on_packets_(std::span<const std::span<const std::byte>>(packets_));
    }
}

platform::io::IoResult<void> OffloadTun::write_packet(std::span<const std::byte> packet) {
    if (!coalesce_) {
        return device_->write_packet(packet);
    }
    if (packet.size() > net::TcpCoalescer::kMaxPacket) {
        return Unexpected(platform::io::make_error("write tun", EMSGSIZE));
    }
    if (!coalescer_.add(packet)) {
        flush();
        (void)coalescer_.add(packet);  // always fits an empty coalescer
    }
    flush_watch_.request_flush();
    return {};
}

void OffloadTun::flush() {
    if (coalescer_.empty()) {
        return;
    }
    std::array<std::byte, net::kVirtioNetHeaderSize> header{};
    for (const auto& output : coalescer_.finish()) {
        if (!coalesce_ && output.segments > 1) {
            write_segments_of(output);
            continue;
        }
        net::encode_virtio_net_header(output.header, header);
        if (device_->write_frame(header, output.packet)) {
            if (output.segments > 1) {
                ++stats_.super_packets_written;
                stats_.segments_written += output.segments;
            }
            continue;
        }
        if (output.segments > 1) {
            // This kernel takes no GSO writes: write the segments, and stop coalescing.
            coalesce_ = false;
            stats_.coalescing_disabled = true;
            write_segments_of(output);
        } else {
            ++stats_.write_errors;
        }
    }
    coalescer_.clear();
}

void OffloadTun::write_segments_of(const net::TcpCoalescer::Output& output) {
    std::vector<std::byte> copy(output.packet.begin(), output.packet.end());
    std::vector<std::span<const std::byte>> segments;
    if (!net::split_offloaded_packet(output.header, copy, resegment_arena_.span(), segments)) {
        ++stats_.write_errors;
        return;
    }
    for (const auto segment : segments) {
        if (!device_->write_packet(segment)) {
            ++stats_.write_errors;
        }
    }
}

}  // namespace nfv::vpn::tunnel
