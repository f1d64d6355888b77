#pragma once
// The query options of GET /odata/{Table}: what jtgw supports ($top, $select, $filter, $format,
// $skiptoken, Prefer: odata.maxpagesize) parsed and checked against the table; anything
// else OData defines is refused with a 501 naming it, so a client never silently gets
// unfiltered or unsorted rows it did not ask for.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/system/result.hpp>
#include <boost/url/params_view.hpp>

#include "gateway/odata/catalog.hpp"
#include "gateway/odata/filter.hpp"
#include "gateway/odata/odata_error.hpp"

namespace jtgw::odata {

struct query_limits {
    std::size_t default_page_size = 1000;  // rows per response without a Prefer
    std::size_t max_page_size = 5000;      // cap on odata.maxpagesize
};

struct query_options {
    std::vector<std::size_t> columns;      // columns to write, in catalog order
    bool all_columns = true;               // no $select, or $select=*
    std::optional<std::int64_t> top;       // $top
    std::string skiptoken;                 // $skiptoken as sent (verify with skiptoken_codec)
    row_filter filter;                     // $filter; empty: every row
    std::string filter_text;               // $filter as sent (decoded), for the next link
    std::size_t page_size = 0;             // rows per response
    bool page_size_preferred = false;      // odata.maxpagesize honoured: answer with
                                           // Preference-Applied: odata.maxpagesize=<page_size>
};

/// Parses the decoded query parameters of a request for table `t` and its Prefer header
/// (several Prefer headers joined with ","; empty when absent).
/// - $select: comma-separated column names or "*"; unknown name -> 400 "InvalidSelect".
/// - $top: a non-negative integer, else 400 "InvalidTop".
/// - $format: json or application/json (media type parameters ignored); other -> 406.
/// - $skiptoken: any non-empty text (checked later by skiptoken_codec), else 400.
/// - $filter: time ranges on filterable columns (filter.hpp: 400 "InvalidFilter" for
///   what OData itself rejects, 501 "NotImplemented" naming what jtgw does not serve).
/// - odata.maxpagesize=N (N >= 1) -> page_size = min(N, cap); malformed preferences are
///   ignored, as RFC 7240 allows.
/// - $orderby, $expand, $skip, $search, $count=true, $apply, $compute and any
///   other $-option -> 501 "NotImplemented" naming the option (target = its name).
/// - The same $-option twice -> 400. Option names match case-insensitively (OData 4.01);
///   parameters not starting with '$' are ignored, as OData requires.
/// When a $skiptoken continues a listing, its own page size and remaining $top win over
/// these (the caller applies that after decoding the token).
boost::system::result<query_options, odata_error> parse_query_options(const table& t,
                                                                      boost::urls::params_view params,
                                                                      std::string_view prefer,
                                                                      const query_limits& limits = {});

}  // namespace jtgw::odata
