#pragma once
// The page's files (gateway/portal/assets/), compiled into the binary at build time by
// embed_assets.cmake, so an installed jtgw needs no asset directory.
#include <cstddef>
#include <string_view>

namespace jtgw::portal {

struct embedded_file {
  std::string_view name;   // file name, e.g. "app.js"
  std::string_view bytes;  // its contents
};

// Defined in the generated portal_assets.cpp.
extern const embedded_file embedded_files[];
extern const std::size_t embedded_file_count;

struct asset {
  std::string_view bytes;
  std::string_view content_type;  // by extension: html, css, js, svg; else octet-stream
};

/// The embedded file called `name` (a bare file name: no directories), or nullptr.
const asset* find_asset(std::string_view name) noexcept;

}  // namespace jtgw::portal
