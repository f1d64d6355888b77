#pragma once
// Small JSON helpers shared by the dataset files and the REST renderers.
#include <boost/json/value.hpp>
#include <cmath>

namespace jtgw::jira_sample {

/// A non-negative number as JSON: null when negative (absent), an integer when whole
/// (Boost.JSON would print 5.0 as "5E0"), else a double.
inline boost::json::value number_or_null(double v) {
    if (v < 0) return nullptr;
    if (v == std::floor(v) && v < 9e15) return static_cast<std::int64_t>(v);
    return v;
}

}  // namespace jtgw::jira_sample
