#include "gateway/odata/json_writer.hpp"

#include <charconv>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "gateway/odata/jira_time.hpp"

namespace jtgw::odata {

namespace json = boost::json;

std::string error_body(const odata_error& error) {
    json::object inner{{"code", error.code}, {"message", error.message}};
    if (!error.target.empty()) inner["target"] = error.target;
    return json::serialize(json::object{{"error", std::move(inner)}});
}

void append_json_string(std::string& out, std::string_view text) {
    // Most Jira text needs no escaping: copy it straight (this runs once per cell).
    bool plain = true;
    for (unsigned char c : text)
        if (c < 0x20 || c == '"' || c == '\\') {
            plain = false;
            break;
        }
    if (plain) {
        out += '"';
        out += text;
        out += '"';
        return;
    }
    // Otherwise Boost.JSON's serializer escapes, read in slices without a temporary string.
    json::serializer sr;
    sr.reset(json::string_view(text.data(), text.size()));
    while (!sr.done()) {
        std::size_t old = out.size(), room = text.size() + 16;
        out.resize(old + room);
        auto written = sr.read(out.data() + old, room);
        out.resize(old + written.size());
    }
}

std::string context_url(std::string_view service_root, const table& t, const std::vector<std::size_t>& selected,
                        bool all_selected) {
    std::string url(service_root);
    url += "$metadata#";
    url += t.name;
    if (!all_selected) {
        url += '(';
        for (std::size_t i = 0; i < selected.size(); ++i) {
            if (i) url += ',';
            url += t.columns[selected[i]].name;
        }
        url += ')';
    }
    return url;
}

row_writer::row_writer(const table& t, std::vector<std::size_t> columns, std::size_t flush_bytes)
    : columns_(std::move(columns)), flush_bytes_(flush_bytes) {
    for (std::size_t i = 0; i < columns_.size(); ++i) {
        std::string prefix = i == 0 ? "{" : ",";
        append_json_string(prefix, t.columns[columns_[i]].name);
        prefix += ':';
        prefixes_.push_back(std::move(prefix));
    }
    out_.reserve(flush_bytes_ + 4096);
}

void row_writer::begin(std::string_view context) {
    out_ += "{\"@odata.context\":";
    append_json_string(out_, context);
    out_ += ",\"value\":[";
}

void row_writer::write_row(const row& r) {
    if (rows_++ != 0) out_ += ',';
    if (columns_.empty()) out_ += '{';
    for (std::size_t i = 0; i < columns_.size(); ++i) {
        out_ += prefixes_[i];
        append_cell(r[columns_[i]]);
    }
    out_ += '}';
}

void row_writer::finish(std::string_view next_link) {
    out_ += ']';
    if (!next_link.empty()) {
        out_ += ",\"@odata.nextLink\":";
        append_json_string(out_, next_link);
    }
    out_ += '}';
}

void row_writer::append_cell(const cell& c) {
    char buf[32];
    if (const auto* s = std::get_if<std::string>(&c)) {
        append_json_string(out_, *s);
    } else if (const auto* n = std::get_if<std::int64_t>(&c)) {
        auto end = std::to_chars(buf, buf + sizeof buf, *n).ptr;
        out_.append(buf, end);
    } else if (const auto* d = std::get_if<double>(&c)) {
        // Shortest round-trip spelling; row_extract never produces NaN or infinity.
        auto end = std::to_chars(buf, buf + sizeof buf, *d).ptr;
        out_.append(buf, end);
    } else if (const auto* b = std::get_if<bool>(&c)) {
        out_ += *b ? "true" : "false";
    } else if (const auto* t = std::get_if<utc_millis>(&c)) {
        out_ += '"';
        append_odata_datetime(out_, t->value);
        out_ += '"';
    } else if (const auto* day = std::get_if<civil_days>(&c)) {
        out_ += '"';
        append_odata_date(out_, day->value);
        out_ += '"';
    } else {
        out_ += "null";
    }
}

}  // namespace jtgw::odata
