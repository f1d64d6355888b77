// mint-token --store DIR --user U [--label L] [--expires YYYY-MM-DD]
//            [--jira-secret S --seal-key FILE]
// Writes a v2 token straight into a (stopped) store, optionally with the user's Jira
// secret sealed under the key file, and prints the token on stdout and nothing else.
// A test tool for tests, benchmarks and the demo until the portal exists; never installed.
#include "auth/seal_key_file.hpp"
#include "auth/sealing.hpp"
#include "auth/token_digest.hpp"
#include "auth/token_format.hpp"
#include "storage/rocksdb_store.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

namespace {

// YYYY-MM-DD, a real calendar date (std::chrono::parse is not in g++ 12).
std::optional<std::chrono::sys_days> parse_date(const std::string& text) {
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  char tail = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days(date);
}

int fail(const std::string& message) {
  std::cerr << "mint-token: " << message << '\n';
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Write an access token straight into a stopped jtgw store and print it (test tool)"};
  std::string store_path;
  std::string user;
  std::string label;
  std::string expires_text;
  std::string jira_secret;
  std::string seal_key_path;
  app.add_option("--store", store_path, "token store directory (jtgw must be stopped)")->required();
  app.add_option("--user", user, "the token's owner (the Basic username)")->required();
  app.add_option("--label", label, "a label unique for the user (default: a generated one)");
  app.add_option("--expires", expires_text, "last valid day, UTC, YYYY-MM-DD (default: never)");
  auto* secret_opt = app.add_option("--jira-secret", jira_secret, "the user's Jira credential secret, to seal");
  auto* key_opt = app.add_option("--seal-key", seal_key_path, "seal key file (created 0600 if missing)");
  secret_opt->needs(key_opt);
  key_opt->needs(secret_opt);
  CLI11_PARSE(app, argc, argv);

  try {
    jtgw::storage::token_record record;
    record.version = 2;
    record.id = jtgw::auth::generate_token_id();
    record.user = user;
    record.label = label.empty() ? "minted-" + record.id.substr(0, 8) : label;
    record.created = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
    if (!expires_text.empty()) {
      record.expires = parse_date(expires_text);
      if (!record.expires) return fail("--expires wants a date as YYYY-MM-DD, got \"" + expires_text + "\"");
    }
    if (!seal_key_path.empty()) {
      const auto key = jtgw::auth::load_or_create_seal_key(seal_key_path);
      // Bound to the owner as stored, which is what the gateway passes when unsealing.
      auto sealed = jtgw::auth::seal(key, jira_secret, record.user);
      if (!sealed) return fail("cannot seal the Jira secret: " + sealed.error().message());
      record.sealed_credential = std::move(*sealed);
    }
    const std::string token = jtgw::auth::generate_token();
    record.digest = jtgw::auth::digest_of(token);

    auto store = jtgw::storage::open_rocksdb_store({.path = store_path});
    if (!store) return fail(store.error().message);
    if (auto created = (*store)->create(record); !created) {
      return fail("cannot create the token in " + store_path + ": " + created.error().message());
    }
    std::cout << token << '\n';
    return 0;
  } catch (const std::exception& e) {
    return fail(e.what());
  }
}
