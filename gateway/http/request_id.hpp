#pragma once
// X-Request-Id: a client's id is kept when it is sane, so logs across hops correlate;
// anything else is replaced, so ids never carry log injection or unbounded text.
#include <string>
#include <string_view>

namespace jtgw::http {

// True for 1..64 characters of [A-Za-z0-9._-].
bool sane_request_id(std::string_view id) noexcept;

// 32 lowercase hex characters, unique (not secret): 64 random bits drawn once per
// process, then a per-process counter. Written into `out`, whose capacity is reused: a
// connection keeps one string for the ids of all its requests.
void generate_request_id(std::string& out);

// The client's id if sane, else a generated one (into `out`, as above).
void choose_request_id(std::string_view client_id, std::string& out);

}  // namespace jtgw::http
