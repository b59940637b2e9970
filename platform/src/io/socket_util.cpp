#include "socket_util.hpp"

#include <cerrno>

#include <sys/socket.h>

namespace nfv::platform::io::detail {

IoResult<UniqueFd> open_socket(int family, int type) {
    UniqueFd fd(::socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd.valid()) {
        return Unexpected(last_error("socket"));
    }
    return fd;
}

IoResult<void> set_int_option(int fd, int level, int name, int value, const char* what) {
    if (::setsockopt(fd, level, name, &value, sizeof(value)) != 0) {
        return Unexpected(last_error(what));
    }
    return {};
}

IoResult<SocketAddress> local_address_of(int fd) {
    SocketAddress address;
    socklen_t length = SocketAddress::capacity();
    if (::getsockname(fd, address.data(), &length) != 0) {
        return Unexpected(last_error("getsockname"));
    }
    address.set_length(length);
    return address;
}

int pending_error(int fd) {
    int error = 0;
    socklen_t length = sizeof(error);
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) {
        return errno;
    }
    return error;
}

}  // namespace nfv::platform::io::detail
