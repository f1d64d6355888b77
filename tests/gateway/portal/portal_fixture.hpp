#pragma once
// The portal API under test: the real jtgw composition (app::gateway) in this process on
// its own io_context threads, in auth = "user" mode, sharing its RocksDB store with the
// test (to set policies and inspect records), in front of a real jira-sample process.
// Clients are real curl processes (tests/gateway/e2e's helpers). The gateway's log goes
// to a file under test_support::log_dir(), so tests can check that no secret reached it.
#include "gateway/app/gateway.hpp"
#include "storage/token_store.hpp"
#include "tests/support/http_reply.hpp"
#include "tests/support/shared_jira_sample.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/json/value.hpp>

#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace jtgw::portal::test {

using namespace jtgw::test_support;

struct portal_options {
  std::string jira_url;          // empty: the shared jira-sample
  std::string flavor = "cloud";  // or "datacenter"
  bool tls = false;              // also listen with TLS (listener 1)
  // USER:LABEL:TOKEN records written as schema 1 (make-legacy-store) before jtgw opens
  // the store: legacy tokens without dates.
  std::vector<std::string> legacy_tokens;
};

class portal_gateway {
 public:
  explicit portal_gateway(portal_options options = {});
  ~portal_gateway();  // drains, stops its threads
  portal_gateway(const portal_gateway&) = delete;
  portal_gateway& operator=(const portal_gateway&) = delete;

  // http://127.0.0.1:PORT/path, or https:// on the TLS listener.
  std::string url(const std::string& path, bool tls = false) const;
  // curl arguments that trust the TLS listener's certificate.
  std::vector<std::string> tls_args() const;
  storage::token_store& store() { return *store_; }

 private:
  temp_dir dir_;
  std::unique_ptr<storage::token_store> store_;
  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::unique_ptr<app::gateway> gateway_;
  std::vector<tcp::endpoint> endpoints_;
  std::vector<std::thread> threads_;
};

// The jira-sample all tests of this binary share (started on first use).
const jira_sample& shared_jira();

struct session {
  std::string cookie;  // "NAME=VALUE", as a browser sends it back
  std::string csrf;
};

struct call_options {
  const session* as = nullptr;  // send its cookie (and CSRF token, unless csrf is false)
  bool csrf = true;
  std::string json;             // a body, sent as application/json
  std::vector<std::string> curl_args;  // more curl arguments (headers: "-H", "Name: value")
  bool tls = false;
};

// One call to the portal with curl.
http_reply api(const portal_gateway& gw, const std::string& method, const std::string& path, call_options options = {});

// POST /api/session {"username","secret"} (both remembered as secrets for the log check).
http_reply sign_in(const portal_gateway& gw, const std::string& username, const std::string& secret, bool tls = false);
// Signs in, requiring 200; the cookie and CSRF token to send back.
session signed_in(const portal_gateway& gw, const std::string& username, const std::string& secret, bool tls = false);

// POST /api/tokens as `who` with {"label": label, "expires": expires or null}.
http_reply create_token(const portal_gateway& gw, const session& who, const std::string& label,
                        const std::string& expires = {});

boost::json::value json_of(const http_reply& reply);
inline bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// "YYYY-MM-DD" of today (UTC) plus `days`.
std::string utc_date(int days_from_today);

}  // namespace jtgw::portal::test
