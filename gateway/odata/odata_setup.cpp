#include "gateway/odata/odata_setup.hpp"

#include <stdexcept>

#include "auth/seal_key_file.hpp"
#include "auth/sealing.hpp"

namespace jtgw::odata {

std::unique_ptr<odata_service> make_odata_service(const config::gateway_config& config, jira::jira_client& client) {
  const auto path = config.odata_catalog.empty() ? default_catalog_path() : config.odata_catalog;
  catalog cat;
  try {
    cat = load_catalog_file(path);
  } catch (const catalog_error& e) {
    throw std::runtime_error("odata catalog " + path.string() + ": " + e.what());
  }
  auto codec = [&] {
    if (config.jira.auth != config::upstream_auth::user) return skiptoken_codec::with_random_key();
    const auto key = auth::load_or_create_seal_key(config.seal_key_file);
    return skiptoken_codec::from_seal_key({key.data(), auth::seal_key_bytes});
  }();
  if (config.odata_custom_fields && !cat.custom_fields)
    throw std::runtime_error("odata catalog " + path.string() +
                             ": [odata] include_custom_fields = true needs the catalog's \"custom_fields\" section");
  service_settings settings;
  settings.custom_fields = config.odata_custom_fields;
  settings.jira_flavor = config.jira.flavor == config::jira_flavor::cloud ? flavor::cloud : flavor::datacenter;
  settings.completion_slots = config.odata_completion_concurrency;
  settings.search_slots = config.odata_search_concurrency;
  return std::make_unique<odata_service>(std::move(cat), std::move(codec), client, settings);
}

}  // namespace jtgw::odata
