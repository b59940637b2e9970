// IoError: how a failed system call comes back from nfv::platform::io.
//
// Contract: every fallible call in this library returns IoResult<T>; nothing throws. The error
// carries the errno value and a static string naming the call that failed ("socket", "bind",
// "io_uring_queue_init", ...), so a caller can log one line or branch on the errno.
#pragma once

#include <string>

#include "nfv/platform/result.hpp"

namespace nfv::platform::io {

struct IoError {
    int error_number = 0;        // errno value (positive), e.g. EADDRINUSE
    const char* operation = "";  // static string naming what failed; never null

    /// "bind: Address already in use".
    [[nodiscard]] std::string message() const;
    friend bool operator==(const IoError&, const IoError&) = default;
};

template <typename T>
using IoResult = Result<T, IoError>;

/// An IoError from the current errno.
[[nodiscard]] IoError last_error(const char* operation);

/// An IoError from an explicit errno value (io_uring returns -errno in completions).
[[nodiscard]] inline IoError make_error(const char* operation, int error_number) {
    return IoError{error_number, operation};
}

}  // namespace nfv::platform::io
