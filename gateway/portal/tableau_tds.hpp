#pragma once
// The Tableau data source (.tds) the page offers for download, derived from the shipped
// template connector-manifest/jira.tds (embedded in the binary with the page): its
// placeholder server URL and username are replaced with this gateway's /odata/ URL and
// the signed-in user. It never contains a secret: Tableau asks for the password (the
// access token) when the source is opened.
#include <optional>
#include <string>
#include <string_view>

namespace jtgw::portal {

/// The template's placeholders, as attribute values.
inline constexpr std::string_view tds_server_placeholder = "server='https://GATEWAY/odata/'";
inline constexpr std::string_view tds_username_placeholder = "username='YOUR_JIRA_USERNAME'";

/// `tds_template` with its server and username attributes set to `odata_url` and
/// `username` (both XML-escaped here). nullopt when the template lacks a placeholder
/// (it was edited without this code): better no file than a wrong one.
std::optional<std::string> tableau_tds(std::string_view tds_template, std::string_view odata_url,
                                       std::string_view username);

/// The name the download is saved under.
inline constexpr std::string_view tds_file_name = "jira-via-jtgw.tds";

}  // namespace jtgw::portal
