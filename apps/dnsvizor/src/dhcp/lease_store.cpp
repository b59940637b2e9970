#include "dhcp/lease_store.hpp"

#include <cerrno>
#include <cstring>

#include <sys/stat.h>

#include <fcntl.h>
#include <unistd.h>

namespace nfv::dnsvizor::dhcp {

namespace {

std::string errno_text(const std::string& what, const std::string& path, int error) {
    return what + " " + path + ": " + std::strerror(error);
}

// Closes a descriptor on every path out of a scope.
class FdGuard {
public:
    explicit FdGuard(int fd) : fd_(fd) {}
    FdGuard(const FdGuard&) = delete;
    FdGuard& operator=(const FdGuard&) = delete;
    ~FdGuard() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    [[nodiscard]] int get() const { return fd_; }
    // Closes now and reports close(2)'s result (a delayed write error can surface here).
    int close_now() {
        const int rc = ::close(fd_);
        fd_ = -1;
        return rc;
    }

private:
    int fd_;
};

std::string directory_of(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos)
        return ".";
    if (slash == 0)
        return "/";
    return path.substr(0, slash);
}

}  // namespace

Result<LeaseStore, std::string> LeaseStore::open(std::string path, bool read_only) {
    LeaseStore store(std::move(path), read_only);
    if (read_only)
        return store;
    const int fd = ::open(store.path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return store;  // a fresh database
        return Unexpected(errno_text("cannot open lease file", store.path_, errno));
    }
    FdGuard guard(fd);
    std::string text;
    char buffer[65536];
    while (true) {
        const ssize_t n = ::read(fd, buffer, sizeof(buffer));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return Unexpected(errno_text("cannot read lease file", store.path_, errno));
        }
        if (n == 0)
            break;
        text.append(buffer, static_cast<std::size_t>(n));
        if (text.size() > (std::size_t{64} << 20U))
            return Unexpected("lease file " + store.path_ + " is larger than 64 MiB");
    }
    store.initial_ = parse_lease_file(text);
    return store;
}

Result<void, std::string> LeaseStore::write(const std::vector<Lease>& leases) {
    if (read_only_)
        return {};
    const std::string text = format_lease_file(leases, initial_.ipv6_lines);
    const std::string temp = path_ + ".tmp";
    const auto failed = [&](const std::string& what, const std::string& where,
                            int error) -> Result<void, std::string> {
        ++failed_writes_;
        return Unexpected(errno_text(what, where, error));
    };
    FdGuard fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (fd.get() < 0)
        return failed("cannot create", temp, errno);
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd.get(), text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return failed("cannot write", temp, errno);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0)
        return failed("cannot fsync", temp, errno);
    if (fd.close_now() != 0)
        return failed("cannot close", temp, errno);
    // Only a complete, synced file ever takes the real name.
    if (::rename(temp.c_str(), path_.c_str()) != 0)
        return failed("cannot rename over", path_, errno);
    const std::string directory = directory_of(path_);
    FdGuard dir(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() < 0)
        return failed("cannot open directory", directory, errno);
    if (::fsync(dir.get()) != 0)
        return failed("cannot fsync directory", directory, errno);
    ++writes_;
    return {};
}

void GroupCommit::add(Outcome outcome, std::uint32_t route) {
    const bool changed = !outcome.changes.empty();
    if (changed)
        dirty_ = true;
    if (outcome.reply)
        held_.push_back(Held{std::move(*outcome.reply), changed, route});
}

std::vector<GroupCommit::Held> GroupCommit::commit(LeaseStore& store,
                                                   const std::vector<Lease>& leases,
                                                   std::string* error) {
    bool written = true;
    if (dirty_) {
        auto result = store.write(leases);
        if (result) {
            dirty_ = false;
        } else {
            written = false;
            if (error != nullptr)
                *error = result.error();
        }
    }
    std::vector<Held> out;
    out.reserve(held_.size());
    for (auto& held : held_) {
        if (held.needs_write && !written) {
            ++withheld_;
            continue;
        }
        out.push_back(std::move(held));
    }
    held_.clear();
    return out;
}

}  // namespace nfv::dnsvizor::dhcp
