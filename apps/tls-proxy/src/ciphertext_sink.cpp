#include "ciphertext_sink.hpp"

#include <algorithm>
#include <cstring>
#include <new>

namespace nfv::tls_proxy {
namespace {

int sink_write(BIO* bio, const char* data, std::size_t length, std::size_t* written) {
    auto* sink = static_cast<CiphertextSink*>(BIO_get_data(bio));
    BIO_clear_retry_flags(bio);
    if (sink == nullptr || !sink->append({reinterpret_cast<const std::byte*>(data), length})) {
        return 0;
    }
    *written = length;
    return 1;
}

long sink_ctrl(BIO* bio, int command, long /*number*/, void* /*pointer*/) {
    switch (command) {
        case BIO_CTRL_FLUSH:
            return 1;  // nothing is held back: every write is already in the sink
        case BIO_CTRL_WPENDING: {
            const auto* sink = static_cast<const CiphertextSink*>(BIO_get_data(bio));
            return sink == nullptr ? 0 : static_cast<long>(sink->pending().size());
        }
        default:
            return 0;  // unsupported (kTLS queries, push/pop, ...): "no"
    }
}

int sink_create(BIO* bio) {
    BIO_set_init(bio, 1);
    return 1;
}

const BIO_METHOD* sink_method() {
    // Built once per process (a function-local static is initialised thread-safely); never freed.
    static BIO_METHOD* const method = [] {
        BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "nfv ciphertext");
        if (m != nullptr) {
            BIO_meth_set_write_ex(m, sink_write);
            BIO_meth_set_ctrl(m, sink_ctrl);
            BIO_meth_set_create(m, sink_create);
        }
        return m;
    }();
    return method;
}

}  // namespace

BIO* CiphertextSink::make_bio(CiphertextSink& sink) {
    const BIO_METHOD* method = sink_method();
    if (method == nullptr) {
        return nullptr;
    }
    BIO* bio = BIO_new(method);
    if (bio != nullptr) {
        BIO_set_data(bio, &sink);
    }
    return bio;
}

bool CiphertextSink::append(std::span<const std::byte> bytes) {
    if (bytes.empty()) {
        return true;
    }
    const std::size_t pending_bytes = size_ - head_;
    if (bytes.size() > capacity_ - size_) {
        if (head_ > 0 && bytes.size() <= capacity_ - pending_bytes) {
            std::memmove(data_.get(), data_.get() + head_, pending_bytes);  // room at the front
        } else {
            const std::size_t wanted = std::max<std::size_t>(
                {pending_bytes + bytes.size(), capacity_ * 2, std::size_t{4096}});
            std::unique_ptr<std::byte[]> grown(new (std::nothrow) std::byte[wanted]);
            if (!grown) {
                return false;
            }
            if (pending_bytes > 0) {
                std::memcpy(grown.get(), data_.get() + head_, pending_bytes);
            }
            data_ = std::move(grown);
            capacity_ = wanted;
        }
        head_ = 0;
        size_ = pending_bytes;
    }
    std::memcpy(data_.get() + size_, bytes.data(), bytes.size());
    size_ += bytes.size();
    return true;
}

void CiphertextSink::consume(std::size_t n) {
    head_ += std::min(n, size_ - head_);
    if (head_ == size_) {
        data_.reset();
        head_ = 0;
        size_ = 0;
        capacity_ = 0;
    }
}

}  // namespace nfv::tls_proxy
