#pragma once
// The token store interface: what jtgw keeps about access tokens, their owners'
// indexes, the max-lifetime policy and the audit log. It stores digests only; it
// knows nothing of token formats or HTTP (DESIGN.md: gateway -> auth -> storage).

#include "storage/store_error.hpp"

#include <boost/system/result.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jtgw::storage {

using clock_time = std::chrono::sys_time<std::chrono::milliseconds>;
/// SHA-256 of the token's secret; the store never sees secrets.
using token_digest = std::array<std::uint8_t, 32>;

/// Field limits enforced by create(); the codec refuses larger stored fields as corrupt.
inline constexpr std::size_t max_id_bytes = 128;
inline constexpr std::size_t max_user_bytes = 1024;
inline constexpr std::size_t max_label_bytes = 256;
inline constexpr std::size_t max_sealed_bytes = 64 * 1024;

struct token_record {
  /// Encoding on disk: 1 = legacy (user, label, digest only), 2 = current.
  /// A legacy record whose last use was recorded is rewritten as version 2 with
  /// `created` still empty, so use is_legacy() (no creation date), not version, to
  /// decide "created: unknown" and the policy's "counts as created at P" rule.
  std::uint8_t version = 2;
  /// Random and not secret (v2); legacy: legacy_token_id(digest), see record_codec.hpp.
  std::string id;
  /// As given at creation; compared case-insensitively (ASCII fold).
  std::string user;
  /// Unique per user, case-insensitively.
  std::string label;
  token_digest digest{};
  std::optional<clock_time> created;              // nullopt for legacy records
  std::optional<std::chrono::sys_days> expires;   // valid through the end of that UTC day; nullopt = never
  std::optional<clock_time> last_used;
  std::string sealed_credential;                  // opaque bytes (auth seals them); empty = none

  bool is_legacy() const noexcept { return !created.has_value(); }
};

/// Max token lifetime set by an admin: N days, counted from max(created, set_at).
struct lifetime_policy {
  std::uint32_t max_days = 0;
  clock_time set_at{};
};

/// One audit log entry. Never holds a secret.
struct audit_event {
  clock_time at{};
  std::string kind;      // e.g. "token.create", "token.revoke"
  std::string actor;     // who did it (user or "admin")
  std::string user;      // whose token
  std::string token_id;
  std::string detail;
};

struct audit_query {
  std::optional<clock_time> since;   // inclusive
  std::optional<clock_time> until;   // exclusive
  std::optional<std::string> user;   // compared case-insensitively
  std::optional<std::string> kind;   // exact
  std::size_t limit = 1000;          // capped at max_audit_limit
};
inline constexpr std::size_t max_audit_limit = 100000;

struct record_page {
  std::vector<token_record> records;
  std::string next_cursor;  // empty = this was the last page
};
inline constexpr std::size_t max_page_limit = 10000;

/// All methods are thread-safe. Errors are values (store_error codes); nothing throws
/// except std::bad_alloc. Any method may also fail with io_error (RocksDB I/O failure),
/// corrupt_record (unreadable stored bytes) or unknown_record_version (a stored record
/// written by a newer jtgw — never skipped silently).
class token_store {
 public:
  virtual ~token_store() = default;

  /// Stores a new record and its indexes in one synced batch (durable on return).
  /// Errors: invalid_argument (empty or oversized id/user/label/sealed credential,
  /// version != 2, or created missing), duplicate_label (the user — case-insensitively —
  /// already has that label, compared case-insensitively), duplicate_token (digest or id
  /// already present).
  virtual boost::system::result<void> create(const token_record& record) = 0;

  /// The record whose digest matches. Errors: not_found. The hot path of every request.
  virtual boost::system::result<token_record> find_by_digest(const token_digest& digest) const = 0;

  /// The record with that token id. Errors: not_found.
  virtual boost::system::result<token_record> find_by_id(std::string_view id) const = 0;

  /// All records of the user (case-insensitive), legacy (undated) first, then oldest
  /// created first; ties by id. An unknown user gives an empty vector, not an error.
  virtual boost::system::result<std::vector<token_record>> list_by_user(std::string_view user) const = 0;

  /// One page of every record, in an order stable across calls (by digest). Pass an
  /// empty cursor for the first page, then the returned next_cursor. Records created
  /// or revoked between pages may or may not appear; every other record is seen once.
  /// Errors: invalid_argument (limit 0 or > max_page_limit, or a malformed cursor).
  virtual boost::system::result<record_page> list_all(std::string_view cursor, std::size_t limit) const = 0;

  /// Removes the record and both index entries in one synced batch; returns what was
  /// removed. Errors: not_found.
  virtual boost::system::result<token_record> revoke(std::string_view id) = 0;

  /// Removes every record of the user (case-insensitive) in one synced batch; returns
  /// how many. An unknown user gives 0, not an error.
  virtual boost::system::result<std::size_t> revoke_user(std::string_view user) = 0;

  /// Records `now` as the token's last use if the stored last use is absent or at least
  /// one minute older (so a busy token costs at most one write a minute). Returns
  /// whether it wrote. Not synced: losing the last minute of last-use on a crash is fine.
  /// Errors: not_found (revoked meanwhile — a revoked token is never written back).
  virtual boost::system::result<bool> touch_last_used(const token_record& record, clock_time now) = 0;

  /// The current policy, or nullopt when none is set.
  virtual boost::system::result<std::optional<lifetime_policy>> get_policy() const = 0;
  /// Replaces the policy (synced). Errors: invalid_argument (max_days 0).
  virtual boost::system::result<void> set_policy(lifetime_policy policy) = 0;
  /// Removes the policy (synced); clearing an absent policy succeeds.
  virtual boost::system::result<void> clear_policy() = 0;

  /// Appends an event (synced). Events with equal times keep their append order.
  /// Errors: invalid_argument (a field over 4 KiB).
  virtual boost::system::result<void> append_audit(const audit_event& event) = 0;
  /// Events in [since, until) matching user and kind, oldest first, at most limit
  /// (capped at max_audit_limit). Errors: invalid_argument (limit 0).
  virtual boost::system::result<std::vector<audit_event>> query_audit(const audit_query& query) const = 0;

  /// Writes a consistent copy of the whole store (tokens, indexes, policy, audit log)
  /// into `dir` while the store keeps serving; the copy is itself an openable store
  /// (open it, or check it with verify_store() in storage/maintenance.hpp). `dir` must
  /// not exist; its parent must. Files are hard-linked when `dir` is on the same file
  /// system, copied otherwise. Errors: invalid_argument (empty path, or `dir` exists),
  /// io_error (the parent is missing or unwritable, disk full …; nothing is left at `dir`).
  virtual boost::system::result<void> backup_to(const std::filesystem::path& dir) const = 0;
};

}  // namespace jtgw::storage
