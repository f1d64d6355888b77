#pragma once
// The jira-sample REST service: one function from a request to a Jira-shaped response.
// The HTTP server (jtgw::http) calls handle(); tests may call respond() directly.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "samples/jira-sample/auth.hpp"
#include "samples/jira-sample/model.hpp"
#include "samples/jira-sample/responses.hpp"

namespace jtgw::jira_sample {

struct service_options {
    std::string base_url = "http://127.0.0.1";  // prefix of every `self` link
    std::chrono::milliseconds latency{0};        // --latency-ms
    double rate_limit = 0;                       // --rate-limit R (requests/s); 0: off
    std::uint64_t fail_every = 0;                // --fail-every K; 0: off
    std::optional<service_credential> service;   // --service-credential USER:SECRET
    unsigned render_threads = 2;                 // threads used to pre-render issues
};

struct service_state;

class service {
public:
    /// Indexes the dataset and pre-renders every issue for v2 and v3 (the slow part of
    /// start-up; see README.md for figures). Throws only on a corrupt dataset.
    service(std::shared_ptr<const dataset> data, service_options options);
    ~service();
    service(const service&) = delete;
    service& operator=(const service&) = delete;

    /// Answers one request, fault knobs included but without the injected latency.
    /// Never throws for any request: bad input gets a Jira-style JSON error.
    response respond(const request& req);

    /// respond() after awaiting --latency-ms on the calling coroutine's executor.
    boost::asio::awaitable<response> handle(request req);

    /// Bytes held by the pre-rendered issue caches (both flavors).
    std::size_t cache_bytes() const;
    const service_options& options() const;

private:
    std::unique_ptr<service_state> state_;
};

}  // namespace jtgw::jira_sample
