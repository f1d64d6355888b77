#include "gateway/admin/text_table.hpp"

#include <algorithm>

namespace jtgw::admin {
namespace {

// One display cell: no control characters (a label could hold a newline or an escape
// sequence), at most max_cell bytes with an ellipsis when cut (byte-wise: cells are
// mostly ASCII, and a cut UTF-8 sequence only costs one odd glyph).
std::string cell(std::string text) {
  for (char& c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  if (text.size() > text_table::max_cell) text = text.substr(0, text_table::max_cell - 3) + "...";
  return text;
}

}  // namespace

text_table::text_table(std::vector<std::string> header) : header_(std::move(header)) {}

void text_table::add(std::vector<std::string> row) {
  row.resize(header_.size());
  for (auto& text : row) text = cell(std::move(text));
  rows_.push_back(std::move(row));
}

void text_table::print(std::ostream& out) const {
  std::vector<std::size_t> width(header_.size());
  for (std::size_t i = 0; i < header_.size(); ++i) {
    width[i] = header_[i].size();
    for (const auto& row : rows_) width[i] = std::max(width[i], row[i].size());
  }
  auto line = [&](const std::vector<std::string>& row) {
    std::string text;
    for (std::size_t i = 0; i < row.size(); ++i) {
      text += row[i];
      if (i + 1 < row.size()) text += std::string(width[i] - row[i].size() + 2, ' ');
    }
    text.erase(text.find_last_not_of(' ') + 1);
    out << text << '\n';
  };
  line(header_);
  for (const auto& row : rows_) line(row);
}

std::string short_time(const std::string& rfc3339) {
  if (rfc3339.size() < 16 || rfc3339[10] != 'T') return rfc3339;
  return rfc3339.substr(0, 10) + " " + rfc3339.substr(11, 5) + "Z";
}

}  // namespace jtgw::admin
