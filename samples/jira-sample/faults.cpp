#include "samples/jira-sample/faults.hpp"

#include <cmath>

#include "samples/jira-sample/time_format.hpp"

namespace jtgw::jira_sample {

fault_injector::fault_injector(double rate_limit, std::uint64_t fail_every)
    : rate_(rate_limit), fail_every_(fail_every), tokens_(std::max(1.0, rate_limit)),
      refilled_(std::chrono::steady_clock::now()) {}

fault_injector::admission fault_injector::admit() {
    admission a;
    const auto n = ++count_;
    if (fail_every_ && n % fail_every_ == 0) {
        a.reject = error_response(http::status::service_unavailable,
                                  "jira-sample: injected failure (every " + std::to_string(fail_every_) + "th request)");
        return a;
    }
    if (rate_ <= 0) return a;
    std::lock_guard lock(mutex_);
    // Token bucket: R tokens per second, at most R (one second's burst) banked.
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - refilled_).count();
    refilled_ = now;
    tokens_ = std::min(std::max(1.0, rate_), tokens_ + elapsed * rate_);
    if (tokens_ >= 1.0) {
        tokens_ -= 1.0;
        a.remaining = long(tokens_);
        return a;
    }
    const double wait_seconds = (1.0 - tokens_) / rate_;
    const long retry_after = std::max(1L, long(std::ceil(wait_seconds)));
    auto res = error_response(http::status::too_many_requests, "Rate limit exceeded.");
    res.set(http::field::retry_after, std::to_string(retry_after));
    res.set("X-RateLimit-Limit", std::to_string(long(std::ceil(rate_))));
    res.set("X-RateLimit-Remaining", "0");
    const auto reset = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch()).count() + std::int64_t(wait_seconds * 1000);
    res.set("X-RateLimit-Reset", zulu_time(reset));
    res.set("X-RateLimit-NearLimit", "true");
    a.reject = std::move(res);
    a.remaining = 0;
    return a;
}

void fault_injector::decorate(response& res, const admission& a) const {
    if (rate_ <= 0 || a.remaining < 0) return;
    res.set("X-RateLimit-Limit", std::to_string(long(std::ceil(rate_))));
    res.set("X-RateLimit-Remaining", std::to_string(a.remaining));
}

}  // namespace jtgw::jira_sample
