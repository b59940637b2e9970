// Private helpers shared by the socket classes of nfv::platform::io (not installed).
#pragma once

#include <sys/socket.h>

#include "nfv/platform/io/error.hpp"
#include "nfv/platform/io/socket_address.hpp"
#include "nfv/platform/io/unique_fd.hpp"

namespace nfv::platform::io::detail {

/// socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0).
[[nodiscard]] IoResult<UniqueFd> open_socket(int family, int type);
/// setsockopt with an int value; `what` names the option in the error.
[[nodiscard]] IoResult<void> set_int_option(int fd, int level, int name, int value,
                                            const char* what);
/// getsockname() as a SocketAddress.
[[nodiscard]] IoResult<SocketAddress> local_address_of(int fd);
/// SO_ERROR (pending asynchronous error; 0 when none).
[[nodiscard]] int pending_error(int fd);

}  // namespace nfv::platform::io::detail
