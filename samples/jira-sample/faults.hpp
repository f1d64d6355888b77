#pragma once
// Fault knobs for testing clients: --fail-every K answers every K-th request 503;
// --rate-limit R answers 429 (Retry-After, X-RateLimit-*) above R requests per second.
// (--latency-ms lives in service::handle, which awaits a timer.)
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>

#include "samples/jira-sample/responses.hpp"

namespace jtgw::jira_sample {

class fault_injector {
public:
    /// rate_limit <= 0 and fail_every == 0 switch the knobs off.
    fault_injector(double rate_limit, std::uint64_t fail_every);

    struct admission {
        std::optional<response> reject;  // 503 or 429 to send instead of the real answer
        long remaining = -1;             // tokens left (>= 0) when rate limiting is on
    };
    /// Counts one request and decides whether it is failed or throttled. Thread-safe.
    admission admit();
    /// Adds X-RateLimit-Limit/Remaining to a real answer when rate limiting is on.
    void decorate(response& res, const admission& a) const;

private:
    double rate_;
    std::uint64_t fail_every_;
    std::atomic<std::uint64_t> count_{0};
    std::mutex mutex_;
    double tokens_;
    std::chrono::steady_clock::time_point refilled_;
};

}  // namespace jtgw::jira_sample
