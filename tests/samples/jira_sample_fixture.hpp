#pragma once
// Shared by the jira-sample tests: a small generated dataset, a service over it, and
// helpers to call it as each kind of user.
#include <boost/json.hpp>

#include <filesystem>
#include <memory>
#include <string>

#include "samples/jira-sample/dataset_io.hpp"
#include "samples/jira-sample/generator.hpp"
#include "samples/jira-sample/service.hpp"
#include "tests/support/base64.hpp"
#include "tests/support/temp_dir.hpp"

namespace jira_sample_test {

namespace js = jtgw::jira_sample;
namespace http = boost::beast::http;
namespace json = boost::json;

using jtgw::test_support::base64;

// The dataset goes through its files (write then read), so the tests cover the files too.
inline std::shared_ptr<const js::dataset> small_dataset(std::int64_t issues = 500, std::uint64_t seed = 42) {
    const jtgw::test_support::temp_dir dir("jira-sample-test");
    js::write_dataset(js::generate(issues, seed), dir.path());
    return std::make_shared<const js::dataset>(js::read_dataset(dir.path()));
}

struct fixture {
    std::shared_ptr<const js::dataset> data;
    std::unique_ptr<js::service> svc;

    explicit fixture(js::service_options options = {}) : data(small_dataset()) {
        options.base_url = "http://jira.test";
        svc = std::make_unique<js::service>(data, options);
    }

    const js::user& user(std::string_view name) const {
        for (const auto& u : data->users)
            if (u.username == name) return u;
        throw std::runtime_error("no such user");
    }
    std::int32_t user_index(std::string_view name) const {
        for (std::size_t u = 0; u < data->users.size(); ++u)
            if (data->users[u].username == name) return std::int32_t(u);
        return -1;
    }
    std::string cloud_auth(std::string_view name) const {
        const auto& u = user(name);
        return "Basic " + base64(u.email + ":" + u.api_token);
    }
    std::string pat_auth(std::string_view name) const { return "Bearer " + user(name).pat; }
    std::string password_auth(std::string_view name) const {
        const auto& u = user(name);
        return "Basic " + base64(u.username + ":" + u.password);
    }

    js::response call(std::string target, std::string authorization, http::verb method = http::verb::get,
                      std::string body = {}, std::string forwarded_user = {}) {
        js::request req{method, target, 11};
        req.set(http::field::host, "jira.test");
        if (!authorization.empty()) req.set(http::field::authorization, authorization);
        if (!forwarded_user.empty()) req.set("X-Forwarded-User", forwarded_user);
        if (!body.empty()) {
            req.set(http::field::content_type, "application/json");
            req.body() = std::move(body);
            req.prepare_payload();
        }
        return svc->respond(req);
    }
    // GET as a Cloud user (v3) and parse the JSON body; fails the test on a non-200.
    json::value get_v3(const std::string& target, std::string_view name) { return parse_ok(call(target, cloud_auth(name))); }
    json::value get_v2(const std::string& target, std::string_view name) { return parse_ok(call(target, pat_auth(name))); }

    static json::value parse_ok(const js::response& res) {
        if (res.result() != http::status::ok)
            throw std::runtime_error("HTTP " + std::to_string(res.result_int()) + ": " + res.body());
        return json::parse(res.body());
    }
};

// Visible issue indexes for a user, ascending id (the dataset's truth).
inline std::vector<std::int64_t> visible_issue_ids(const js::dataset& d, const js::user& u) {
    std::vector<std::int64_t> ids;
    for (const auto& is : d.issues)
        for (const auto& key : u.projects)
            if (d.projects[std::size_t(is.project)].key == key) ids.push_back(is.id);
    return ids;
}

inline std::string url_encode(std::string_view s) {
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += char(c);
        else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

// The path+query of an absolute self/nextPage link.
inline std::string target_of(std::string_view absolute) {
    const auto p = absolute.find("/rest/");
    return std::string(absolute.substr(p));
}

}  // namespace jira_sample_test
