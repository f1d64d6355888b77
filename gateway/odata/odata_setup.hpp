#pragma once
// Start-up of the OData service from jtgw's config: the catalog ([odata] catalog, or the
// shipped one), the $skiptoken key, and the Jira flavor. Separate from odata_service so
// the service itself knows nothing of the config file.
#include <memory>

#include "gateway/config/config.hpp"
#include "gateway/jira/jira_client.hpp"
#include "gateway/odata/odata_service.hpp"

namespace jtgw::odata {

/// Builds the service. Throws std::runtime_error naming the catalog file and, for a
/// broken catalog, the table and column ("…/tables.json: catalog: table \"Issues\",
/// column \"Created\": …"), or the seal key file when it cannot be read; also when
/// [odata] include_custom_fields is on and the catalog has no "custom_fields" section.
/// $skiptoken keys: derived from the seal key (auth = "user"), so links stay valid across
/// restarts; a random key in service mode (links die with the process).
std::unique_ptr<odata_service> make_odata_service(const config::gateway_config& config, jira::jira_client& client);

}  // namespace jtgw::odata
