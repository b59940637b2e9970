// CiphertextSink: where OpenSSL writes a session's TLS records for the caller to send.
//
// It replaces an OpenSSL memory BIO on the output side for two reasons measured on the relay:
// a memory BIO clears every byte it grows by (BUF_MEM_grow_clean: a memset per record written)
// and keeps its largest allocation for the session's life. The sink grows without clearing and
// frees its storage once the caller has taken everything, so a connection that has sent all it
// had (an idle one, say) holds no output buffer.
// Contract: pending() is what was written and not yet consumed, in order; consume(n) drops the
// first n bytes of it. The BIO from make_bio() writes into the sink and must not outlive it.
#pragma once

#include <cstddef>
#include <memory>
#include <span>

#include <openssl/bio.h>

namespace nfv::tls_proxy {

class CiphertextSink {
public:
    CiphertextSink() = default;
    CiphertextSink(const CiphertextSink&) = delete;
    CiphertextSink& operator=(const CiphertextSink&) = delete;

    /// A BIO whose writes append to `sink` (flush succeeds, reads fail). Null when OpenSSL
    /// cannot allocate it.
    [[nodiscard]] static BIO* make_bio(CiphertextSink& sink);

    /// Appends `bytes`; false when memory for them cannot be allocated (nothing is appended).
    [[nodiscard]] bool append(std::span<const std::byte> bytes);
    [[nodiscard]] std::span<const std::byte> pending() const {
        return {data_.get() + head_, size_ - head_};
    }
    /// Drops the first min(n, pending().size()) bytes; frees the storage once nothing is left.
    void consume(std::size_t n);
    [[nodiscard]] std::size_t capacity() const { return capacity_; }

private:
    std::unique_ptr<std::byte[]> data_;  // NOLINT(cppcoreguidelines-avoid-c-arrays): owned bytes
    std::size_t head_ = 0;
    std::size_t size_ = 0;
    std::size_t capacity_ = 0;
};

}  // namespace nfv::tls_proxy
