#include "gateway/portal/assets.hpp"

#include <vector>

namespace jtgw::portal {

namespace {

std::string_view content_type_of(std::string_view name) noexcept {
  if (name.ends_with(".html")) return "text/html; charset=utf-8";
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

struct named_asset {
  std::string_view name;
  asset file;
};

// Built once: a handful of files, searched linearly.
const std::vector<named_asset>& assets() {
  static const std::vector<named_asset> table = [] {
    std::vector<named_asset> out;
    for (std::size_t i = 0; i < embedded_file_count; ++i) {
      out.push_back({embedded_files[i].name, {embedded_files[i].bytes, content_type_of(embedded_files[i].name)}});
    }
    return out;
  }();
  return table;
}

}  // namespace

const asset* find_asset(std::string_view name) noexcept {
  for (const auto& entry : assets()) {
    if (entry.name == name) return &entry.file;
  }
  return nullptr;
}

}  // namespace jtgw::portal
