#pragma once
// The one place that reports I/O failures on connections, choosing the log level by the
// kind of failure (userver's rule: a reset connection is INFO, a broken invariant ERROR).
#include "gateway/http/net.hpp"

#include <spdlog/common.h>

#include <string_view>

namespace jtgw::http {

// The level a failure of this kind deserves; spdlog::level::off for benign codes that
// are part of normal connection life and must not be logged at all.
spdlog::level::level_enum io_error_level(const error_code& ec) noexcept;

// Logs `what` (the step: "accept", "read header", "tls handshake", …), the peer and the
// error at io_error_level(ec) on the default logger. Never logs request contents.
void report_io_error(std::string_view what, const error_code& ec, const tcp::endpoint& peer);

}  // namespace jtgw::http
