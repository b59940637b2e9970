#include "nfv/platform/io/error.hpp"

#include <cerrno>
#include <cstring>

namespace nfv::platform::io {

std::string IoError::message() const {
    std::string out = operation;
    out += ": ";
    out += std::strerror(error_number);  // NOLINT(concurrency-mt-unsafe): glibc returns static text
    return out;
}

IoError last_error(const char* operation) {
    return IoError{errno, operation};
}

}  // namespace nfv::platform::io
