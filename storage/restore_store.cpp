// restore_store(): verify, lock, copy beside the target, check by opening, swap in.
#include "storage/maintenance.hpp"

#include "storage/rocksdb_token_store.hpp"

#include <rocksdb/env.h>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <random>

namespace jtgw::storage {
namespace {

namespace fs = std::filesystem;
using restore_result = boost::system::result<restore_report, open_error>;

open_error failure(store_error code, const fs::path& path, const std::string& what) {
  return {make_error_code(code), "store " + path.string() + ": " + what};
}

// Durability of the copy: each file's data, then the directory entries naming them.
bool fsync_path(const fs::path& path, bool directory) {
  const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return false;
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  return synced;
}

// The backup's files, without the per-process ones RocksDB makes afresh (LOCK, info logs).
bool belongs_in_copy(const fs::path& file) {
  const std::string name = file.filename().string();
  return name != "LOCK" && name.rfind("LOG", 0) != 0;
}

std::optional<std::string> copy_store_files(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  if (!fs::create_directory(to, ec)) return "cannot create " + to.string() + ": " + ec.message();
  for (const auto& entry : fs::directory_iterator(from, ec)) {
    if (!entry.is_regular_file() || !belongs_in_copy(entry.path())) continue;
    const fs::path copy = to / entry.path().filename();
    if (!fs::copy_file(entry.path(), copy, ec)) return "cannot copy " + entry.path().string() + ": " + ec.message();
    if (!fsync_path(copy, false)) return "cannot sync " + copy.string();
  }
  if (ec) return "cannot list " + from.string() + ": " + ec.message();
  if (!fsync_path(to, true)) return "cannot sync " + to.string();
  return std::nullopt;
}

// "20250302T101500Z": sorts by time and is safe in a file name.
std::string utc_stamp() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

fs::path sibling(const fs::path& target, const std::string& suffix) {
  return target.parent_path() / (target.filename().string() + suffix);
}

// Holds a store directory's LOCK the way RocksDB does (fcntl), so a running jtgw —
// or one starting meanwhile — and this restore exclude each other.
class store_lock {
 public:
  ~store_lock() {
    if (lock_) rocksdb::Env::Default()->UnlockFile(lock_).PermitUncheckedError();
  }
  rocksdb::Status acquire(const fs::path& dir) { return rocksdb::Env::Default()->LockFile((dir / "LOCK").string(), &lock_); }

 private:
  rocksdb::FileLock* lock_ = nullptr;
};

}  // namespace

restore_result restore_store(const fs::path& backup, const fs::path& target) {
  std::error_code ec;
  if (target.empty() || fs::equivalent(backup, target, ec))
    return failure(store_error::invalid_argument, target, "is not a separate directory to restore into");

  auto verified = verify_store(backup);
  if (!verified) return verified.error();
  if (!verified->ok())
    return failure(store_error::corrupt_store, backup,
                   "the backup has " + std::to_string(verified->problem_count) + " problem(s), the first: " +
                       verified->problems.front());

  // An existing target must be a store (replaced, kept aside) or an empty directory.
  const bool target_exists = fs::exists(target, ec);
  const bool target_is_store = target_exists && fs::exists(target / "CURRENT", ec);
  if (target_exists && !target_is_store && !(fs::is_directory(target, ec) && fs::is_empty(target, ec)))
    return failure(store_error::invalid_argument, target, "exists and is neither a store nor an empty directory");

  store_lock lock;
  if (target_is_store) {
    if (auto status = lock.acquire(target); !status.ok()) {
      if (detail::is_lock_error(status))
        return failure(store_error::locked, target,
                       "is in use (a running jtgw holds its lock); stop jtgw before restoring");
      return failure(store_error::io_error, target, "cannot lock: " + status.ToString());
    }
  }

  const fs::path copy = sibling(target, ".restoring-" + std::to_string(std::random_device{}()));
  auto discard_copy = [&] { fs::remove_all(copy, ec); };
  if (auto error = copy_store_files(backup, copy)) {
    discard_copy();
    return failure(store_error::io_error, target, *error);
  }
  // Opening proves the copy is a store this jtgw serves (and migrates an old schema).
  if (auto opened = open_rocksdb_store({.path = copy, .block_cache_bytes = 1u << 20, .create_if_missing = false});
      !opened) {
    discard_copy();
    return opened.error();
  }

  restore_report report{*verified, {}};
  if (target_exists) {
    report.previous = target_is_store ? sibling(target, ".pre-restore-" + utc_stamp()) : fs::path{};
    if (target_is_store) fs::rename(target, report.previous, ec);
    else fs::remove(target, ec);  // an empty directory
    if (ec) {
      discard_copy();
      return failure(store_error::io_error, target, "cannot move the current store aside: " + ec.message());
    }
  }
  fs::rename(copy, target, ec);
  if (ec) {
    const std::string why = ec.message();
    if (target_is_store) fs::rename(report.previous, target, ec);  // put the old store back
    discard_copy();
    return failure(store_error::io_error, target, "cannot move the restored store into place: " + why);
  }
  fsync_path(target.parent_path().empty() ? fs::path(".") : target.parent_path(), true);
  return report;
}

}  // namespace jtgw::storage
