// Test helpers for nfv-tls-proxy: self-signed certificates made with the OpenSSL API (no files
// committed, no network), written into a temporary directory removed on destruction.
#pragma once

#include <string>
#include <vector>

namespace nfv::tls_proxy::test {

enum class KeyType { kEcdsaP256, kRsa2048 };

struct PemPair {
    std::string certificate;
    std::string key;
};

/// A self-signed certificate for `names` (CN = first name, SAN = all), valid from
/// now + not_before_days to now + not_after_days.
PemPair make_certificate(KeyType type, const std::vector<std::string>& names,
                         int not_before_days = -1, int not_after_days = 30);

/// A fresh directory under $TMPDIR, removed (recursively) by the destructor.
class TempDir {
public:
    TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir();

    /// Writes `content` to <dir>/<name> and returns the full path.
    std::string write(const std::string& name, const std::string& content) const;
    [[nodiscard]] const std::string& path() const { return path_; }

private:
    std::string path_;
};

}  // namespace nfv::tls_proxy::test
