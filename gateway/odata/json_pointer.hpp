#pragma once
// RFC 6901 JSON Pointers, parsed once when the catalog loads so that walking one per
// cell on a 100,000-row export costs only key lookups.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

namespace jtgw::odata {

struct json_pointer {
    std::string text;                 // as written in the catalog, for messages
    std::vector<std::string> tokens;  // unescaped reference tokens ("~1" -> "/", "~0" -> "~")

    /// Parses `text` ("" is the whole document, otherwise "/a/b"). Returns nullopt for a
    /// pointer not starting with '/' or with a '~' not followed by '0' or '1'.
    static std::optional<json_pointer> parse(std::string_view text);

    /// The value `tokens` lead to inside `root`, or nullptr when a step is missing, is
    /// JSON null on the way, or indexes an array out of range / with a non-number.
    /// A pointer with no tokens returns &root.
    const boost::json::value* find(const boost::json::value& root) const noexcept;
    /// The same inside a document the caller may change (to replace a list in place).
    boost::json::value* find(boost::json::value& root) const noexcept {
        return const_cast<boost::json::value*>(find(static_cast<const boost::json::value&>(root)));
    }
};

}  // namespace jtgw::odata
