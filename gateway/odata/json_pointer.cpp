#include "gateway/odata/json_pointer.hpp"
#include "gateway/odata/json_step.hpp"

#include <charconv>

namespace jtgw::odata {

std::optional<json_pointer> json_pointer::parse(std::string_view text) {
    json_pointer p;
    p.text = std::string(text);
    if (text.empty()) return p;
    if (text.front() != '/') return std::nullopt;
    std::string token;
    for (std::size_t i = 1; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == '/') {
            p.tokens.push_back(std::move(token));
            token.clear();
            continue;
        }
        if (text[i] != '~') {
            token += text[i];
            continue;
        }
        if (i + 1 >= text.size() || (text[i + 1] != '0' && text[i + 1] != '1')) return std::nullopt;
        token += text[i + 1] == '0' ? '~' : '/';
        ++i;
    }
    return p;
}

const boost::json::value* json_step(const boost::json::value& at, std::string_view token) noexcept {
    if (const auto* obj = at.if_object()) {
        auto it = obj->find(token);
        return it == obj->end() ? nullptr : &it->value();
    }
    if (const auto* arr = at.if_array()) {
        std::size_t index = 0;
        auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
        if (ec != std::errc{} || end != token.data() + token.size() || index >= arr->size()) return nullptr;
        return &(*arr)[index];
    }
    return nullptr;
}

const boost::json::value* json_pointer::find(const boost::json::value& root) const noexcept {
    const boost::json::value* at = &root;
    for (const auto& token : tokens)
        if (at = json_step(*at, token); at == nullptr) return nullptr;
    return at;
}

}  // namespace jtgw::odata
