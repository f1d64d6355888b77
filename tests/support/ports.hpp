#pragma once
#include <cstdint>

namespace jtgw::test_support {

// A loopback port nothing listens on (bound, then closed): "the upstream is down".
std::uint16_t closed_port();

}  // namespace jtgw::test_support
