// The admin subcommands: option wiring, and the socket commands' requests and output.
// The offline store commands are in store_commands.cpp.
#include "gateway/admin/admin_commands.hpp"

#include "gateway/admin/admin_api.hpp"
#include "gateway/admin/admin_client.hpp"
#include "gateway/admin/admin_json.hpp"
#include "gateway/admin/store_commands.hpp"
#include "gateway/admin/text_table.hpp"
#include "gateway/config/config.hpp"

#include <boost/json.hpp>
#include <boost/url/url.hpp>
#include <toml++/toml.h>

#include <iostream>

namespace jtgw::admin {
namespace {

namespace json = boost::json;
using beast_verb = boost::beast::http::verb;

constexpr int exit_ok = 0;
constexpr int exit_failure = 1;
constexpr int exit_usage = 2;
constexpr std::chrono::milliseconds call_timeout{60'000};
// A backup of a large store copies files when the target is on another file system.
constexpr std::chrono::milliseconds backup_timeout{3'600'000};
constexpr std::size_t list_page = 1000;

int fail(const std::string& message) {
  std::cerr << "jtgw: " << message << '\n';
  return exit_failure;
}

std::string text_of(const json::value& v, std::string_view if_null = "") {
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_null()) return std::string(if_null);
  return json::serialize(v);
}

std::string field(const json::object& o, std::string_view key, std::string_view if_null = "") {
  const json::value* v = o.if_contains(key);
  return v ? text_of(*v, if_null) : std::string(if_null);
}

// An answer's object, or a failure sentence: the server's message for any non-200.
std::optional<json::object> ok_object(const admin_reply& reply, std::string& why) {
  if (reply.status == 200 && reply.body.is_object()) return reply.body.as_object();
  why = reply.body.is_object() ? field(reply.body.as_object(), "message") : "";
  if (why.empty()) why = "jtgw answered " + std::to_string(reply.status);
  return std::nullopt;
}

// One call; on success the answer's object, else prints why and gives nullopt.
std::optional<json::object> call(const std::filesystem::path& socket, beast_verb method, const std::string& target,
                                 const std::string& body = {},
                                 std::chrono::milliseconds timeout = call_timeout) {
  auto reply = call_admin(socket, method, target, body, timeout);
  if (!reply) {
    fail(reply.error().message);
    return std::nullopt;
  }
  std::string why;
  auto object = ok_object(*reply, why);
  if (!object) fail(why);
  return object;
}

std::string target_of(std::initializer_list<std::string_view> segments,
                      std::initializer_list<std::pair<std::string_view, std::string_view>> params = {}) {
  boost::urls::url url;
  url.set_path_absolute(true);
  for (auto s : segments) url.segments().push_back(s);
  for (auto [key, value] : params)
    if (!value.empty()) url.params().append({key, value});
  return std::string(url.buffer());
}

// "2025-03-31 00:00Z (policy)" when the policy cuts the token's life short.
std::string expires_cell(const json::object& token) {
  const std::string effective = field(token, "effective_expires");
  if (effective.empty()) return "never";
  const std::string own = field(token, "expires");
  const auto now = storage::clock_time{};
  const auto own_end = own.empty() ? std::nullopt : parse_time(own, now);
  const bool capped = !own_end || parse_time(effective, now) < *own_end + std::chrono::days{1};
  return short_time(effective) + (capped ? " (policy)" : "");
}

int list_tokens(const std::filesystem::path& socket, const std::string& user, bool as_json) {
  json::array tokens;
  std::string cursor;
  do {
    auto page = call(socket, beast_verb::get,
                     target_of({"tokens"}, {{"user", user}, {"cursor", cursor},
                                            {"limit", user.empty() ? std::to_string(list_page) : ""}}));
    if (!page) return exit_failure;
    for (auto& token : page->at("tokens").as_array()) tokens.push_back(std::move(token));
    cursor = field(*page, "next_cursor");
  } while (!cursor.empty());

  if (as_json) {
    std::cout << json::serialize(json::object{{"tokens", std::move(tokens)}}) << '\n';
    return exit_ok;
  }
  text_table table({"LABEL", "ID", "USER", "CREATED", "EXPIRES", "LAST USED"});
  for (const auto& value : tokens) {
    const auto& token = value.as_object();
    table.add({field(token, "label"), field(token, "id"), field(token, "user"),
               short_time(field(token, "created", "unknown")), expires_cell(token),
               short_time(field(token, "last_used", "never"))});
  }
  table.print(std::cout);
  std::cout << table.rows() << " token(s)\n";
  return exit_ok;
}

int show_policy(const json::object& policy, std::string_view verb) {
  if (policy.at("max_days").is_null()) {
    std::cout << "no maximum token lifetime is set" << (verb.empty() ? "" : " (cleared)") << '\n';
  } else {
    std::cout << "maximum token lifetime" << verb << ": " << text_of(policy.at("max_days")) << " days, counted from "
              << "each token's creation or " << short_time(field(policy, "set_at"))
              << " (when the policy was set), whichever is later\n";
  }
  return exit_ok;
}

int print_audit(const json::object& answer, bool as_json) {
  if (as_json) {
    std::cout << json::serialize(answer) << '\n';
    return exit_ok;
  }
  text_table table({"TIME", "KIND", "ACTOR", "USER", "TOKEN", "DETAIL"});
  for (const auto& value : answer.at("events").as_array()) {
    const auto& event = value.as_object();
    table.add({field(event, "at"), field(event, "kind"), field(event, "actor"), field(event, "user"),
               field(event, "token_id"), field(event, "detail")});
  }
  table.print(std::cout);
  return exit_ok;
}

}  // namespace

std::filesystem::path socket_from_config(const std::filesystem::path& config_file) {
  toml::table root;
  try {
    root = toml::parse_file(config_file.string());
  } catch (const toml::parse_error& e) {
    throw std::runtime_error(config_file.string() + ": " + std::string(e.description()));
  }
  const toml::node* socket = root.at_path("admin.socket").node();
  if (!socket) return config::admin_config::default_socket;
  if (!socket->is_string() || socket->as_string()->get().empty())
    throw std::runtime_error(config_file.string() + ": admin.socket must be a non-empty string");
  std::filesystem::path path(socket->as_string()->get());
  return path.is_absolute() ? path : config_file.parent_path() / path;
}

void admin_commands::add_connection_options(CLI::App* command) {
  command->add_option("--socket", connection_.socket, "The admin socket (default: [admin] socket of --config, else " +
                                                          std::string(config::admin_config::default_socket) + ")");
  command->add_option("-c,--config", connection_.config, "jtgw's config file, to find [admin] socket");
}

admin_commands::admin_commands(CLI::App& app) {
  auto* tokens = app.add_subcommand("tokens", "List and revoke access tokens (admin socket)");
  tokens->require_subcommand(1);
  tokens_list_ = tokens->add_subcommand("list", "List tokens: label, id, user, created, expires, last used");
  tokens_list_->add_option("--user", user_, "Only this user's tokens");
  tokens_list_->add_flag("--json", json_, "JSON for scripts");
  tokens_revoke_ = tokens->add_subcommand("revoke", "Revoke one token by id (effective on its next request)");
  tokens_revoke_->add_option("id", token_id_, "The token id (from tokens list)")->required();
  tokens_revoke_user_ = tokens->add_subcommand("revoke-user", "Revoke every token of a user");
  tokens_revoke_user_->add_option("user", user_, "The username")->required();

  auto* policy = app.add_subcommand("policy", "Show, set or clear the maximum token lifetime (admin socket)");
  policy->require_subcommand(1);
  policy_show_ = policy->add_subcommand("show", "Show the maximum token lifetime");
  policy_set_ = policy->add_subcommand("set-max-lifetime", "Cap every token's lifetime, existing ones included");
  policy_set_->add_option("days", policy_days_, "Days, counted from max(creation, now)")
      ->required()
      ->check(CLI::Range(1u, static_cast<unsigned>(max_policy_days)));
  policy_clear_ = policy->add_subcommand("clear", "Remove the cap");

  audit_ = app.add_subcommand("audit", "Show audit events, oldest first (admin socket)");
  audit_->add_option("--since", since_, "From: YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ, or an age (90m, 12h, 7d)");
  audit_->add_option("--until", until_, "Before: same forms as --since");
  audit_->add_option("--user", user_, "Only events about this user");
  audit_->add_option("--kind", kind_, "Only this kind (token.create, token.revoke, policy.set, …)");
  audit_->add_option("--limit", limit_, "At most this many events")->check(CLI::Range(std::size_t{1}, storage::max_audit_limit));
  audit_->add_flag("--json", json_, "JSON for scripts");

  backup_command_ = app.add_subcommand("backup", "Back up the store of the running jtgw into a new directory");
  backup_command_->add_option("dir", directory_, "A directory that does not exist yet, writable by jtgw")->required();

  for (auto* command : {tokens_list_, tokens_revoke_, tokens_revoke_user_, policy_show_, policy_set_, policy_clear_,
                        audit_, backup_command_})
    add_connection_options(command);

  auto* store = app.add_subcommand("store", "Offline store maintenance (jtgw need not run)");
  store->require_subcommand(1);
  store_verify_ = store->add_subcommand("verify", "Check a store or backup directory (read-only)");
  store_verify_->add_option("dir", directory_, "The store or backup directory")->required();
  store_restore_ = store->add_subcommand("restore", "Restore a backup as the store (refused while jtgw runs on it)");
  store_restore_->add_option("backup", backup_, "The backup directory (from jtgw backup)")->required();
  store_restore_->add_option("dir", directory_, "The store directory to restore into")->required();
}

std::optional<int> admin_commands::run() const {
  if (*store_verify_) return verify_command(directory_);
  if (*store_restore_) return restore_command(backup_, directory_);

  const bool chosen = *tokens_list_ || *tokens_revoke_ || *tokens_revoke_user_ || *policy_show_ || *policy_set_ ||
                      *policy_clear_ || *audit_ || *backup_command_;
  if (!chosen) return std::nullopt;
  std::filesystem::path socket = connection_.socket;
  if (socket.empty()) {
    try {
      socket = connection_.config.empty() ? config::admin_config::default_socket : socket_from_config(connection_.config);
    } catch (const std::exception& e) {
      std::cerr << "jtgw: " << e.what() << '\n';
      return exit_usage;
    }
  }

  if (*tokens_list_) return list_tokens(socket, user_, json_);
  if (*tokens_revoke_) {
    auto done = call(socket, beast_verb::delete_, target_of({"tokens", token_id_}));
    if (!done) return exit_failure;
    std::cout << "revoked token " << field(*done, "revoked") << " (\"" << field(*done, "label") << "\") of "
              << field(*done, "user") << '\n';
    return exit_ok;
  }
  if (*tokens_revoke_user_) {
    auto done = call(socket, beast_verb::delete_, target_of({"users", user_, "tokens"}));
    if (!done) return exit_failure;
    std::cout << "revoked " << text_of(done->at("revoked")) << " token(s) of " << user_ << '\n';
    return exit_ok;
  }
  if (*policy_show_) {
    auto policy = call(socket, beast_verb::get, "/policy");
    return policy ? show_policy(*policy, "") : exit_failure;
  }
  if (*policy_set_) {
    auto policy = call(socket, beast_verb::put, "/policy",
                       json::serialize(json::object{{"max_days", policy_days_}}));
    return policy ? show_policy(*policy, " set") : exit_failure;
  }
  if (*policy_clear_) {
    auto policy = call(socket, beast_verb::delete_, "/policy");
    return policy ? show_policy(*policy, " set") : exit_failure;
  }
  if (*audit_) {
    const auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
    std::vector<std::string> bounds;
    for (const std::string* text : {&since_, &until_}) {
      if (text->empty()) {
        bounds.emplace_back();
        continue;
      }
      auto at = parse_time(*text, now);
      if (!at) return fail("\"" + *text + "\" is not a time: use YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or an age like 12h");
      bounds.push_back(text_of(time_json(*at)));  // absolute, so the server's clock does not shift it
    }
    auto answer = call(socket, beast_verb::get,
                       target_of({"audit"}, {{"since", bounds[0]}, {"until", bounds[1]}, {"user", user_},
                                             {"kind", kind_}, {"limit", std::to_string(limit_)}}));
    return answer ? print_audit(*answer, json_) : exit_failure;
  }
  // backup: the path as the service sees it — absolute, since its working directory is
  // not the admin's.
  const auto dir = std::filesystem::absolute(directory_).lexically_normal();
  auto done = call(socket, beast_verb::post, "/backup", json::serialize(json::object{{"dir", dir.string()}}),
                   backup_timeout);
  if (!done) return exit_failure;
  std::cout << "backed up the store to " << field(*done, "backup") << " (check it with: jtgw store verify "
            << field(*done, "backup") << ")\n";
  return exit_ok;
}

}  // namespace jtgw::admin
