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

// Reads the whole of `path` into `text`; false with errno set on failure (ENOENT: no file).
bool read_whole_file(const std::string& path, std::string& text, std::string& error) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno != ENOENT)
            error = errno_text("cannot open", path, errno);
        return false;
    }
    FdGuard guard(fd);
    char buffer[65536];
    while (true) {
        const ssize_t n = ::read(fd, buffer, sizeof(buffer));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            error = errno_text("cannot read", path, errno);
            return false;
        }
        if (n == 0)
            break;
        text.append(buffer, static_cast<std::size_t>(n));
        if (text.size() > (std::size_t{64} << 20U)) {
            error = path + " is larger than 64 MiB";
            return false;
        }
    }
    return true;
}

bool fsync_directory_of(const std::string& path, std::string& error) {
    const std::string directory = directory_of(path);
    FdGuard dir(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() < 0) {
        error = errno_text("cannot open directory", directory, errno);
        return false;
    }
    if (::fsync(dir.get()) != 0) {
        error = errno_text("cannot fsync directory", directory, errno);
        return false;
    }
    return true;
}

}  // namespace

Result<LeaseStore, std::string> LeaseStore::open(std::string path, bool read_only) {
    LeaseStore store(std::move(path), read_only);
    if (read_only)
        return store;
    std::string text;
    std::string error;
    if (!read_whole_file(store.path_, text, error) && !error.empty())
        return Unexpected("lease file: " + error);
    store.initial_ = parse_lease_file(text);
    // Between compactions the journal holds the newest state: replay it over the snapshot.
    std::string journal;
    const std::string journal_path = store.journal_path();
    if (!read_whole_file(journal_path, journal, error) && !error.empty())
        return Unexpected("lease journal: " + error);
    store.replay_ = replay_journal(journal, store.initial_.leases);
    store.journal_records_ = store.replay_.records;
    for (auto problem : store.replay_.problems) {
        problem.message = journal_path + ": " + problem.message;
        store.initial_.problems.push_back(std::move(problem));
    }
    return store;
}

Result<void, std::string> LeaseStore::open_journal() {
    if (journal_.get() >= 0)
        return {};
    const std::string path = journal_path();
    platform::io::UniqueFd fd(
        ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
    if (fd.get() < 0)
        return Unexpected(errno_text("cannot open", path, errno));
    // The journal's directory entry must be durable before a record in it counts.
    std::string error;
    if (!fsync_directory_of(path, error))
        return Unexpected(error);
    journal_ = std::move(fd);
    return {};
}

Result<void, std::string> LeaseStore::append(const std::vector<LeaseChange>& changes) {
    if (read_only_ || changes.empty())
        return {};
    const auto failed = [&](std::string message) -> Result<void, std::string> {
        ++failed_writes_;
        journal_broken_ = true;  // a half-written record must not be followed by more records
        return Unexpected(std::move(message));
    };
    if (journal_broken_) {
        ++failed_writes_;
        return Unexpected("lease journal " + journal_path() + " needs a compaction first");
    }
    if (auto opened = open_journal(); !opened)
        return failed(opened.error());
    record_buffer_.clear();
    for (const auto& change : changes)
        append_journal_record(change, record_buffer_);
    std::size_t done = 0;
    while (done < record_buffer_.size()) {
        const ssize_t n =
            ::write(journal_.get(), record_buffer_.data() + done, record_buffer_.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return failed(errno_text("cannot write", journal_path(), errno));
        }
        done += static_cast<std::size_t>(n);
    }
    // fdatasync: the records and the file size, without the timestamps (O_APPEND growth is
    // covered since the size is needed to read the data back).
    if (::fdatasync(journal_.get()) != 0)
        return failed(errno_text("cannot fdatasync", journal_path(), errno));
    journal_records_ += changes.size();
    ++appends_;
    return {};
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
    // The journal exists (its entry covered by the directory fsync below) before it is truncated.
    if (auto opened = open_journal(); !opened) {
        ++failed_writes_;
        return Unexpected(opened.error());
    }
    // Only a complete, synced file ever takes the real name.
    if (::rename(temp.c_str(), path_.c_str()) != 0)
        return failed("cannot rename over", path_, errno);
    std::string error;
    if (!fsync_directory_of(path_, error)) {
        ++failed_writes_;
        return Unexpected(error);
    }
    // The snapshot now holds everything the journal held; a crash before this truncation leaves
    // a journal whose replay over the new snapshot is idempotent.
    if (::ftruncate(journal_.get(), 0) != 0)
        return failed("cannot truncate", journal_path(), errno);
    if (::fdatasync(journal_.get()) != 0)
        return failed("cannot fdatasync", journal_path(), errno);
    journal_records_ = 0;
    journal_broken_ = false;
    ++writes_;
    return {};
}

void GroupCommit::add(Outcome outcome, std::uint32_t route) {
    const bool changed = !outcome.changes.empty();
    if (changed) {
        dirty_ = true;
        for (auto& change : outcome.changes)
            changes_.push_back(std::move(change));
    }
    if (outcome.reply)
        held_.push_back(Held{std::move(*outcome.reply), changed, route});
}

void GroupCommit::add_changes(const std::vector<LeaseChange>& changes) {
    if (changes.empty())
        return;
    dirty_ = true;
    changes_.insert(changes_.end(), changes.begin(), changes.end());
}

std::vector<GroupCommit::Held> GroupCommit::commit(LeaseStore& store, const AllLeases& all_leases,
                                                   std::string* error) {
    bool written = true;
    if (dirty_) {
        // O(changed leases) per batch; the O(all leases) rewrite only every compact_after_
        // records (amortised), or to recover from a failed append.
        const bool compact =
            store.needs_compaction() || store.journal_records() + changes_.size() > compact_after_;
        auto result = compact ? store.write(all_leases()) : store.append(changes_);
        if (result) {
            dirty_ = false;
            changes_.clear();
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
