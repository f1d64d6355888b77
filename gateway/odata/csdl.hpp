#pragma once
// The two documents that describe the service, generated from the catalog: the CSDL XML
// at /odata/$metadata and the JSON service document at /odata/. Both are built once at
// start-up (the catalog does not change while jtgw runs) and served as they are.
#include <string>
#include <string_view>

#include "gateway/odata/catalog.hpp"

namespace jtgw::odata {

/// CSDL (OData v4.0) for every table: one EntityType per table (Key/PropertyRef, one
/// Property per column with Name, Type and Nullable, descriptions as Core.Description
/// annotations), and one EntityContainer "Container" with an EntitySet per table whose
/// EntityType is "<namespace>.<table>".
std::string metadata_xml(const catalog& cat);

/// {"@odata.context":"<service_root>$metadata","value":[{"name":"Issues","kind":"EntitySet",
/// "url":"Issues"},…]}. `service_root` ends with '/'.
std::string service_document(const catalog& cat, std::string_view service_root);

/// Appends `text` escaped for an XML attribute value or element text (&, <, >, ", ');
/// control characters XML 1.0 cannot carry are dropped.
void append_xml_escaped(std::string& out, std::string_view text);

}  // namespace jtgw::odata
