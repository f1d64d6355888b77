#include "gateway/portal/tableau_tds.hpp"

#include "gateway/odata/csdl.hpp"

namespace jtgw::portal {

namespace {

std::string xml_attribute(std::string_view text) {
  std::string out;
  odata::append_xml_escaped(out, text);
  return out;
}

bool replace_once(std::string& text, std::string_view from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) return false;
  text.replace(at, from.size(), to);
  return true;
}

}  // namespace

std::optional<std::string> tableau_tds(std::string_view tds_template, std::string_view odata_url,
                                       std::string_view username) {
  std::string tds(tds_template);
  if (!replace_once(tds, tds_server_placeholder, "server='" + xml_attribute(odata_url) + "'") ||
      !replace_once(tds, tds_username_placeholder, "username='" + xml_attribute(username) + "'")) {
    return std::nullopt;
  }
  return tds;
}

}  // namespace jtgw::portal
