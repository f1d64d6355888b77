// The admin commands against a RUNNING jtgw (real jtgw and jira-sample processes on
// 127.0.0.1, the app engineer's e2e harness): revoke on an open keep-alive connection,
// revoke-user, the lifetime policy applied live, backup while serving and restore, and
// the socket's permissions as the admin check.
//
// The policy's day-10 boundaries cannot be reached in a running process (its clock is
// the real one, and a test-only clock offset in the product binary is a risk we do not
// take), so test_policy_rule.cpp proves the rule in-process with the real Authenticator
// and store at chosen instants, and here the running process proves the policy is read
// live: a policy set 11 days ago (written to the store before start, a state an admin
// reaches by waiting) already excludes a legacy token but not a new one, `policy clear`
// restores the legacy token on the very next request, and a new policy shows at once.
#include "tests/support/base64.hpp"
#include "tests/support/binaries.hpp"
#include "tests/support/curl_client.hpp"
#include "tests/support/expect_no_secrets.hpp"
#include "tests/support/files.hpp"
#include "tests/support/http_reply.hpp"
#include "tests/support/jtgw_process.hpp"
#include "tests/support/raw_connection.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/secrets.hpp"
#include "tests/support/shared_jira_sample.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tokens.hpp"

#include "storage/rocksdb_store.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <grp.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace jtgw::test_support;
namespace json = boost::json;

namespace {

// One jtgw with its admin socket in the test's directory.
struct admin_world {
  temp_dir dir;
  fs::path store = dir.path() / "store";
  fs::path socket = dir.path() / "admin.sock";

  gateway_options options(const jira_sample& jira) const {
    gateway_options o;
    o.jira_url = jira.url();
    o.store = store;
    o.extra = "[admin]\nsocket = \"" + socket.string() + "\"\n";
    return o;
  }
  // `jtgw ARGS… --socket SOCKET`.
  run_result admin(std::vector<std::string> args) const {
    args.insert(args.begin(), jtgw_bin());
    args.push_back("--socket");
    args.push_back(socket.string());
    return run(args);
  }
};

std::string auth_line(const std::string& user, const std::string& token) {
  return "Authorization: Basic " + base64(user + ":" + token) + "\r\n";
}

// The id of USER's token labelled LABEL, from `jtgw tokens list --user USER --json`.
std::string token_id(const admin_world& w, const std::string& user, const std::string& label) {
  const auto listed = w.admin({"tokens", "list", "--user", user, "--json"});
  BOOST_REQUIRE_MESSAGE(listed.exit_code == 0, listed.err);
  const json::value parsed = json::parse(listed.out);
  for (const auto& token : parsed.at("tokens").as_array())
    if (token.at("label").as_string() == label) return std::string(token.at("id").as_string());
  BOOST_FAIL("no token labelled " << label << " in " << listed.out);
  return {};
}

// A system tool's full path (the harness execs without a PATH search), or "" if absent.
std::string system_tool(const std::string& name) {
  for (const char* dir : {"/usr/sbin/", "/usr/bin/", "/sbin/", "/bin/"})
    if (::access((dir + name).c_str(), X_OK) == 0) return dir + name;
  return {};
}

int status_of(std::uint16_t port, const std::string& user, const std::string& token) {
  return curl("http://127.0.0.1:" + std::to_string(port) + "/rest/api/3/myself", basic(user, token)).status;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(admin_e2e)

BOOST_AUTO_TEST_CASE(revoke_fails_the_next_request_on_an_open_keep_alive_connection) {
  admin_world w;
  jira_sample jira;
  const std::string alice = user_named("alice").email;
  const std::string doomed = mint(w.store, alice, {"--label", "doomed"});
  const std::string kept = mint(w.store, alice, {"--label", "kept"});
  gateway_process gw(w.dir.path(), w.options(jira));

  const auto table = w.admin({"tokens", "list"});
  BOOST_TEST(table.exit_code == 0, table.err);
  for (const std::string column : {"LABEL", "ID", "USER", "CREATED", "EXPIRES", "LAST USED", "doomed", "never"})
    BOOST_TEST(table.out.find(column) != std::string::npos, column);

  raw_connection connection(gw.port());
  BOOST_TEST(connection.get("/rest/api/3/myself", auth_line(alice, doomed)).status == 200);
  const std::string id = token_id(w, alice, "doomed");
  const auto revoked = w.admin({"tokens", "revoke", id});
  BOOST_TEST(revoked.exit_code == 0, revoked.err);
  BOOST_TEST(revoked.out.find(id) != std::string::npos);

  const auto after = connection.get("/rest/api/3/myself", auth_line(alice, doomed));
  BOOST_TEST(after.status == 401);
  BOOST_TEST(error_code_of(after) == "unknown_or_revoked", after.body);
  BOOST_TEST(connection.get("/rest/api/3/myself", auth_line(alice, kept)).status == 200);

  // Revoking it again is a plain failure with a non-zero exit.
  const auto again = w.admin({"tokens", "revoke", id});
  BOOST_TEST(again.exit_code != 0);
  BOOST_TEST(again.err.find("no token has the id " + id) != std::string::npos, again.err);

  // The audit log names the admin (the socket peer's uid) and never a secret.
  const auto audit = w.admin({"audit", "--kind", "token.revoke", "--json"});
  BOOST_TEST_REQUIRE(audit.exit_code == 0, audit.err);
  const auto events = json::parse(audit.out).at("events").as_array();
  BOOST_TEST_REQUIRE(events.size() == 1u);
  BOOST_TEST(events[0].at("token_id").as_string() == id);
  BOOST_TEST(std::string(events[0].at("actor").as_string()).find("uid=" + std::to_string(::getuid())) !=
             std::string::npos);
  BOOST_TEST(audit.out.find(doomed) == std::string::npos);
  expect_no_secrets_in_logs();
}

BOOST_AUTO_TEST_CASE(revoke_user_ends_all_of_that_users_tokens) {
  admin_world w;
  jira_sample jira;
  const std::string bob = user_named("bob").email;
  const std::string carol = user_named("carol").email;
  const std::string bob_1 = mint(w.store, bob, {"--label", "one"});
  const std::string bob_2 = mint(w.store, bob, {"--label", "two"});
  const std::string carol_1 = mint(w.store, carol);
  gateway_process gw(w.dir.path(), w.options(jira));

  BOOST_TEST(status_of(gw.port(), bob, bob_1) == 200);
  const auto done = w.admin({"tokens", "revoke-user", bob});
  BOOST_TEST(done.exit_code == 0, done.err);
  BOOST_TEST(done.out.find("revoked 2 token(s)") != std::string::npos, done.out);
  BOOST_TEST(status_of(gw.port(), bob, bob_1) == 401);
  BOOST_TEST(status_of(gw.port(), bob, bob_2) == 401);
  BOOST_TEST(status_of(gw.port(), carol, carol_1) == 200);

  const auto listed = w.admin({"tokens", "list", "--json"});
  BOOST_TEST(json::parse(listed.out).at("tokens").as_array().size() == 1u);
  const auto audit = w.admin({"audit", "--user", bob, "--since", "1h"});
  BOOST_TEST(audit.out.find("token.revoke_user") != std::string::npos, audit.out);
  BOOST_TEST(audit.out.find("count=2") != std::string::npos, audit.out);
}

BOOST_AUTO_TEST_CASE(policy_applies_to_the_next_request_without_restart) {
  admin_world w;
  jira_sample jira;
  const std::string dave = user_named("dave").email;
  const std::string legacy = unknown_token();
  remember_secret(legacy);
  const auto made = run({make_legacy_store_bin(), w.store.string(), dave + ":old-laptop:" + legacy});
  BOOST_REQUIRE_MESSAGE(made.exit_code == 0, made.err);
  const std::string fresh = mint(w.store, dave, {"--label", "new"});
  {
    // A policy of 10 days set 11 days ago: the legacy token (counted as created when the
    // policy was set) is past its cap; the new one has 10 days from its creation.
    auto store = jtgw::storage::open_rocksdb_store({.path = w.store});
    BOOST_TEST_REQUIRE(store.has_value());
    const auto eleven_days_ago =
        std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now()) - std::chrono::days{11};
    BOOST_TEST_REQUIRE((*store)->set_policy({10, eleven_days_ago}).has_value());
  }
  gateway_process gw(w.dir.path(), w.options(jira));

  raw_connection connection(gw.port());
  const auto refused = connection.get("/rest/api/3/myself", auth_line(dave, legacy));
  BOOST_TEST(refused.status == 401);
  BOOST_TEST(error_code_of(refused) == "expired", refused.body);
  BOOST_TEST(connection.get("/rest/api/3/myself", auth_line(dave, fresh)).status == 200);

  const auto shown = w.admin({"policy", "show"});
  BOOST_TEST(shown.out.find("10 days") != std::string::npos, shown.out);
  const auto listed = w.admin({"tokens", "list", "--user", dave});
  BOOST_TEST(listed.out.find("(policy)") != std::string::npos, listed.out);
  BOOST_TEST(listed.out.find("unknown") != std::string::npos, listed.out);  // legacy: created unknown

  const auto cleared = w.admin({"policy", "clear"});
  BOOST_TEST(cleared.exit_code == 0, cleared.err);
  BOOST_TEST(connection.get("/rest/api/3/myself", auth_line(dave, legacy)).status == 200);
  BOOST_TEST(connection.get("/rest/api/3/myself", auth_line(dave, fresh)).status == 200);

  // A new policy is in force at once: every token's effective expiry is now capped.
  const auto set = w.admin({"policy", "set-max-lifetime", "10"});
  BOOST_TEST(set.exit_code == 0, set.err);
  const auto capped = json::parse(w.admin({"tokens", "list", "--user", dave, "--json"}).out);
  for (const auto& token : capped.at("tokens").as_array()) BOOST_TEST(!token.at("effective_expires").is_null());
  BOOST_TEST(connection.get("/rest/api/3/myself", auth_line(dave, legacy)).status == 200);
  BOOST_TEST(w.admin({"policy", "set-max-lifetime", "0"}).exit_code != 0);

  const auto audit = w.admin({"audit", "--json"});
  BOOST_TEST(audit.out.find("policy.clear") != std::string::npos);
  BOOST_TEST(audit.out.find("policy.set") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(backup_while_serving_then_restore_and_serve_from_it) {
  admin_world w;
  jira_sample jira;
  const std::string erin = user_named("erin").email;
  const std::string good = mint(w.store, erin, {"--label", "good"});
  const std::string bad = mint(w.store, erin, {"--label", "bad"});
  const fs::path backup = w.dir.path() / "backup-1";
  const fs::path restored = w.dir.path() / "restored";
  {
    gateway_process gw(w.dir.path(), w.options(jira));
    BOOST_TEST_REQUIRE(w.admin({"tokens", "revoke", token_id(w, erin, "bad")}).exit_code == 0);
    const auto backed_up = w.admin({"backup", backup.string()});
    BOOST_TEST_REQUIRE(backed_up.exit_code == 0, backed_up.err);
    BOOST_TEST(status_of(gw.port(), erin, good) == 200);  // still serving
    const auto twice = w.admin({"backup", backup.string()});
    BOOST_TEST(twice.exit_code != 0);
    BOOST_TEST(twice.err.find("already exists") != std::string::npos, twice.err);

    // Restoring over the store of a running jtgw is refused: its lock tells.
    const auto refused = run({jtgw_bin(), "store", "restore", backup.string(), w.store.string()});
    BOOST_TEST(refused.exit_code != 0);
    BOOST_TEST(refused.err.find("stop jtgw") != std::string::npos, refused.err);
    gw.proc().send(SIGTERM);
    BOOST_TEST((gw.proc().wait_exit(30s) == std::optional<int>(0)));
  }
  const auto verified = run({jtgw_bin(), "store", "verify", backup.string()});
  BOOST_TEST(verified.exit_code == 0, verified.err);
  BOOST_TEST(verified.out.find("OK") != std::string::npos);
  const auto restore = run({jtgw_bin(), "store", "restore", backup.string(), restored.string()});
  BOOST_TEST_REQUIRE(restore.exit_code == 0, restore.err);

  admin_world second;  // a fresh socket path; the store is the restored one
  second.store = restored;
  gateway_process gw(second.dir.path(), second.options(jira));
  BOOST_TEST(status_of(gw.port(), erin, good) == 200);
  BOOST_TEST(status_of(gw.port(), erin, bad) == 401);
}

BOOST_AUTO_TEST_CASE(the_socket_refuses_a_user_outside_its_group) {
  admin_world w;
  jira_sample jira;
  gateway_process gw(w.dir.path(), w.options(jira));
  struct stat st {};
  BOOST_TEST_REQUIRE(::stat(w.socket.c_str(), &st) == 0);
  BOOST_TEST((st.st_mode & 0777) == 0660u);  // the default mode

  if (::geteuid() != 0) {
    BOOST_TEST_MESSAGE("not root: cannot create users; the mode check above stands in for the refusal");
    return;
  }
  // A group that owns the socket, a user in it and one outside it.
  const std::string suffix = std::to_string(::getpid());
  const std::string group = "jtgwadm" + suffix, inside = "jtgwin" + suffix, outside = "jtgwout" + suffix;
  const std::string groupadd = system_tool("groupadd"), useradd = system_tool("useradd"),
                    userdel = system_tool("userdel"), groupdel = system_tool("groupdel"),
                    runuser = system_tool("runuser");
  if (groupadd.empty() || useradd.empty() || userdel.empty() || groupdel.empty() || runuser.empty()) {
    BOOST_TEST_MESSAGE("no useradd/runuser here; the mode check above stands in for the refusal");
    return;
  }
  struct accounts {
    std::string userdel, groupdel, group, inside, outside;
    ~accounts() {
      run({userdel, inside});
      run({userdel, outside});
      run({groupdel, group});
    }
  } cleanup{userdel, groupdel, group, inside, outside};
  if (run({groupadd, group}).exit_code != 0 || run({useradd, "-M", "-G", group, inside}).exit_code != 0 ||
      run({useradd, "-M", outside}).exit_code != 0) {
    BOOST_TEST_MESSAGE("useradd/groupadd failed here; the mode check above stands in for the refusal");
    return;
  }
  const ::group* entry = ::getgrnam(group.c_str());
  BOOST_TEST_REQUIRE(entry != nullptr);
  BOOST_TEST_REQUIRE(::chown(w.socket.c_str(), 0, entry->gr_gid) == 0);
  // Only the socket's mode may stand in the way: the directory is searchable by all.
  fs::permissions(w.dir.path(), fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);

  const auto as = [&](const std::string& user) {
    return run({runuser, "-u", user, "--", jtgw_bin(), "policy", "show", "--socket", w.socket.string()});
  };
  const auto allowed = as(inside);
  BOOST_TEST(allowed.exit_code == 0, allowed.err);
  BOOST_TEST(allowed.out.find("no maximum token lifetime") != std::string::npos, allowed.out);
  const auto refused = as(outside);
  BOOST_TEST(refused.exit_code != 0);
  BOOST_TEST(refused.err.find("permission denied on " + w.socket.string()) != std::string::npos, refused.err);
}

BOOST_AUTO_TEST_CASE(commands_say_plainly_when_no_jtgw_listens) {
  admin_world w;
  const auto listed = w.admin({"tokens", "list"});
  BOOST_TEST(listed.exit_code == 1);
  BOOST_TEST(listed.err == "jtgw: no jtgw is listening on " + w.socket.string() + "\n");
  // --config FILE's [admin] socket is used when --socket is absent.
  write_file(w.dir.path() / "only-admin.toml", "[admin]\nsocket = \"elsewhere.sock\"\n");
  const auto via_config = run({jtgw_bin(), "policy", "show", "--config", (w.dir.path() / "only-admin.toml").string()});
  BOOST_TEST(via_config.err.find((w.dir.path() / "elsewhere.sock").string()) != std::string::npos, via_config.err);
}

BOOST_AUTO_TEST_SUITE_END()
