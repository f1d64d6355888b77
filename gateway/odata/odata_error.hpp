#pragma once
// An OData error as a value: the HTTP status it is answered with and the body's fields.
// Request-path code returns these instead of throwing.
#include <string>

namespace jtgw::odata {

struct odata_error {
    unsigned status = 400;   // 400 bad request, 406 not acceptable, 501 not implemented, …
    std::string code;        // stable, machine-readable: "NotImplemented", "BadSkipToken", …
    std::string message;     // for people; names the offending option or value
    std::string target;      // the query option or column concerned; empty: omitted
};

}  // namespace jtgw::odata
