#pragma once
// One step of a JSON Pointer walk (json_pointer::find is a loop of these), for callers
// that walk pointers themselves to share the steps several pointers have in common.
#include <string_view>

#include <boost/json/value.hpp>

namespace jtgw::odata {

/// The member `token` of an object, or the element it indexes (a decimal index) in an
/// array; nullptr when there is none or `at` is neither.
const boost::json::value* json_step(const boost::json::value& at, std::string_view token) noexcept;

}  // namespace jtgw::odata
