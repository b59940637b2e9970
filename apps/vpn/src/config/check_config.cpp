#include "config/check_config.hpp"

#include <memory>
#include <optional>
#include <string_view>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "proto/static_key.hpp"
#include "proto/tls_crypt_v2.hpp"

namespace nfv::vpn::config {
namespace {

struct BioDeleter {
    void operator()(BIO* bio) const { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

BioPtr memory_bio(std::string_view text) {
    return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// Refuses any passphrase prompt: encrypted keys are reported instead of blocking on a tty.
int no_password(char* /*buffer*/, int /*size*/, int /*rwflag*/, void* /*userdata*/) {
    return 0;
}

std::size_t count_certificates(std::string_view pem) {
    BioPtr bio = memory_bio(pem);
    std::size_t count = 0;
    while (bio) {
        X509* cert = PEM_read_bio_X509(bio.get(), nullptr, no_password, nullptr);
        if (cert == nullptr) {
            break;
        }
        X509_free(cert);
        ++count;
    }
    return count;
}

class Checker {
public:
    Checker(const VpnConfig& config, FileReader& reader) : config_(config), reader_(reader) {}

    // The text of a file-or-inline value, or nullopt after reporting why it is unusable.
    std::optional<std::string> content(const FileOrInline& source, std::string_view directive) {
        if (source.is_inline) {
            return source.inline_text;
        }
        std::string path = source.path;
        if (!config_.cd.empty() && !path.starts_with('/')) {
            path = config_.cd + "/" + path;
        }
        auto text = reader_.read(path);
        if (!text) {
            error(source, directive, "cannot read " + path + ": " + text.error());
            return std::nullopt;
        }
        return std::move(*text);
    }

    void certificates(const FileOrInline& source, std::string_view directive) {
        if (source.empty()) {
            return;
        }
        if (auto text = content(source, directive)) {
            if (count_certificates(*text) == 0) {
                error(source, directive, "no PEM certificate could be parsed");
            }
        }
    }

    void private_key(const FileOrInline& source) {
        if (source.empty()) {
            return;
        }
        auto text = content(source, "key");
        if (!text) {
            return;
        }
        if (text->find("ENCRYPTED") != std::string::npos) {
            error(source, "key", "encrypted private keys are not supported (no askpass)");
            return;
        }
        BioPtr bio = memory_bio(*text);
        EVP_PKEY* key =
            bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, no_password, nullptr) : nullptr;
        if (key == nullptr) {
            error(source, "key", "no PEM private key could be parsed");
            return;
        }
        EVP_PKEY_free(key);
    }

    void pem_label(const FileOrInline& source, std::string_view directive, std::string_view label) {
        if (source.empty()) {
            return;
        }
        if (auto text = content(source, directive)) {
            const std::string begin = "-----BEGIN " + std::string(label) + "-----";
            const std::string end = "-----END " + std::string(label) + "-----";
            const std::size_t at = text->find(begin);
            if (at == std::string::npos || text->find(end, at) == std::string::npos) {
                error(source, directive, "expected a PEM block \"" + begin + "\"");
            }
        }
    }

    void static_key(const FileOrInline& source, std::string_view directive) {
        if (auto text = content(source, directive)) {
            auto key = proto::StaticKey::parse(*text);
            if (!key) {
                error(source, directive,
                      "not a valid OpenVPN static key (" + static_key_error(key.error()) + ")");
            }
        }
    }

    // The key as nfv-vpn will load it (proto/tls_crypt_v2.hpp): the PEM label of the role, the
    // base64 body, the key size, and for a client the WKc's own length field.
    void tls_crypt_v2_key(const FileOrInline& source, bool server) {
        if (source.empty()) {
            return;
        }
        if (auto text = content(source, "tls-crypt-v2")) {
            const std::string_view label =
                server ? "OpenVPN tls-crypt-v2 server key" : "OpenVPN tls-crypt-v2 client key";
            std::optional<proto::TlsCryptV2Error> failure;
            if (server) {
                if (auto key = proto::TlsCryptV2ServerKey::parse(*text); !key) {
                    failure = key.error();
                }
            } else if (auto key = proto::TlsCryptV2ClientKey::parse(*text); !key) {
                failure = key.error();
            }
            if (failure) {
                error(source, "tls-crypt-v2",
                      "not a valid \"" + std::string(label) + "\" (" +
                          tls_crypt_v2_error(*failure) + ")");
            }
        }
    }

    static std::string tls_crypt_v2_error(proto::TlsCryptV2Error error) {
        switch (error) {
            case proto::TlsCryptV2Error::kMissingPem:
                return "no PEM block with this label";
            case proto::TlsCryptV2Error::kBadBase64:
                return "bad base64";
            case proto::TlsCryptV2Error::kBadSize:
                return "wrong key size";
            case proto::TlsCryptV2Error::kBadWkc:
                return "truncated or corrupted wrapped client key";
            case proto::TlsCryptV2Error::kAuthFailed:
            case proto::TlsCryptV2Error::kMetadataLong:
            case proto::TlsCryptV2Error::kInternal:
                break;
        }
        return "unusable key";
    }

    void credentials(const AuthUserPass& auth) {
        if (auth.source == AuthUserPass::Source::kPrompt) {
            return;  // already an error from parse_vpn_config
        }
        auto text = content(auth.credentials, "auth-user-pass");
        if (!text) {
            return;
        }
        std::size_t lines = 0;
        std::size_t start = 0;
        while (start < text->size() && lines < 2) {
            std::size_t end = text->find('\n', start);
            end = end == std::string::npos ? text->size() : end;
            std::string_view line(text->data() + start, end - start);
            if (!line.empty() && line.back() == '\r') {
                line.remove_suffix(1);
            }
            if (!line.empty()) {
                ++lines;
            }
            start = end + 1;
        }
        if (lines < 2) {
            error(auth.credentials, "auth-user-pass",
                  "needs a username line and a password line (no terminal to ask for the "
                  "password)");
        }
    }

    void error(const FileOrInline& source, std::string_view directive, std::string message) {
        diagnostics_.errors.push_back(ConfigError{source.origin.file, source.origin.line,
                                                  std::string(directive), std::move(message)});
    }

    Diagnostics take() { return std::move(diagnostics_); }

private:
    static std::string static_key_error(proto::StaticKeyError error) {
        switch (error) {
            case proto::StaticKeyError::kMissingHeader:
                return "missing -----BEGIN OpenVPN Static key V1-----";
            case proto::StaticKeyError::kBadCharacter:
                return "non-hex character in the key";
            case proto::StaticKeyError::kInsufficientKeyMaterial:
                return "fewer than 256 key bytes";
            case proto::StaticKeyError::kMissingFooter:
                return "missing -----END OpenVPN Static key V1-----";
        }
        return "unknown error";
    }

    const VpnConfig& config_;
    FileReader& reader_;
    Diagnostics diagnostics_;
};

}  // namespace

Diagnostics check_config_files(const VpnConfig& config, FileReader& reader) {
    Checker checker(config, reader);
    checker.certificates(config.ca, "ca");
    checker.certificates(config.cert, "cert");
    checker.certificates(config.extra_certs, "extra-certs");
    checker.private_key(config.key);
    if (!config.pkcs12.empty()) {
        (void)checker.content(config.pkcs12, "pkcs12");
    }
    switch (config.control_key.wrap) {
        case ControlWrap::kNone:
            break;
        case ControlWrap::kTlsAuth:
            checker.static_key(config.control_key.key, "tls-auth");
            break;
        case ControlWrap::kTlsCrypt:
            checker.static_key(config.control_key.key, "tls-crypt");
            break;
        case ControlWrap::kTlsCryptV2:
            checker.tls_crypt_v2_key(config.control_key.key, config.role == Role::kServer);
            break;
    }
    if (!config.server.dh.empty() && !(config.server.dh.path == "none")) {
        checker.pem_label(config.server.dh, "dh", "DH PARAMETERS");
    }
    if (!config.server.crl_verify.empty() && !config.server.crl_verify_dir) {
        checker.pem_label(config.server.crl_verify, "crl-verify", "X509 CRL");
    }
    if (config.client.auth_user_pass) {
        checker.credentials(*config.client.auth_user_pass);
    }
    return checker.take();
}

CheckedConfig check_command_line(std::span<const std::string> args, FileReader& reader) {
    CheckedConfig checked;
    auto directives = load_command_line(args, reader);
    if (!directives) {
        checked.diagnostics.errors.push_back(directives.error());
        return checked;
    }
    ParsedConfig parsed = parse_vpn_config(*directives);
    checked.diagnostics = std::move(parsed.diagnostics);
    Diagnostics files = check_config_files(parsed.config, reader);
    checked.diagnostics.errors.insert(checked.diagnostics.errors.end(), files.errors.begin(),
                                      files.errors.end());
    checked.diagnostics.warnings.insert(checked.diagnostics.warnings.end(), files.warnings.begin(),
                                        files.warnings.end());
    if (checked.diagnostics.ok()) {
        checked.config = std::move(parsed.config);
    }
    return checked;
}

}  // namespace nfv::vpn::config
