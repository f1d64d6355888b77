#include "gateway/odata/adf_text.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace jtgw::odata {

namespace json = boost::json;

namespace {

constexpr int max_depth = 64;

std::string_view string_at(const json::object& obj, std::string_view key) {
    auto it = obj.find(key);
    if (it == obj.end() || !it->value().is_string()) return {};
    return it->value().get_string();
}

std::string_view type_of(const json::value& node) {
    const auto* obj = node.if_object();
    return obj ? string_at(*obj, "type") : std::string_view{};
}

bool is_inline(std::string_view type) {
    static constexpr std::array<std::string_view, 9> inline_types = {
        "text", "hardBreak", "mention", "emoji", "inlineCard", "date", "status", "mediaInline", "placeholder"};
    return std::find(inline_types.begin(), inline_types.end(), type) != inline_types.end();
}

void render(const json::value& node, std::string& out, int depth);

// An inline leaf: its visible text.
void render_inline(const json::object& obj, std::string_view type, std::string& out) {
    if (type == "text") {
        out += string_at(obj, "text");
        return;
    }
    if (type == "hardBreak") {
        out += '\n';
        return;
    }
    auto attrs_it = obj.find("attrs");
    if (attrs_it == obj.end() || !attrs_it->value().is_object()) return;
    const auto& attrs = attrs_it->value().get_object();
    for (std::string_view key : {"text", "shortName", "url", "timestamp"}) {
        std::string_view v = string_at(attrs, key);
        if (!v.empty()) {
            out += v;
            return;
        }
    }
}

void render_children(const json::object& obj, std::string& out, int depth) {
    auto it = obj.find("content");
    if (it == obj.end() || !it->value().is_array()) return;
    const auto& children = it->value().get_array();
    bool all_inline = std::all_of(children.begin(), children.end(),
                                  [](const json::value& c) { return is_inline(type_of(c)); });
    bool first = true;
    for (const auto& child : children) {
        if (!all_inline && !first) out += '\n';
        render(child, out, depth + 1);
        first = false;
    }
}

void render(const json::value& node, std::string& out, int depth) {
    if (depth > max_depth) return;
    const auto* obj = node.if_object();
    if (obj == nullptr) return;
    std::string_view type = string_at(*obj, "type");
    if (is_inline(type))
        render_inline(*obj, type, out);
    else
        render_children(*obj, out, depth);
}

}  // namespace

void append_adf_text(const json::value& node, std::string& out) {
    if (const auto* s = node.if_string())
        out.append(s->data(), s->size());
    else
        render(node, out, 0);
}

std::string adf_to_text(const json::value& node) {
    std::string out;
    append_adf_text(node, out);
    return out;
}

}  // namespace jtgw::odata
