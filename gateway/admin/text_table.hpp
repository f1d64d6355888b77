#pragma once
// Plain-text tables for admin commands' human output: a header row, aligned columns,
// cells cut to a width and stripped of control characters (labels are user-chosen).
#include <ostream>
#include <string>
#include <vector>

namespace jtgw::admin {

class text_table {
 public:
  explicit text_table(std::vector<std::string> header);
  /// Adds a row; missing cells print empty, extra cells are dropped.
  void add(std::vector<std::string> row);
  std::size_t rows() const noexcept { return rows_.size(); }
  /// Writes the header and rows, columns two spaces apart, no trailing spaces.
  void print(std::ostream& out) const;

  static constexpr std::size_t max_cell = 48;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

/// A JSON time text ("2025-03-02T10:15:00.000Z") as "2025-03-02 10:15Z" for tables.
std::string short_time(const std::string& rfc3339);

}  // namespace jtgw::admin
