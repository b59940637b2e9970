#include "nfv/platform/io/unique_fd.hpp"

#include <unistd.h>

namespace nfv::platform::io {

void UniqueFd::reset(int fd) {
    if (fd_ >= 0 && fd_ != fd) {
        ::close(fd_);
    }
    fd_ = fd;
}

}  // namespace nfv::platform::io
