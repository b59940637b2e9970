// idle_tls_clients: opens many TLS connections to one address and then keeps them silent
// (slowloris style), for the 10,000-connection interop test and the memory part of
// bench/tls-proxy.sh. Not a unit test; a load tool.
//
//   idle_tls_clients HOST PORT SNI COUNT MODE
//     MODE full     complete the TLS handshake, then send nothing (the SSL object is freed
//                   without close_notify; only the socket is kept)
//     MODE partial  send the first half of a ClientHello, then nothing
//     MODE tcp      connect, then nothing
//
// Prints "ready <count> <failed>" on stdout once every connection reached its idle state (or
// failed), then holds them until stdin reaches EOF (or SIGTERM), and exits 0. Exit 1 if more
// than 1% failed. At most 128 connections are being set up at any time; every wait is bounded
// (30 s per connection).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <unistd.h>

namespace {

enum class Mode { kFull, kPartial, kTcp };

struct Pending {
    int fd = -1;
    SSL* ssl = nullptr;
    bool connected = false;  // TCP connect finished
    std::chrono::steady_clock::time_point started;
};

constexpr std::size_t kWindow = 128;
constexpr auto kPerConnectionLimit = std::chrono::seconds(30);

int open_socket(const sockaddr_in& to) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0 &&
        errno != EINPROGRESS) {
        ::close(fd);
        return -1;
    }
    return fd;
}

void set_sni(SSL* ssl, const char* sni) {
    // SSL_set_tlsext_host_name() is a macro with a C cast.
    SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, const_cast<char*>(sni));
}

// The first half of a ClientHello for `sni`, made by a throw-away client over memory BIOs.
std::string half_client_hello(SSL_CTX* ctx, const char* sni) {
    SSL* ssl = SSL_new(ctx);
    BIO* in = BIO_new(BIO_s_mem());
    BIO* out = BIO_new(BIO_s_mem());
    SSL_set_bio(ssl, in, out);
    set_sni(ssl, sni);
    (void)SSL_connect(ssl);
    char* data = nullptr;
    const long n = BIO_get_mem_data(out, &data);
    std::string hello(data, static_cast<std::size_t>(n > 0 ? n : 0));
    SSL_free(ssl);
    return hello.substr(0, hello.size() / 2);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 6) {
        std::fprintf(stderr, "usage: %s HOST PORT SNI COUNT full|partial|tcp\n", argv[0]);
        return 2;
    }
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<std::uint16_t>(std::atoi(argv[2])));
    if (::inet_pton(AF_INET, argv[1], &to.sin_addr) != 1) {
        std::fprintf(stderr, "HOST must be an IPv4 address\n");
        return 2;
    }
    const char* sni = argv[3];
    const long count = std::atol(argv[4]);
    const std::string mode_text = argv[5];
    Mode mode = Mode::kFull;
    if (mode_text == "partial") {
        mode = Mode::kPartial;
    } else if (mode_text == "tcp") {
        mode = Mode::kTcp;
    } else if (mode_text != "full") {
        std::fprintf(stderr, "unknown mode %s\n", mode_text.c_str());
        return 2;
    }
    if (count <= 0 || count > 1000000) {
        std::fprintf(stderr, "COUNT out of range\n");
        return 2;
    }
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);

    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    const std::string half_hello = half_client_hello(ctx, sni);

    std::vector<int> idle;  // sockets in their final, silent state
    idle.reserve(static_cast<std::size_t>(count));
    std::vector<Pending> pending;
    long started = 0;
    long failed = 0;
    const auto fail = [&](Pending& p) {
        if (p.ssl != nullptr) {
            SSL_free(p.ssl);
        }
        ::close(p.fd);
        p.fd = -1;
        ++failed;
    };
    while (started < count || !pending.empty()) {
        while (started < count && pending.size() < kWindow) {
            ++started;
            Pending p;
            p.fd = open_socket(to);
            p.started = std::chrono::steady_clock::now();
            if (p.fd < 0) {
                ++failed;
                continue;
            }
            pending.push_back(p);
        }
        std::vector<pollfd> fds;
        fds.reserve(pending.size());
        for (const auto& p : pending) {
            short events = POLLIN;
            if (!p.connected || (p.ssl != nullptr && SSL_want_write(p.ssl))) {
                events |= POLLOUT;
            }
            fds.push_back(pollfd{p.fd, events, 0});
        }
        if (::poll(fds.data(), fds.size(), 100) < 0 && errno != EINTR) {
            std::perror("poll");
            return 1;
        }
        const auto now = std::chrono::steady_clock::now();
        for (std::size_t i = 0; i < pending.size(); ++i) {
            Pending& p = pending[i];
            if (now - p.started > kPerConnectionLimit) {
                fail(p);
                continue;
            }
            if (fds[i].revents == 0) {
                continue;
            }
            if (!p.connected) {
                int error = 0;
                socklen_t length = sizeof error;
                ::getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &error, &length);
                if (error != 0 || (fds[i].revents & (POLLERR | POLLHUP)) != 0) {
                    fail(p);
                    continue;
                }
                p.connected = true;
                if (mode == Mode::kTcp) {
                    idle.push_back(p.fd);
                    p.fd = -1;
                    continue;
                }
                if (mode == Mode::kPartial) {
                    if (::send(p.fd, half_hello.data(), half_hello.size(), MSG_NOSIGNAL) !=
                        static_cast<ssize_t>(half_hello.size())) {
                        fail(p);
                        continue;
                    }
                    idle.push_back(p.fd);
                    p.fd = -1;
                    continue;
                }
                p.ssl = SSL_new(ctx);
                SSL_set_fd(p.ssl, p.fd);
                set_sni(p.ssl, sni);
                SSL_set_connect_state(p.ssl);
            }
            const int rc = SSL_do_handshake(p.ssl);
            if (rc == 1) {
                SSL_free(p.ssl);  // no SSL_shutdown: nothing is sent
                p.ssl = nullptr;
                idle.push_back(p.fd);
                p.fd = -1;
                continue;
            }
            const int error = SSL_get_error(p.ssl, rc);
            if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
                ERR_clear_error();
                fail(p);
            }
        }
        std::erase_if(pending, [](const Pending& p) { return p.fd < 0; });
    }
    std::printf("ready %zu %ld\n", idle.size(), failed);
    std::fflush(stdout);
    // Hold until stdin closes (bounded by whoever runs us; SIGTERM ends it too).
    char buffer[256];
    while (::read(STDIN_FILENO, buffer, sizeof buffer) > 0) {
    }
    for (const int fd : idle) {
        ::close(fd);
    }
    SSL_CTX_free(ctx);
    return failed * 100 > count ? 1 : 0;
}
