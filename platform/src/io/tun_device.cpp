#include "nfv/platform/io/tun_device.hpp"

#include <cerrno>
#include <cstring>
#include <utility>

#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "socket_util.hpp"

namespace nfv::platform::io {

namespace {

constexpr std::size_t kVnetHeaderSize = 10;  // struct virtio_net_hdr (no num_buffers)

IoResult<ifreq> make_ifreq(const std::string& name) {
    ifreq request{};
    if (name.size() >= sizeof(request.ifr_name)) {
        return Unexpected(make_error("ifreq", ENAMETOOLONG));
    }
    std::memcpy(request.ifr_name, name.data(), name.size());
    return request;
}

// Interface ioctls need some socket to address the stack through; a UDP socket will do.
IoResult<void> interface_ioctl(unsigned long request_code, ifreq& request, const char* what) {
    auto control = detail::open_socket(AF_INET, SOCK_DGRAM);
    if (!control) {
        return Unexpected(control.error());
    }
    if (::ioctl(control->get(), request_code, &request) != 0) {
        return Unexpected(last_error(what));
    }
    return {};
}

void put_ipv4(ifreq& request, std::array<std::uint8_t, 4> address) {
    sockaddr_in in{};
    in.sin_family = AF_INET;
    std::memcpy(&in.sin_addr, address.data(), address.size());
    std::memcpy(&request.ifr_addr, &in, sizeof(in));
}

}  // namespace

IoResult<std::unique_ptr<TunDevice>> TunDevice::open(EventLoop& loop, const TunOptions& options,
                                                     TunReadHandler on_packets) {
    if (options.read_batch == 0 || options.max_packet_size == 0) {
        return Unexpected(make_error("TunOptions", EINVAL));
    }
    auto request = make_ifreq(options.name);
    if (!request) {
        return Unexpected(request.error());
    }
    UniqueFd fd(::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC));
    if (!fd.valid()) {
        return Unexpected(last_error("open /dev/net/tun"));
    }
    const short base_flags = IFF_TUN | IFF_NO_PI;
    request->ifr_flags = static_cast<short>(base_flags | (options.vnet_header ? IFF_VNET_HDR : 0));
    bool vnet_header = options.vnet_header;
    if (::ioctl(fd.get(), TUNSETIFF, &*request) != 0) {
        if (!vnet_header || errno != EINVAL) {
            return Unexpected(last_error("TUNSETIFF"));
        }
        request->ifr_flags = base_flags;  // a kernel without IFF_VNET_HDR: plain packets
        vnet_header = false;
        if (::ioctl(fd.get(), TUNSETIFF, &*request) != 0) {
            return Unexpected(last_error("TUNSETIFF"));
        }
    }
    bool offloads = false;
    if (vnet_header) {
        int header_size = static_cast<int>(kVnetHeaderSize);
        if (::ioctl(fd.get(), TUNSETVNETHDRSZ, &header_size) != 0) {
            return Unexpected(last_error("TUNSETVNETHDRSZ"));
        }
        const unsigned long flags = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;
        offloads = ::ioctl(fd.get(), TUNSETOFFLOAD, flags) == 0;
    }
    std::string name(request->ifr_name, ::strnlen(request->ifr_name, sizeof(request->ifr_name)));
    return std::unique_ptr<TunDevice>(new TunDevice(loop, std::move(fd), std::move(name), options,
                                                    std::move(on_packets), vnet_header, offloads));
}

TunDevice::TunDevice(EventLoop& loop, UniqueFd fd, std::string name, const TunOptions& options,
                     TunReadHandler handler, bool vnet_header, bool offloads)
    : fd_(std::move(fd)),
      name_(std::move(name)),
      options_(options),
      on_packets_(std::move(handler)),
      watch_(loop, *this, 0),
      // One spare byte per slot: a read that fills max_packet_size + 1 bytes was truncated.
      pool_(options.read_batch * (options.max_packet_size + 1)),
      vnet_header_(vnet_header),
      offloads_(offloads) {
    batch_.reserve(options.read_batch);
    watch_.arm(fd_.get(), POLLIN, /*multishot=*/true);
}

TunDevice::~TunDevice() {
    if (destroyed_flag_ != nullptr) {
        *destroyed_flag_ = true;
    }
}

void TunDevice::on_ready(int /*tag*/, std::uint32_t /*revents*/) {
    const std::size_t slot_size = options_.max_packet_size + 1;
    batch_.clear();
    bool drained = false;
    for (std::size_t slot = 0; slot < options_.read_batch;) {
        std::byte* const buffer = pool_.data() + slot * slot_size;
        const ssize_t n = ::read(fd_.get(), buffer, slot_size);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                ++stats_.read_errors;
            }
            drained = true;
            break;
        }
        const auto length = static_cast<std::size_t>(n);
        if (length > options_.max_packet_size) {
            ++stats_.truncated;  // slot reused for the next read
            continue;
        }
        batch_.emplace_back(buffer, length);
        ++slot;
    }
    if (!batch_.empty() && on_packets_) {
        stats_.packets_read += batch_.size();
        ++stats_.read_batches;
        bool destroyed = false;
        destroyed_flag_ = &destroyed;
        on_packets_(std::span<const std::span<const std::byte>>(batch_));
        if (destroyed) {
            return;
        }
        destroyed_flag_ = nullptr;
    }
    if (!drained) {
        watch_.defer(POLLIN);  // the pool filled up; more packets may be waiting
    }
}

IoResult<void> TunDevice::write_packet(std::span<const std::byte> packet) {
    if (vnet_header_) {
        static constexpr std::array<std::byte, kVnetHeaderSize> kNoOffload{};
        return write_frame(kNoOffload, packet);
    }
    for (;;) {
        const ssize_t n = ::write(fd_.get(), packet.data(), packet.size());
        if (n >= 0) {
            ++stats_.packets_written;
            return {};
        }
        if (errno != EINTR) {
            return Unexpected(last_error("write tun"));
        }
    }
}

IoResult<void> TunDevice::write_frame(std::span<const std::byte> header,
                                      std::span<const std::byte> packet) {
    if (!vnet_header_ || header.size() != kVnetHeaderSize) {
        return Unexpected(make_error("write_frame", EINVAL));
    }
    std::array<iovec, 2> parts{
        iovec{const_cast<std::byte*>(header.data()), header.size()},   // NOLINT: writev is const
        iovec{const_cast<std::byte*>(packet.data()), packet.size()}};  // NOLINT
    for (;;) {
        const ssize_t n = ::writev(fd_.get(), parts.data(), static_cast<int>(parts.size()));
        if (n >= 0) {
            ++stats_.packets_written;
            return {};
        }
        if (errno != EINTR) {
            ++stats_.write_errors;
            return Unexpected(last_error("writev tun"));
        }
    }
}

IoResult<void> TunDevice::set_mtu(int mtu) {
    auto request = make_ifreq(name_);
    if (!request) {
        return Unexpected(request.error());
    }
    request->ifr_mtu = mtu;
    return interface_ioctl(SIOCSIFMTU, *request, "SIOCSIFMTU");
}

IoResult<int> TunDevice::mtu() const {
    auto request = make_ifreq(name_);
    if (!request) {
        return Unexpected(request.error());
    }
    if (auto r = interface_ioctl(SIOCGIFMTU, *request, "SIOCGIFMTU"); !r) {
        return Unexpected(r.error());
    }
    return request->ifr_mtu;
}

IoResult<void> TunDevice::set_up() {
    auto request = make_ifreq(name_);
    if (!request) {
        return Unexpected(request.error());
    }
    if (auto r = interface_ioctl(SIOCGIFFLAGS, *request, "SIOCGIFFLAGS"); !r) {
        return r;
    }
    request->ifr_flags = static_cast<short>(request->ifr_flags | IFF_UP | IFF_RUNNING);
    return interface_ioctl(SIOCSIFFLAGS, *request, "SIOCSIFFLAGS");
}

IoResult<void> TunDevice::set_ipv4_address(std::array<std::uint8_t, 4> address, int prefix_length) {
    if (prefix_length < 0 || prefix_length > 32) {
        return Unexpected(make_error("set_ipv4_address", EINVAL));
    }
    auto request = make_ifreq(name_);
    if (!request) {
        return Unexpected(request.error());
    }
    put_ipv4(*request, address);
    if (auto r = interface_ioctl(SIOCSIFADDR, *request, "SIOCSIFADDR"); !r) {
        return r;
    }
    const std::uint32_t mask =
        prefix_length == 0 ? 0U : ~std::uint32_t{0} << static_cast<unsigned>(32 - prefix_length);
    put_ipv4(*request,
             {static_cast<std::uint8_t>(mask >> 24U), static_cast<std::uint8_t>(mask >> 16U),
              static_cast<std::uint8_t>(mask >> 8U), static_cast<std::uint8_t>(mask)});
    return interface_ioctl(SIOCSIFNETMASK, *request, "SIOCSIFNETMASK");
}

}  // namespace nfv::platform::io
