#pragma once
// X-Request-Id: a client's id is kept when it is sane, so logs across hops correlate;
// anything else is replaced, so ids never carry log injection or unbounded text.
#include <string>
#include <string_view>

namespace jtgw::http {

// True for 1..64 characters of [A-Za-z0-9._-].
bool sane_request_id(std::string_view id) noexcept;

// 32 lowercase hex characters, unique (not secret): 64 random bits drawn once per
// process, then a per-process counter.
std::string generate_request_id();

// The client's id if sane, else a generated one.
std::string choose_request_id(std::string_view client_id);

}  // namespace jtgw::http
