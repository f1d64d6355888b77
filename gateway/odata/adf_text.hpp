#pragma once
// Atlassian Document Format (Jira Cloud's rich text: descriptions, comments, worklog
// comments) flattened to the plain text a BI tool can show. Block nodes become lines,
// so a v3 description reads like the same description from v2.
#include <string>

#include <boost/json/value.hpp>

namespace jtgw::odata {

/// Plain text of an ADF node (normally {"type":"doc",...}):
/// - text nodes give their text; hardBreak gives "\n";
/// - mention, emoji, status, date, inlineCard give their attrs' text / shortName / url;
/// - a block whose children are inline is one line; other blocks (doc, lists, list items,
///   tables, panels, quotes) join their children's lines with "\n".
/// A JSON string is returned as it is (some Jira fields are plain even in v3).
/// Unknown node types contribute their children's text; nesting deeper than 64 levels
/// (which Jira never produces) is cut off rather than risking the stack.
std::string adf_to_text(const boost::json::value& node);

/// adf_to_text appended to `out` (a row reuses its strings' capacity across an export).
void append_adf_text(const boost::json::value& node, std::string& out);

}  // namespace jtgw::odata
